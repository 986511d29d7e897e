"""The outbox on both databases: dedupe, exclusive leases, expiry, retries."""

import asyncio
import dataclasses
from datetime import timedelta

from sqlalchemy import select

from storage import notifications, outbox
from storage.db.models import OutboxMessage
from storage.domain.outbox import OutboxState
from storage.notifications import DigestDue, RequesterTold


async def _enqueue(db, clock, n: int) -> None:
    async with db.transaction() as session:
        await notifications.record(
            session,
            *(RequesterTold(i, f"user-{i}", "claimed") for i in range(n)),
            now=clock.now(),
        )


async def test_dedupe_key_ignores_repeats(db, clock) -> None:
    for _ in range(3):
        async with db.transaction() as session:
            await notifications.record(
                session, DigestDue(1, "channel", "2026-W48"), now=clock.now()
            )
    assert await outbox.pending_count(db) == 1


async def test_two_workers_never_lease_the_same_row(db, clock) -> None:
    await _enqueue(db, clock, 60)
    batches = await asyncio.gather(
        *(outbox.lease(db, worker=f"w{i}", now=clock.now(), limit=7) for i in range(10))
    )
    ids = [item.id for batch in batches for item in batch]
    assert len(ids) == len(set(ids)) == 60


async def test_expired_lease_makes_the_row_due_again(db, clock) -> None:
    await _enqueue(db, clock, 1)
    (item,) = await outbox.lease(db, worker="a", now=clock.now())
    assert await outbox.lease(db, worker="b", now=clock.now()) == []
    # The worker died mid-send: after the lease runs out another takes it.
    later = clock.now() + outbox.DEFAULT_LEASE + timedelta(seconds=1)
    (again,) = await outbox.lease(db, worker="b", now=later)
    assert again.id == item.id and again.attempts == 2


async def test_retry_waits_then_gives_up(db, clock) -> None:
    await _enqueue(db, clock, 1)
    now = clock.now()
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        (item,) = await outbox.lease(db, worker="w", now=now)
        assert item.attempts == attempt
        await outbox.mark_retry(db, item, now=now, delay=timedelta(seconds=5), error="503")
        assert await outbox.lease(db, worker="w", now=now) == []
        now += timedelta(seconds=5)
    async with db.sessions() as session:
        row = await session.scalar(select(OutboxMessage))
    assert row.state == OutboxState.FAILED
    assert "gave up" in row.last_error


async def test_sent_rows_are_not_leased_again(db, clock) -> None:
    await _enqueue(db, clock, 2)
    items = await outbox.lease(db, worker="w", now=clock.now())
    for item in items:
        await outbox.mark_sent(db, item, now=clock.now(), activity_id="act-1")
    later = clock.now() + timedelta(hours=1)
    assert await outbox.lease(db, worker="w", now=later) == []
    assert await outbox.pending_count(db) == 0


def test_backoff_grows_and_is_capped() -> None:
    small = outbox.backoff(1)
    big = outbox.backoff(30)
    assert timedelta(seconds=1) <= small <= timedelta(seconds=2)
    assert big <= timedelta(seconds=600)


async def test_rows_paced_for_later_go_back_together_and_keep_their_attempts(db, clock) -> None:
    await _enqueue(db, clock, 5)
    # Held past the checks below (a heartbeat would keep them so).
    items = await outbox.lease(db, worker="w", now=clock.now(), lease=timedelta(seconds=60))
    later, kept = items[:3], items[3:]
    now = clock.now()
    await outbox.defer_many(
        db, [(item, timedelta(seconds=10 + i)) for i, item in enumerate(later)], now=now
    )
    # A row another sender leased since is left to it.
    (stolen,) = kept[:1]
    stolen_by_other = dataclasses.replace(stolen, worker="other")
    await outbox.defer_many(db, [(stolen_by_other, timedelta(seconds=60))], now=now)
    assert await outbox.lease(db, worker="v", now=now + timedelta(seconds=9)) == []
    again = await outbox.lease(db, worker="v", now=now + timedelta(seconds=12))
    assert sorted(i.id for i in again) == sorted(i.id for i in later)
    # Pacing is not an attempt: each was leased twice and counts one.
    assert {i.attempts for i in again} == {1}
    async with db.sessions() as session:
        held = await session.get(OutboxMessage, stolen.id)
    assert held.locked_by == "w"
