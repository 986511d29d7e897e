"""`medvirk try`: the bot and the Playground start, answer, and stop cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.try_local import CONFIG_FILE, PlaygroundWorld, free_port, wait_for_http
from tests.e2e.conftest import E2E_DIR, ROOT, missing_pieces


@pytest.mark.e2e
def test_try_starts_both_registers_the_channel_and_stops_on_sigterm(tmp_path: Path) -> None:
    if missing_pieces():
        pytest.fail("end-to-end pieces missing: " + ", ".join(missing_pieces()))
    bot_port, playground_port = free_port(), free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "--log-level",
            "WARNING",
            "try",
            "--dir",
            str(tmp_path / "try"),
            "--port",
            str(bot_port),
            "--playground-port",
            str(playground_port),
            # The e2e folder holds the pinned package (npm ci), as the cache would.
            "--cache-dir",
            str(E2E_DIR),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{bot_port}/healthz", 60, process)
        wait_for_http(f"http://127.0.0.1:{playground_port}/", 60, process)
        world = PlaygroundWorld()
        config = json.loads((tmp_path / "try" / CONFIG_FILE).read_text())
        assert config["currentUser"]["aadObjectId"] == world.current_user.aad_object_id
        assert len(config["users"]) == 5
        with sqlite3.connect(tmp_path / "try" / "medvirk-try.db") as db:
            row = db.execute("select team_id, channel_id, service_url from priority_channel")
            assert row.fetchall() == [
                (world.team_id, world.channel_id, f"http://localhost:{playground_port}/_connector")
            ]
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{playground_port}/" in output
    assert "stopped" in output
    for port in (bot_port, playground_port):
        with pytest.raises(OSError):
            wait_for_http(f"http://127.0.0.1:{port}/", 1)
