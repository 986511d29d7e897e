"""Claim races: 20 team members press "Claim" at once on each of 200 requests,
over HTTP against `medvirk serve`, on SQLite and on PostgreSQL. Prints invoke
latency (p50/p99) and winners per request (must be exactly 1), and the p99 as
a ratio to a baseline of the same run: the 20 members refreshing one card at
once (a read, no lock, no write). The first race is measured on its own: the
process has just started and knows no member, and the fake Bot Connector
enforces Teams' per-conversation limits on member look-ups as on sends (target:
1 winner, 0 errors, 0 429s, p99 < 150 ms). With `--email-admins`,
MEDVIRK_ADMINS lists e-mail addresses too (as production may), so every press
asks whether its presser is an admin by e-mail; the answer comes from the
team's roster, the same one read that answers "a member?". Then the same
with `--desks` desks (5: each its own channel and team of `--members`, the
requests spread over them), each race by a desk's team in its channel (the
router narrows the turn to that desk), and each figure's ratio to one desk's in
the same run (target ≤ 1.1). The last line is one JSON object.

    .venv/bin/python bench/claims.py [--requests 200] [--members 20] [--desks 5]
        [--no-postgres] [--email-admins]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select

from bench.common import (
    ANSWERS,
    add_desks,
    channel_activity,
    desk_channel,
    desk_ratios,
    percentile,
    postgres_answers,
    postgres_database,
    register_desk,
    wait_ready,
)
from bot.cli.try_local import free_port
from storage.db import Database, scope
from storage.db.models import AuditEntry
from storage.requests import Requester, submit_request
from tests.support.fake_connector import FakeConnector


def invoke(connector_url: str, aad: str, verb: str, request_id: int, desk: int) -> dict[str, Any]:
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": {"request_id": request_id}}}
    channel, team = desk_channel(desk)
    return channel_activity(
        connector_url,
        aad,
        channel=channel,
        team=team,
        type="invoke",
        name="adaptiveCard/action",
        value=value,
    )


# Admins by e-mail: none of the racing members is one (their roster entries
# carry UPNs `<aad>@example.org`), so every press must look for its presser.
EMAIL_ADMINS = "bench-admin,koordinator@example.org,leder@example.org"


class Server:
    """`medvirk serve` on a database of its own, with its fake connector and
    each desk's team (one desk: the one team, as before)."""

    def __init__(self, name: str, database_url: str, desks: int, members: int, admins: str):
        self.name = name if desks == 1 else f"{name}, {desks} desks"
        self.database_url = database_url
        self.desks = desks
        self.admins = admins
        self.teams: dict[int, list[str]] = {}
        for desk in range(1, desks + 1):
            prefix = "bench-member" if desks == 1 else f"bench-d{desk}-member"
            self.teams[desk] = [f"{prefix}-{i:02d}" for i in range(members)]
        self.latencies: list[float] = []
        self.baseline: list[float] = []
        self.first: list[float] = []
        self.winners: list[int] = []
        self.errors: list[str] = []
        self.first_winners = 0
        self.first_errors = 0
        self.seconds = 0.0
        self.ids: list[tuple[int, int]] = []

    async def start(self, http: aiohttp.ClientSession, requests: int) -> None:
        await add_desks(self.database_url, self.desks)
        self.connector = FakeConnector()
        await self.connector.start()
        for desk, team in self.teams.items():
            for aad in team:
                roster = None if self.desks == 1 else desk_channel(desk)[1]
                self.connector.add_member(aad, aad, team=roster)
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "PORT": str(port),
            "MicrosoftAppId": "",
            "MEDVIRK_ADMINS": self.admins,
            "MEDVIRK_TICK_SECONDS": "3600",
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
        db = Database(self.database_url)
        requester = Requester("29:req", "bench-requester", "Rita", None, "nb")
        # A request's id and its desk's; spread over the desks in turn.
        async with db.transaction() as session:
            # The first of each desk's for its first race.
            for n in range(requests + self.desks):
                desk = n % self.desks + 1
                request = await submit_request(
                    session, ANSWERS, requester, now=datetime.now(UTC), desk_id=desk
                )
                self.ids.append((request.id, desk))
        await db.dispose()
        # Teams' limits on from here: member look-ups count against the
        # conversation like sends do. No warm-up: the first race meets a
        # process that knows no member yet, as on a real morning.
        self.connector.enforce_limits()

    async def press(self, aad: str, verb: str, request: tuple[int, int], into: list[float]) -> bool:
        body = invoke(self.connector.url, aad, verb, *request)
        start = time.perf_counter()
        async with self.http.post(f"{self.url}/api/messages", json=body) as resp:
            text = await resp.text()
        into.append((time.perf_counter() - start) * 1000)
        payload = json.loads(text) if resp.status == 200 else {}
        if resp.status != 200 or payload.get("statusCode") != 200:
            self.errors.append(f"{resp.status}/{payload.get('statusCode')}")
        return "Du har tatt bestillingen" in text

    async def race(self, verb: str, n: int, into: list[float]) -> int:
        """The `n`-th request's desk's team presses `verb` on it at once."""
        request = self.ids[n]
        team = self.teams[request[1]]
        started = time.perf_counter()
        results = await asyncio.gather(*(self.press(a, verb, request, into) for a in team))
        if verb == "claim" and n >= self.desks:
            self.seconds += time.perf_counter() - started
        return sum(results)

    async def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        await self.connector.close()

    async def result(self, requests: int, members: int) -> dict[str, Any]:
        db = Database(self.database_url)
        async with db.sessions() as session:
            claimed = await session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.to_status == "claimed")
            )
        await db.dispose()
        name, latencies, baseline, first = self.name, self.latencies, self.baseline, self.first
        connector, winners = self.connector, self.winners
        result = {
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(percentile(latencies, 99), 2),
            "refresh_p99_ms": round(percentile(baseline, 99), 2),
            "p99_vs_refresh": round(percentile(latencies, 99) / percentile(baseline, 99), 2),
            "invokes": len(latencies),
            "invokes_per_s": round(len(latencies) / self.seconds, 1),
            "max_winners": max(winners),
            "min_winners": min(winners),
            "claimed_audit_rows": claimed,
            "first_race_p99_ms": round(percentile(first, 99), 2),
            "first_race_winners": self.first_winners,
            "first_race_errors": self.first_errors,
            "errors": len(self.errors),
            "lookups": connector.lookups,
            "roster_pages": connector.roster_pages,
            "violations_429": connector.violations,
        }
        print(
            f"{name:>10}: first race{' of each desk' * (self.desks > 1)} after start (cold, "
            "Teams' limits on, "
            f"MEDVIRK_ADMINS={self.admins}): p50 {round(statistics.median(first), 2)} ms, p99 "
            f"{result['first_race_p99_ms']} ms, winners {self.first_winners}, errors "
            f"{self.first_errors}; member look-ups in all {connector.lookups} "
            f"({connector.roster_pages} roster pages), 429s {connector.violations}"
        )
        per_desk = " per desk" if self.desks > 1 else ""
        print(
            f"{name:>10}: {requests} requests × {members} members{per_desk}, "
            f"{result['invokes']} invokes in {self.seconds:.1f} s; p50 {result['p50_ms']} ms, "
            f"p99 {result['p99_ms']} ms; winners per request min {result['min_winners']} max "
            f"{result['max_winners']}; claim audit rows {claimed}; baseline (20 refreshes at "
            f"once) p99 {result['refresh_p99_ms']} ms, claim/refresh {result['p99_vs_refresh']}"
        )
        return result


async def run_backend(
    name: str, make_db: Any, requests: int, members: int, admins: str, desks: int
) -> dict[str, Any]:
    """One desk and, with `desks` > 1, that many desks: a server each on a
    database of its own, both up at once and raced in turn (a race on one, then
    the same on the other), so that both meet the same machine at the same
    moment (other work on it changes the figures from minute to minute, not
    their ratio)."""
    counts = [1] if desks <= 1 else [1, desks]
    http_connector = aiohttp.TCPConnector(limit=200)
    async with AsyncExitStack() as stack, aiohttp.ClientSession(connector=http_connector) as http:
        servers = []
        for count in counts:
            url = await stack.enter_async_context(make_db())
            server = Server(name, url, count, members, admins)
            stack.push_async_callback(server.stop)
            await server.start(http, requests)
            servers.append(server)
        for server in servers:
            # Each desk's first race: the process knows none of its team yet.
            server.first_winners = min(
                [await server.race("claim", n, server.first) for n in range(server.desks)]
            )
            server.first_errors = len(server.errors)
        # Baseline, same servers and run: all members refresh one card at once
        # (read only, no lock, no write).
        for n in range(requests):
            for server in servers:
                await server.race("refresh", server.desks + n, server.baseline)
        for n in range(requests):
            for server in servers:
                server.winners.append(
                    await server.race("claim", server.desks + n, server.latencies)
                )
        one, *many = [await s.result(requests, members) for s in servers]
    if not many:
        return one
    ratios = desk_ratios(one, many[0], list(TIMED), desks, name)
    return {**one, "desks": {**many[0], "vs_one": ratios}}


# The figures compared between one desk and several.
TIMED = ("p50_ms", "p99_ms", "refresh_p99_ms", "first_race_p99_ms")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--desks", type=int, default=5, help="1: one desk only")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--email-admins", action="store_true", help="MEDVIRK_ADMINS lists e-mail addresses too"
    )
    args = parser.parse_args()
    scope.enter(scope.ALL_DESKS)  # the bench's own reads and writes, as the CLI's
    admins = EMAIL_ADMINS if args.email_admins else "bench-admin"
    out: dict[str, Any] = {
        "requests": args.requests,
        "members": args.members,
        "admins": admins,
        "desks": args.desks,
    }
    tmp = tempfile.mkdtemp(prefix="medvirk-claims-")
    sizes = (args.requests, args.members, admins, args.desks)

    @asynccontextmanager
    async def sqlite() -> AsyncIterator[str]:
        yield f"sqlite:///{tempfile.mkdtemp(dir=tmp)}/claims.db"

    @asynccontextmanager
    async def postgres() -> AsyncIterator[str]:
        made = await postgres_database()
        assert made is not None
        url, drop = made
        try:
            yield url
        finally:
            await drop()

    results = [await run_backend("SQLite", sqlite, *sizes)]
    for key in ("p50_ms", "p99_ms", "p99_vs_refresh", "first_race_p99_ms", "violations_429"):
        out[f"sqlite_{key.replace('violations_429', '429s')}"] = results[0][key]
    if not args.no_postgres and await postgres_answers():
        results.append(await run_backend("PostgreSQL", postgres, *sizes))
        for key in ("p50_ms", "p99_ms", "p99_vs_refresh", "first_race_p99_ms", "violations_429"):
            out[f"postgres_{key.replace('violations_429', '429s')}"] = results[1][key]
    else:
        print("PostgreSQL: skipped (no server on 127.0.0.1:5432 or --no-postgres)")
        out.update(postgres_p50_ms=None, postgres_p99_ms=None)
    for label, result in zip(("sqlite", "postgres"), results, strict=False):
        if "desks" in result:
            out[f"{label}_desks_vs_one"] = result["desks"]["vs_one"]
    runs = [*results, *(r["desks"] for r in results if "desks" in r)]
    out.update(
        max_winners=max(r["max_winners"] for r in runs),
        min_winners=min(r["min_winners"] for r in runs),
    )
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
