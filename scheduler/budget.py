"""The per-app send budget: Teams allows an app so many calls a second, however
many processes make them.

The budget is a line of slots, one every 1/rate seconds. A process takes a
short block of consecutive slots at a time from a `SlotSource`: in memory for
one process, or a row in the database that every process shares
(`storage.outbox.send_budget`), so two or four processes together stay at the rate
instead of each spending all of it. A call goes out in its slot. A slot missed
by more than `tolerance` (the event loop was busy, the process stalled) is
dropped, never used later: late sends would bunch up with the punctual ones and
put more than the limit into one second. A process that dies loses at most the
block it held; the line goes on for the others.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol

TICKS_PER_SECOND = 1_000_000
# How late a slot may still be used.
TOLERANCE_SECONDS = 0.025
# How much later than its slot a call may reach Teams: the activity is built and
# serialised after the slot, other tasks run at each await on the way, and the
# network adds its own. Two processes on PostgreSQL at the per-app limit put 51
# and 52 calls into one second of the fake connector's count with a 3 % margin.
ARRIVAL_JITTER_SECONDS = 0.05
# Seconds of slots a process takes at once: small enough that slots held by a
# process with nothing more to send are few, large enough that the shared row
# is written a few times a second per process, not once per send.
BLOCK_SECONDS = 0.05


def safe_rate(limit: float) -> float:
    """The rate to hand out slots at so that Teams never counts more than `limit`
    in any one second: calls in a second come from slots in at most
    1 + TOLERANCE + ARRIVAL_JITTER seconds, plus one at the second's edge."""
    return max(limit / 2, (limit - 1) / (1 + TOLERANCE_SECONDS + ARRIVAL_JITTER_SECONDS))


def wall_ticks() -> int:
    """Microseconds since the epoch: a time every process on the host agrees on."""
    return time.time_ns() // 1000


class SlotSource(Protocol):
    async def take(self, count: int, interval: int, now: int) -> int:
        """Book `count` consecutive slots `interval` ticks apart, none before `now`;
        return the first one's tick."""
        ...


class LocalSlots:
    """The line of slots kept in this process (one process, or SQLite)."""

    def __init__(self) -> None:
        self._next = 0

    async def take(self, count: int, interval: int, now: int) -> int:
        start = max(self._next, now)
        self._next = start + count * interval
        return start


class RateBudget:
    """`await budget.acquire()` right before each call: it returns in the call's slot."""

    def __init__(
        self,
        source: SlotSource,
        *,
        rate: float,
        clock: Callable[[], int] = wall_ticks,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        block_seconds: float = BLOCK_SECONDS,
    ) -> None:
        if not rate > 0:
            raise ValueError("rate must be positive")
        self._source = source
        self._clock = clock
        self._sleep = sleep
        self.interval = max(1, round(TICKS_PER_SECOND / rate))
        self.block = max(1, round(rate * block_seconds))
        self.tolerance = max(self.interval, round(TOLERANCE_SECONDS * TICKS_PER_SECOND))
        self._slots: deque[int] = deque()
        self._refill = asyncio.Lock()
        self.dropped = 0

    async def acquire(self) -> int:
        """Wait for the next slot that can still be used and return its tick."""
        while True:
            slot = await self._next_slot()
            wait = slot - self._clock()
            if wait > 0:
                await self._sleep(wait / TICKS_PER_SECOND)
            if self._clock() - slot <= self.tolerance:
                return slot
            self.dropped += 1

    async def _next_slot(self) -> int:
        while not self._slots:
            async with self._refill:
                if self._slots:
                    break
                now = self._clock()
                start = await self._source.take(self.block, self.interval, now)
                self._slots.extend(start + i * self.interval for i in range(self.block))
                # Slots already missed while the block was booked are dropped.
                while self._slots and now - self._slots[0] > self.tolerance:
                    self._slots.popleft()
                    self.dropped += 1
        return self._slots.popleft()
