"""Outbox delivery against a misbehaving connector, and across a restart."""

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.jobs import weekly_digest
from storage.db.models import OutboxMessage
from tests.support.cards import assert_valid_card
from tests.support.channel import seed_request, setup_channel
from tests.support.cli import medvirk
from tests.support.outbox import put
from tests.support.teams import CHANNEL_ID


async def _rows(db) -> list[OutboxMessage]:
    async with db.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _posts(connector) -> list:
    return [s for s in connector.sent if s.method == "create" and s.conversation_id == CHANNEL_ID]


async def test_429_then_503_then_success_delivers_once(bot, clock) -> None:
    await setup_channel(bot)
    bot.connector.fail_next(429, headers={"Retry-After": "2"}, conversation_id=CHANNEL_ID)
    bot.connector.fail_next(503, conversation_id=CHANNEL_ID)
    await seed_request(bot.db, clock)
    calls = bot.connector.calls

    await bot.drain()  # 429
    assert _posts(bot.connector) == []
    (row,) = [r for r in await _rows(bot.db) if r.target_kind == "channel"]
    assert row.last_error == "429"
    assert row.next_attempt_at == clock.now() + timedelta(seconds=2)

    clock.advance(timedelta(seconds=1))
    await bot.drain()  # not yet due: Retry-After is honoured
    assert bot.connector.calls == calls + 1

    clock.advance(timedelta(seconds=1))
    await bot.drain()  # 503: backs off
    (row,) = [r for r in await _rows(bot.db) if r.target_kind == "channel"]
    assert row.last_error == "503" and row.state == "pending"

    clock.advance(timedelta(minutes=10))
    await bot.drain()
    await bot.drain()
    assert len(_posts(bot.connector)) == 1
    (row,) = [r for r in await _rows(bot.db) if r.target_kind == "channel"]
    assert row.state == "sent" and row.attempts == 3


async def test_404_is_a_recorded_failure(bot, clock) -> None:
    await setup_channel(bot)
    bot.connector.fail_next(404, conversation_id=CHANNEL_ID)
    await seed_request(bot.db, clock)
    await bot.drain()
    clock.advance(timedelta(hours=1))
    await bot.drain()
    (row,) = [r for r in await _rows(bot.db) if r.target_kind == "channel"]
    assert row.state == "failed" and row.last_error == "http 404"
    assert _posts(bot.connector) == []


async def test_a_failing_renderer_counts_attempts_and_is_failed_in_the_end(bot, clock) -> None:
    """Errors other than HTTP ones (a renderer, the database) back off like any
    failure, and after the last attempt the row is failed with its reason."""
    from storage import outbox

    async with bot.db.transaction() as session:
        put(
            session,
            now=clock.now(),
            target_kind=outbox.TargetKind.CHANNEL,
            target_key=CHANNEL_ID,
            payload={"render": outbox.Render.REQUEST_CARD, "args": {}},  # no request_id
        )
    await setup_channel(bot)
    for _ in range(outbox.MAX_ATTEMPTS + 2):
        await bot.drain()
        clock.advance(timedelta(hours=1))
    (row,) = [r for r in await _rows(bot.db) if r.payload["args"] == {}]
    assert row.state == "failed"
    assert row.attempts == outbox.MAX_ATTEMPTS
    assert "KeyError" in row.last_error


async def test_restart_between_commit_and_delivery_delivers_once(start_bot, clock) -> None:
    first = await start_bot()
    await setup_channel(first)
    await seed_request(first.db, clock)  # committed; the process "dies" before its tick
    await start_bot.stop_all()

    second = await start_bot()
    await second.drain()
    await second.drain()
    clock.advance(timedelta(hours=1))
    await second.drain()
    assert len(_posts(second.connector)) == 1


async def test_a_lease_lost_in_a_crash_is_sent_after_it_expires(start_bot, clock) -> None:
    from storage import outbox

    first = await start_bot()
    await setup_channel(first)
    await seed_request(first.db, clock)
    # The first process took the row and died mid-send.
    (item,) = await outbox.lease(first.db, worker="dead", now=clock.now())
    await start_bot.stop_all()

    second = await start_bot()
    await second.drain()
    assert _posts(second.connector) == []  # still leased to the dead process
    clock.advance(outbox.DEFAULT_LEASE + timedelta(seconds=1))
    await second.drain()
    assert len(_posts(second.connector)) == 1
    del item


async def test_weekly_digest_is_posted_once_per_week(bot, clock) -> None:
    await setup_channel(bot)
    await seed_request(bot.db, clock, title="Venter på noen")
    await weekly_digest(bot.services)
    await weekly_digest(bot.services)  # a second process, or a rerun, the same week
    await bot.drain()
    posts = [p for p in _posts(bot.connector) if "fordelingsmøtet" in str(p.card)]
    assert len(posts) == 1 and "Venter på noen" in str(posts[0].card)
    assert_valid_card(posts[0].card)
    by_unit = posts[0].card["body"][-1]
    assert by_unit["type"] == "FactSet" and len(by_unit["facts"]) == 1
    assert by_unit["facts"][0]["value"] == "1"
    clock.advance(timedelta(days=7))
    await weekly_digest(bot.services)
    await bot.drain()
    assert len([p for p in _posts(bot.connector) if "fordelingsmøtet" in str(p.card)]) == 2


async def test_a_slow_round_keeps_its_lease_and_a_second_process_does_not_resend(
    start_bot, clock
) -> None:
    """Teams answers slower than the lease: the first sender renews its lease,
    the second takes nothing, and the row is marked by the one that holds it."""
    first = await start_bot(MEDVIRK_OUTBOX_LEASE_SECONDS=1.5)
    second = await start_bot(MEDVIRK_OUTBOX_LEASE_SECONDS=1.5)
    await setup_channel(first)
    await first.drain()  # the registration's messages
    await seed_request(first.db, clock)
    first.connector.proactive_delay = 2.5
    slow = asyncio.create_task(first.drain())
    while not any(r.locked_by for r in await _rows(first.db)):  # taken, being sent
        await asyncio.sleep(0.02)
    clock.advance(timedelta(seconds=10))  # far past the lease the row was taken with
    await asyncio.sleep(1.0)  # the first sender has renewed meanwhile
    assert await second.drain() == 0
    assert await slow == 1
    first.connector.proactive_delay = 0
    assert len(_posts(first.connector)) == 1
    (row,) = [r for r in await _rows(first.db) if r.target_kind == "channel"]
    assert row.state == "sent" and row.locked_by is None


async def test_a_row_taken_over_is_not_marked_by_the_sender_that_lost_it(db, clock) -> None:
    from storage import outbox

    async with db.transaction() as session:
        put(
            session,
            now=clock.now(),
            target_kind=outbox.TargetKind.PERSONAL,
            target_key="aad-x",
            payload={"message": {"text": "hei"}},
        )
    (lost,) = await outbox.lease(db, worker="a", now=clock.now(), lease=timedelta(seconds=1))
    clock.advance(timedelta(seconds=5))
    (taken,) = await outbox.lease(db, worker="b", now=clock.now())
    await outbox.mark_failed(db, lost, now=clock.now(), reason="http 500")
    await outbox.mark_sent(db, taken, now=clock.now(), activity_id="1")
    (row,) = await _rows(db)
    assert row.state == "sent" and row.last_error is None


async def test_an_operator_lists_and_retries_failed_messages(bot, clock, database_url) -> None:
    await setup_channel(bot)
    bot.connector.fail_next(404, conversation_id=CHANNEL_ID)
    await seed_request(bot.db, clock, title="Ikke levert")
    await bot.drain()
    listed = medvirk(database_url, "outbox", "list")
    assert listed.returncode == 0, listed.stderr
    assert "request_card" in listed.stdout and "http 404" in listed.stdout
    assert "Ikke levert" not in listed.stdout  # what it said is not shown
    retried = medvirk(database_url, "outbox", "retry", "--all")
    assert retried.returncode == 0 and "1 messages due again" in retried.stdout
    clock.advance(timedelta(days=60))  # the CLI's clock is the real one; the test's is fixed
    await bot.drain()
    assert len(_posts(bot.connector)) == 1
    assert "no failed messages" in medvirk(database_url, "outbox", "list").stdout


async def test_registering_the_channel_again_reposts_a_failed_card(bot, clock) -> None:
    await setup_channel(bot)
    bot.connector.fail_next(404, conversation_id=CHANNEL_ID)
    await seed_request(bot.db, clock)
    await bot.drain()
    assert _posts(bot.connector) == []
    admin = bot.teams.user("Anne Admin", "admin-aad")
    await admin.say_in_channel("registrer kanal")
    await bot.drain()
    assert len(_posts(bot.connector)) == 1
