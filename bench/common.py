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


def channel_activity(connector_url: str, aad: str, **fields: Any) -> dict[str, Any]:
    return {
        "channelId": "msteams",
        "serviceUrl": connector_url,
        "from": {"id": f"29:{aad}", "name": aad, "aadObjectId": aad},
        "recipient": {"id": "28:bot", "name": "medvirk"},
        "conversation": {
            "id": f"{CHANNEL};messageid=1",
            "conversationType": "channel",
            "isGroup": True,
        },
        "channelData": {"team": {"id": TEAM}, "channel": {"id": CHANNEL}, "tenant": {"id": "t"}},
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
