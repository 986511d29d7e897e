"""storage.db.sqlite_inline: SQLite calls made inline on the event loop, lock waits that do not block it.

Real SQLite files throughout. The write lock is held by a plain `sqlite3`
connection (released from a timer thread) or by another OS process, the way
the CLI holds it while `serve` runs.
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, exc, text

import storage.db
from storage.db import Database, sqlite_inline

NOTES = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)"
SQLITE_BUSY = 5
CLOSED = r"^no active connection$"  # exactly what SQLAlchemy recognises


class Ticker:
    """Counts turns of the event loop every 10 ms: a blocked loop counts none."""

    def __init__(self) -> None:
        self.ticks = 0
        self._task = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(0.01)
            self.ticks += 1

    def stop(self) -> None:
        self._task.cancel()


# --- someone else holding SQLite's write lock -------------------------------------


class ThreadHolder:
    """A plain sqlite3 connection holding the write lock; a timer thread may release it."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=10
        )
        self._released = True
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def hold(self, note: str | None = None) -> None:
        self._conn.execute("BEGIN IMMEDIATE")
        self._released = False
        if note is not None:
            self._conn.execute("INSERT INTO notes (body) VALUES (?)", (note,))

    def release(self) -> None:
        with self._lock:
            if not self._released:
                self._released = True
                self._conn.execute("COMMIT")

    def release_after(self, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self.release)
        self._timer.start()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()
        self.release()
        self._conn.close()


_HOLDER_SCRIPT = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
conn.execute("BEGIN IMMEDIATE")
if len(sys.argv) > 2:
    conn.execute("INSERT INTO notes (body) VALUES (?)", (sys.argv[2],))
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
"""


class ProcessHolder:
    """Another OS process holding the write lock until it is told to commit."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def hold(self, note: str | None = None) -> None:
        args = [sys.executable, "-c", _HOLDER_SCRIPT, str(self._path)]
        if note is not None:
            args.append(note)
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        assert line.strip() == b"locked", f"holder process did not take the lock: {line!r}"

    def release(self) -> None:
        with self._lock:
            proc = self._proc
            if proc is not None and proc.stdin is not None and not proc.stdin.closed:
                proc.stdin.write(b"go\n")
                proc.stdin.close()
                assert proc.wait(timeout=30) == 0

    def release_after(self, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self.release)
        self._timer.start()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()
        if self._proc is not None:
            try:
                self.release()
            finally:
                if self._proc.poll() is None:
                    self._proc.kill()
                    self._proc.wait()
                assert self._proc.stdout is not None
                self._proc.stdout.close()


Holder = ThreadHolder | ProcessHolder


@pytest.fixture
def holders() -> Iterator[Callable[..., Holder]]:
    """`holders(path, kind="thread")`: a holder, closed (lock released) after the test."""
    made: list[Holder] = []

    def make(path: Path, kind: str = "thread") -> Holder:
        holder: Holder = ThreadHolder(path) if kind == "thread" else ProcessHolder(path)
        made.append(holder)
        return holder

    yield make
    for holder in made:
        holder.close()


# --- the Database with a `notes` table ---------------------------------------------


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "x.db"


@pytest.fixture
async def make_db(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`await make_db(busy_timeout=None)`: an upgraded Database with a `notes` table."""
    made: list[Database] = []

    async def make(busy_timeout: float | None = None) -> Database:
        if busy_timeout is not None:
            monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT", busy_timeout)
        database = Database(f"sqlite:///{db_path}")
        made.append(database)
        await database.upgrade()
        async with database.transaction() as session:
            await session.execute(text(NOTES))
        return database

    yield make
    for database in made:
        await database.dispose()


async def add_note(db: Database, body: str) -> None:
    async with db.transaction() as session:
        await session.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": body})


async def read_notes(db: Database) -> list[str]:
    async with db.transaction() as session:
        rows = await session.execute(text("SELECT body FROM notes ORDER BY id"))
        return list(rows.scalars())


def notes_on_disk(path: Path) -> list[str]:
    """What another reader of the file sees (committed data only)."""
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT body FROM notes ORDER BY id")]
    finally:
        conn.close()


# --- 1. the Database on sqlite_inline -----------------------------------------------


async def test_write_then_read(make_db: Any, db_path: Path) -> None:
    db = await make_db()
    async with db.transaction() as session:
        await session.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": "first"})
        await session.execute(
            text("INSERT INTO notes (body) VALUES (:b)"), [{"b": "second"}, {"b": "third"}]
        )
    assert await read_notes(db) == ["first", "second", "third"]
    assert notes_on_disk(db_path) == ["first", "second", "third"]

    async with db.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.driver_connection, sqlite_inline.Connection)
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        versions = (await conn.execute(text("SELECT count(*) FROM alembic_version"))).scalar()
        assert versions == 1


async def test_transaction_rolls_back_on_exception(make_db: Any, db_path: Path) -> None:
    db = await make_db()
    await add_note(db, "kept")

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO notes (body) VALUES ('lost')"))
            await session.execute(text("DELETE FROM notes WHERE body = 'kept'"))
            raise Boom

    assert await read_notes(db) == ["kept"]
    assert notes_on_disk(db_path) == ["kept"]
    # The pooled connection is left usable, outside any transaction.
    await add_note(db, "after")
    assert await read_notes(db) == ["kept", "after"]


async def test_sqlite_calls_run_on_the_event_loop_thread(make_db: Any) -> None:
    db = await make_db()
    await db.dispose()  # the next connection is made with the function below

    @event.listens_for(db.engine.sync_engine, "connect")
    def add_thread_function(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function("thread_ident", 0, threading.get_ident)

    async with db.transaction() as session:
        ident = (await session.execute(text("SELECT thread_ident()"))).scalar()
    assert ident == threading.get_ident()


async def test_concurrent_transactions_all_commit(make_db: Any) -> None:
    db = await make_db()
    await asyncio.gather(*(add_note(db, f"n{i}") for i in range(20)))
    assert sorted(await read_notes(db)) == sorted(f"n{i}" for i in range(20))


async def test_streamed_results(make_db: Any) -> None:
    db = await make_db()
    async with db.transaction() as session:
        await session.execute(
            text("INSERT INTO notes (body) VALUES (:b)"), [{"b": f"n{i:02}"} for i in range(50)]
        )
    async with db.engine.connect() as conn:
        result = await conn.stream(text("SELECT body FROM notes ORDER BY id"))
        bodies = [row[0] async for row in result]
    assert bodies == [f"n{i:02}" for i in range(50)]


async def test_closed_driver_connection_is_seen_as_a_disconnect(make_db: Any) -> None:
    """`ValueError("no active connection")` is what SQLAlchemy reads as a dead connection."""
    db = await make_db()
    await add_note(db, "before")
    async with db.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        await raw.driver_connection.close()
        with pytest.raises(exc.OperationalError, match="no active connection") as caught:
            await conn.execute(text("SELECT 1"))
        assert caught.value.connection_invalidated
    # The pool replaces the connection.
    await add_note(db, "after")
    assert await read_notes(db) == ["before", "after"]


# --- 2. waiting for another writer does not block the loop --------------------------


@pytest.mark.parametrize("kind", ["thread", "process"])
async def test_lock_wait_keeps_the_event_loop_running(
    kind: str, make_db: Any, holders: Any, db_path: Path
) -> None:
    db = await make_db()
    holder = holders(db_path, kind)
    holder.hold(note="held")

    ticker = Ticker()
    holder.release_after(0.3)
    started = time.monotonic()
    try:
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO notes (body) VALUES ('waited')"))
            seen = list(
                (await session.execute(text("SELECT body FROM notes ORDER BY id"))).scalars()
            )
        waited = time.monotonic() - started
        ticks_while_waiting = ticker.ticks
    finally:
        ticker.stop()

    # The write began only after the other writer committed, and then succeeded.
    assert seen == ["held", "waited"]
    assert waited >= 0.15, f"the write did not wait for the lock ({waited:.3f} s)"
    # ~30 ticks if the loop runs freely; none if the wait blocked it.
    assert ticks_while_waiting >= 5, (
        f"event loop ticked {ticks_while_waiting} times in a {waited:.3f} s lock wait"
    )
    assert notes_on_disk(db_path) == ["held", "waited"]


# --- 3. giving up after the busy timeout --------------------------------------------


async def test_write_fails_after_busy_timeout(make_db: Any, holders: Any, db_path: Path) -> None:
    db = await make_db(busy_timeout=0.3)
    holder = holders(db_path)
    holder.hold(note="held")

    ticker = Ticker()
    started = time.monotonic()
    try:
        with pytest.raises(exc.OperationalError, match="database is locked") as caught:
            async with db.transaction() as session:
                await session.execute(text("INSERT INTO notes (body) VALUES ('failed')"))
        elapsed = time.monotonic() - started
    finally:
        ticker.stop()

    assert isinstance(caught.value.orig, sqlite3.OperationalError)
    assert caught.value.orig.sqlite_errorcode & 0xFF == SQLITE_BUSY
    # Waited the busy timeout (not SQLite's own 0, nor the default 10 s) ...
    assert elapsed >= 0.29, f"gave up after {elapsed:.3f} s, before the busy timeout"
    assert elapsed < 5.0, f"gave up after {elapsed:.3f} s, far beyond the 0.3 s busy timeout"
    # ... without blocking the loop.
    assert ticker.ticks >= 5

    holder.release()
    assert await read_notes(db) == ["held"]
    assert notes_on_disk(db_path) == ["held"]
    # The connection that gave up is still good for the next write.
    await add_note(db, "later")
    assert await read_notes(db) == ["held", "later"]


# --- 4. other errors are not retried ------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "error", "message"),
    [
        ("INSERT INTO notes (body) VALUE ('x')", exc.OperationalError, "syntax error"),
        ("INSERT INTO no_such_table (body) VALUES ('x')", exc.OperationalError, "no such table"),
        ("INSERT INTO notes (body) VALUES ('kept')", exc.IntegrityError, "UNIQUE constraint"),
        ("INSERT INTO notes (body) VALUES (NULL)", exc.IntegrityError, "NOT NULL constraint"),
    ],
)
async def test_other_errors_are_raised_at_once(
    statement: str, error: type[Exception], message: str, make_db: Any, db_path: Path
) -> None:
    db = await make_db(busy_timeout=5.0)
    await add_note(db, "kept")

    started = time.monotonic()
    with pytest.raises(error, match=message):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO notes (body) VALUES ('in the same tx')"))
            await session.execute(text(statement))
    elapsed = time.monotonic() - started

    assert elapsed < 2.5, f"took {elapsed:.3f} s: the error was retried like a busy lock"
    assert await read_notes(db) == ["kept"]
    assert notes_on_disk(db_path) == ["kept"]


async def test_errors_at_once_directly(tmp_path: Path) -> None:
    conn = await sqlite_inline.connect(str(tmp_path / "d.db"), busy_timeout=5.0)
    try:
        await conn.execute(NOTES)
        await conn.execute("INSERT INTO notes (body) VALUES ('a')")
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="syntax error"):
            await conn.execute("SELEC 1")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            await conn.execute("INSERT INTO notes (body) VALUES ('a')")
        assert time.monotonic() - started < 2.5
    finally:
        await conn.close()


# --- 5. sqlite_inline.connect directly ----------------------------------------------


async def test_cursor_api(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    conn = await sqlite_inline.connect(str(path), busy_timeout=1.0)
    try:
        assert conn.isolation_level is None
        assert not conn.in_transaction
        await conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")

        consumed: list[int] = []

        def rows() -> Iterator[tuple[str]]:
            for i in range(10):
                consumed.append(i)
                yield (f"n{i}",)

        async with conn.cursor() as cursor:
            await cursor.executemany("INSERT INTO t (name) VALUES (?)", rows())
            assert cursor.rowcount == 10
        assert consumed == list(range(10))

        cursor = await conn.execute("INSERT INTO t (name) VALUES (?)", ("last",))
        assert cursor.lastrowid == 11
        assert cursor.rowcount == 1
        await cursor.close()

        cursor = await conn.execute("SELECT id, name FROM t WHERE id > ? ORDER BY id", (0,))
        assert [column[0] for column in cursor.description] == ["id", "name"]
        assert await cursor.fetchone() == (1, "n0")
        assert await cursor.fetchmany(3) == [(2, "n1"), (3, "n2"), (4, "n3")]
        cursor.arraysize = 2
        assert cursor.arraysize == 2
        assert await cursor.fetchmany() == [(5, "n4"), (6, "n5")]
        assert await cursor.fetchmany(size=1) == [(7, "n6")]
        assert await cursor.fetchall() == [(8, "n7"), (9, "n8"), (10, "n9"), (11, "last")]
        assert await cursor.fetchone() is None
        assert await cursor.fetchall() == []
        await cursor.close()

        cursor = await conn.cursor()
        await cursor.execute("SELECT count(*) FROM t")
        assert await cursor.fetchone() == (11,)
        await cursor.close()

        # Transactions are explicit: BEGIN, then commit() or rollback().
        await conn.execute("BEGIN")
        assert conn.in_transaction
        await conn.execute("DELETE FROM t")
        await conn.rollback()
        assert not conn.in_transaction
        await conn.execute("BEGIN IMMEDIATE")
        await conn.execute("INSERT INTO t (name) VALUES ('committed')")
        await conn.commit()
        assert not conn.in_transaction
        # commit()/rollback() outside a transaction do nothing.
        await conn.commit()
        await conn.rollback()

        await conn.create_function("double", 1, lambda x: x * 2)
        assert await (await conn.execute("SELECT double(21)")).fetchone() == (42,)
    finally:
        await conn.close()

    check = sqlite3.connect(path)
    try:
        assert check.execute("SELECT count(*) FROM t").fetchone() == (12,)
    finally:
        check.close()


async def test_close_twice_and_use_after_close(tmp_path: Path) -> None:
    conn = await sqlite_inline.connect(str(tmp_path / "d.db"))
    cursor = await conn.cursor()
    await conn.close()
    await conn.close()
    conn.stop()

    with pytest.raises(ValueError, match=CLOSED):
        await conn.execute("SELECT 1")
    with pytest.raises(ValueError, match=CLOSED):
        await conn.cursor()
    with pytest.raises(ValueError, match=CLOSED):
        async with conn.cursor():
            pass
    with pytest.raises(ValueError, match=CLOSED):
        await conn.commit()
    with pytest.raises(ValueError, match=CLOSED):
        await conn.rollback()
    with pytest.raises(ValueError, match=CLOSED):
        await conn.create_function("f", 0, lambda: 1)
    with pytest.raises(ValueError, match=CLOSED):
        _ = conn.in_transaction
    with pytest.raises(ValueError, match=CLOSED):
        _ = conn.isolation_level
    # A cursor opened before the close cannot run statements either.
    with pytest.raises(ValueError, match=CLOSED):
        await cursor.execute("SELECT 1")
    with pytest.raises(ValueError, match=CLOSED):
        await cursor.executemany("SELECT ?", [(1,)])


async def test_stop_then_close(tmp_path: Path) -> None:
    conn = await sqlite_inline.connect(str(tmp_path / "d.db"))
    conn.stop()
    conn.stop()
    await conn.close()
    with pytest.raises(ValueError, match=CLOSED):
        await conn.execute("SELECT 1")


async def test_executemany_generator_survives_a_busy_retry(tmp_path: Path, holders: Any) -> None:
    path = tmp_path / "d.db"
    conn = await sqlite_inline.connect(str(path), busy_timeout=10.0)
    try:
        await conn.execute(NOTES)
        holder = holders(path)
        holder.hold(note="held")
        holder.release_after(0.2)
        async with conn.cursor() as cursor:
            # Autocommit: the first row meets the lock, waits, and is tried again.
            await cursor.executemany(
                "INSERT INTO notes (body) VALUES (?)", ((f"g{i}",) for i in range(5))
            )
        cursor = await conn.execute("SELECT body FROM notes ORDER BY id")
        assert [row[0] for row in await cursor.fetchall()] == ["held"] + [f"g{i}" for i in range(5)]
    finally:
        await conn.close()


async def test_busy_timeout_directly(tmp_path: Path, holders: Any) -> None:
    path = tmp_path / "d.db"
    conn = await sqlite_inline.connect(str(path), busy_timeout=0.3)
    try:
        await conn.execute(NOTES)
        holder = holders(path)
        holder.hold()
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="database is locked") as caught:
            await conn.execute("BEGIN IMMEDIATE")
        elapsed = time.monotonic() - started
        assert caught.value.sqlite_errorcode & 0xFF == SQLITE_BUSY
        assert 0.29 <= elapsed < 5.0, f"gave up after {elapsed:.3f} s"
        assert not conn.in_transaction

        holder.release()
        await _writes_and_reads(conn)
    finally:
        await conn.close()


async def _writes_and_reads(conn: sqlite_inline.Connection) -> None:
    """The connection takes the write lock, writes, commits and reads it back."""
    await conn.execute("BEGIN IMMEDIATE")
    await conn.execute("INSERT INTO notes (body) VALUES ('after')")
    await conn.commit()
    cursor = await conn.execute("SELECT body FROM notes")
    assert await cursor.fetchall() == [("after",)]


async def test_cancelled_lock_wait_leaves_the_connection_usable(
    tmp_path: Path, holders: Any
) -> None:
    path = tmp_path / "d.db"
    conn = await sqlite_inline.connect(str(path), busy_timeout=30.0)
    try:
        await conn.execute(NOTES)
        holder = holders(path)
        holder.hold()
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(conn.execute("BEGIN IMMEDIATE"), 0.2)
        assert time.monotonic() - started < 10.0
        assert not conn.in_transaction

        holder.release()
        await _writes_and_reads(conn)
    finally:
        await conn.close()


# --- isolation levels set through SQLAlchemy -----------------------------------------


async def test_autocommit_isolation_level(make_db: Any) -> None:
    db = await make_db()
    async with db.engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        assert (await autocommit.execute(text("SELECT 1"))).scalar() == 1
        assert (await autocommit.execute(text(NOTES))).rowcount is not None
        await autocommit.execute(text("INSERT INTO notes (body) VALUES ('no commit needed')"))
    # The pool put the connection back in its usual mode: transactions still roll back.
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO notes (body) VALUES ('rolled back')"))
            raise RuntimeError("undo")
    assert await read_notes(db) == ["no commit needed"]


async def test_stale_snapshot_is_not_waited_for(tmp_path: Path) -> None:
    """SQLITE_BUSY_SNAPSHOT: waiting cannot help (only a new transaction can), so no retry."""
    path = str(tmp_path / "snapshot.db")
    conn = await sqlite_inline.connect(path, busy_timeout=5.0)
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute(NOTES)
    other = sqlite3.connect(path, isolation_level=None)
    await conn.execute("BEGIN")
    await (await conn.execute("SELECT count(*) FROM notes")).fetchall()
    other.execute("INSERT INTO notes (body) VALUES ('meanwhile')")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError) as raised:
        await conn.execute("INSERT INTO notes (body) VALUES ('stale')")
    assert raised.value.sqlite_errorcode == 517
    assert time.monotonic() - started < 2.5
    await conn.rollback()
    other.close()
    await conn.close()
