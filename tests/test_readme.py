"""The README's two set-up commands stay true, and CI runs the test one."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    lines = (ROOT / "README.md").read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.startswith("    ") and ".venv" in line][:2]


def test_first_two_commands_serve_and_test() -> None:
    serve, test = _commands()
    assert serve.endswith("medvirk serve")
    assert "pytest" in test
    assert "python3 -m venv .venv" in serve and "python3 -m venv .venv" in test


def test_ci_runs_the_readme_test_command() -> None:
    _, test = _commands()
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert test in ci.splitlines()
