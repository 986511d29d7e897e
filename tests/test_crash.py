"""Crashes and shutdowns with real `medvirk serve` processes: kill -9 loses nothing,
SIGTERM finishes what is in flight, several processes share one database."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import select

from bot.out.sender import SentMarks
from storage.db.models import OutboxMessage, Request
from storage.domain.clock import SystemClock
from tests.support.channel import MEMBERS, seed_request
from tests.support.order import GOOD_TEXT, asked_field
from tests.support.outbox import put
from tests.support.reminders import round_due_at, seed_reachable_contacts
from tests.support.serve_process import ServeProcess
from tests.support.teams import TeamsClient

# What a kill -9 can leave sent but not recorded: the sends in the air (the
# sender's concurrency), the marks being written, and those waiting for them
# (bot/out/sender.py, SentMarks).
SENDS_IN_FLIGHT = 64 + 2 * SentMarks.MOST

pytestmark = pytest.mark.processes


async def _client(serve: ServeProcess, connector, http: aiohttp.ClientSession) -> TeamsClient:
    return TeamsClient(http, serve.url, connector)


async def test_kill9_mid_dialog_continues_at_the_same_question(
    db, database_url, connector, tmp_path
) -> None:
    first = ServeProcess(database_url, tmp_path / "serve.log").start()
    async with aiohttp.ClientSession() as http:
        user = (await _client(first, connector, http)).user("Kari", "aad-kari")
        await user.say("bestill")
        await user.say(GOOD_TEXT["title"])
        reply = await user.say(GOOD_TEXT["description"])
        assert asked_field(reply) == "assignment_type"
        first.kill9()
        second = ServeProcess(database_url, tmp_path / "serve.log").start()
        try:
            user = (await _client(second, connector, http)).user("Kari", "aad-kari")
            reply = await user.say("1")
            assert asked_field(reply) == "level"
        finally:
            assert second.terminate() == 0


async def test_sigterm_finishes_the_turn_in_flight_and_exits_0(
    db, database_url, connector, tmp_path
) -> None:
    serve = ServeProcess(database_url, tmp_path / "serve.log").start()
    connector.delay = 1.5  # the reply to Teams takes a while
    async with aiohttp.ClientSession() as http:
        user = (await _client(serve, connector, http)).user("Kari", "aad-kari")
        turn = asyncio.create_task(user.say("hjelp"))
        await asyncio.sleep(0.5)
        assert serve.process is not None
        serve.process.terminate()
        reply = await turn
        assert reply.status == 201
        assert reply.cards, "the reply went out before the process stopped"
        assert await asyncio.get_running_loop().run_in_executor(None, serve.process.wait, 40) == 0
        with pytest.raises(aiohttp.ClientError):
            await user.say("hjelp")


async def _round_of(db, recipients: int, connector_url: str) -> None:
    await seed_reachable_contacts(db, recipients, connector_url)
    await round_due_at(db, datetime.now(UTC) + timedelta(seconds=3))


async def _until(connector, enough: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while len({s.conversation_id for s in connector.sent}) < enough:
        assert time.monotonic() < deadline, f"{len(connector.sent)} of {enough} in {seconds} s"
        await asyncio.sleep(0.05)


def _exactly_once_but_in_flight(connector, recipients: int) -> int:
    per = Counter(s.conversation_id for s in connector.sent)
    duplicates = sum(n - 1 for n in per.values())
    assert len(per) == recipients, "every recipient has the reminder"
    assert duplicates <= SENDS_IN_FLIGHT, f"{duplicates} duplicates; at most the sends in flight"
    return duplicates


# Generous for a loaded 2-core machine; leases of a minute (before heartbeats)
# made a restarted process wait that minute. bench/fanout.py --kill prints the
# tight figure.
RESUMED_WITHIN = 20.0


@pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)
async def test_a_restart_after_kill9_resumes_the_round_without_waiting_out_leases(
    db, database_url, connector, tmp_path, backend
) -> None:
    """The default lease and the production tick (30 s): the restarted process
    takes the dead one's rows once their short lease runs out, not at a tick."""
    await _round_of(db, 600, connector.url)
    env = {"MEDVIRK_GLOBAL_RATE": "100"}
    first = ServeProcess(database_url, tmp_path / "serve.log", MEDVIRK_TICK_SECONDS="1", **env)
    first.start()
    await _until(connector, 200, 60)
    first.kill9()
    at_kill = len(connector.sent)
    second = ServeProcess(database_url, tmp_path / "serve.log", MEDVIRK_TICK_SECONDS="30", **env)
    second.start()
    restarted = time.time()
    try:
        await _until(connector, at_kill + 1, RESUMED_WITHIN)
        await _until(connector, 600, 60)
        await asyncio.sleep(1.0)  # anything doubled would arrive now
    finally:
        assert second.terminate() == 0
    resumed = min(s.at for s in connector.sent[at_kill:]) - restarted
    duplicates = _exactly_once_but_in_flight(connector, 600)
    print(
        f"kill -9 after {at_kill} of 600: resumed {resumed:.2f} s after the restart, "
        f"{duplicates} duplicates"
    )


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_when_one_of_two_processes_dies_the_other_sends_its_rows(
    db, database_url, connector, tmp_path, backend
) -> None:
    await _round_of(db, 600, connector.url)
    env = {"MEDVIRK_GLOBAL_RATE": "100", "MEDVIRK_TICK_SECONDS": "1"}
    a, b = (ServeProcess(database_url, tmp_path / f"serve-{n}.log", **env) for n in "ab")
    loop = asyncio.get_running_loop()
    await asyncio.gather(loop.run_in_executor(None, a.start), loop.run_in_executor(None, b.start))
    try:
        await _until(connector, 200, 60)
        assert a.process is not None
        a.kill9()
        killed = time.time()
        async with db.sessions() as session:
            held = {
                f"a:c-{key.removeprefix('aad-')}"
                for key in await session.scalars(
                    select(OutboxMessage.target_key).where(
                        OutboxMessage.state == "pending",
                        OutboxMessage.locked_by.like(f"sender-{a.process.pid}-%"),
                    )
                )
            }
        await _until(connector, 600, 60)
        await asyncio.sleep(1.0)
    finally:
        assert b.terminate() == 0
    duplicates = _exactly_once_but_in_flight(connector, 600)
    sent = [s.at for s in connector.sent if s.conversation_id in held and s.at > killed]
    assert held and sent, "the dead process held rows, and the other sent them"
    print(
        f"the dead process held {len(held)} rows: sent {min(sent) - killed:.2f}-"
        f"{max(sent) - killed:.2f} s after the kill; {duplicates} duplicates"
    )
    assert max(sent) - killed < RESUMED_WITHIN + 600 / 100


@pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)
async def test_kill9_during_a_reminder_round_of_2000(
    db, database_url, connector, tmp_path, backend
) -> None:
    await _round_of(db, 2000, connector.url)
    env = {
        "MEDVIRK_TICK_SECONDS": "1",
        "MEDVIRK_GLOBAL_RATE": "400",
        "MEDVIRK_OUTBOX_LEASE_SECONDS": "3",
    }
    first = ServeProcess(database_url, tmp_path / "serve.log", **env).start()
    deadline = time.monotonic() + 60
    while len(connector.sent) < 400 and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    first.kill9()
    at_kill = len(connector.sent)
    assert 0 < at_kill < 2000, "the kill must land mid-round"
    second = ServeProcess(database_url, tmp_path / "serve.log", **env).start()
    try:
        deadline = time.monotonic() + 90
        while (
            len({s.conversation_id for s in connector.sent}) < 2000 and time.monotonic() < deadline
        ):
            await asyncio.sleep(0.2)
    finally:
        assert second.terminate() == 0
    per = Counter(s.conversation_id for s in connector.sent)
    duplicates = sum(n - 1 for n in per.values())
    assert len(per) == 2000, "every recipient has the reminder"
    assert duplicates <= SENDS_IN_FLIGHT, f"{duplicates} duplicates; at most the sends in flight"
    print(
        f"kill -9 after {at_kill} of 2000 sends: {duplicates} duplicates (bound {SENDS_IN_FLIGHT})"
    )


async def test_kill9_between_claim_commit_and_card_update(
    db, database_url, connector, tmp_path
) -> None:
    clock = SystemClock()  # the server processes run on real time
    for aad, name in MEMBERS[:3]:
        connector.add_member(aad, name)
    log = tmp_path / "serve.log"
    # 1: register the channel and post the card.
    first = ServeProcess(database_url, log, MEDVIRK_TICK_SECONDS="1").start()
    async with aiohttp.ClientSession() as http:
        teams = await _client(first, connector, http)
        await teams.user("Anne Admin", "admin-aad").say_in_channel("registrer kanal")
        request_id = await seed_request(db, clock)
        deadline = time.monotonic() + 20
        while (
            not [s for s in connector.sent if s.method == "create"] and time.monotonic() < deadline
        ):
            await asyncio.sleep(0.1)
        assert first.terminate() == 0
        # 2: the claim commits; the card update it wakes is on its way to Teams
        # (a slow connector) when the process is killed.
        second = ServeProcess(
            database_url, log, MEDVIRK_TICK_SECONDS="3600", MEDVIRK_OUTBOX_LEASE_SECONDS="2"
        ).start()
        teams = await _client(second, connector, http)
        connector.proactive_delay = 5.0
        reply = await teams.user("Medlem 01", MEMBERS[1][0]).invoke(
            "claim", {"request_id": request_id}
        )
        assert reply.status == 200 and "Medlem 01" in str(reply.body)
        await asyncio.sleep(0.5)
        second.kill9()
        connector.proactive_delay = 0.0
        assert [s for s in connector.sent if s.method == "update"] == []
        # 3: after the restart the card is updated, once.
        third = ServeProcess(database_url, log, MEDVIRK_TICK_SECONDS="1").start()
        try:
            deadline = time.monotonic() + 20
            while (
                not [s for s in connector.sent if s.method == "update"]
                and time.monotonic() < deadline
            ):
                await asyncio.sleep(0.1)
            await asyncio.sleep(2.5)
        finally:
            assert third.terminate() == 0
    updates = [s for s in connector.sent if s.method == "update"]
    assert len(updates) == 1 and "Medlem 01" in str(updates[0].card)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_two_processes_on_one_postgres(database_url, connector, tmp_path) -> None:
    """Both start at once on an empty database (migrations run once, under a lock),
    then 20 members race for one request through both: one winner."""
    log = tmp_path / "serve.log"
    a, b = ServeProcess(database_url, log), ServeProcess(database_url, log)
    await asyncio.gather(
        asyncio.get_running_loop().run_in_executor(None, a.start),
        asyncio.get_running_loop().run_in_executor(None, b.start),
    )
    from storage.db import Database

    db = Database(database_url)
    try:
        for aad, name in MEMBERS:
            connector.add_member(aad, name)
        async with aiohttp.ClientSession() as http:
            ta, tb = await _client(a, connector, http), await _client(b, connector, http)
            await ta.user("Anne Admin", "admin-aad").say_in_channel("registrer kanal")
            request_id = await seed_request(db, SystemClock())
            replies = await asyncio.gather(
                *(
                    (ta if i % 2 else tb)
                    .user(name, aad)
                    .invoke("claim", {"request_id": request_id})
                    for i, (aad, name) in enumerate(MEMBERS)
                )
            )
        winners = [r for r in replies if "Du har tatt bestillingen" in str(r.body)]
        assert len(winners) == 1
        async with db.sessions() as session:
            request = await session.scalar(select(Request))
        assert request.status == "claimed"
    finally:
        await db.dispose()
        assert a.terminate() == 0 and b.terminate() == 0


async def test_a_sender_that_stalled_past_its_lease_gives_the_row_back_unsent(
    start_bot, clock
) -> None:
    """Another process may take a row once its lease has run out: a sender
    whose heartbeat fell behind (the process stalled) must not send it too."""
    from storage import outbox

    bot = await start_bot(MEDVIRK_OUTBOX_LEASE_SECONDS=3)
    await bot.teams.user("Kari", "aad-kari").say("hjelp")  # her chat with the bot
    sender = bot.services.outbox
    budget = sender.budget

    class StallsOnce:
        """The process stalls once between taking the row and its slot."""

        calls = 0

        async def acquire(self) -> int:
            self.calls += 1
            if self.calls == 1:
                clock.advance(timedelta(seconds=10))
            return await budget.acquire()

    async with bot.db.transaction() as session:
        put(
            session,
            now=clock.now(),
            target_kind=outbox.TargetKind.PERSONAL,
            target_key="aad-kari",
            payload={"message": {"text": "Påminnelse"}},
        )
    bot.connector.clear()
    sender.budget = stalls = StallsOnce()  # type: ignore[assignment]
    # Given back unsent after the stall, taken again (a fresh lease) and sent once.
    assert await bot.drain() == 1
    assert stalls.calls == 2
    assert [s.text for s in bot.connector.sent] == ["Påminnelse"]
    async with bot.db.sessions() as session:
        row = await session.scalar(select(OutboxMessage))
    assert (row.state, row.attempts) == ("sent", 1)
