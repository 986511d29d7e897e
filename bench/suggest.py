"""Suggestions on a large pool: 10,000 participants and 1,000 open requests
(built through the domain, with invitations of the past year for the fair
rotation to count), then "Foreslå" over HTTP against `medvirk serve`, with the
fake Bot Connector enforcing Teams' limits.

Prints p50/p99 of the `suggest` invoke (answered in place, as "suggest again"
does, and from the request card, which also posts the suggestions under it)
against the same run's `refresh` of the same cards, the ratio (target ≤ 1.5),
the first suggest after start (no warm-up here: the server prepares its
suggestion statements at start, as it does in production) and the server's
peak RSS. Then the same with the participants and requests spread over
`--desks` desks (5: each its own channel, team and pool of 2,000), each press
in its request's desk's channel (the router narrows the turn to that desk), and
the ratio of each figure to one desk's in the same run (target ≤ 1.1). The
last line is one JSON object.

    .venv/bin/python bench/suggest.py [--participants 10000] [--requests 1000]
        [--samples 300] [--desks 5] [--no-postgres] [--no-sqlite]
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
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
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
    add_desks,
    channel_activity,
    desk_channel,
    desk_ratios,
    peak_rss_mb,
    percentile,
    postgres_answers,
    postgres_database,
    register_desk,
    wait_ready,
)
from bot.cli.try_local import free_port
from storage import invitations, pool
from storage.db import Database, scope
from storage.db.models import OutboxMessage
from storage.domain.refusal import Refused
from storage.pool import matching
from storage.requests import Requester, moves, submit_request
from tests.support.fake_connector import FakeConnector

# A request's id and its desk's.
Req = tuple[int, int]

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


async def seed(database_url: str, participants: int, requests: int, desks: int) -> list[Req]:
    """The pool (consented, a tenth paused), the requests (claimed), and about
    three invitations per request over the past year; the n-th participant and
    request of desk n % `desks` + 1, each made in its desk's scope."""
    rng = random.Random(20261202)
    db = Database(database_url)
    now = datetime.now(UTC)
    people: dict[int, list[int]] = {d: [] for d in range(1, desks + 1)}
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
            desk = n % desks + 1
            with scope.within({desk}):
                p = await pool.add(session, values, added_by="bench", now=now)
                await pool.consent(session, p, channel="email", now=now)
                if n % 10 == 0:
                    await pool.set_paused(session, p, True, now=now)
            people[desk].append(p.id)
    requester = Requester("29:req", "bench-requester", "Rita", None, "nb")
    ids: list[Req] = []
    profiles = ("patient", "next_of_kin", "youth", "user_organisation", "any")
    async with db.transaction() as session:
        for n in range(requests):
            answers = {
                **ANSWERS,
                "participant_profile": profiles[n % len(profiles)],
                "meeting_format": ("physical", "digital", "hybrid")[n % 3],
                "participant_count": 20,
            }
            desk = n % desks + 1
            with scope.within({desk}):
                request = await submit_request(session, answers, requester, now=now)
                await moves.claim(session, request.id, OWNER, now=now)
            ids.append((request.id, desk))
    async with db.transaction() as session:
        for request_id, desk in ids:
            for participant_id in rng.sample(people[desk], 3):
                try:
                    with scope.within({desk}):
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


def invoke(connector_url: str, verb: str, data: dict[str, Any], desk: int) -> dict[str, Any]:
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}}
    channel, team = desk_channel(desk)
    return channel_activity(
        connector_url,
        "bench-admin",
        channel=channel,
        team=team,
        type="invoke",
        name="adaptiveCard/action",
        value=value,
    )


class Server:
    """`medvirk serve` on a seeded database of its own, with its fake connector."""

    def __init__(self, name: str, database_url: str, desks: int) -> None:
        self.name = name if desks == 1 else f"{name}, {desks} desks"
        self.database_url = database_url
        self.desks = desks
        self.timings: dict[str, list[float]] = {"refresh": [], "suggest": [], "suggest_posted": []}
        self.errors: list[str] = []
        self.first = 0.0
        self.seeded = 0.0
        self.rss = 0.0
        self.desk_of: dict[int, int] = {}

    async def start(self, http: aiohttp.ClientSession, participants: int, requests: int) -> None:
        await add_desks(self.database_url, self.desks)
        self.connector = FakeConnector()
        await self.connector.start()
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "PORT": str(port),
            "MicrosoftAppId": "",
            "MEDVIRK_ADMINS": "bench-admin",
            "MEDVIRK_TICK_SECONDS": "3600",
            "MEDVIRK_AREAS": ",".join(AREAS),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--log-level", "ERROR", "serve"], cwd=ROOT, env=env
        )
        self.url = f"http://127.0.0.1:{port}"
        self.http = http
        await wait_ready(http, self.url, self.proc)
        for desk in range(1, self.desks + 1):
            register = register_desk(self.connector.url, "bench-admin", desk)
            async with http.post(f"{self.url}/api/messages", json=register) as resp:
                assert resp.status < 300
        # The channels are registered before any request is: no cards to post
        # (a registration posts its desk's open requests' cards).
        started = time.perf_counter()
        ids = await seed(self.database_url, participants, requests, self.desks)
        self.seeded = time.perf_counter() - started
        self.connector.enforce_limits()
        self.desk_of = dict(ids)

    async def press(self, kind: str, verb: str, data: dict[str, Any]) -> float:
        body = invoke(self.connector.url, verb, data, self.desk_of[data["request_id"]])
        start = time.perf_counter()
        async with self.http.post(f"{self.url}/api/messages", json=body) as resp:
            text = await resp.text()
        took = (time.perf_counter() - start) * 1000
        payload = json.loads(text) if resp.status == 200 else {}
        if resp.status != 200 or payload.get("statusCode") != 200:
            self.errors.append(f"{kind} {resp.status}/{payload.get('statusCode')}")
        if kind in self.timings:
            self.timings[kind].append(took)
        return took

    async def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        await self.connector.close()

    def result(self, participants: int, requests: int) -> dict[str, Any]:
        name, errors, connector = self.name, self.errors, self.connector
        p = {k: (statistics.median(v), percentile(v, 99)) for k, v in self.timings.items()}
        result = {
            "seed_s": round(self.seeded, 1),
            "first_suggest_ms": round(self.first, 1),
            "refresh_p50_ms": round(p["refresh"][0], 2),
            "refresh_p99_ms": round(p["refresh"][1], 2),
            "suggest_p50_ms": round(p["suggest"][0], 2),
            "suggest_p99_ms": round(p["suggest"][1], 2),
            "suggest_posted_p50_ms": round(p["suggest_posted"][0], 2),
            "suggest_posted_p99_ms": round(p["suggest_posted"][1], 2),
            "p50_ratio": round(p["suggest"][0] / p["refresh"][0], 2),
            "p99_ratio": round(p["suggest"][1] / p["refresh"][1], 2),
            "peak_rss_mb": self.rss,
            "errors": len(errors),
            "violations_429": connector.violations,
        }
        print(
            f"{name:>10}: {participants} participants, {requests} requests (seeded in "
            f"{result['seed_s']} s); first suggest after start {result['first_suggest_ms']} ms"
        )
        print(
            f"{name:>10}: suggest p50 {result['suggest_p50_ms']} ms, p99 "
            f"{result['suggest_p99_ms']} ms vs refresh p50 {result['refresh_p50_ms']} ms, p99 "
            f"{result['refresh_p99_ms']} ms: ratio p50 {result['p50_ratio']}, p99 "
            f"{result['p99_ratio']}; from the card (posts under it) p50 "
            f"{result['suggest_posted_p50_ms']} ms, p99 {result['suggest_posted_p99_ms']} ms; "
            f"peak RSS {self.rss} MB; errors {len(errors)}, 429s {connector.violations}"
        )
        return result


async def run_backend(
    name: str, make_db: Any, participants: int, requests: int, samples: int, desks: int
) -> dict[str, Any]:
    """One desk and, with `desks` > 1, that many desks: a server each on a
    database of its own, both up at once and pressed in turn (one desk's press,
    then the other's), so that both meet the same machine at the same moment
    (other work on it changes the figures from minute to minute, not their
    ratio)."""
    counts = [1] if desks <= 1 else [1, desks]
    async with AsyncExitStack() as stack, aiohttp.ClientSession() as http:
        servers = []
        for count in counts:
            server = Server(name, await stack.enter_async_context(make_db()), count)
            stack.push_async_callback(server.stop)
            await server.start(http, participants, requests)
            servers.append(server)
        ids = sorted(servers[0].desk_of)
        assert all(sorted(s.desk_of) == ids for s in servers)  # the same requests, by id
        rng = random.Random(7)
        chosen = rng.sample(ids, min(samples, len(ids)))
        # No warm-up: the first press after start is measured on its own.
        for server in servers:
            server.first = await server.press(
                "first", "suggest", {"request_id": chosen[0], "in_place": True}
            )
        for request_id in chosen:
            areas = ",".join(rng.sample(AREAS, rng.randint(0, 2)))
            for server in servers:
                await server.press("refresh", "refresh", {"request_id": request_id})
            for server in servers:
                data = {"request_id": request_id, "areas": areas, "in_place": True}
                await server.press("suggest", "suggest", data)
        for request_id in chosen[: max(1, samples // 10)]:
            # From the request card: the suggestions are posted under it (a
            # send to the channel, under Teams' per-conversation limit: two a
            # second, a busy channel; its sustained limit is 2-4).
            for server in servers:
                await server.press("suggest_posted", "suggest", {"request_id": request_id})
            await asyncio.sleep(0.5)
        for server in servers:
            server.rss = peak_rss_mb(server.proc.pid)
    one, *many = [s.result(participants, requests) for s in servers]
    if not many:
        return one
    return {
        **one,
        f"desks_{desks}": many[0],
        f"desks_{desks}_vs_one": _per_desk(one, many[0], desks, name),
    }


def _per_desk(one: dict[str, Any], many: dict[str, Any], desks: int, name: str) -> dict[str, Any]:
    """Each timed figure with `desks` desks against one desk's, same run."""
    keys = [k for k in one if k.endswith("_ms") and k != "first_suggest_ms"]
    return desk_ratios(one, many, keys, desks, name)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--desks", type=int, default=5, help="1: one desk only")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    scope.enter(scope.ALL_DESKS)  # the seeding is an admin's, as the CLI's
    out: dict[str, Any] = {
        "participants": args.participants,
        "requests": args.requests,
        "desks": args.desks,
    }
    tmp = tempfile.mkdtemp(prefix="medvirk-suggest-")
    sizes = (args.participants, args.requests, args.samples, args.desks)

    @asynccontextmanager
    async def sqlite() -> AsyncIterator[str]:
        yield f"sqlite:///{tempfile.mkdtemp(dir=tmp)}/suggest.db"

    @asynccontextmanager
    async def postgres() -> AsyncIterator[str]:
        made = await postgres_database("medvirk_bench_suggest")
        assert made is not None
        url, drop = made
        try:
            yield url
        finally:
            await drop()

    if not args.no_sqlite:
        out["sqlite"] = await run_backend("SQLite", sqlite, *sizes)
    if not args.no_postgres and await postgres_answers():
        out["postgres"] = await run_backend("PostgreSQL", postgres, *sizes)
    else:
        print("PostgreSQL: skipped (no server on 127.0.0.1:5432 or --no-postgres)")
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
