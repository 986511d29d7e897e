"""A connection pool that serves waiters in the order they came.

SQLAlchemy's asyncio pool takes a free connection at once if one is there,
even while others wait for one: a turn that uses the database several times
can take the connection back again and again while a waiter, woken up but not
yet running, finds the pool empty and queues at the end anew. With SQLite's
one connection per process and 50 people in a dialog, the slowest turns
waited seconds (bench/turns.py: p99 2.3 s where the median was 0.3 s).

Here a returned connection is handed straight to the longest waiter, and a
connection lies in the pool only while nobody waits, so nobody can overtake.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.util.concurrency import await_
from sqlalchemy.util.queue import Empty, Full, QueueCommon


class FairQueue(QueueCommon[Any]):
    """First come, first served; the shape SQLAlchemy's QueuePool uses."""

    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        self.maxsize = maxsize
        self.use_lifo = use_lifo
        self._items: deque[Any] = deque()
        self._waiters: deque[asyncio.Future[Any]] = deque()

    def empty(self) -> bool:
        return not self._items

    def full(self) -> bool:
        return bool(self.maxsize) and len(self._items) >= self.maxsize

    def qsize(self) -> int:
        return len(self._items)

    def put_nowait(self, item: Any) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(item)
                return
        if self.full():
            raise Full()
        self._items.append(item)

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        self.put_nowait(item)  # the pool never puts more than it took

    def get_nowait(self) -> Any:
        if not self._items:
            raise Empty()
        return self._items.pop() if self.use_lifo else self._items.popleft()

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if self._items or not block:
            return self.get_nowait()
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await_(asyncio.wait_for(asyncio.shield(waiter), timeout))
        except BaseException as error:
            if waiter.done() and not waiter.cancelled():
                # Handed a connection just as we gave up: pass it on, not lose it.
                self.put_nowait(waiter.result())
            else:
                waiter.cancel()
            if isinstance(error, TimeoutError | asyncio.TimeoutError):
                raise Empty() from error
            raise


class FairAsyncPool(AsyncAdaptedQueuePool):
    """SQLAlchemy's asyncio queue pool, with waiters served in order."""

    _queue_class = FairQueue
