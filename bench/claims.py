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
team's roster, the same one read that answers "a member?". The last line is
one JSON object.

    .venv/bin/python bench/claims.py [--requests 200] [--members 20] [--no-postgres]
        [--email-admins]
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select

from bench.common import ANSWERS, channel_activity, percentile, postgres_database, wait_ready
from bot.cli.try_local import free_port
from storage.db import Database
from storage.db.models import AuditEntry
from storage.requests import Requester, submit_request
from tests.support.fake_connector import FakeConnector


def invoke(connector_url: str, aad: str, verb: str, request_id: int) -> dict[str, Any]:
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": {"request_id": request_id}}}
    return channel_activity(
        connector_url, aad, type="invoke", name="adaptiveCard/action", value=value
    )


# Admins by e-mail: none of the racing members is one (their roster entries
# carry UPNs `<aad>@example.org`), so every press must look for its presser.
EMAIL_ADMINS = "bench-admin,koordinator@example.org,leder@example.org"


async def run_backend(
    name: str, database_url: str, requests: int, members: int, admins: str
) -> dict[str, Any]:
    connector = FakeConnector()
    await connector.start()
    aads = [f"bench-member-{i:02d}" for i in range(members)]
    for aad in aads:
        connector.add_member(aad, aad)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "MicrosoftAppId": "",
        "MEDVIRK_ADMINS": admins,
        "MEDVIRK_TICK_SECONDS": "3600",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--log-level", "ERROR", "serve"], cwd=ROOT, env=env
    )
    url = f"http://127.0.0.1:{port}"
    latencies: list[float] = []
    baseline: list[float] = []
    winners: list[int] = []
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200)) as http:
            await wait_ready(http, url, proc)
            register = channel_activity(
                connector.url, "bench-admin", type="message", text="registrer kanal"
            )
            async with http.post(f"{url}/api/messages", json=register) as resp:
                assert resp.status < 300
            db = Database(database_url)
            requester = Requester("29:req", "bench-requester", "Rita", None, "nb")
            ids = []
            async with db.transaction() as session:
                for _ in range(requests + 1):
                    request = await submit_request(
                        session, ANSWERS, requester, now=datetime.now(UTC)
                    )
                    ids.append(request.id)
            # Teams' limits on from here: member look-ups count against the
            # conversation like sends do. No warm-up: the first race meets a
            # process that knows no member yet, as on a real morning.
            connector.enforce_limits()
            errors: list[str] = []

            async def press(aad: str, verb: str, request_id: int, into: list[float]) -> bool:
                body = invoke(connector.url, aad, verb, request_id)
                start = time.perf_counter()
                async with http.post(f"{url}/api/messages", json=body) as resp:
                    text = await resp.text()
                into.append((time.perf_counter() - start) * 1000)
                payload = json.loads(text) if resp.status == 200 else {}
                if resp.status != 200 or payload.get("statusCode") != 200:
                    errors.append(f"{resp.status}/{payload.get('statusCode')}")
                return "Du har tatt bestillingen" in text

            async def race(verb: str, request_id: int, into: list[float]) -> int:
                results = await asyncio.gather(*(press(a, verb, request_id, into) for a in aads))
                return sum(results)

            first: list[float] = []
            first_winners = await race("claim", ids[0], first)
            first_errors = len(errors)
            # Baseline, same server and run: all members refresh one card at
            # once (read only, no lock, no write).
            for request_id in ids[1:]:
                await race("refresh", request_id, baseline)
            started = time.perf_counter()
            for request_id in ids[1:]:
                winners.append(await race("claim", request_id, latencies))
            seconds = time.perf_counter() - started
            async with db.sessions() as session:
                claimed = await session.scalar(
                    select(func.count())
                    .select_from(AuditEntry)
                    .where(AuditEntry.to_status == "claimed")
                )
            await db.dispose()
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        await connector.close()
    result = {
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "refresh_p99_ms": round(percentile(baseline, 99), 2),
        "p99_vs_refresh": round(percentile(latencies, 99) / percentile(baseline, 99), 2),
        "invokes": len(latencies),
        "invokes_per_s": round(len(latencies) / seconds, 1),
        "max_winners": max(winners),
        "min_winners": min(winners),
        "claimed_audit_rows": claimed,
        "first_race_p99_ms": round(percentile(first, 99), 2),
        "first_race_winners": first_winners,
        "first_race_errors": first_errors,
        "errors": len(errors),
        "lookups": connector.lookups,
        "roster_pages": connector.roster_pages,
        "violations_429": connector.violations,
    }
    print(
        f"{name:>10}: first race after start (cold, Teams' limits on, MEDVIRK_ADMINS={admins}): "
        f"p50 {round(statistics.median(first), 2)} ms, p99 {result['first_race_p99_ms']} ms, "
        f"winners {first_winners}, errors {first_errors}; member look-ups in all "
        f"{connector.lookups} ({connector.roster_pages} roster pages), 429s {connector.violations}"
    )
    print(
        f"{name:>10}: {requests} requests × {members} members, {result['invokes']} invokes in "
        f"{seconds:.1f} s; p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms; winners per "
        f"request min {result['min_winners']} max {result['max_winners']}; "
        f"claim audit rows {claimed}; baseline (20 refreshes at once) p99 "
        f"{result['refresh_p99_ms']} ms, claim/refresh {result['p99_vs_refresh']}"
    )
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--email-admins", action="store_true", help="MEDVIRK_ADMINS lists e-mail addresses too"
    )
    args = parser.parse_args()
    admins = EMAIL_ADMINS if args.email_admins else "bench-admin"
    out: dict[str, Any] = {"requests": args.requests, "members": args.members, "admins": admins}
    tmp = tempfile.mkdtemp(prefix="medvirk-claims-")
    sqlite = await run_backend(
        "SQLite", f"sqlite:///{tmp}/claims.db", args.requests, args.members, admins
    )
    out.update(
        sqlite_p50_ms=sqlite["p50_ms"],
        sqlite_p99_ms=sqlite["p99_ms"],
        sqlite_p99_vs_refresh=sqlite["p99_vs_refresh"],
        sqlite_first_race_p99_ms=sqlite["first_race_p99_ms"],
        sqlite_429s=sqlite["violations_429"],
    )
    winners = [sqlite["max_winners"], sqlite["min_winners"]]
    pg = None if args.no_postgres else await postgres_database()
    if pg is not None:
        url, drop = pg
        try:
            result = await run_backend("PostgreSQL", url, args.requests, args.members, admins)
        finally:
            await drop()
        out.update(
            postgres_p50_ms=result["p50_ms"],
            postgres_p99_ms=result["p99_ms"],
            postgres_p99_vs_refresh=result["p99_vs_refresh"],
            postgres_first_race_p99_ms=result["first_race_p99_ms"],
            postgres_429s=result["violations_429"],
        )
        winners += [result["max_winners"], result["min_winners"]]
    else:
        print("PostgreSQL: skipped (no server on 127.0.0.1:5432 or --no-postgres)")
        out.update(postgres_p50_ms=None, postgres_p99_ms=None)
    out.update(max_winners=max(winners), min_winners=min(winners))
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
