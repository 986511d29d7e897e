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


class PortTaken(Exception):
    """The port was free when looked at and taken when serve bound it."""


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
        """Start it; should another process take the free port between the look
        and the bind (other tests start servers meanwhile), again on another."""
        for _ in range(3):
            try:
                return self._start()
            except PortTaken:
                self.port = free_port()
                self.env["PORT"] = str(self.port)
        raise RuntimeError("no free port for serve after three tries")

    def _start(self) -> ServeProcess:
        handle = self.log.open("ab")
        before = handle.tell()
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
                said = self.log.read_bytes()[before:].decode(errors="replace")[-2000:]
                if "address already in use" in said:
                    raise PortTaken()
                raise RuntimeError(f"serve exited: {said}")
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
