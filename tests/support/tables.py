"""Every row of every table, to prove that someone erased is nowhere."""

from __future__ import annotations

from sqlalchemy import text as sql

from storage.db.models import Base


async def every_row(db) -> list[str]:
    """Every row of every table, as text (`table: (values…)`)."""
    found = []
    async with db.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in await session.execute(sql(f'SELECT * FROM "{table.name}"')):
                found.append(f"{table.name}: {tuple(row)}")
    return found
