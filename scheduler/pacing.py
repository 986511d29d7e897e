"""Pacing under Microsoft Teams' bot rate limits, so a big round is paced, not throttled.

Per conversation: 7 messages in 1 s, 8 in 2 s, 60 in 30 s, 1800 in an hour.
Per app and tenant: 50 requests per second (configurable). `reserve()` books
the earliest moment a send to a conversation may go out under every window and
returns how long to wait for it. Pure and single-threaded (one event loop).

Time is kept in whole microseconds, not floats: with floats, `x + w - w` can
come out below `x`, and the search for a free slot never advanced (a hang at
100 % CPU). With integers every step of the search moves forward by at least
one tick and is bounded by the latest booking plus the longest window.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

PER_CONVERSATION: tuple[tuple[int, float], ...] = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
GLOBAL_PER_SECOND = 50.0
TICKS_PER_SECOND = 1_000_000


def _ticks(seconds: float) -> int:
    return round(seconds * TICKS_PER_SECOND)


class Pacer:
    def __init__(
        self,
        *,
        global_rate: float | None = GLOBAL_PER_SECOND,
        windows: tuple[tuple[int, float], ...] = PER_CONVERSATION,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if global_rate is not None and not global_rate > 0:
            raise ValueError("global_rate must be positive (or None: no app-wide bucket)")
        if not windows or any(limit < 1 or window <= 0 for limit, window in windows):
            raise ValueError("every window needs a limit of at least 1 and a positive length")
        self.global_rate = global_rate
        self.windows = tuple((limit, max(1, _ticks(window))) for limit, window in windows)
        self._clock = clock
        # None: the app-wide rate is kept elsewhere (`scheduler.budget`).
        self._interval = 0 if global_rate is None else max(1, _ticks(1.0 / global_rate))
        self._next_global = 0
        self._sent: dict[str, deque[int]] = {}
        self._horizon = max(w for _, w in self.windows)

    def reserve(self, conversation: str, *, unless_over: float | None = None) -> float:
        """Book a send; return the seconds to wait before making it.

        With `unless_over`, a send that would wait longer is not booked (it goes
        back to the outbox and must not hold a slot): the wait is returned all
        the same."""
        now = _ticks(self._clock())
        times = self._sent.setdefault(conversation, deque())
        while times and times[0] <= now - self._horizon:
            times.popleft()
        # The global bucket: one slot every 1/rate seconds, in booking order.
        at = max(now, self._earliest(times, now), self._next_global)
        wait = (at - now) / TICKS_PER_SECOND
        if unless_over is not None and wait > unless_over:
            return wait
        self._next_global = at + self._interval
        # Bookings stay sorted: every booking is at or after the latest before it.
        times.append(max(at, times[-1]) if times else at)
        return wait

    def _earliest(self, times: deque[int], start: int) -> int:
        """The first tick at or after `start` at which one more send fits every window."""
        at = start
        moved = True
        while moved:
            moved = False
            for limit, window in self.windows:
                # Sends inside (at - window, at]; the list is sorted, newest last.
                inside = [t for t in times if t > at - window]
                if len(inside) >= limit:
                    # The oldest send that must leave the window first; it is
                    # inside it, so this moves `at` forward by at least a tick.
                    at = inside[-limit] + window
                    moved = True
        return at

    def forget_idle(self) -> None:
        """Drop conversations with nothing in the longest window (bounded memory)."""
        cutoff = _ticks(self._clock()) - self._horizon
        for key in [k for k, v in self._sent.items() if not v or v[-1] <= cutoff]:
            del self._sent[key]
