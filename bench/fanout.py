"""Reminder fan-out: N subscribed contacts, one reminder due, a fake connector
that enforces Teams' limits (per conversation, and per app at --global-limit/s).
Measures the time from the first to the last delivery against the floor
(recipients ÷ global limit), duplicates, missing recipients and the bot's peak
RSS; the last line printed is one JSON object.

    .venv/bin/python bench/fanout.py [--contacts 10000] [--global-limit 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert

from bot.fake_connector import FakeConnector
from bot.try_local import free_port
from storage import reminders as store
from storage.db import Database
from storage.models import Contact, ConversationRef


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def seed(database_url: str, contacts: int, connector_url: str) -> None:
    db = Database(database_url)
    await db.upgrade()
    now = datetime.now(UTC)
    zone = ZoneInfo("Europe/Oslo")
    async with db.transaction() as session:
        for start in range(0, contacts, 1000):
            batch = range(start, min(contacts, start + 1000))
            await session.execute(
                insert(Contact),
                [
                    {
                        "key": f"aad-{i:06d}",
                        "aad_object_id": f"aad-{i:06d}",
                        "name": None,
                        "locale": "nb",
                        "groups": ["participants"],
                        "active": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in batch
                ],
            )
            await session.execute(
                insert(ConversationRef),
                [
                    {
                        "kind": "personal",
                        "key": f"aad-{i:06d}",
                        "aad_object_id": f"aad-{i:06d}",
                        "locale": "nb",
                        "service_url": connector_url,
                        "conversation_id": f"a:fanout-{i:06d}",
                        "reference": {},
                        "updated_at": now,
                    }
                    for i in batch
                ],
            )
        # Due now: 2 hours before a start two hours (and a little) away.
        await store.add_gathering(
            session,
            title="Nettverkssamling",
            starts_at=now + timedelta(hours=2, seconds=3),
            ends_at=None,
            place="Auditoriet",
            register_url=None,
            register_by=None,
            groups=["participants"],
            remind=store.parse_offsets("2h", "--remind"),
            remind_register=[],
            zone=zone,
            now=now,
        )
    await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--global-limit", type=float, default=50.0)
    args = parser.parse_args()

    connector = FakeConnector()
    await connector.start()
    connector.enforce_limits(global_rate=args.global_limit)
    first_last: list[float] = []
    original = connector._record

    def record(method: str, conv: str, activity: dict[str, Any], *a: Any, **k: Any) -> str:
        first_last.append(time.monotonic())
        return original(method, conv, activity, *a, **k)

    connector._record = record  # type: ignore[method-assign]
    tmp = tempfile.mkdtemp(prefix="medvirk-fanout-")
    url = f"sqlite:///{tmp}/fanout.db"
    await seed(url, args.contacts, connector.url)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PORT": str(port),
        "MicrosoftAppId": "",
        "MEDVIRK_TICK_SECONDS": "1",
        "MEDVIRK_GLOBAL_RATE": str(args.global_limit),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--log-level", "WARNING", "serve"], cwd=ROOT, env=env
    )
    floor = args.contacts / args.global_limit
    deadline = time.monotonic() + floor * 3 + 120
    try:
        async with aiohttp.ClientSession():
            while time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                if len({s.conversation_id for s in connector.sent}) >= args.contacts:
                    await asyncio.sleep(2)  # let stragglers (duplicates) arrive
                    break
        rss = peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        await connector.close()
    per = Counter(s.conversation_id for s in connector.sent if s.cards)
    seconds = (first_last[-1] - first_last[0]) if len(first_last) > 1 else float("nan")
    duplicates = sum(n - 1 for n in per.values() if n > 1)
    missing = args.contacts - len(per)
    ratio = seconds / floor
    print(
        f"{args.contacts} recipients at {args.global_limit:g}/s: {seconds:.1f} s (floor {floor:.1f} s, "
        f"ratio {ratio:.3f}); duplicates {duplicates}, missing {missing}, 429s {connector.violations}, "
        f"peak RSS {rss:.0f} MB"
    )
    print(
        json.dumps(
            {
                "contacts": args.contacts,
                "global_limit": args.global_limit,
                "seconds": round(seconds, 2),
                "floor_seconds": round(floor, 2),
                "ratio": round(ratio, 3),
                "duplicates": duplicates,
                "missing": missing,
                "throttled_429": connector.violations,
                "peak_rss_mb": round(rss, 1),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
