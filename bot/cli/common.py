"""What the CLI's command modules share: the error a person at the terminal can
fix, the settings, and a migrated database to work on."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import date
from typing import TypeVar

from pydantic import ValidationError

from bot.settings import Settings
from storage import desks
from storage.db import Database, scope


class CliError(Exception):
    """A problem the person at the terminal can fix; printed without a traceback."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise CliError(f"invalid configuration: {problems}") from None


T = TypeVar("T")


# `medvirk --desk CODE …`: the one desk the command sees (None: every desk).
DESK: ContextVar[str | None] = ContextVar("medvirk_cli_desk", default=None)


def run_with_db(work: Callable[[Database, Settings], Awaitable[T]]) -> T:
    """Open the configured database (migrated), run `work` in the desk scope
    `--desk` chose, close it."""
    settings = load_settings()

    async def main() -> T:
        db = settings.open_database()
        try:
            await db.upgrade()
            code = DESK.get()
            if code is None:
                return await work(db, settings)
            async with db.sessions() as session:
                desk = await desks.known(session, code)
            with scope.within({desk.id}):
                return await work(db, settings)
        finally:
            await db.dispose()

    return asyncio.run(main())


def parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{name}: expected a date as YYYY-MM-DD, got {value!r}") from None
