"""The layout's promises: the Bot Framework SDK only behind `bot/teams/` (and in
`dialogs/`), and imports that flow one way (bot → dialogs → storage)."""

from __future__ import annotations

import ast
import gc
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SDK = ("botbuilder", "botframework", "msrest")
PACKAGES = ("bot", "dialogs", "storage", "scheduler", "manifest")


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    # CPython 3.11's ast.parse fails ("AST constructor recursion depth mismatch")
    # if a finalizer runs Python code in the middle of it (seen once: a task an
    # earlier test left pending, destroyed by the garbage collector): the
    # collector is kept out of the parse.
    gc.disable()
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    finally:
        gc.enable()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _top(name: str) -> str:
    return name.split(".")[0]


def test_the_sdk_is_imported_only_behind_the_seam() -> None:
    offenders = []
    for package in PACKAGES:
        for path in _modules(package):
            relative = path.relative_to(ROOT)
            if relative.parts[:2] == ("bot", "teams") or relative.parts[0] == "dialogs":
                continue
            used = sorted(name for name in _imports(path) if _top(name) in SDK)
            if used:
                offenders.append(f"{relative}: {', '.join(used)}")
    assert not offenders, "SDK imports outside bot/teams/ and dialogs/:\n" + "\n".join(offenders)


def test_the_seam_is_where_the_sdk_is() -> None:
    """The check above is not vacuous: the seam really holds the SDK's imports."""
    teams = {name for path in _modules("bot/teams") for name in _imports(path)}
    assert {_top(name) for name in teams} >= set(SDK)


@pytest.mark.parametrize(
    ("package", "may_import"),
    [
        ("storage", {"storage"}),
        ("scheduler", {"scheduler", "storage"}),
        ("dialogs", {"dialogs", "storage"}),
        ("manifest", {"manifest", "dialogs"}),
    ],
)
def test_imports_flow_one_way(package: str, may_import: set[str]) -> None:
    project = set(PACKAGES)
    offenders = []
    for path in _modules(package):
        for name in _imports(path):
            if _top(name) in project and _top(name) not in may_import:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_the_product_imports_neither_tests_nor_benchmarks() -> None:
    """The fake connector and the generated year live in tests/support/: the
    product ships without them."""
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for package in ("bot", "dialogs", "storage", "scheduler", "manifest")
        for path in _modules(package)
        for name in _imports(path)
        if _top(name) in {"tests", "bench"}
    ]
    assert not offenders, "\n".join(offenders)


def test_benchmarks_import_test_support_and_never_the_reverse() -> None:
    """Benches build on the tests' support (fake connector, generated year);
    no test or support module imports a bench."""
    from_bench = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "bench").glob("*.py"))
        for name in _imports(path)
        if _top(name) == "tests" and not name.startswith("tests.support")
    ]
    from_tests = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for name in _imports(path)
        if _top(name) == "bench"
    ]
    assert not from_bench + from_tests, "\n".join(from_bench + from_tests)


def test_no_test_imports_conftest() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[-1] == "conftest"
    ]
    assert not offenders, "\n".join(offenders)


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, module: str, known: set[str]) -> set[str]:
    """Every project module `path` imports, wherever the import stands: at
    the top, in a function, under `if TYPE_CHECKING:`, or as a string given
    to `importlib.import_module`."""
    gc.disable()
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    finally:
        gc.enable()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return {name for name in names if name in known and name != module}


def _circles() -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    paths = {_module_name(p): p for package in PACKAGES for p in _modules(package)}
    known = set(paths)
    graph = {m: sorted(_imported_modules(p, m, known)) for m, p in paths.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_circles_among_the_modules() -> None:
    """Counting imports under `TYPE_CHECKING`, in functions and by importlib:
    a circle hidden there is one at run time all the same."""
    circles = [sorted(c) for c in _circles()]
    assert not circles, "import circles:\n" + "\n".join(" ↔ ".join(c) for c in circles)


def test_the_circle_check_sees_type_checking_and_importlib(tmp_path: Path) -> None:
    source = (
        "from typing import TYPE_CHECKING\nimport importlib\n"
        "if TYPE_CHECKING:\n    from bot.framework.router import Router\n"
        "def f():\n    importlib.import_module('bot.services')\n"
    )
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    known = {"bot.framework.router", "bot.services", "probe"}
    assert _imported_modules(path, "probe", known) == {"bot.framework.router", "bot.services"}


# The one module that writes outbox rows: use cases record events there.
OUTBOX_WRITER = Path("storage/notifications.py")


def _outbox_writes(path: Path) -> list[str]:
    """Where `path` inserts outbox rows: an `OutboxMessage(...)` built, an
    INSERT of its table (directly or through a name bound to it), raw SQL, or
    the writer's private insert reached from outside."""
    text = path.read_text(encoding="utf-8")
    gc.disable()
    try:
        tree = ast.parse(text, filename=str(path))
    finally:
        gc.enable()

    def mentions(node: ast.AST, names: set[str]) -> bool:
        return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))

    bound = {"OutboxMessage"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and mentions(node.value, bound):
            bound |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and node.value and mentions(node.value, bound):
            if isinstance(node.target, ast.Name):
                bound.add(node.target.id)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "OutboxMessage":
                found.append(f"line {node.lineno}: OutboxMessage(...)")
            elif "insert" in name.lower() and any(mentions(a, bound) for a in node.args):
                found.append(f"line {node.lineno}: {name}(<the outbox table>)")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and isinstance(node.value, ast.Name)
            and node.value.id == "notifications"
        ):
            found.append(f"line {node.lineno}: notifications.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "storage.notifications":
            private = [a.name for a in node.names if a.name.startswith("_")]
            if private:
                found.append(f"line {node.lineno}: imports {', '.join(private)}")
    if re.search(r"insert\s+into\s+\"?outbox\b", text, re.IGNORECASE):
        found.append("raw INSERT INTO outbox")
    return found


def test_only_the_notifications_module_writes_outbox_rows() -> None:
    """One way to notify: use cases record typed events and
    `storage/notifications.py` alone turns them into rows (the sender's own
    tests write rows no event makes through `tests/support/outbox.py`)."""
    offenders = [
        f"{path.relative_to(ROOT)} {where}"
        for package in (*PACKAGES, "bench")
        for path in _modules(package)
        if path.relative_to(ROOT) != OUTBOX_WRITER
        for where in _outbox_writes(path)
    ]
    assert not offenders, "outbox rows written outside storage/notifications.py:\n" + "\n".join(
        offenders
    )


def test_the_outbox_write_check_sees_inserts(tmp_path: Path) -> None:
    assert _outbox_writes(ROOT / OUTBOX_WRITER)
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from storage import notifications\n"
        "from storage.notifications import _insert\n"
        "T = cast(Table, OutboxMessage.__table__)\n"
        "async def f(session):\n"
        "    session.add(OutboxMessage(target_key='x'))\n"
        "    await session.execute(pg_insert(T), [])\n"
        "    await notifications._insert(session, now=None, rows=[])\n"
        "    await session.execute(text('INSERT INTO outbox (id) VALUES (1)'))\n",
        encoding="utf-8",
    )
    assert len(_outbox_writes(probe)) == 5


def _project_graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for package in PACKAGES for p in _modules(package)}
    known = set(paths)
    return {m: _imported_modules(p, m, known) for m, p in paths.items()}


def _feature_of(module: str) -> str | None:
    """`bot.features.pool.suggest` -> `pool`; `bot.features.basics` -> `basics`."""
    parts = module.split(".")
    return parts[2] if parts[:2] == ["bot", "features"] and len(parts) > 2 else None


def test_the_framework_imports_no_feature() -> None:
    offenders = [
        f"{module} imports {name}"
        for module, names in sorted(_project_graph().items())
        if module.startswith("bot.framework")
        for name in sorted(names)
        if _feature_of(name)
    ]
    assert not offenders, "\n".join(offenders)


def test_features_do_not_import_each_other() -> None:
    pairs = {
        (_feature_of(module), _feature_of(name)): f"{module} imports {name}"
        for module, names in sorted(_project_graph().items())
        if _feature_of(module)
        for name in sorted(names)
        if _feature_of(name) and _feature_of(name) != _feature_of(module)
    }
    assert not pairs, "\n".join(line for _, line in sorted(pairs.items()))


def test_the_domain_imports_only_the_standard_library() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules("storage/domain")
        for name in _imports(path)
        if not name.startswith("storage.domain")
        and _top(name) != "__future__"
        and _top(name) not in sys.stdlib_module_names
    ]
    assert not offenders, "\n".join(offenders)
