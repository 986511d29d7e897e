"""`medvirk try`: the bot and Microsoft's Agents Playground side by side, for a
first look without Azure. Also used by the end-to-end tests."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bot.cli.common import CliError

PLAYGROUND_PACKAGE = "@microsoft/m365agentsplayground"
PLAYGROUND_VERSION = "0.2.28"
ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("MEDVIRK_CACHE", Path.home() / ".cache" / "medvirk"))
TENANT = "00000000-0000-0000-0000-0000000000001"
ADMIN_AAD = "00000000-0000-0000-0000-0000000000020"
TEAM_ID = "team-id"
CHANNEL_ID = "channel-bestillinger-id"
# The Playground insists on exactly five users besides the current one.
USERS = ["Megan Bowen", "Adele Vance", "Isaiah Langer", "Patti Fernandez", "Lynne Robbins"]


def playground_config(current_user: str = "Anne Admin", admin_aad: str = ADMIN_AAD) -> str:
    """The Playground's `.m365agentsplayground.yml`: tenant, users, one team and its channel."""
    first, last = current_user.split(" ", 1)

    def user(uid: str, name: str, aad: str) -> str:
        given, family = name.split(" ", 1)
        mail = f"{given.lower()}@example.org"
        return (
            f"  id: {uid}\n  name: {name}\n  userPrincipleName: {mail}\n  aadObjectId: {aad}\n"
            f"  givenName: {given}\n  surname: {family}\n  email: {mail}\n"
        )

    users = "".join(
        "  -"
        + user(f"user-id-{i}", name, f"00000000-0000-0000-0000-00000000002{i}")[1:].replace(
            "\n  ", "\n    "
        )
        for i, name in enumerate(USERS, start=1)
    )
    return (
        'version: "0.1.1"\n'
        f"tenantId: {TENANT}\n"
        "bot:\n  id: 00000000-0000-0000-0000-00000000000011\n  name: medvirk\n"
        f"currentUser:\n{user('user-id-0', f'{first} {last}', admin_aad)}"
        f"users:\n{users}"
        "personalChat:\n  id: personal-chat-id\n"
        "groupChat:\n  id: group-chat-id\n  name: Gruppechat\n"
        f"team:\n  id: {TEAM_ID}\n  name: Prioriteringsteamet\n"
        "  aadGroupId: 00000000-0000-0000-0000-000000000031\n"
        f"  channels:\n    - id: {CHANNEL_ID}\n      name: Bestillinger\n"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def playground_binary(install: bool) -> Path:
    """The pinned Playground: from tests/e2e (a checkout) or the user cache, installed on demand."""
    for base in (ROOT / "tests" / "e2e", CACHE / "playground"):
        candidate = base / "node_modules" / ".bin" / "agentsplayground"
        if candidate.exists():
            return candidate
    if not install:
        raise CliError("the Agents Playground is not installed")
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise CliError(
            "Node.js and npm are needed for the Agents Playground: install Node.js 20 or newer"
        )
    target = CACHE / "playground"
    target.mkdir(parents=True, exist_ok=True)
    print(f"installing {PLAYGROUND_PACKAGE}@{PLAYGROUND_VERSION} into {target} (first run only)…")
    done = subprocess.run(
        [
            npm,
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(target),
            f"{PLAYGROUND_PACKAGE}@{PLAYGROUND_VERSION}",
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise CliError(f"npm could not install the Agents Playground: {done.stderr.strip()[-500:]}")
    return target / "node_modules" / ".bin" / "agentsplayground"


def wait_http(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise CliError(f"{url}: the process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise CliError(f"{url} did not answer within {timeout:.0f} s")


class LocalTeams:
    """The bot (`medvirk serve`) and the Playground as child processes."""

    def __init__(
        self,
        workdir: Path,
        *,
        bot_port: int | None = None,
        playground_port: int | None = None,
        env: dict[str, str] | None = None,
        install: bool = False,
    ) -> None:
        self.workdir = workdir
        self.bot_port = bot_port or free_port()
        self.playground_port = playground_port or free_port()
        self.env = env or {}
        self.mail_dir = self.workdir / "mail"
        self.sms_dir = self.workdir / "sms"
        self.install = install
        self.processes: list[subprocess.Popen] = []

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.workdir / 'medvirk.db'}"

    @property
    def playground_url(self) -> str:
        return f"http://127.0.0.1:{self.playground_port}/"

    def start(self) -> None:
        binary = playground_binary(self.install)
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / ".m365agentsplayground.yml").write_text(
            playground_config(), encoding="utf-8"
        )
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "PORT": str(self.bot_port),
            "HOST": "127.0.0.1",
            "MicrosoftAppId": "",
            "MEDVIRK_ADMINS": ADMIN_AAD,
            "MEDVIRK_TICK_SECONDS": "1",
            "MEDVIRK_PUBLIC_URL": f"http://127.0.0.1:{self.bot_port}",
            # No SMTP server on a laptop: e-mails are written here.
            "MEDVIRK_MAIL_DIR": str(self.mail_dir),
            # No SMS gateway either: SMS are written here.
            "MEDVIRK_SMS_DIR": str(self.sms_dir),
            **self.env,
        }
        bot_log = (self.workdir / "bot.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "bot", "serve"],
                cwd=ROOT,
                env=env,
                stdout=bot_log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        )
        wait_http(f"http://127.0.0.1:{self.bot_port}/healthz", 60, self.processes[0])
        pg_env = {**os.environ, "TEAMSAPPTESTER_BROWSER": "none"}
        pg_log = (self.workdir / "playground.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                [
                    str(binary),
                    "-e",
                    f"http://127.0.0.1:{self.bot_port}/api/messages",
                    "-c",
                    "msteams",
                    "--disable-telemetry",
                    "-p",
                    str(self.playground_port),
                ],
                cwd=self.workdir,
                env=pg_env,
                stdout=pg_log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        )
        wait_http(self.playground_url, 60, self.processes[1])

    def register_channel(self) -> None:
        """Make the Playground's team channel the priority channel (as `register channel` would)."""
        from storage.db import Database, scope
        from storage.desks import DEFAULT_CODE
        from storage.desks import register_channel as register_channel
        from storage.domain.clock import SystemClock

        async def run() -> None:
            db = Database(self.database_url)
            try:
                async with db.transaction() as session:
                    await register_channel(
                        session,
                        DEFAULT_CODE,
                        team_id=TEAM_ID,
                        channel_id=CHANNEL_ID,
                        service_url=f"http://127.0.0.1:{self.playground_port}/_connector",
                        tenant_id=TENANT,
                        by=ADMIN_AAD,
                        now=SystemClock().now(),
                    )
            finally:
                await db.dispose()

        with scope.within(scope.ALL_DESKS):
            asyncio.run(run())

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


def add_commands(sub: Any) -> None:
    parser = sub.add_parser("try", help="the bot and Microsoft's Agents Playground on this machine")
    parser.add_argument(
        "--dir", default=".medvirk-try", help="working folder (database, logs, config)"
    )
    parser.add_argument("--port", type=int, default=3978, help="the bot's port")
    parser.add_argument("--playground-port", type=int, default=56150)
    parser.set_defaults(func=cmd_try)


def cmd_try(args: argparse.Namespace) -> int:
    local = LocalTeams(
        Path(args.dir).resolve(),
        bot_port=args.port,
        playground_port=args.playground_port,
        install=True,
    )
    stop = {"now": False}

    def on_signal(signum: int, frame: Any) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        local.start()
        local.register_channel()
        print(f"medvirk:            http://127.0.0.1:{local.bot_port}/api/messages")
        print(f"Agents Playground:  {local.playground_url}   <- open this in your browser")
        print(f"E-mails (no SMTP):  {local.mail_dir}/*.eml")
        print(f"SMS (no gateway):   {local.sms_dir}/*.txt")
        print("You are Anne Admin (an administrator). The team channel «Bestillinger» is the")
        print("priority channel. Type «hjelp» or «order» in the personal chat. Ctrl-C stops both.")
        sys.stdout.flush()
        while not stop["now"] and all(p.poll() is None for p in local.processes):
            time.sleep(0.3)
    finally:
        local.stop()
    return 0
