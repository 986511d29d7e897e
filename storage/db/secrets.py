"""Random keys made once and shared by every process on the database."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.db import Database
from storage.db.models import AppSecret


async def shared_secret(db: Database, name: str) -> str:
    """The key called `name`: made at first use (the first process to ask wins;
    the others read what it wrote)."""
    insert = pg_insert if db.dialect == "postgresql" else sqlite_insert
    async with db.transaction() as session:
        await session.execute(
            insert(AppSecret)
            .values(name=name, value=secrets.token_urlsafe(48))
            .on_conflict_do_nothing(index_elements=["name"])
        )
        value = await session.scalar(select(AppSecret.value).where(AppSecret.name == name))
    assert value is not None
    return value
