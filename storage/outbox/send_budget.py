"""The send budget shared by every process on one database (`scheduler.budget`).

One row per budget holds the next free slot. Taking a block of slots is one
`UPDATE … RETURNING`: the row lock orders concurrent takers, so no two
processes ever hold the same slot.
"""

from __future__ import annotations

from sqlalchemy import case, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.db import Database
from storage.db.models import SendBudget

TEAMS = "teams"


class SharedSlots:
    """A `SlotSource` kept in the database."""

    def __init__(self, db: Database, name: str = TEAMS) -> None:
        self._db = db
        self._name = name
        self._created = False

    async def take(self, count: int, interval: int, now: int) -> int:
        span = count * interval
        async with self._db.transaction() as session:
            if not self._created:
                insert = pg_insert if self._db.dialect == "postgresql" else sqlite_insert
                await session.execute(
                    insert(SendBudget)
                    .values(name=self._name, next_slot=0)
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                self._created = True
            end = await session.scalar(
                update(SendBudget)
                .where(SendBudget.name == self._name)
                .values(
                    next_slot=case((SendBudget.next_slot > now, SendBudget.next_slot), else_=now)
                    + span
                )
                .returning(SendBudget.next_slot)
            )
        if end is None:  # the row was deleted under us: make it again next time
            self._created = False
            return now
        return int(end) - span
