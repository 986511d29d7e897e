"""`medvirk try`: the bot and Microsoft's Agents Playground side by side, for a first look.

The Playground (npm `@microsoft/m365agentsplayground`, pinned) hosts a Teams-like page
and acts as the Bot Connector, so the bot runs exactly as it would against Teams.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PLAYGROUND_PACKAGE = "@microsoft/m365agentsplayground"
PLAYGROUND_VERSION = "0.2.28"
CONFIG_FILE = ".m365agentsplayground.yml"


@dataclass(frozen=True)
class PlaygroundUser:
    id: str
    name: str
    aad_object_id: str
    email: str

    def as_config(self) -> dict[str, str]:
        given, _, surname = self.name.partition(" ")
        return {
            "id": self.id,
            "name": self.name,
            "userPrincipleName": self.email,  # sic: the Playground's spelling
            "aadObjectId": self.aad_object_id,
            "givenName": given,
            "surname": surname,
            "email": self.email,
        }


def _guid(n: int) -> str:
    return f"6d1b8f2a-0000-4000-8000-{n:012d}"


@dataclass(frozen=True)
class PlaygroundWorld:
    """The tenant, people, team and channel the Playground pretends exist."""

    tenant_id: str = _guid(1)
    bot_id: str = _guid(11)
    current_user: PlaygroundUser = PlaygroundUser(
        "user-anne", "Anne Admin", _guid(20), "anne.admin@example.org"
    )
    users: tuple[PlaygroundUser, ...] = field(
        default=(
            PlaygroundUser("user-ola", "Ola Hansen", _guid(21), "ola.hansen@example.org"),
            PlaygroundUser("user-kari", "Kari Nordmann", _guid(22), "kari.nordmann@example.org"),
            PlaygroundUser("user-per", "Per Berg", _guid(23), "per.berg@example.org"),
            PlaygroundUser("user-lise", "Lise Dahl", _guid(24), "lise.dahl@example.org"),
            PlaygroundUser("user-nils", "Nils Lie", _guid(25), "nils.lie@example.org"),
        )
    )
    personal_chat_id: str = "personal-chat-medvirk"
    team_id: str = "team-prioriteringsteamet"
    team_name: str = "Prioriteringsteamet"
    channel_id: str = "channel-bestillinger"
    channel_name: str = "Bestillinger"

    def config(self) -> dict[str, Any]:
        return {
            "version": "0.1.1",
            "tenantId": self.tenant_id,
            "bot": {"id": self.bot_id, "name": "medvirk"},
            "currentUser": self.current_user.as_config(),
            "users": [u.as_config() for u in self.users],
            "personalChat": {"id": self.personal_chat_id},
            "groupChat": {"id": "group-chat-medvirk", "name": "Gruppechat"},
            "team": {
                "id": self.team_id,
                "name": self.team_name,
                "aadGroupId": _guid(31),
                "channels": [{"id": self.channel_id, "name": self.channel_name}],
            },
        }

    def write_config(self, directory: Path) -> Path:
        """YAML is a superset of JSON, so JSON needs no YAML library."""
        path = directory / CONFIG_FILE
        path.write_text(json.dumps(self.config(), indent=2), encoding="utf-8")
        return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PlaygroundMissing(RuntimeError):
    """Node.js/npm or the Playground package cannot be found or installed."""


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "medvirk" / f"agentsplayground-{PLAYGROUND_VERSION}"


def playground_bin(directory: Path) -> Path:
    return directory / "node_modules" / ".bin" / "agentsplayground"


def ensure_playground(cache_dir: Path | None = None, *, install: bool = True) -> Path:
    """The Playground's executable; installs the pinned package into the cache on first use."""
    cache_dir = cache_dir or default_cache_dir()
    executable = playground_bin(cache_dir)
    if executable.exists():
        return executable
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise PlaygroundMissing(
            "Node.js and npm are needed for the Agents Playground but were not found on PATH. "
            "Install Node.js 20 or newer (https://nodejs.org, or your package manager), "
            "then run `medvirk try` again."
        )
    if not install:
        raise PlaygroundMissing(f"{PLAYGROUND_PACKAGE} is not installed in {cache_dir}")
    cache_dir.mkdir(parents=True, exist_ok=True)
    manifest = cache_dir / "package.json"
    if not manifest.exists():
        manifest.write_text(
            json.dumps({"private": True, "dependencies": {PLAYGROUND_PACKAGE: PLAYGROUND_VERSION}}),
            encoding="utf-8",
        )
    print(f"installing {PLAYGROUND_PACKAGE}@{PLAYGROUND_VERSION} into {cache_dir} (first use)")
    result = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--save-exact"],
        cwd=cache_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not executable.exists():
        raise PlaygroundMissing(
            f"npm could not install {PLAYGROUND_PACKAGE}@{PLAYGROUND_VERSION}: "
            f"{(result.stderr or result.stdout).strip()[-500:]}"
        )
    return executable


def wait_for_http(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def bot_environment(
    world: PlaygroundWorld, *, database_url: str, port: int, tick_seconds: float = 1
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("Microsoft")}
    env.update(
        DATABASE_URL=database_url,
        PORT=str(port),
        HOST="127.0.0.1",
        MEDVIRK_ADMINS=world.current_user.aad_object_id,
        MEDVIRK_TICK_SECONDS=str(tick_seconds),
    )
    return env


def start_bot(env: dict[str, str], cwd: Path, log_file: Any = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=cwd,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT if log_file is not None else None,
    )


def start_playground(
    executable: Path,
    *,
    bot_port: int,
    port: int,
    workdir: Path,
    log_file: Any = None,
) -> subprocess.Popen:
    env = dict(os.environ, TEAMSAPPTESTER_BROWSER="none")
    return subprocess.Popen(
        [
            str(executable),
            "-e",
            f"http://127.0.0.1:{bot_port}/api/messages",
            "-c",
            "msteams",
            "--disable-telemetry",
            "-p",
            str(port),
        ],
        cwd=workdir,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT if log_file is not None else None,
    )


def service_url(playground_port: int) -> str:
    return f"http://localhost:{playground_port}/_connector"


async def register_priority_channel(
    database_url: str, world: PlaygroundWorld, playground_port: int
) -> None:
    """Make the Playground's team channel the priority channel (the one PriorityChannel row)."""
    from storage.clock import SystemClock
    from storage.db import Database
    from storage.models import PriorityChannel

    db = Database(database_url)
    try:
        await db.upgrade()
        async with db.transaction() as session:
            row = await session.get(PriorityChannel, 1)
            if row is None:
                row = PriorityChannel(id=1)
                session.add(row)
            row.team_id = world.team_id
            row.channel_id = world.channel_id
            row.service_url = service_url(playground_port)
            row.tenant_id = world.tenant_id
            row.registered_by = world.current_user.aad_object_id
            row.registered_at = SystemClock().now()
    finally:
        await db.dispose()


def stop(process: subprocess.Popen, timeout: float = 10) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def run_try(
    *,
    workdir: Path,
    bot_port: int,
    playground_port: int,
    cache_dir: Path | None = None,
) -> int:
    workdir.mkdir(parents=True, exist_ok=True)
    executable = ensure_playground(cache_dir)
    world = PlaygroundWorld()
    world.write_config(workdir)
    database_url = f"sqlite:///{(workdir / 'medvirk-try.db').resolve()}"
    asyncio.run(register_priority_channel(database_url, world, playground_port))

    stopping = False

    def on_signal(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    repo_root = Path(__file__).resolve().parent.parent
    env = bot_environment(world, database_url=database_url, port=bot_port)
    bot = start_bot(env, repo_root)
    playground = start_playground(
        executable, bot_port=bot_port, port=playground_port, workdir=workdir
    )
    try:
        wait_for_http(f"http://127.0.0.1:{bot_port}/healthz", 60, bot)
        wait_for_http(f"http://127.0.0.1:{playground_port}/", 60, playground)
        print(
            f"\nmedvirk is running. Open http://127.0.0.1:{playground_port}/ in your browser.\n"
            f"You are {world.current_user.name} (an admin). Say 'hjelp' in Personal Chat; "
            f"request cards appear in {world.team_name} > {world.channel_name}.\n"
            f"Data: {workdir}. Stop with Ctrl-C.",
            flush=True,
        )
        while not stopping:
            for name, process in (("bot", bot), ("playground", playground)):
                if process.poll() is not None:
                    print(f"the {name} stopped (exit {process.returncode})", file=sys.stderr)
                    return 1
            time.sleep(0.2)
        return 0
    finally:
        stop(playground)
        stop(bot)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        print("stopped", flush=True)


def cmd_try(args: Any) -> int:
    from bot.cli import CliError

    try:
        return run_try(
            workdir=Path(args.dir),
            bot_port=args.port,
            playground_port=args.playground_port,
            cache_dir=Path(args.cache_dir) if args.cache_dir else None,
        )
    except PlaygroundMissing as exc:
        raise CliError(str(exc)) from None
    except (TimeoutError, RuntimeError) as exc:
        raise CliError(f"could not start: {exc}") from None


def add_commands(sub: Any) -> None:
    parser = sub.add_parser("try", help="the bot plus Microsoft's Agents Playground, locally")
    parser.add_argument("--dir", default=".medvirk-try", help="where the config and DB live")
    parser.add_argument("--port", type=int, default=3978, help="the bot's port")
    parser.add_argument("--playground-port", type=int, default=56150)
    parser.add_argument("--cache-dir", default="", help="where the Playground is installed")
    parser.set_defaults(func=cmd_try)
