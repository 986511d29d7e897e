"""Turn latency: N users each complete the whole order dialog over HTTP against
`medvirk serve` on SQLite; in the same run, the same load against Microsoft's
stock echo bot (bench/echo_bot.py, SDK unmodified). Both reply to the same
local fake Bot Connector. Prints p50/p99 latency and turns/s for both, their
ratio, and as the last line one JSON object.

    .venv/bin/python bench/turns.py [--users 50] [--repeat 1]
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.cli.try_local import free_port
from tests.support.fake_connector import FakeConnector

TODAY = date.today()
ANSWERS: dict[str, str] = {
    "title": "Brukerpanel for ny poliklinikk",
    "description": "Delta i fire møter om pasientforløp og gi råd om informasjonsmateriell.",
    "assignment_type": "2",
    "level": "Tjenestenivå",
    "participant_profile": "patient",
    "participant_count": "2",
    "start_date": (TODAY + timedelta(days=60)).isoformat(),
    "end_date": (TODAY + timedelta(days=120)).isoformat(),
    "meeting_format": "digital",
    "workload": "4 møter à 2 timer",
    "unit": "Kvinneklinikken",
    "honorarium_ack": "ja",
    "cost_centre": "4410",
    "needed_by": (TODAY + timedelta(days=30)).isoformat(),
}
MAX_TURNS = 40


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def activity(user: int, connector_url: str, **fields: Any) -> dict[str, Any]:
    aad = f"bench-user-{user:04d}"
    return {
        "channelId": "msteams",
        "serviceUrl": connector_url,
        "from": {"id": f"29:{aad}", "name": f"Bruker {user}", "aadObjectId": aad},
        "recipient": {"id": "28:bot", "name": "medvirk"},
        "conversation": {"id": f"a:bench-{user}", "conversationType": "personal", "tenantId": "t"},
        "locale": "nb-NO",
        "id": f"{user}-{time.monotonic_ns()}",
        **fields,
    }


class Load:
    def __init__(self, http: aiohttp.ClientSession, url: str, connector: FakeConnector) -> None:
        self.http = http
        self.url = url
        self.connector = connector
        self.latencies: list[float] = []

    async def turn(self, body: dict[str, Any]) -> None:
        start = time.perf_counter()
        async with self.http.post(self.url, json=body) as resp:
            await resp.read()
            if resp.status >= 400:
                raise RuntimeError(f"HTTP {resp.status}")
        self.latencies.append((time.perf_counter() - start) * 1000)


def question_of(sent: list[Any]) -> str | None:
    """The input id the bot's latest card asks for, or 'confirm' on the summary."""
    for item in reversed(sent):
        for card in item.cards:
            text = json.dumps(card)
            if '"confirm"' in text:
                return "confirm"
            for element in _walk(card):
                if (
                    str(element.get("type", "")).startswith("Input.")
                    and element.get("id") in ANSWERS
                ):
                    return element["id"]
    return None


def _walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


async def order_dialog(load: Load, user: int) -> int:
    """One user completes the order dialog; returns the number of turns taken."""
    conv = f"a:bench-{user}"
    url = load.connector.url
    await load.turn(activity(user, url, type="message", text="bestill"))
    turns = 1
    while turns < MAX_TURNS:
        sent = load.connector.to(conv)
        if any("BM-" in (s.text + json.dumps(s.cards)) for s in sent[-3:]):
            return turns
        field = question_of(sent[-3:])
        if field is None:
            raise RuntimeError(f"user {user}: no question after {turns} turns")
        if field == "confirm":
            body = activity(user, url, type="message", value={"action": "confirm"})
        else:
            body = activity(user, url, type="message", text=ANSWERS[field])
        await load.turn(body)
        turns += 1
    raise RuntimeError(f"user {user}: dialog did not finish")


async def echo(load: Load, user: int, turns: int) -> int:
    url = load.connector.url
    for i in range(turns):
        await load.turn(activity(user, url, type="message", text=f"melding {i}"))
    return turns


async def wait_ready(http: aiohttp.ClientSession, port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                if resp.status in (200, 404, 405):
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("server did not start")


def summary(name: str, latencies: list[float], seconds: float) -> dict[str, float]:
    result = {
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "turns_per_s": round(len(latencies) / seconds, 1),
        "turns": len(latencies),
    }
    print(
        f"{name:>14}: {result['turns']} turns in {seconds:.1f} s, "
        f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
        f"{result['turns_per_s']:.1f} turns/s"
    )
    return result


async def run_phase(
    name: str, url: str, connector: FakeConnector, users: int, script: Any
) -> tuple[dict[str, float], list[int]]:
    connector_limit = aiohttp.TCPConnector(limit=users * 2)
    async with aiohttp.ClientSession(connector=connector_limit) as http:
        load = Load(http, url, connector)
        # Warm up: one user through the script, not counted.
        await script(load, 10_000)
        load.latencies.clear()
        connector.clear()
        start = time.perf_counter()
        turns = await asyncio.gather(*(script(load, u) for u in range(users)))
        seconds = time.perf_counter() - start
        return summary(name, load.latencies, seconds), list(turns)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()

    connector = FakeConnector()
    await connector.start()
    tmp = tempfile.mkdtemp(prefix="medvirk-bench-")
    bot_port, echo_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
        "PORT": str(bot_port),
        "MEDVIRK_TICK_SECONDS": "3600",
        "MicrosoftAppId": "",
    }
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "--log-level", "WARNING", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    echo_proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "echo_bot.py"), str(echo_port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as http:
            await wait_ready(http, bot_port, bot)
            await wait_ready(http, echo_port, echo_proc)
        print(f"{args.users} concurrent users, whole order dialog vs stock echo bot")
        ours, turns = await run_phase(
            "medvirk",
            f"http://127.0.0.1:{bot_port}/api/messages",
            connector,
            args.users,
            order_dialog,
        )
        per_user = max(turns)

        async def echo_script(load: Load, user: int) -> int:
            return await echo(load, user, per_user)

        base, _ = await run_phase(
            "stock echo",
            f"http://127.0.0.1:{echo_port}/api/messages",
            connector,
            args.users,
            echo_script,
        )
    finally:
        for proc in (bot, echo_proc):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        await connector.close()
    ratio = ours["p99_ms"] / base["p99_ms"]
    print(f"p99 ratio medvirk / stock echo: {ratio:.2f} (target <= 1.0)")
    print(
        json.dumps(
            {
                "users": args.users,
                "turns_per_dialog": per_user,
                "p50_ms": ours["p50_ms"],
                "p99_ms": ours["p99_ms"],
                "turns_per_s": ours["turns_per_s"],
                "echo_p50_ms": base["p50_ms"],
                "echo_p99_ms": base["p99_ms"],
                "echo_turns_per_s": base["turns_per_s"],
                "ratio_p99": round(ratio, 3),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
