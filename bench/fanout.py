"""Reminder fan-out: N subscribed contacts, one reminder due, a fake connector
that enforces Teams' limits (per conversation, and per app at --global-limit/s),
`--processes` separate `medvirk serve` OS processes (on one PostgreSQL database
when more than one), and `--email-share` of the recipients outside Teams,
reached by e-mail through an SMTP server on loopback (aiosmtpd).

Measures the time from the reminder's due second to the last delivery against
the floor (Teams recipients ÷ the app's rate, or e-mail recipients ÷ the SMTP
rate, whichever is longer), 429s, duplicates, missing recipients and the peak
RSS of each process. `--matrix` runs 10,000 at 50/s and 2,000 at 200/s for 1
and 2 processes.

`--sms-share 0.3` reaches that share by SMS instead (phone only: no chat, no
address), through a fake SMSC on loopback speaking SMPP 3.4 that takes at most
`--smsc-limit` submits a second and answers past it with ESME_RTHROTTLED; the
app is set to `MEDVIRK_SMS_RATE` just under it. The floor counts them at the
SMSC's limit.

`--kill 0.4` kills (SIGKILL) a process once that share of the recipients has
the reminder: with one process it is restarted at once, and the figure is how
long after the restart delivery resumed; with two, the other goes on alone, and
the figure is how long after the kill the rows the dead one held went out
(target: within 5 s either way; nothing lost, duplicates at most the sends in
flight at the kill). The production tick (30 s) is used then, so what resumes
a round is not a tick, and the round is timed from its first delivery. The last line printed is one JSON object.

    .venv/bin/python bench/fanout.py [--contacts 10000] [--global-limit 50]
        [--processes 1] [--email-share 0.0] [--smtp-rate 50] [--matrix]
        [--kill 0.4] [--sms-share 0.3] [--smsc-limit 50]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
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

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select

from bench.common import peak_rss_mb, postgres_database
from bot.cli.try_local import free_port
from storage import reminders as store
from storage.db import Database
from storage.db.models import Contact, ConversationRef, OutboxMessage
from tests.support.fake_connector import FakeConnector
from tests.support.fake_smpp import FakeSmppServer


def _spread(count: int, among: list[int]) -> set[int]:
    """`count` of `among`, spread evenly through it."""
    if not count:
        return set()
    return {among[round(k * len(among) / count)] for k in range(count)}


async def seed(
    database_url: str,
    contacts: int,
    connector_url: str,
    email_share: float,
    email_first: bool,
    sms_share: float = 0.0,
) -> datetime:
    """Contacts, `email_share` of them by e-mail only and `sms_share` by SMS
    only (spread evenly through the list, as an import mixes them;
    `--email-first` puts the e-mail ones first)."""
    db = Database(database_url)
    await db.upgrade()
    now = datetime.now(UTC)
    by_mail = round(contacts * email_share)
    if email_first:
        mailed = set(range(by_mail))
    else:
        mailed = _spread(by_mail, list(range(contacts)))
    texted = _spread(round(contacts * sms_share), [i for i in range(contacts) if i not in mailed])
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
                        "email": f"person-{i:06d}@example.org" if i in mailed else None,
                        "phone": f"+4790{i:06d}" if i in texted else None,
                        "locale": "nb",
                        "groups": ["participants"],
                        "active": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in batch
                ],
            )
            in_teams = [i for i in batch if i not in mailed and i not in texted]
            if in_teams:
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
                        for i in in_teams
                    ],
                )
    await db.dispose()
    return now


async def add_round(database_url: str, due: datetime) -> None:
    db = Database(database_url)
    async with db.transaction() as session:
        await store.add_gathering(
            session,
            title="Nettverkssamling",
            starts_at=due + timedelta(hours=2),
            ends_at=None,
            place="Auditoriet",
            register_url=None,
            register_by=None,
            groups=["participants"],
            remind=store.parse_offsets("2h", "--remind"),
            remind_register=[],
            zone=ZoneInfo("Europe/Oslo"),
            now=datetime.now(UTC),
        )
    await db.dispose()


class Mailbox:
    """What the loopback SMTP server received, and when."""

    def __init__(self) -> None:
        self.recipients: list[str] = []
        self.times: list[float] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recipients.extend(envelope.rcpt_tos)
        self.times.append(time.time())
        return "250 OK"


async def held_by(database_url: str, pid: int) -> set[str]:
    """The conversations of the rows a process held a lease on (it just died)."""
    db = Database(database_url)
    try:
        async with db.sessions() as session:
            keys = await session.scalars(
                select(OutboxMessage.target_key).where(
                    OutboxMessage.state == "pending",
                    OutboxMessage.locked_by.like(f"sender-{pid}-%"),
                )
            )
            return {f"a:fanout-{key.removeprefix('aad-')}" for key in keys}
    finally:
        await db.dispose()


def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("serve exited")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("serve did not start")


async def run(
    contacts: int,
    rate: float,
    processes: int,
    email_share: float,
    smtp_rate: float,
    email_first: bool = False,
    kill: float | None = None,
    sms_share: float = 0.0,
    smsc_limit: int = 50,
) -> dict[str, Any]:
    # The fake connector and the SMTP server run in this process: keep its
    # garbage collector from pausing them into bursts (Teams has no such pause).
    gc.collect()
    gc.freeze()
    connector = FakeConnector()
    await connector.start()
    connector.enforce_limits(global_rate=rate)
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    smsc = await FakeSmppServer(max_per_second=smsc_limit).start()
    drop = None
    tmp = tempfile.mkdtemp(prefix="medvirk-fanout-")
    if processes > 1:
        made = await postgres_database("medvirk_fanout")
        if made is None:
            raise SystemExit("--processes > 1 needs PostgreSQL on 127.0.0.1:5432")
        url, drop = made
    else:
        url = f"sqlite:///{tmp}/fanout.db"
    await seed(url, contacts, connector.url, email_share, email_first, sms_share)
    procs = []
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MicrosoftAppId": "",
        # With --kill, the production tick: a round must resume without it.
        "MEDVIRK_TICK_SECONDS": "30" if kill is not None else "1",
        "MEDVIRK_GLOBAL_RATE": str(rate),
        "MEDVIRK_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "MEDVIRK_SMTP_RATE": str(smtp_rate),
        "MEDVIRK_MAIL_DIR": f"{tmp}/mail",
        "MEDVIRK_SMS_URL": smsc.url,
        # Just under the SMSC's limit (its second and ours are not the same one).
        "MEDVIRK_SMS_RATE": str(smsc_limit * 0.95),
        "MEDVIRK_SMS_QUIET": "off",
        "MEDVIRK_SMS_BUDGET": str(10 * contacts + 1),
    }
    killed: dict[str, Any] = {}

    async def start() -> subprocess.Popen[bytes]:
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--log-level", "WARNING", "serve"],
            cwd=ROOT,
            env={**env, "PORT": str(port)},
        )
        procs.append(proc)
        await asyncio.to_thread(wait_ready, f"http://127.0.0.1:{port}", proc)
        return proc

    async def kill_one() -> None:
        assert kill is not None
        while len(connector.sent) < kill * contacts:  # noqa: ASYNC110 (polls a counter)
            await asyncio.sleep(0.005)
        victim = procs[0]
        victim.kill()
        victim.wait()
        killed["at"] = time.time()
        killed["sent_before"] = len(connector.sent)
        killed["held"] = await held_by(url, victim.pid)
        if processes == 1:
            await start()
            killed["restarted"] = time.time()

    try:
        for _ in range(processes):
            await start()
        due = datetime.now(UTC) + timedelta(seconds=3)
        await add_round(url, due)
        killer = asyncio.create_task(kill_one()) if kill is not None else None
        by_mail = round(contacts * email_share)
        by_sms = round(contacts * sms_share)
        floor = max((contacts - by_mail - by_sms) / rate, by_mail / smtp_rate, by_sms / smsc_limit)
        deadline = time.monotonic() + floor * 3 + 120
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            if killer is not None and not killer.done():
                continue
            reached = (
                len({s.conversation_id for s in connector.sent})
                + len(set(mailbox.recipients))
                + len({m.to for m in smsc.messages})
            )
            if reached >= contacts:
                await asyncio.sleep(2)  # let stragglers (duplicates) arrive
                break
        rss = [peak_rss_mb(p.pid) for p in procs if p.poll() is None]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        await connector.close()
        smtp.stop()
        await smsc.stop()
        if drop is not None:
            await drop()
        gc.unfreeze()
    per = Counter(s.conversation_id for s in connector.sent if s.cards)
    per_mail = Counter(mailbox.recipients)
    per_sms = Counter(m.to for m in smsc.messages)
    times = [s.at for s in connector.sent] + mailbox.times + [m.at for m in smsc.messages]
    # With --kill the round starts at the 30 s tick that plans it: timed from
    # its first delivery then.
    start = min(times) if kill is not None and times else due.timestamp()
    seconds = max(times) - start if times else float("nan")
    teams_seconds = max((s.at for s in connector.sent), default=start) - start
    mail_seconds = max(mailbox.times, default=start) - start
    sms_seconds = max((m.at for m in smsc.messages), default=start) - start
    duplicates = sum(n - 1 for counts in (per, per_mail, per_sms) for n in counts.values() if n > 1)
    missing = contacts - len(per) - len(per_mail) - len(per_sms)
    # The most calls Teams saw in any one second (its per-app limit's measure).
    arrivals = sorted(s.at for s in connector.sent)
    peak, first = 0, 0
    for last, at in enumerate(arrivals):
        while arrivals[first] <= at - 1.0:
            first += 1
        peak = max(peak, last - first + 1)
    after_kill: dict[str, Any] = {}
    if killed:
        later = sorted(s.at for s in connector.sent if s.at > killed["at"])
        held = [s.at for s in connector.sent if s.conversation_id in killed["held"]]
        held_later = [t for t in held if t > killed["at"]]
        gaps = [b - a for a, b in itertools.pairwise(later)]
        after_kill = {
            "largest_gap_after_kill_s": round(max(gaps), 2) if gaps else None,
            "killed_after": killed["sent_before"],
            "held_at_kill": len(killed["held"]),
            # One process: from the restart (ready) to the first send after it.
            "resumed_after_restart_s": round(later[0] - killed["restarted"], 2)
            if later and "restarted" in killed
            else None,
            # Two: from the kill to the first and the last of the dead one's rows.
            "held_first_s": round(min(held_later) - killed["at"], 2) if held_later else None,
            "held_last_s": round(max(held_later) - killed["at"], 2) if held_later else None,
        }
    return {
        "contacts": contacts,
        "global_limit": rate,
        "processes": processes,
        "email_share": email_share,
        "by_email": len(per_mail),
        "sms_share": sms_share,
        "by_sms": len(per_sms),
        "sms_seconds": round(sms_seconds, 2),
        "smsc_throttled": smsc.throttled,
        "seconds": round(seconds, 2),
        "teams_seconds": round(teams_seconds, 2),
        "email_seconds": round(mail_seconds, 2),
        "floor_seconds": round(floor, 2),
        "ratio": round(seconds / floor, 3),
        "duplicates": duplicates,
        "missing": missing,
        "throttled_429": connector.violations,
        "peak_calls_in_1s": peak,
        "peak_rss_mb": [round(r, 1) for r in rss],
        **after_kill,
    }


def line(r: dict[str, Any]) -> str:
    killed = ""
    if "killed_after" in r:
        killed = (
            f"; kill -9 after {r['killed_after']} sends, {r['held_at_kill']} rows held by "
            f"the dead process: "
            + (
                f"resumed {r['resumed_after_restart_s']} s after the restart"
                if r["processes"] == 1
                else f"the other process sent them {r['held_first_s']}-{r['held_last_s']} s "
                "after the kill"
            )
        )
    return (
        f"{r['contacts']:>6} recipients at {r['global_limit']:g}/s, {r['processes']} process(es), "
        f"{r['email_share']:.0%} by e-mail, {r['sms_share']:.0%} by SMS: {r['seconds']:.1f} s "
        f"(floor {r['floor_seconds']:.1f} s, ratio {r['ratio']:.3f}; last in Teams "
        f"{r['teams_seconds']:.1f} s, by e-mail {r['email_seconds']:.1f} s, by SMS "
        f"{r['sms_seconds']:.1f} s, SMSC throttled {r['smsc_throttled']}); 429s {r['throttled_429']} (most calls in 1 s: "
        f"{r['peak_calls_in_1s']}), duplicates {r['duplicates']}, "
        f"missing {r['missing']}, peak RSS {', '.join(f'{x:.0f}' for x in r['peak_rss_mb'])} MB"
        f"{killed}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--global-limit", type=float, default=50.0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--email-share", type=float, default=0.0)
    parser.add_argument("--smtp-rate", type=float, default=50.0)
    parser.add_argument(
        "--email-first", action="store_true", help="the e-mail recipients first in the list"
    )
    parser.add_argument("--matrix", action="store_true", help="the four runs of the issue")
    parser.add_argument(
        "--kill", type=float, help="kill -9 a process when this share has the reminder"
    )
    parser.add_argument("--sms-share", type=float, default=0.0, help="reached by SMS only")
    parser.add_argument(
        "--smsc-limit", type=int, default=50, help="the fake SMSC's submits a second"
    )
    args = parser.parse_args()
    if not 0.0 <= args.email_share <= 1.0 or not 0.0 <= args.sms_share <= 1.0:
        parser.error("--email-share and --sms-share are fractions between 0 and 1")
    if args.email_share + args.sms_share > 1.0:
        parser.error("--email-share and --sms-share add up to more than everyone")
    if args.matrix:
        runs = [(10_000, 50.0, 1), (10_000, 50.0, 2), (2_000, 200.0, 1), (2_000, 200.0, 2)]
    else:
        runs = [(args.contacts, args.global_limit, args.processes)]
    results = []
    for contacts, rate, processes in runs:
        result = await run(
            contacts,
            rate,
            processes,
            args.email_share,
            args.smtp_rate,
            args.email_first,
            kill=args.kill,
            sms_share=args.sms_share,
            smsc_limit=args.smsc_limit,
        )
        print(line(result), flush=True)
        results.append(result)
    print(json.dumps(results if args.matrix else results[0]))


if __name__ == "__main__":
    asyncio.run(main())
