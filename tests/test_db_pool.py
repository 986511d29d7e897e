"""The pools: idle PostgreSQL connections are pinged before use, busy ones are
not; reads outside a transaction on both databases."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import event, text

import storage.db
from storage.db import Database

PG_TEST_DSN = "postgresql://postgres@127.0.0.1:5432/test"


async def _backend_pid(db: Database) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(text("SELECT pg_backend_pid()")))


async def _terminate(pid: int) -> None:
    """Cut a connection from the server's side, as a restart would."""
    admin = await asyncpg.connect(PG_TEST_DSN)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


@pytest.mark.postgres
async def test_a_connection_cut_while_idle_is_replaced_unnoticed(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE_SECONDS", 0.0)
    db = Database(postgres_database, pool_size=1, max_overflow=1)
    try:
        pid = await _backend_pid(db)
        await _terminate(pid)
        assert await _backend_pid(db) != pid
    finally:
        await db.dispose()


@pytest.mark.postgres
async def test_a_connection_in_steady_use_is_not_pinged(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE_SECONDS", 3600.0)
    db = Database(postgres_database, pool_size=1, max_overflow=0)
    statements: list[str] = []
    event.listen(
        db.engine.sync_engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *args: statements.append(statement),
    )
    pings = 0
    original = type(db.engine.sync_engine.dialect).do_ping

    def counting_ping(dialect: object, dbapi_connection: object) -> bool:
        nonlocal pings
        pings += 1
        return original(dialect, dbapi_connection)

    monkeypatch.setattr(type(db.engine.sync_engine.dialect), "do_ping", counting_ping)
    try:
        for _ in range(5):
            await _backend_pid(db)
        assert pings == 0
        assert statements == ["SELECT pg_backend_pid()"] * 5
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)
async def test_reading_sees_committed_data_without_a_transaction(db: Database) -> None:
    statements: list[str] = []
    event.listen(
        db.engine.sync_engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *args: statements.append(statement),
    )
    statements.clear()
    async with db.reading() as session:
        version = (await session.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    assert version  # what `upgrade()` committed
    # No write lock: PostgreSQL sends the statement alone, SQLite begins a reader.
    expected = ["BEGIN"] if db.dialect == "sqlite" else []
    assert statements == [*expected, "SELECT version_num FROM alembic_version"]


async def test_a_process_keeps_to_the_connections_it_is_given() -> None:
    """MEDVIRK_DB_CONNECTIONS sizes the PostgreSQL pool (two thirds kept, the
    rest for bursts), so that several processes stay under max_connections;
    SQLite keeps its one connection whatever it says."""
    from bot.settings import Settings

    pg = Settings(_env_file=None, DATABASE_URL=PG_TEST_DSN, MEDVIRK_DB_CONNECTIONS="6")
    db = pg.open_database()
    try:
        pool = db.engine.pool
        assert (pool.size(), pool._max_overflow) == (4, 2)  # type: ignore[attr-defined]
    finally:
        await db.dispose()
    lite = Settings(_env_file=None, DATABASE_URL="sqlite:///x.db", MEDVIRK_DB_CONNECTIONS="6")
    db = lite.open_database()
    try:
        assert (db.engine.pool.size(), db.engine.pool._max_overflow) == (1, 0)  # type: ignore[attr-defined]
    finally:
        await db.dispose()
