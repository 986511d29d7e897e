"""Shared fixtures: a database per backend, the fake connector, the real app."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from bot.app import create_app
from bot.fake_connector import FakeConnector
from storage.db import Database
from storage.domain.clock import FixedClock
from tests.support import alone
from tests.support.env import IN_CI, OSLO
from tests.support.harness import Harness, make_settings
from tests.support.postgres import PG_HOST, PG_PORT, pg_admin_sync, postgres_answers
from tests.support.smtp import SmtpServer
from tests.support.teams import TeamsClient

# Property tests explore new examples on a developer's machine; in CI they run
# the same examples every time, so a landing is never decided by a random draw
# (what exploration finds becomes an explicit example).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """One PostgreSQL database for this test run (named uniquely, dropped after)."""
    if not postgres_answers():
        if IN_CI:
            pytest.fail("PostgreSQL does not answer on 127.0.0.1:5432, and CI must test it")
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432 (start it to run this half)")
    name = f"medvirk_t_{uuid.uuid4().hex[:10]}"
    pg_admin_sync(f'CREATE DATABASE "{name}"')
    url = f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    try:
        yield url
    finally:
        pg_admin_sync(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _truncate_all(url: str) -> None:
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            rows = await conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
            tables = [r[0] for r in rows]
            if tables:
                quoted = ", ".join(f'"{t}"' for t in tables)
                await conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    finally:
        await db.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    return request.param


@pytest.fixture
async def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A clean database of the test's backend."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'medvirk.db'}"
    url = request.getfixturevalue("postgres_database")
    await _truncate_all(url)
    return url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await database.upgrade()
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    """Monday 23 November 2026, 10:00 in Oslo."""
    return FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=OSLO))


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
async def start_bot(
    database_url: str, connector: FakeConnector, clock: FixedClock, tmp_path: Path
) -> AsyncIterator[Any]:
    """Start (and restart) the app on the test's database: `await start_bot(**settings)`."""
    running: list[tuple[TestServer, aiohttp.ClientSession]] = []

    async def start(**overrides: Any) -> Harness:
        overrides.setdefault("MEDVIRK_MAIL_DIR", str(tmp_path / "mail"))
        settings = make_settings(database_url, **overrides)
        app = create_app(settings, clock=clock, run_scheduler=False)
        server = TestServer(app)
        await server.start_server()
        http = aiohttp.ClientSession()
        running.append((server, http))
        return Harness(
            app, server, TeamsClient(http, str(server.make_url("")).rstrip("/"), connector)
        )

    async def stop_all() -> None:
        while running:
            server, http = running.pop()
            await http.close()
            await server.close()

    start.stop_all = stop_all  # type: ignore[attr-defined]
    try:
        yield start
    finally:
        await stop_all()


@pytest.fixture
async def bot(start_bot: Any) -> Harness:
    return await start_bot()


@pytest.fixture(autouse=True)
def _one_timing_test_at_a_time(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Tests marked `alone` run while no other worker runs a test."""
    folder = tmp_path_factory.getbasetemp().parent  # shared by the xdist workers
    with alone.held(folder, alone=request.node.get_closest_marker("alone") is not None):
        yield


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""
    server = SmtpServer().start()
    try:
        yield server
    finally:
        server.stop()
