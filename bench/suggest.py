"""Suggestions on a large pool: 10,000 participants and 1,000 open requests
(built through the domain, with invitations of the past year for the fair
rotation to count), then "Foreslå" over HTTP against `medvirk serve`, with the
fake Bot Connector enforcing Teams' limits.

Prints p50/p99 of the `suggest` invoke (answered in place, as "suggest again"
does, and from the request card, which also posts the suggestions under it)
against the same run's `refresh` of the same cards, the ratio (target ≤ 1.5),
the first suggest after start (no warm-up here: the server prepares its
suggestion statements at start, as it does in production) and the server's
peak RSS. The last line is one JSON object.

    .venv/bin/python bench/suggest.py [--participants 10000] [--requests 1000]
        [--samples 300] [--no-postgres] [--no-sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import update

from storage.domain.outbox import OutboxState

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (
    ANSWERS,
    channel_activity,
    peak_rss_mb,
    percentile,
    postgres_database,
    wait_ready,
)
from bot.cli.try_local import free_port
from storage import invitations, pool
from storage.db import Database
from storage.db.models import OutboxMessage
from storage.domain.refusal import Refused
from storage.pool import matching
from storage.requests import Requester, moves, submit_request
from tests.support.fake_connector import FakeConnector

AREAS = (
    "cancer",
    "mental_health",
    "substance_use",
    "children_youth",
    "elderly",
    "chronic_illness",
    "rehabilitation",
)
OWNER = moves.Actor("bench-admin", "Bench Admin", is_admin=True)


async def seed(database_url: str, participants: int, requests: int) -> list[int]:
    """The pool (consented, a tenth paused), the requests (claimed), and about
    three invitations per request over the past year."""
    rng = random.Random(20261202)
    db = Database(database_url)
    await db.upgrade()
    now = datetime.now(UTC)
    people: list[int] = []
    async with db.transaction() as session:
        for n in range(participants):
            values = pool.validate(
                {
                    "name": f"Deltaker {n:05d}",
                    "email": f"deltaker{n}@example.com",
                    "roles": ",".join(rng.sample(pool.ROLES, rng.randint(1, 2))),
                    "formats": ",".join(rng.sample(pool.FORMATS, rng.randint(1, 3))),
                    "areas": ",".join(rng.sample(AREAS, rng.randint(0, 3))),
                },
                areas=AREAS,
            )
            p = await pool.add(session, values, added_by="bench", now=now)
            await pool.consent(session, p, channel="email", now=now)
            if n % 10 == 0:
                await pool.set_paused(session, p, True, now=now)
            people.append(p.id)
    requester = Requester("29:req", "bench-requester", "Rita", None, "nb")
    ids: list[int] = []
    profiles = ("patient", "next_of_kin", "youth", "user_organisation", "any")
    async with db.transaction() as session:
        for n in range(requests):
            answers = {
                **ANSWERS,
                "participant_profile": profiles[n % len(profiles)],
                "meeting_format": ("physical", "digital", "hybrid")[n % 3],
                "participant_count": 20,
            }
            request = await submit_request(session, answers, requester, now=now)
            await moves.claim(session, request.id, OWNER, now=now)
            ids.append(request.id)
    async with db.transaction() as session:
        for request_id in ids:
            for participant_id in rng.sample(people, 3):
                try:
                    await invitations.invite(
                        session,
                        request_id,
                        participant_id,
                        OWNER,
                        now=now - timedelta(days=rng.randint(0, 364)),
                        days=7,
                    )
                except Refused:
                    pass  # not eligible for this one: fine
    async with db.transaction() as session:
        await matching.recount_rotation(session, now=now)  # as the night's job does
        # The past year's invitations went out when they were made: their
        # e-mails are history, not 3,000 sends competing with the presses.
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.PENDING)
            .values(state=OutboxState.SENT, sent_at=now)
        )
    # Its statistics, as the night's job (and autovacuum) leave them.
    await db.analyze("participants", "invitations")
    await db.dispose()
    return ids


def invoke(connector_url: str, verb: str, data: dict[str, Any]) -> dict[str, Any]:
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}}
    return channel_activity(
        connector_url, "bench-admin", type="invoke", name="adaptiveCard/action", value=value
    )


async def run_backend(
    name: str, database_url: str, participants: int, requests: int, samples: int
) -> dict[str, Any]:
    started = time.perf_counter()
    ids = await seed(database_url, participants, requests)
    seeded = time.perf_counter() - started
    connector = FakeConnector()
    await connector.start()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "MicrosoftAppId": "",
        "MEDVIRK_ADMINS": "bench-admin",
        "MEDVIRK_TICK_SECONDS": "3600",
        "MEDVIRK_AREAS": ",".join(AREAS),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--log-level", "ERROR", "serve"], cwd=ROOT, env=env
    )
    url = f"http://127.0.0.1:{port}"
    timings: dict[str, list[float]] = {"refresh": [], "suggest": [], "suggest_posted": []}
    errors: list[str] = []
    try:
        async with aiohttp.ClientSession() as http:
            await wait_ready(http, url, proc)
            register = channel_activity(
                connector.url, "bench-admin", type="message", text="registrer kanal"
            )
            async with http.post(f"{url}/api/messages", json=register) as resp:
                assert resp.status < 300
            connector.enforce_limits()

            async def press(kind: str, verb: str, data: dict[str, Any]) -> float:
                start = time.perf_counter()
                async with http.post(
                    f"{url}/api/messages", json=invoke(connector.url, verb, data)
                ) as resp:
                    text = await resp.text()
                took = (time.perf_counter() - start) * 1000
                payload = json.loads(text) if resp.status == 200 else {}
                if resp.status != 200 or payload.get("statusCode") != 200:
                    errors.append(f"{kind} {resp.status}/{payload.get('statusCode')}")
                if kind in timings:
                    timings[kind].append(took)
                return took

            rng = random.Random(7)
            chosen = rng.sample(ids, min(samples, len(ids)))
            # No warm-up: the first press after start is measured on its own.
            first = await press("first", "suggest", {"request_id": chosen[0], "in_place": True})
            for request_id in chosen:
                # Interleaved, so both meet the same state of the process.
                await press("refresh", "refresh", {"request_id": request_id})
                areas = ",".join(rng.sample(AREAS, rng.randint(0, 2)))
                await press(
                    "suggest",
                    "suggest",
                    {"request_id": request_id, "areas": areas, "in_place": True},
                )
            for request_id in chosen[: max(1, samples // 10)]:
                # From the request card: the suggestions are posted under it
                # (a send to the channel, under Teams' per-conversation limit:
                # two a second, a busy channel; its sustained limit is 2-4).
                await press("suggest_posted", "suggest", {"request_id": request_id})
                await asyncio.sleep(0.5)
            rss = peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        await connector.close()
    p = {k: (statistics.median(v), percentile(v, 99)) for k, v in timings.items()}
    result = {
        "seed_s": round(seeded, 1),
        "first_suggest_ms": round(first, 1),
        "refresh_p50_ms": round(p["refresh"][0], 2),
        "refresh_p99_ms": round(p["refresh"][1], 2),
        "suggest_p50_ms": round(p["suggest"][0], 2),
        "suggest_p99_ms": round(p["suggest"][1], 2),
        "suggest_posted_p50_ms": round(p["suggest_posted"][0], 2),
        "suggest_posted_p99_ms": round(p["suggest_posted"][1], 2),
        "p50_ratio": round(p["suggest"][0] / p["refresh"][0], 2),
        "p99_ratio": round(p["suggest"][1] / p["refresh"][1], 2),
        "peak_rss_mb": rss,
        "errors": len(errors),
        "violations_429": connector.violations,
    }
    print(
        f"{name:>10}: {participants} participants, {requests} requests (seeded in "
        f"{result['seed_s']} s); first suggest after start {result['first_suggest_ms']} ms"
    )
    print(
        f"{name:>10}: suggest p50 {result['suggest_p50_ms']} ms, p99 {result['suggest_p99_ms']} ms"
        f" vs refresh p50 {result['refresh_p50_ms']} ms, p99 {result['refresh_p99_ms']} ms: "
        f"ratio p50 {result['p50_ratio']}, p99 {result['p99_ratio']}; from the card (posts "
        f"under it) p50 {result['suggest_posted_p50_ms']} ms, p99 "
        f"{result['suggest_posted_p99_ms']} ms; peak RSS {rss} MB; errors {len(errors)}, "
        f"429s {connector.violations}"
    )
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    out: dict[str, Any] = {"participants": args.participants, "requests": args.requests}
    tmp = tempfile.mkdtemp(prefix="medvirk-suggest-")
    if not args.no_sqlite:
        out["sqlite"] = await run_backend(
            "SQLite", f"sqlite:///{tmp}/suggest.db", args.participants, args.requests, args.samples
        )
    pg = None if args.no_postgres else await postgres_database("medvirk_bench_suggest")
    if pg is not None:
        url, drop = pg
        try:
            out["postgres"] = await run_backend(
                "PostgreSQL", url, args.participants, args.requests, args.samples
            )
        finally:
            await drop()
    else:
        print("PostgreSQL: skipped (no server on 127.0.0.1:5432 or --no-postgres)")
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
