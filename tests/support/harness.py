"""The real app on a real port, as the scenario tests start it."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.app import SCHEDULER, SENDER, SERVICES
from bot.settings import Settings
from storage.db import Database
from tests.support.teams import TeamsClient


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "MicrosoftAppId": "",
        "MicrosoftAppPassword": "",
        "MEDVIRK_ADMINS": "admin-aad",
        "MEDVIRK_TICK_SECONDS": 1,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


class Harness:
    """The real app on a real port, with the fake connector as Teams."""

    def __init__(self, app: web.Application, server: TestServer, teams: TeamsClient) -> None:
        self.app = app
        self.server = server
        self.teams = teams
        self.connector = teams.connector

    @property
    def url(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    @property
    def services(self) -> Any:
        return self.app[SERVICES]

    @property
    def db(self) -> Database:
        return self.app[SERVICES].db

    async def tick(self) -> None:
        """One scheduler round (drain the outbox, plan reminders)."""
        await self.app[SCHEDULER].tick()

    async def drain(self) -> int:
        return await self.app[SENDER].drain()
