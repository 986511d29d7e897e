"""What a piece of work asks of the database: its statements, and in which
transactions (SQLAlchemy's engine events, on SQLite and PostgreSQL alike)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event

from storage.db import Database

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@dataclass
class Statement:
    sql: str
    # The write transaction it ran in (1, 2, ...), or 0 outside one (a read).
    transaction: int

    @property
    def writes(self) -> bool:
        return WRITE.match(self.sql) is not None

    def reads(self, table: str) -> bool:
        return not self.writes and re.search(rf"\b{table}\b", self.sql) is not None


@dataclass
class Counted:
    statements: list[Statement] = field(default_factory=list)
    write_transactions: int = 0
    commits: int = 0

    def after_first_write(self) -> list[Statement]:
        for index, statement in enumerate(self.statements):
            if statement.writes:
                return self.statements[index + 1 :]
        return []

    def summary(self) -> str:
        return "\n".join(
            f"[{s.transaction}] {' '.join(s.sql.split())[:150]}" for s in self.statements
        )


def _is_write(conn: Any) -> bool:
    options = conn.get_execution_options()
    return options.get("isolation_level") != "AUTOCOMMIT" and not options.get("medvirk_read_only")


@contextmanager
def counted(db: Database) -> Iterator[Counted]:
    """Every statement `db`'s engine runs inside the block (not BEGIN itself)."""
    found = Counted()
    engine = db.engine.sync_engine
    current: dict[int, int] = {}

    def begin(conn: Any) -> None:
        if _is_write(conn):
            found.write_transactions += 1
            current[id(conn)] = found.write_transactions

    def commit(conn: Any) -> None:
        if current.pop(id(conn), None) is not None:
            found.commits += 1

    def rollback(conn: Any) -> None:
        current.pop(id(conn), None)

    def execute(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        if not sql.lstrip().upper().startswith("BEGIN"):
            found.statements.append(Statement(sql, current.get(id(conn), 0)))

    listeners = {
        "begin": begin,
        "commit": commit,
        "rollback": rollback,
        "before_cursor_execute": execute,
    }
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    try:
        yield found
    finally:
        for name, listener in listeners.items():
            event.remove(engine, name, listener)
