"""Shared plumbing for CLI commands that work on the database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar

from bot.cli import CliError, load_settings
from bot.settings import Settings
from storage.db import Database

T = TypeVar("T")


def run_with_db(work: Callable[[Database, Settings], Awaitable[T]]) -> T:
    """Open the configured database (migrated), run `work`, close it."""
    settings = load_settings()

    async def main() -> T:
        db = Database(settings.database_url)
        try:
            await db.upgrade()
            return await work(db, settings)
        finally:
            await db.dispose()

    return asyncio.run(main())


def parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{name}: expected a date as YYYY-MM-DD, got {value!r}") from None
