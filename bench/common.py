"""What the benchmarks share: a database of their own on the local PostgreSQL,
the request they order, channel activities, waiting for `serve`, percentiles."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp


async def postgres_database(
    prefix: str = "medvirk_bench",
) -> tuple[str, Callable[[], Awaitable[None]]] | None:
    """A new database on 127.0.0.1:5432 and how to drop it; None if none answers."""
    try:
        import asyncpg

        conn = await asyncpg.connect(user="postgres", host="127.0.0.1", port=5432, database="test")
    except (OSError, Exception):
        return None
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    await conn.execute(f'CREATE DATABASE "{name}"')

    async def drop() -> None:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}", drop


async def postgres_answers() -> bool:
    made = await postgres_database("medvirk_bench_probe")
    if made is None:
        return False
    await made[1]()
    return True


CHANNEL = "19:bench-priority@thread.tacv2"
TEAM = "19:bench-team@thread.tacv2"
ANSWERS = {
    "title": "Brukerpanel",
    "description": "Møter om pasientforløp.",
    "assignment_type": "research",
    "level": "system",
    "participant_profile": "patient",
    "participant_count": 2,
    "start_date": "2099-02-01",
    "end_date": None,
    "meeting_format": "digital",
    "workload": "4 møter",
    "unit": "Hjerteklinikken",
    "honorarium_ack": True,
    "cost_centre": None,
    "needed_by": "2099-01-15",
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def desk_channel(desk: int) -> tuple[str, str]:
    """Desk `desk`'s channel and team (1, the desk `default`: the bench's own)."""
    if desk == 1:
        return CHANNEL, TEAM
    return f"19:bench-desk{desk}@thread.tacv2", f"19:bench-team{desk}@thread.tacv2"


def desk_code(desk: int) -> str:
    return "default" if desk == 1 else f"desk{desk}"


async def add_desks(database_url: str, desks: int) -> None:
    """Desks 2..`desks` besides the desk `default` (codes `desk2`, ...)."""
    from datetime import UTC, datetime

    from storage.db import Database, scope
    from storage.desks import NewDesk, add

    db = Database(database_url)
    await db.upgrade()
    with scope.within(scope.ALL_DESKS):
        async with db.transaction() as session:
            for n in range(2, desks + 1):
                await add(session, NewDesk(desk_code(n), f"Mottak {n}"), now=datetime.now(UTC))
    await db.dispose()


def register_desk(connector_url: str, aad: str, desk: int) -> dict[str, Any]:
    """`registrer kanal <code>` in desk `desk`'s channel."""
    channel, team = desk_channel(desk)
    text = "registrer kanal" if desk == 1 else f"registrer kanal {desk_code(desk)}"
    return channel_activity(
        connector_url, aad, channel=channel, team=team, type="message", text=text
    )


def channel_activity(
    connector_url: str, aad: str, *, channel: str = CHANNEL, team: str = TEAM, **fields: Any
) -> dict[str, Any]:
    return {
        "channelId": "msteams",
        "serviceUrl": connector_url,
        "from": {"id": f"29:{aad}", "name": aad, "aadObjectId": aad},
        "recipient": {"id": "28:bot", "name": "medvirk"},
        "conversation": {
            "id": f"{channel};messageid=1",
            "conversationType": "channel",
            "isGroup": True,
        },
        "channelData": {"team": {"id": team}, "channel": {"id": channel}, "tenant": {"id": "t"}},
        "locale": "nb-NO",
        "id": uuid.uuid4().hex,
        **fields,
    }


async def wait_ready(http: aiohttp.ClientSession, url: str, proc: subprocess.Popen) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            async with http.get(f"{url}/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("server did not start")


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB; 0 where /proc has none."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def desk_ratios(
    one: dict[str, Any], many: dict[str, Any], keys: list[str], desks: int, name: str
) -> dict[str, float]:
    """Each timed figure (`keys`, in ms) with `desks` desks against one desk's in
    the same run, printed and returned (the issue's target is ≤ 1.1)."""
    ratios = {k.removesuffix("_ms"): round(many[k] / one[k], 2) for k in keys}
    print(
        f"{name:>10}: {desks} desks vs one desk (target ≤ 1.1): "
        + ", ".join(f"{k} {v}" for k, v in ratios.items())
    )
    return ratios
