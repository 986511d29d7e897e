"""SQLite for the async engine, run on the event loop's own thread.

aiosqlite runs every call on a worker thread: SQLAlchemy makes three or four
calls per statement (cursor, execute, fetch, close), and each is a hand-off to
that thread and back. Under load the worker waits for the GIL behind the busy
event loop, so a three-statement transaction cost milliseconds of waiting
(measured: BEGIN + SELECT + COMMIT ≈ 3.4 ms here, ≈ 0.1 ms inline).

A local SQLite call takes microseconds, so this module makes them inline. The
one call that can take long is a wait for another process's write lock (the
CLI while `serve` runs): SQLite's own busy handler would sleep on the loop's
thread, so the connection has no busy timeout and `SQLITE_BUSY` is retried
here with `asyncio.sleep`, until `busy_timeout` seconds have passed.

The objects have the shape SQLAlchemy's aiosqlite adapter uses (it is plugged
in through `create_async_engine(async_creator=...)`), nothing more.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Generator, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

_SQLITE_BUSY = 5
# In WAL mode: this transaction's snapshot is stale. Only a new transaction helps.
_SQLITE_BUSY_SNAPSHOT = 517
# First and longest pause between tries for a lock another process holds.
_FIRST_PAUSE = 0.001
_LONGEST_PAUSE = 0.05


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """Another connection holds a lock we need, and waiting may help."""
    code = getattr(error, "sqlite_errorcode", 0)
    return code & 0xFF == _SQLITE_BUSY and code != _SQLITE_BUSY_SNAPSHOT


class Cursor:
    """An aiosqlite-shaped cursor whose calls run inline."""

    def __init__(self, connection: Connection, cursor: sqlite3.Cursor) -> None:
        self._connection = connection
        self._cursor = cursor

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Any = None) -> Cursor:
        args = (sql,) if parameters is None else (sql, parameters)
        await self._connection._call(self._cursor.execute, *args)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> Cursor:
        # A generator of parameters cannot be replayed after a busy retry.
        rows = list(parameters)
        await self._connection._call(self._cursor.executemany, sql, rows)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _CursorOpening:
    """What `connection.cursor()` returns: awaitable, or an async context manager."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._cursor: Cursor | None = None

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._open().__await__()

    async def _open(self) -> Cursor:
        self._cursor = Cursor(self._connection, self._connection._raw().cursor())
        return self._cursor

    async def __aenter__(self) -> Cursor:
        return await self._open()

    async def __aexit__(self, *exc_info: Any) -> None:
        if self._cursor is not None:
            await self._cursor.close()


class _RunAtOnce:
    """Stands in for aiosqlite's queue of work for its thread: runs the work now."""

    @staticmethod
    def put_nowait(item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as error:
            future.set_exception(error)


class Connection:
    """An aiosqlite-shaped connection whose calls run inline."""

    # SQLAlchemy's adapter sets the isolation level through aiosqlite's raw
    # connection (`_conn`) and work queue (`_tx`).
    _tx = _RunAtOnce()

    def __init__(self, connection: sqlite3.Connection, busy_timeout: float) -> None:
        self._connection: sqlite3.Connection | None = connection
        self._busy_timeout = busy_timeout

    def _raw(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")
        return self._connection

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._raw()

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run one SQLite call; wait for another process's lock without blocking."""
        self._raw()
        deadline: float | None = None
        pause = _FIRST_PAUSE
        while True:
            try:
                return fn(*args)
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                now = time.monotonic()
                if deadline is None:
                    deadline = now + self._busy_timeout
                if now >= deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)

    def cursor(self) -> _CursorOpening:
        return _CursorOpening(self)

    async def execute(self, sql: str, parameters: Any = None) -> Cursor:
        cursor = await self.cursor()
        return await cursor.execute(sql, parameters)

    async def commit(self) -> None:
        await self._call(self._raw().commit)

    async def rollback(self) -> None:
        await self._call(self._raw().rollback)

    async def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()

    def stop(self) -> None:
        """Close at once (SQLAlchemy's terminate); nothing runs in the background."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._raw().create_function(*args, **kwargs)

    @property
    def isolation_level(self) -> str | None:
        return self._raw().isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        # SQLAlchemy sets "" (deferred) or None (autocommit); sqlite3 checks the value.
        self._raw().isolation_level = value  # type: ignore[assignment]

    @property
    def in_transaction(self) -> bool:
        return self._raw().in_transaction


async def connect(database: str, *, uri: bool = False, busy_timeout: float = 10.0) -> Connection:
    """Open `database`. SQLAlchemy emits BEGIN itself (no implicit transactions);
    SQLite's busy handler is off, `Connection` waits for locks instead."""
    # check_same_thread: SQLAlchemy's pool hands a connection to one user at a
    # time, whichever thread (a test's second event loop) that user runs on.
    raw = sqlite3.connect(
        database, uri=uri, timeout=0, isolation_level=None, check_same_thread=False
    )
    return Connection(raw, busy_timeout)
