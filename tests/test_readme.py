"""The README's two set-up commands stay true, its test command runs the fast
tiers and says so, and CI runs that command and every other tier."""

import re
import shlex
from pathlib import Path

from tests.support.tiers import FAST, TIERS

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    lines = (ROOT / "README.md").read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.startswith("    ") and ".venv" in line][:2]


def _tiers_selected(command: str) -> set[str]:
    """The tiers a `pytest -m "a or b"` command runs (all of them without -m)."""
    words = shlex.split(command.split("&&")[-1])
    if "-m" not in words[words.index("pytest") :]:
        return set(TIERS)
    expression = words[words.index("-m", words.index("pytest")) + 1]
    names = [name.strip() for name in expression.split(" or ")]
    assert set(names) <= set(TIERS), f"-m {expression!r}: only tiers joined by 'or'"
    return set(names)


def test_first_two_commands_serve_and_test() -> None:
    serve, test = _commands()
    assert serve.endswith("medvirk serve")
    assert "pytest" in test
    assert "python3 -m venv .venv" in serve and "python3 -m venv .venv" in test


def test_the_readme_test_command_runs_the_fast_tiers_and_says_so() -> None:
    _, test = _commands()
    assert _tiers_selected(test) == set(FAST)
    readme = (ROOT / "README.md").read_text("utf-8")
    (said,) = [line for line in readme.splitlines() if line.startswith("This runs the fast tiers")]
    assert ".ci/run" in said
    for tier in TIERS:
        assert tier in said, f"the README's line does not name the {tier} tier"


def test_ci_runs_the_readme_test_command() -> None:
    _, test = _commands()
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert test in ci.splitlines()


def test_ci_runs_every_tier() -> None:
    """Only the lowest-version half (.venv-lowest) may run a part of the suite."""
    ci = (ROOT / ".ci" / "run").read_text("utf-8").replace("\\\n", " ")
    runs = [
        line
        for line in ci.splitlines()
        if re.search(r"\.venv/bin/python -m pytest", line) and not line.lstrip().startswith("#")
    ]
    covered = set().union(*(_tiers_selected(line) for line in runs))
    assert covered == set(TIERS), f"CI leaves out {set(TIERS) - covered}"
