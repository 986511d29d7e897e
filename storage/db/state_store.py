"""Key/value documents with optimistic concurrency, for dialog and turn state.

The bot layer wraps this in a Bot Framework `Storage`; this module knows only
JSON documents and integer etags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database, rowcount
from storage.db.models import DialogStateRow
from storage.domain.clock import Clock, SystemClock


class EtagConflict(Exception):
    """Someone else wrote this key since it was read."""

    def __init__(self, key: str) -> None:
        super().__init__(f"state for {key!r} changed since it was read")
        self.key = key


class StateStore:
    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    async def read(self, keys: Iterable[str]) -> dict[str, tuple[dict[str, Any], int]]:
        keys = list(keys)
        if not keys:
            return {}
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(DialogStateRow.key, DialogStateRow.data, DialogStateRow.etag).where(
                    DialogStateRow.key.in_(keys)
                )
            )
            return {key: (data, etag) for key, data, etag in rows}

    async def write(
        self,
        changes: Mapping[str, tuple[dict[str, Any], int | None]],
        *,
        person_key: str | None = None,
    ) -> dict[str, int]:
        """Write documents. An etag of None means "overwrite whatever is there";
        an int means "only if the stored etag is still this one" (0: must not exist)."""
        now = self._clock.now()
        new_etags: dict[str, int] = {}
        async with self._db.transaction() as session:
            for key, (data, expected) in changes.items():
                if expected is None:
                    current = await session.scalar(
                        select(DialogStateRow.etag).where(DialogStateRow.key == key)
                    )
                    expected = current if current is not None else 0
                if expected == 0:
                    try:
                        async with session.begin_nested():
                            await session.execute(
                                insert(DialogStateRow).values(
                                    key=key,
                                    data=data,
                                    etag=1,
                                    updated_at=now,
                                    person_key=person_key,
                                )
                            )
                    except IntegrityError as exc:
                        raise EtagConflict(key) from exc
                    new_etags[key] = 1
                    continue
                result = await session.execute(
                    update(DialogStateRow)
                    .where(DialogStateRow.key == key, DialogStateRow.etag == expected)
                    .values(data=data, etag=expected + 1, updated_at=now, person_key=person_key)
                )
                if rowcount(result) != 1:
                    raise EtagConflict(key)
                new_etags[key] = expected + 1
        return new_etags

    async def delete(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        if not keys:
            return
        async with self._db.transaction() as session:
            await session.execute(delete(DialogStateRow).where(DialogStateRow.key.in_(keys)))
