"""docs/DEPLOY.md stays true: its commands run, its variables are the ones medvirk reads."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.support.env import IN_CI
from tests.support.postgres import PG_HOST, PG_PORT, pg_admin_sync, postgres_answers

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "DEPLOY.md").read_text("utf-8")
# Read by `medvirk manifest`, not by the service's settings.
MANIFEST_ONLY = {"MEDVIRK_TEAMS_APP_ID", "MEDVIRK_PUBLIC_HOST", "MEDVIRK_DEVELOPER_NAME"}
APP_ID = "6a0d5f0e-8a3c-4c52-9a57-3f2b8e7d1c44"
PLACEHOLDERS = {
    "<new GUID for the Teams app>": APP_ID,
    "<MicrosoftAppId>": "0b8f3c2e-5d1a-4e7b-9c6f-2a4d8e1f3b57",
    "<public host>": "medvirk.example.no",
}


def _commands(prefix: str) -> list[list[str]]:
    """The guide's indented commands containing `prefix` (continuation lines joined),
    with leading VAR=value assignments dropped and <placeholders> filled in."""
    lines = [line.strip() for line in GUIDE.splitlines() if line.startswith("    ")]
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1] + " " + line
        else:
            joined.append(line)
    found = []
    for command in joined:
        if prefix not in command:
            continue
        command = re.sub(r"<[^>]+>", lambda m: PLACEHOLDERS[m.group(0)], command)
        words = shlex.split(command)
        while "=" in words[0]:
            words.pop(0)
        found.append(words)
    return found


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    assert argv[0] == "medvirk"
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv[1:]],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_documented_variables_are_the_settings() -> None:
    first_cells = re.findall(r"^\| (`[^|]+) \|", GUIDE, flags=re.MULTILINE)
    documented = {name for cell in first_cells for name in re.findall(r"`([A-Za-z_]+)`", cell)}
    read: set[str] = set()
    for name, info in Settings.model_fields.items():
        if info.alias:
            read.add(info.alias)
        elif info.validation_alias is not None:
            read.add(info.validation_alias.choices[0])
        else:
            read.add(name)
    assert documented - MANIFEST_ONLY == read


@pytest.mark.processes
def test_documented_manifest_command_builds_the_zip(tmp_path: Path) -> None:
    (command,) = _commands("medvirk manifest")
    result = _run(command, tmp_path, {})
    assert result.returncode == 0, result.stderr
    archive = zipfile.ZipFile(tmp_path / "medvirk.zip")
    assert {"manifest.json", "color.png", "outline.png", "nn.json", "en.json"} <= set(
        archive.namelist()
    )
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["validDomains"] == ["medvirk.example.no"]
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "nb"


@pytest.mark.processes
def test_the_same_command_with_a_bad_value_writes_nothing(tmp_path: Path) -> None:
    (command,) = _commands("medvirk manifest")
    bad = [("not-a-guid" if part == APP_ID else part) for part in command]
    result = _run(bad, tmp_path, {})
    assert result.returncode != 0
    assert "app-id" in result.stderr
    assert not (tmp_path / "medvirk.zip").exists()


@pytest.mark.postgres
@pytest.mark.processes
def test_documented_migration_on_a_fresh_postgresql_database(tmp_path: Path) -> None:
    if not postgres_answers():
        if IN_CI:
            pytest.fail("PostgreSQL does not answer on 127.0.0.1:5432, and CI must test it")
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    (command,) = _commands("medvirk db upgrade")
    name = f"medvirk_deploy_{uuid.uuid4().hex[:10]}"
    pg_admin_sync(f'CREATE DATABASE "{name}"')
    try:
        # A plain postgresql:// URL, as the guide says; two instances migrating at once.
        env = {"DATABASE_URL": f"postgresql://postgres@{PG_HOST}:{PG_PORT}/{name}"}
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", *command[1:]],
                cwd=tmp_path,
                env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert "up to date" in out
        again = _run(command, tmp_path, env)
        assert again.returncode == 0, again.stderr
    finally:
        pg_admin_sync(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_readme_try_section_shows_committed_screenshots() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Try it locally", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/medvirk try" in section
    images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", section)
    assert {"docs/screenshots/order-in-progress.png", "docs/screenshots/claimed-card.png"} <= set(
        images
    )
    for image in images:
        assert (ROOT / image).is_file(), image


def _public_paths() -> dict[str, str]:
    """The guide's "What the public reaches" table: path → who."""
    section = GUIDE.split("### What the public reaches", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| `(/[^`]*)` \| (.+) \|$", section, flags=re.MULTILINE)
    return dict(rows)


def test_the_guide_names_every_path_the_bot_answers() -> None:
    from bot.routing import build_router

    documented = _public_paths()
    prefixes = {re.sub(r"\{.*$", "", route.path) for route in build_router().web}
    for prefix in prefixes:
        assert any(path.startswith(prefix) for path in documented), prefix
    for public in ("/p/", "/a/", "/calendar/", "/r/"):
        assert any(path.startswith(public) for path in documented), public
    # And what must not be public says so.
    assert "never the public" in documented["/metrics"]
    assert "MEDVIRK_METRICS_PORT" in documented["/metrics"]
    assert "Bot Connector only" in documented["/api/messages"]
