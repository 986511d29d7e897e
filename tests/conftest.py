"""Shared fixtures: a database per backend, the fake connector, the real app."""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from hypothesis import settings as hypothesis_settings

from bot.app import create_app
from storage.db import Database, scope
from storage.domain.clock import FixedClock
from tests.support.env import IN_CI, OSLO
from tests.support.fake_connector import FakeConnector
from tests.support.harness import Harness, make_settings
from tests.support.postgres import (
    PG_HOST,
    PG_PORT,
    pg_admin_sync,
    pg_execute,
    pg_fetch_sync,
    postgres_answers,
)
from tests.support.smtp import SmtpServer
from tests.support.teams import TeamsClient
from tests.support.tiers import tier_of

# Property tests explore new examples on a developer's machine; in CI they run
# the same examples every time, so a landing is never decided by a random draw
# (what exploration finds becomes an explicit example).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    hypothesis_settings.load_profile("ci")


# The longest test starts first, so no worker is left running it alone at the
# end of a run (xdist hands out tests in collection order).
LONGEST_FIRST = ("test_same_as_msrest_for_generated",)


def _start_rank(item: pytest.Item) -> int:
    name = getattr(item, "originalname", item.name)
    return next((i for i, long in enumerate(LONGEST_FIRST) if name.startswith(long)), 99)


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by them
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(tier_of(item))
    items.sort(key=_start_rank)  # stable: the rest keep their order


# The schema is migrated once per test run (per worker and dialect) and emptied
# for each test: a migration from nothing took ~0.5 s, a test's emptying takes
# a copied file (SQLite) or one TRUNCATE (PostgreSQL).


def _migrate_sync(url: str) -> None:
    """Migrate on a loop of its own (session fixtures run outside the tests' loops)."""

    async def run() -> None:
        database = Database(url)
        try:
            await database.upgrade()
        finally:
            await database.dispose()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "medvirk.db"
    _migrate_sync(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """One migrated PostgreSQL database for this test run and worker (named
    uniquely, dropped after)."""
    if not postgres_answers():
        if IN_CI:
            pytest.fail("PostgreSQL does not answer on 127.0.0.1:5432, and CI must test it")
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432 (start it to run this half)")
    name = f"medvirk_t_{uuid.uuid4().hex[:10]}"
    pg_admin_sync(f'CREATE DATABASE "{name}"')
    url = f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    try:
        _migrate_sync(url)
        yield url
    finally:
        pg_admin_sync(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_emptying(postgres_database: str) -> str:
    """The one statement that empties every table of the migrated schema."""
    name = postgres_database.rsplit("/", 1)[1]
    tables = pg_fetch_sync(
        name,
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'alembic_version' ORDER BY tablename",
    )
    quoted = ", ".join(f'"{t}"' for t in tables)
    # The desk `default` is the migration's (0015), as on a new database.
    return (
        f"TRUNCATE {quoted} RESTART IDENTITY CASCADE; "
        "INSERT INTO desks (id, code, name_nb, name_nn, name_en, invoices, admins,"
        " outside_orders, created_at) VALUES (1, 'default', 'Prioriteringsteamet',"
        " 'Prioriteringsteamet', 'The priority team', false, '[]', false, now()); "
        "SELECT setval('desks_id_seq', 1)"
    )


@pytest.fixture(autouse=True)
def _every_desk() -> Iterator[None]:
    """A test body sees every desk, as a CLI command does; the app's turns are
    narrowed by their guards as in production (storage/db/scope.py)."""
    with scope.within(scope.ALL_DESKS):
        yield


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test on a database runs on both dialects, unless it names its
    backend itself or is marked `sqlite_only` (its subject has no SQL of its
    own: the SQL it passes through is tested on both elsewhere)."""
    if "backend" not in metafunc.fixturenames or _parametrizes_backend(metafunc):
        return
    only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    metafunc.parametrize("backend", ["sqlite"] if only else ["sqlite", "postgres"], indirect=True)


def _parametrizes_backend(metafunc: pytest.Metafunc) -> bool:
    for mark in metafunc.definition.iter_markers("parametrize"):
        names = mark.args[0]
        if isinstance(names, str):
            names = [name.strip() for name in names.split(",")]
        if "backend" in names:
            return True
    return False


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    return request.param


@pytest.fixture
async def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A migrated, empty database of the test's backend."""
    if backend == "sqlite":
        path = tmp_path / "medvirk.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    await pg_execute(url.rsplit("/", 1)[1], request.getfixturevalue("postgres_emptying"))
    return url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
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


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""
    server = SmtpServer().start()
    try:
        yield server
    finally:
        server.stop()


# The fake SMSC (SMPP 3.4 on loopback) for the SMS tests.
from tests.support.sms import fake_smpp  # noqa: E402, F401
