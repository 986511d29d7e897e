"""The real PostgreSQL server the suite runs its second half on."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket

PG_HOST, PG_PORT = "127.0.0.1", 5432


def postgres_answers() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            return True
    except OSError:
        return False


def pg_admin_sync(statement: str) -> None:
    """Run an admin statement on its own loop (fixtures may already run in one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, pg_admin(statement)).result()


async def pg_admin(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(user="postgres", host=PG_HOST, port=PG_PORT, database="test")
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def pg_execute(database: str, statement: str) -> None:
    """One statement on `database`, on its own connection."""
    import asyncpg

    conn = await asyncpg.connect(user="postgres", host=PG_HOST, port=PG_PORT, database=database)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def pg_fetch_sync(database: str, query: str) -> list[str]:
    """The first column of `query`'s rows on `database`."""

    async def fetch() -> list[str]:
        import asyncpg

        conn = await asyncpg.connect(user="postgres", host=PG_HOST, port=PG_PORT, database=database)
        try:
            return [row[0] for row in await conn.fetch(query)]
        finally:
            await conn.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fetch()).result()
