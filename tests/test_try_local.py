"""`medvirk try` where Node.js is missing, and the Playground config it writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import try_local
from bot.cli.common import CliError


def test_missing_node_is_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A checkout without tests/e2e/node_modules, an empty cache, no node or npm on PATH.
    monkeypatch.setattr(try_local, "ROOT", tmp_path / "checkout")
    monkeypatch.setattr(try_local, "CACHE", tmp_path / "cache")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CliError, match=r"Node\.js and npm are needed.*Node\.js 20"):
        try_local.playground_binary(install=True)
    assert not (tmp_path / "cache").exists()


def test_config_has_an_admin_five_users_one_team_and_its_channel() -> None:
    config = try_local.playground_config()
    assert f"aadObjectId: {try_local.ADMIN_AAD}" in config.split("users:")[0]
    assert config.split("users:")[1].split("personalChat:")[0].count("  - id: ") == 5
    assert config.count("team:\n") == 1
    assert f"channels:\n    - id: {try_local.CHANNEL_ID}\n" in config
