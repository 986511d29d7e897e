"""`medvirk try` without Node.js: a clear message, no traceback; the Playground config."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.try_local import CONFIG_FILE, PlaygroundWorld

ROOT = Path(__file__).resolve().parent.parent


def test_missing_node_gives_a_clear_message(tmp_path: Path) -> None:
    args = ["try", "--dir", str(tmp_path / "t"), "--cache-dir", str(tmp_path / "cache")]
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={"PATH": str(tmp_path), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Node.js" in result.stderr and "nodejs.org" in result.stderr
    assert "Traceback" not in result.stderr


def test_playground_config_has_an_admin_five_users_one_team_and_channel(tmp_path: Path) -> None:
    world = PlaygroundWorld()
    config = json.loads(world.write_config(tmp_path).read_text())
    assert (tmp_path / CONFIG_FILE).exists()
    assert config["currentUser"]["aadObjectId"] == world.current_user.aad_object_id
    assert len(config["users"]) == 5
    ids = [config["currentUser"]["id"], *(u["id"] for u in config["users"])]
    assert len(set(ids)) == 6
    assert config["team"]["channels"] == [{"id": world.channel_id, "name": world.channel_name}]
