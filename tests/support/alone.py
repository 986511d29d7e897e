"""Tests that measure time run alone: while one runs, no other pytest-xdist
worker runs a test (a file lock with writer preference).

Every test holds the lock shared; a test marked `alone` holds it exclusively.
A waiting `alone` test is let in before any new shared holder (the turnstile),
so it never starves behind a stream of quick tests."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def _flock(path: Path, mode: int) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, mode)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextmanager
def held(folder: Path, *, alone: bool) -> Iterator[None]:
    turnstile, room = folder / "turnstile.lock", folder / "room.lock"
    if alone:
        with _flock(turnstile, fcntl.LOCK_EX), _flock(room, fcntl.LOCK_EX):
            yield
        return
    with _flock(turnstile, fcntl.LOCK_EX):
        fd = os.open(room, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_SH)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
