"""The web order form under a crowd: `--commissioners` people outside the
hospital order at once through its pages, against `medvirk serve` (its own OS
process, SQLite or PostgreSQL), with the e-mails through an SMTP server on
loopback (aiosmtpd). Each person: GET /order, POST it (their address), and,
once the link is in their mailbox, GET the form, POST it for review (the
summary), POST "send" (the receipt), GET the list of their requests.

Prints p50/p99 per page and, as the floor, `/healthz` p99 asked by as many at
once in the same run (the server's own overhead): target page p99 ≤ 10 ×
`/healthz` p99 and under 150 ms, 0 errors, every order stored once. Cold: the
server has served nothing before the first person's first page. All come from
127.0.0.1, so `MEDVIRK_ORDER_RATE` (per IP) is set above the crowd. The last
line printed is one JSON object.

With `--spread S` each person starts at their own moment within S seconds
(as a day's orders come), instead of all in the same instant.

    .venv/bin/python bench/order_web.py [--commissioners 200] [--spread 0] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select

from bench.common import percentile, postgres_database, wait_ready
from bot.cli.try_local import free_port
from storage import desks
from storage.db import Database, scope
from storage.db.models import Request
from tests.support.order import web_order_form
from tests.support.smtp import SmtpServer, parts

FORM_PROOF = re.compile(r'name="form" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
PAGES = ("start", "ask", "form", "review", "send", "mine")


def _form(n: int) -> dict[str, str]:
    return web_order_form(
        datetime.now(UTC).date(),
        title=f"Brukerråd for plan nr. {n}",
        name=f"Planlegger {n}",
        buyer_reference=f"Plan {n}",
    )


class Crowd:
    def __init__(self, url: str, http: aiohttp.ClientSession, smtp: SmtpServer) -> None:
        self.url = url
        self.http = http
        self.smtp = smtp
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    async def _timed(self, page: str, method: str, path: str, **kw: Any) -> str:
        started = time.perf_counter()
        async with self.http.request(method, self.url + path, **kw) as resp:
            body = await resp.text()
            status = resp.status
        self.times[page].append((time.perf_counter() - started) * 1000)
        if status != 200:
            self.errors.append(f"{page}: {status}")
        return body

    async def ask(self, n: int, delay: float = 0.0) -> None:
        await asyncio.sleep(delay)
        page = await self._timed("start", "GET", "/order")
        proof = FORM_PROOF.search(page)
        data = {"form": proof.group(1) if proof else "", "email": f"p{n}@kommune.example"}
        await self._timed("ask", "POST", "/order", data=data)

    def link_of(self, n: int) -> str | None:
        to = f"p{n}@kommune.example"
        for message in self.smtp.inbox.messages:
            if message["To"] == to or message["To"].endswith(f"<{to}>"):
                found = re.search(r"https?://\S+(/order/[^\s\"<]+)", parts(message)["text/plain"])
                if found:
                    return found.group(1)
        return None

    async def order(self, n: int, link: str, delay: float = 0.0) -> None:
        await asyncio.sleep(delay)
        page = await self._timed("form", "GET", link)
        proof = FORM_PROOF.search(page)
        data = {"form": proof.group(1) if proof else "", "action": "review", **_form(n)}
        summary = await self._timed("review", "POST", link, data=data)
        hidden = dict(HIDDEN.findall(summary))
        receipt = await self._timed("send", "POST", link, data={**hidden, "action": "send"})
        mine = re.search(r'href="(/order/[^"]+/mine[^"]*)"', receipt)
        if mine is None:
            self.errors.append("send: no receipt")
            return
        await self._timed("mine", "GET", mine.group(1).replace("&amp;", "&"))

    async def healthz(self, count: int, spread: float) -> list[float]:
        """`/healthz` asked by `count` at once (or spread as the people were)."""

        async def one(n: int) -> float:
            await asyncio.sleep(spread * n / count)
            started = time.perf_counter()
            async with self.http.get(f"{self.url}/healthz") as resp:
                await resp.read()
            return (time.perf_counter() - started) * 1000

        return list(await asyncio.gather(*(one(n) for n in range(count))))


async def run(
    commissioners: int, database_url: str, label: str, spread: float = 0.0
) -> dict[str, Any]:
    db = Database(database_url)
    await db.upgrade()
    with scope.within(scope.ALL_DESKS):
        async with db.transaction() as session:
            await desks.add(
                session,
                desks.NewDesk("alrek", "Alrek ressurssenter", outside_orders=True),
                now=datetime.now(UTC),
            )
    smtp = SmtpServer().start()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "MicrosoftAppId": "",
        "MEDVIRK_SMTP_URL": smtp.url,
        "MEDVIRK_SMTP_RATE": "1000",
        "MEDVIRK_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "MEDVIRK_ORDER_RATE": str(max(10, commissioners * 4)),
        "MEDVIRK_SECRET_KEY": "bench-secret-bench-secret-bench-secret",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--log-level", "ERROR", "serve"], cwd=ROOT, env=env
    )
    url = f"http://127.0.0.1:{port}"
    connector = aiohttp.TCPConnector(limit=0)
    try:
        async with aiohttp.ClientSession(connector=connector) as http:
            await wait_ready(http, url, proc)
            crowd = Crowd(url, http, smtp)
            started = time.perf_counter()
            when = [spread * n / commissioners for n in range(commissioners)]
            await asyncio.gather(*(crowd.ask(n, when[n]) for n in range(commissioners)))
            links: dict[int, str] = {}
            for _ in range(600):
                links = {n: link for n in range(commissioners) if (link := crowd.link_of(n))}
                if len(links) == commissioners:
                    break
                await asyncio.sleep(0.1)
            missing_links = commissioners - len(links)
            await asyncio.gather(*(crowd.order(n, link, when[n]) for n, link in links.items()))
            seconds = time.perf_counter() - started
            floor = await crowd.healthz(commissioners, spread)
        async with db.sessions() as session:
            with scope.within(scope.ALL_DESKS):
                stored = await session.scalar(select(func.count()).select_from(Request))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        smtp.stop()
        await db.dispose()
    floor_p99 = percentile(floor, 99)
    pages = {
        page: {
            "p50_ms": round(percentile(crowd.times[page], 50), 2),
            "p99_ms": round(percentile(crowd.times[page], 99), 2),
            "p99_vs_healthz": round(percentile(crowd.times[page], 99) / floor_p99, 2),
        }
        for page in PAGES
        if crowd.times[page]
    }
    for page, figures in pages.items():
        print(
            f"{label}: {page:6} p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, "
            f"{figures['p99_vs_healthz']} × /healthz p99"
        )
    print(
        f"{label}: {commissioners} commissioners in {seconds:.1f} s; /healthz p99 "
        f"{round(floor_p99, 2)} ms; errors {len(crowd.errors)}; links missing {missing_links}; "
        f"orders stored {stored}"
    )
    return {
        "commissioners": commissioners,
        "healthz_p99_ms": round(floor_p99, 2),
        "pages": pages,
        "errors": len(crowd.errors),
        "error_kinds": sorted(set(crowd.errors))[:5],
        "links_missing": missing_links,
        "stored": stored,
        "seconds": round(seconds, 1),
        "spread_s": spread,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commissioners", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL too")
    parser.add_argument(
        "--spread", type=float, default=0.0, help="seconds over which the people start"
    )
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'orders.db'}"
        results["sqlite"] = await run(args.commissioners, url, "SQLite", args.spread)
    made = await postgres_database("bench_order_web") if args.postgres else None
    if made is not None:
        url, drop = made
        try:
            results["postgres"] = await run(args.commissioners, url, "PostgreSQL", args.spread)
        finally:
            await drop()
    print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main())
