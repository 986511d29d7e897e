"""The pacer always finds a slot, quickly, and the slots it books obey every limit."""

from __future__ import annotations

import itertools
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.pacing import PER_CONVERSATION, Pacer


class Hung(Exception):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail, instead of hanging the suite, if the block runs longer (SIGALRM
    interrupts even a pure-Python endless loop)."""

    def expire(signum: int, frame: object) -> None:
        raise Hung(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _obeys(booked: dict[str, list[float]], rate: float) -> None:
    everything = sorted(t for times in booked.values() for t in times)
    for earlier, later in itertools.pairwise(everything):
        assert later - earlier >= 1.0 / rate - 2e-6
    for times in booked.values():
        times = sorted(times)
        for limit, window in PER_CONVERSATION:
            for i in range(len(times) - limit):
                # Any `limit + 1` sends in a row span at least the window.
                assert times[i + limit] - times[i] >= window - 2e-6


@pytest.mark.parametrize("start", [0.0, 1e-7, 2.0**20, 2.0**20 + 0.1, 123456.789, 1e9])
def test_a_burst_of_50_to_one_conversation_finishes(start: float) -> None:
    """The review's hang: at rate 48.5 the tenth booking looped for ever."""
    pacer = Pacer(global_rate=48.5, clock=lambda: start)
    with deadline(5):
        waits = [pacer.reserve("c") for _ in range(50)]
    assert waits == sorted(waits)
    _obeys({"c": [start + w for w in waits]}, 48.5)


@settings(max_examples=150, deadline=None)
@given(
    rate=st.floats(min_value=0.5, max_value=500, allow_nan=False),
    start=st.floats(min_value=0, max_value=2.0**33, allow_nan=False),
    steps=st.lists(
        st.tuples(st.integers(0, 2), st.floats(min_value=0, max_value=3, allow_nan=False)),
        min_size=1,
        max_size=90,
    ),
)
def test_any_clock_rate_and_burst_books_legal_slots_quickly(
    rate: float, start: float, steps: list[tuple[int, float]]
) -> None:
    now = [start]
    pacer = Pacer(global_rate=rate, clock=lambda: now[0])
    booked: dict[str, list[float]] = {}
    with deadline(5):
        for conversation, advance in steps:
            now[0] += advance
            wait = pacer.reserve(f"c{conversation}")
            assert wait >= 0
            booked.setdefault(f"c{conversation}", []).append(now[0] + wait)
    _obeys(booked, rate)


def test_a_send_that_goes_back_to_the_outbox_books_nothing() -> None:
    with_refusal, without = (Pacer(global_rate=1000, clock=lambda: 0.0) for _ in range(2))
    for pacer in (with_refusal, without):
        for _ in range(60):
            pacer.reserve("busy")
    # The 61st send to this conversation would wait for the 30-second window ...
    assert with_refusal.reserve("busy", unless_over=5.0) > 5.0
    # ... and holds no slot: the next send elsewhere goes when it would have anyway.
    assert with_refusal.reserve("other") == without.reserve("other")
    assert with_refusal.reserve("busy", unless_over=5.0) == without.reserve("busy", unless_over=5.0)


def test_refuses_a_rate_or_window_that_cannot_work() -> None:
    with pytest.raises(ValueError):
        Pacer(global_rate=0)
    with pytest.raises(ValueError):
        Pacer(windows=((0, 1.0),))


def test_posts_and_card_edits_in_a_channel_share_its_limits() -> None:
    """Teams counts a channel as one conversation, its threads included: new
    posts and edits of posted cards are paced together."""
    from bot.out.sender import pace_key
    from storage.outbox import OutboxItem

    def item(kind: str, key: str) -> OutboxItem:
        return OutboxItem(1, "send", kind, key, None, {}, None, None, 0)

    post = item("channel", "19:c@thread.tacv2")
    edit = item("channel_thread", "19:c@thread.tacv2;messageid=42")
    other = item("channel_thread", "19:d@thread.tacv2;messageid=42")
    assert pace_key(post) == pace_key(edit) != pace_key(other)
    assert pace_key(item("personal", "aad-1")) != pace_key(item("personal", "aad-2"))
