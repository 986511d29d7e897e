"""`medvirk try`: starts the bot and the Playground, registers the channel, stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.cli.try_local import free_port
from tests.e2e.test_playground import IN_CI, _missing

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_try_starts_both_and_stops_on_sigterm(tmp_path) -> None:
    problem = _missing()
    if problem:
        if IN_CI:
            pytest.fail(f"end-to-end tests must run in CI: {problem}")
        pytest.skip(problem)
    bot_port, playground_port = free_port(), free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "try",
            "--dir",
            str(tmp_path / "try"),
            "--port",
            str(bot_port),
            "--playground-port",
            str(playground_port),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ},
    )
    try:
        lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Agents Playground:" in line or process.poll() is not None:
                break
        assert any(f"http://127.0.0.1:{playground_port}/" in x for x in lines), "".join(lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{bot_port}/healthz", timeout=5) as resp:
            assert resp.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{playground_port}/", timeout=5) as resp:
            assert resp.status == 200
        import sqlite3

        db = sqlite3.connect(tmp_path / "try" / "medvirk.db")
        assert db.execute("select channel_id from desks where code = 'default'").fetchone() == (
            "channel-bestillinger-id",
        )
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        for port in (bot_port, playground_port):
            with pytest.raises(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
    finally:
        if process.poll() is None:
            process.kill()
