"""Pacing under Microsoft Teams' bot rate limits, so a big round is paced, not throttled.

Per conversation: 7 messages in 1 s, 8 in 2 s, 60 in 30 s, 1800 in an hour.
Per app and tenant: 50 requests per second (configurable). `reserve()` books
the earliest moment a send to a conversation may go out under every window and
returns how long to wait for it. Pure and single-threaded (one event loop).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

PER_CONVERSATION: tuple[tuple[int, float], ...] = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
GLOBAL_PER_SECOND = 50.0


class Pacer:
    def __init__(
        self,
        *,
        global_rate: float = GLOBAL_PER_SECOND,
        windows: tuple[tuple[int, float], ...] = PER_CONVERSATION,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_rate = global_rate
        self.windows = windows
        self._clock = clock
        self._next_global = 0.0
        self._sent: dict[str, deque[float]] = {}
        self._horizon = max(w for _, w in windows)

    def reserve(self, conversation: str) -> float:
        """Book a send; return the seconds to wait before making it."""
        now = self._clock()
        times = self._sent.setdefault(conversation, deque())
        while times and times[0] <= now - self._horizon:
            times.popleft()
        at = max(now, self._earliest(times, now))
        # The global bucket: one slot every 1/rate seconds, in booking order.
        at = max(at, self._next_global)
        self._next_global = at + 1.0 / self.global_rate
        times.append(at)
        return at - now

    def _earliest(self, times: deque[float], now: float) -> float:
        at = now
        changed = True
        while changed:
            changed = False
            for limit, window in self.windows:
                inside = [t for t in times if t > at - window]
                if len(inside) >= limit:
                    at = inside[-limit] + window
                    changed = True
        return at

    def forget_idle(self) -> None:
        """Drop conversations with nothing in the longest window (bounded memory)."""
        cutoff = self._clock() - self._horizon
        for key in [k for k, v in self._sent.items() if not v or v[-1] <= cutoff]:
            del self._sent[key]
