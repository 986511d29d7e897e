"""`medvirk serve` as a real child process, for crash and shutdown tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bot.cli.try_local import free_port

ROOT = Path(__file__).resolve().parents[2]


class ServeProcess:
    def __init__(self, database_url: str, log: Path, **env: str) -> None:
        self.port = free_port()
        self.database_url = database_url
        self.log = log
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PORT": str(self.port),
            "MicrosoftAppId": "",
            "MEDVIRK_ADMINS": "admin-aad",
            "MEDVIRK_MAIL_DIR": str(log.parent / "mail"),
            # Several processes of several tests share one PostgreSQL server
            # (max_connections 100): each keeps to a few connections.
            "MEDVIRK_DB_CONNECTIONS": "6",
            **env,
        }
        self.process: subprocess.Popen[Any] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServeProcess:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("serve did not start")

    def kill9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def terminate(self, timeout: float = 40) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)
