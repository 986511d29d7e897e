"""The layout's promises: the Bot Framework SDK only behind `bot/teams/` (and in
`dialogs/`), and imports that flow one way (bot → dialogs → storage)."""

from __future__ import annotations

import ast
import gc
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


def test_benchmarks_do_not_import_the_tests() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "bench").glob("*.py"))
        for name in _imports(path)
        if _top(name) == "tests"
    ]
    assert not offenders, "\n".join(offenders)


def test_no_test_imports_conftest() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[-1] == "conftest"
    ]
    assert not offenders, "\n".join(offenders)
