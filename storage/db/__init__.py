"""The async engine, session factory and schema migrations."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeAlias, cast

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, CursorResult, Result, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.sql import Insert, Select

from storage.db import (
    scope,  # noqa: F401  (registers the desk scope on every session)
    sqlite_inline,
)
from storage.db.fair_pool import FairAsyncPool

log = logging.getLogger(__name__)

# A SELECT of any columns (SQLAlchemy 2.1 types a statement by its columns).
AnySelect: TypeAlias = "Select[*tuple[Any, ...]]"

MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number: every `medvirk` process takes this lock while migrating.
_MIGRATION_LOCK_ID = 0x6D656476
# PostgreSQL: seconds to connect, to wait for a pooled connection, for one statement.
CONNECT_TIMEOUT = 3.0
POOL_TIMEOUT = 4.0
COMMAND_TIMEOUT = 10.0
# How long a SQLite write waits for another process (the CLI) to finish its own.
SQLITE_BUSY_TIMEOUT = 10.0
# A PostgreSQL connection idle this long is pinged before use.
PING_AFTER_IDLE_SECONDS = 10.0


def normalise_url(url: str) -> str:
    """Accept the URLs people write and pick the async driver for them."""
    parsed = make_url(url)
    driver = parsed.drivername
    if driver in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif driver == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_connector(url: str, busy_timeout: float) -> Callable[[], Awaitable[Any]]:
    parsed = make_url(url)
    database = parsed.database or ":memory:"
    uri = str(parsed.query.get("uri", "")).lower() in ("1", "true")

    async def connect() -> Any:
        return await sqlite_inline.connect(database, uri=uri, busy_timeout=busy_timeout)

    return connect


# Execution option of `Database.reading()` on SQLite: a read-only transaction.
_READ_ONLY = "medvirk_read_only"


def _begin_immediate(conn: Connection) -> None:
    options = conn.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return
    # A reader takes no lock (WAL); a writer takes the write lock at once.
    conn.exec_driver_sql("BEGIN" if options.get(_READ_ONLY) else "BEGIN IMMEDIATE")


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    url = normalise_url(url)
    # A database error would quote the statement's values (names, free text) in
    # its message, and so in a log line: never.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        # SQLite has one writer at a time; one connection per process queues
        # turns fairly in the pool instead of in SQLite's sleeping busy handler
        # (which made the slowest turns several times slower). Other processes
        # (the CLI while `serve` runs) are waited for by `sqlite_inline`.
        kwargs.setdefault("poolclass", FairAsyncPool)
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", 20)
        engine = create_async_engine(
            url, async_creator=_sqlite_connector(url, SQLITE_BUSY_TIMEOUT), **kwargs
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        # SQLite: take the write lock at BEGIN, so a read-then-write never meets
        # a lock upgrade deadlock; the busy wait makes writers queue.
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    # Twenty people pressing one card at once each hold a connection for a moment:
    # connections beyond `pool_size` are opened and closed again per burst.
    kwargs.setdefault("poolclass", FairAsyncPool)
    kwargs.setdefault("pool_size", 20)
    # The connection used last is used next (waiters are still served in
    # order): the few a quiet day needs stay warm, with their prepared
    # statements and plans, instead of each of twenty preparing its own.
    kwargs.setdefault("pool_use_lifo", True)
    kwargs.setdefault("max_overflow", 10)
    # A database that does not answer is an error within seconds, not a minute:
    # the turn gets its apology, /healthz its 503.
    kwargs.setdefault("pool_timeout", POOL_TIMEOUT)
    if url.startswith("postgresql+asyncpg"):
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("timeout", CONNECT_TIMEOUT)
        connect_args.setdefault("command_timeout", COMMAND_TIMEOUT)
        # asyncpg prepares every statement; PostgreSQL's default plan cache
        # (`auto`: a plan for all values kept after five runs where it costs
        # no more than planning each run) holds here. A suggestion's
        # statement has connections of its own that keep its plan from the
        # first run (`Database.reading(fixed_plan=True)`).
        kwargs["connect_args"] = connect_args
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine, "checkin", _note_idle_since)
    event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    return engine


def _note_idle_since(dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """Ping a connection that sat idle before handing it out.

    SQLAlchemy's `pool_pre_ping` pings at every checkout: three round trips on
    asyncpg (BEGIN, a query, ROLLBACK), a third of a busy claim's. A connection
    in steady use is known to be alive; one idle for a while may have been
    cut (a database restart, a firewall), and a failed ping makes the pool
    replace it before anyone uses it.
    """
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as error:
        log.info("a pooled connection did not answer; replacing it (%s)", type(error).__name__)
        raise DisconnectionError() from error


_BACKGROUND: set[asyncio.Future[None]] = set()
# Set in a session's `info` when it wrote outbox rows (`storage.notifications`).
OUTBOX_WRITTEN = "medvirk.outbox_written"


async def _select_one(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


class Database:
    """One engine and its session factory for the life of a process."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = normalise_url(url)
        self.engine = create_engine(self.url, **engine_kwargs)
        # Health checks have a connection of their own: they never wait behind
        # turns for the pool, nor take a turn's place in it.
        self._health: AsyncEngine | None = None
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Called after a transaction that wrote outbox rows commits (the sender
        # wakes up instead of waiting for its next tick).
        self.after_outbox_commit: list[Callable[[], None]] = []
        reads = (
            {_READ_ONLY: True}  # a deferred BEGIN costs nothing on SQLite
            if self.dialect == "sqlite"
            else {"isolation_level": "AUTOCOMMIT"}
        )
        self._read_sessions = async_sessionmaker(
            self.engine.execution_options(**reads), expire_on_commit=False
        )
        # PostgreSQL: a few connections of their own for reads whose plan is
        # the same for every value by construction (`storage.pool.matching`'s one
        # statement of a suggestion): planned once, at its first run on a
        # connection, instead of at each of its first five runs (2.3 ms each,
        # five times the run itself).
        self._fixed_plans: AsyncEngine | None = None
        self._fixed_plan_sessions = self._read_sessions
        if self.dialect == "postgresql":
            self._fixed_plans = create_engine(
                self.url,
                pool_size=2,
                max_overflow=3,
                connect_args={"server_settings": {"plan_cache_mode": "force_generic_plan"}},
            )
            self._fixed_plan_sessions = async_sessionmaker(
                self._fixed_plans.execution_options(**reads), expire_on_commit=False
            )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits together, or not at all."""
        async with _closed_after(self.sessions()) as session:
            async with session.begin():
                yield session
            if session.info.pop(OUTBOX_WRITTEN, False):
                for listener in self.after_outbox_commit:
                    listener()

    @asynccontextmanager
    async def reading_noted(
        self,
        note: Insert,
        note_params: dict[str, Any],
        read: AnySelect,
        read_params: dict[str, Any],
        *,
        fixed_plan: bool = False,
    ) -> AsyncIterator[tuple[AsyncSession, Result[*tuple[Any, ...]]]]:
        """Reads that are noted: `note` (a read's audit row, an INSERT whose
        SELECT finds what it names) is committed, durable, by the time `read`'s
        result is handed over, so nothing read is shown before it is noted.
        Yields the reading session (`reading(fixed_plan=...)`) and `read`'s
        result. Each statement is given its own values (SQLAlchemy keys a
        compiled INSERT by the names it is given); a name both use must mean
        the same. On PostgreSQL the row goes in with `read` itself, one
        statement in autocommit (a data-modifying WITH runs to completion
        whatever the query reads, and commits with it): no second round trip
        or connection. On SQLite (no such WITH, and no round trips) the row and
        the reads share one short write transaction."""
        if self.dialect != "postgresql":
            async with self.transaction() as session:
                await session.execute(note, note_params)
                yield session, await session.execute(read, read_params)
            return
        async with self.reading(fixed_plan=fixed_plan) as session:
            yield session, await session.execute(_noted(note, read), {**note_params, **read_params})

    @asynccontextmanager
    async def reading(self, *, fixed_plan: bool = False) -> AsyncIterator[AsyncSession]:
        """A session for reads: what is committed, without a write transaction.
        On PostgreSQL each statement runs on its own (one round trip, no BEGIN
        or COMMIT); on SQLite in a deferred, lock-free read transaction.
        `fixed_plan`: its statements' plans do not depend on their values, and
        PostgreSQL is to keep one from the first run. Never write through it."""
        sessions = self._fixed_plan_sessions if fixed_plan else self._read_sessions
        async with _closed_after(sessions()) as session:
            yield session

    async def ping(self, timeout: float = 3.0) -> None:
        """The database answers a query within `timeout` seconds, or this raises
        TimeoutError at once (a hung check is left to give up in the background:
        the driver spends seconds cancelling a query on a dead connection)."""
        if self._health is None:
            self._health = create_engine(self.url, pool_size=1, max_overflow=0)
        check = asyncio.ensure_future(_select_one(self._health))
        done, _ = await asyncio.wait({check}, timeout=timeout)
        if not done:
            check.cancel()
            _BACKGROUND.add(check)
            check.add_done_callback(_BACKGROUND.discard)
            raise TimeoutError("the database did not answer")
        check.result()

    async def upgrade(self) -> None:
        await upgrade(self.engine)

    async def open_pool(self) -> int:
        """Open the pool's standing connections now, at start, not in the first
        burst of turns (twenty people pressing a card on a cold morning would
        otherwise each wait for a new PostgreSQL backend). Returns how many."""
        size = getattr(self.engine.pool, "size", lambda: 0)()
        if self.dialect == "sqlite" or size <= 1:
            return 0

        async def hold(ready: asyncio.Barrier) -> None:
            async with self.engine.connect() as conn:
                await conn.exec_driver_sql("SELECT 1")
                await ready.wait()  # all open at once, so each is a new one

        ready = asyncio.Barrier(size)
        await asyncio.gather(*(hold(ready) for _ in range(size)))
        return size

    async def analyze(self, *tables: str) -> None:
        """Refresh PostgreSQL's statistics of `tables` after a change to many of
        their rows (an import, the nightly recount), as autovacuum would a
        while later: with none, it takes the pool for a handful of people and
        sorts it for a suggestion instead of walking the rotation index (4 ms
        instead of 0.1 ms at 10,000 people). SQLite's planner needs none."""
        if self.dialect == "sqlite":
            return
        async with self.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in tables:
                if not table.isidentifier():
                    raise ValueError(f"not a table name: {table!r}")
                await auto.exec_driver_sql(f"ANALYZE {table}")

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._fixed_plans is not None:
            await self._fixed_plans.dispose()
        if self._health is not None:
            await self._health.dispose()


@asynccontextmanager
async def _closed_after(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """Close `session` when the block ends.

    On success it is closed inline, not in a task of its own as `async with
    session` does: that task put each finished turn behind every turn queued
    meanwhile (after a commit the connection is already back in the pool, so
    there is nothing to wait for). On failure it is closed to the end even if
    the caller is being cancelled.
    """
    try:
        yield session
    except BaseException:
        await _close_even_if_cancelled(session)
        raise
    await session.close()


async def _close_even_if_cancelled(session: AsyncSession) -> None:
    """Close (roll back, release the connection) to the end, even when the
    caller is being cancelled: a half-closed session would leak its connection."""
    closing = asyncio.ensure_future(session.close())
    cancelled: BaseException | None = None
    while not closing.done():
        try:
            await asyncio.shield(closing)
        except asyncio.CancelledError as error:
            cancelled = error
    closing.result()
    if cancelled is not None:
        raise cancelled


def alembic_config(connection: Connection | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise RuntimeError(f"a migration left rows without their parent in {tables}")


async def upgrade(engine: AsyncEngine) -> None:
    """Apply every pending migration (idempotent, safe with several processes)."""
    await migrate(engine, "upgrade", "head")
    log.info("database schema is up to date")


async def migrate(engine: AsyncEngine, direction: str, revision: str) -> None:
    """`alembic upgrade|downgrade <revision>` on `engine`, in one transaction.

    SQLite alters a table by making it anew (alembic's batch mode: copy, drop,
    rename), and dropping a table that other tables' rows refer to fails while
    foreign keys are enforced: so on SQLite they are off during the migration
    (a pragma that holds outside a transaction only) and checked whole before
    it commits, as SQLite's documentation of ALTER TABLE prescribes."""
    if direction not in ("upgrade", "downgrade"):
        raise ValueError(f"not a direction: {direction!r}")

    def run(connection: Connection) -> None:
        from alembic import command

        if connection.dialect.name == "postgresql":
            # Several processes may start at once: one migrates, the others wait.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
            )
        getattr(command, direction)(alembic_config(connection), revision)
        if connection.dialect.name == "sqlite":
            _check_foreign_keys(connection)

    def run_sqlite(connection: Connection) -> None:
        # The pragma on the driver's connection (in autocommit: SQLAlchemy
        # begins its transactions itself), before and after the transaction.
        raw = connection.connection.dbapi_connection
        assert raw is not None
        _pragma(raw, "foreign_keys=OFF")
        try:
            with connection.begin():
                run(connection)
        finally:
            _pragma(raw, "foreign_keys=ON")

    async with engine.connect() as conn:
        if is_sqlite(engine):
            await conn.run_sync(run_sqlite)
        else:
            async with conn.begin():
                await conn.run_sync(run)


def _pragma(dbapi_connection: Any, pragma: str) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


@functools.lru_cache(maxsize=16)
def _noted(note: Insert, read: AnySelect) -> AnySelect:
    """`read` with `note` run beside it (PostgreSQL's data-modifying WITH),
    built once per pair of statements."""
    return read.add_cte(note.cte("noted"))


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE touched (its result is a `CursorResult`)."""
    return cast(CursorResult[Any], result).rowcount or 0
