"""What the benchmarks share: a database of their own on the local PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable


async def postgres_database(
    prefix: str = "medvirk_bench",
) -> tuple[str, Callable[[], Awaitable[None]]] | None:
    """A new database on 127.0.0.1:5432 and how to drop it; None if none answers."""
    try:
        import asyncpg

        conn = await asyncpg.connect(user="postgres", host="127.0.0.1", port=5432, database="test")
    except (OSError, Exception):
        return None
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    await conn.execute(f'CREATE DATABASE "{name}"')

    async def drop() -> None:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}", drop
