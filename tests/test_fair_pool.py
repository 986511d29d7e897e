"""storage.db.fair_pool: a free connection goes to whoever has waited longest."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.util.concurrency import greenlet_spawn
from sqlalchemy.util.queue import Empty

from storage.db import Database
from storage.db.fair_pool import FairQueue


async def test_waiters_are_served_in_order_and_nobody_overtakes() -> None:
    queue = FairQueue(1)
    queue.put_nowait("connection")
    held = await greenlet_spawn(queue.get)
    served: list[int] = []

    async def wait(n: int) -> None:
        item = await greenlet_spawn(queue.get, True, 5)
        served.append(n)
        await asyncio.sleep(0)
        queue.put_nowait(item)

    waiters = [asyncio.create_task(wait(n)) for n in range(5)]
    await asyncio.sleep(0.01)
    queue.put_nowait(held)
    # A newcomer asking without waiting finds nothing free: it is handed on.
    with pytest.raises(Empty):
        queue.get_nowait()
    await asyncio.gather(*waiters)
    assert served == [0, 1, 2, 3, 4]
    assert queue.qsize() == 1


async def test_a_timed_out_or_cancelled_waiter_loses_nothing() -> None:
    queue = FairQueue(1)
    with pytest.raises(Empty):
        await greenlet_spawn(queue.get, True, 0.01)
    waiting = asyncio.create_task(greenlet_spawn(queue.get, True, None))
    await asyncio.sleep(0.01)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    queue.put_nowait("connection")  # nobody live waits: it stays in the pool
    assert queue.qsize() == 1 and await greenlet_spawn(queue.get) == "connection"


async def test_fifty_turns_on_one_sqlite_connection_take_turns(tmp_path: Path) -> None:
    """The pattern that starved turns: each uses the database several times."""
    db = Database(f"sqlite:///{tmp_path / 'fair.db'}")
    finished: list[int] = []

    async def turn(n: int) -> None:
        for _ in range(4):
            async with db.transaction() as session:
                await session.execute(text("SELECT 1"))
                await asyncio.sleep(0)  # e.g. a call to the connector meanwhile
            # ...and straight on to the next transaction, as a turn does.
        finished.append(n)

    try:
        await asyncio.gather(*(turn(n) for n in range(50)))
    finally:
        await db.dispose()
    # Served in turn, nobody finishes far behind those who started with them.
    assert max(abs(position - n) for position, n in enumerate(finished)) <= 5
