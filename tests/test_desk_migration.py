"""An installation from before desks migrates to the desk `default` with nothing
lost (issue 25), on SQLite and PostgreSQL.

tests/fixtures/previous_release_0014.json is every row of a database the
previous release (2721339, schema 0014) filled through its own code: requests
in every status, a pool, invitations, signed agreements, fee claims,
evaluations, reminders, the outbox (tests/support/previous_release.py made
it; tests/fixtures/README.md says how). Each test loads it with plain INSERTs
into a database migrated to 0014, then upgrades.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from storage.db import Database, alembic_config, migrate
from storage.db.models import Base, Desk, DeskScoped, Request, UTCDateTime
from storage.domain.requests import Status
from tests.support.channel import MEMBERS, fetch, seed_request
from tests.support.env import IN_CI
from tests.support.fake_connector import FakeConnector
from tests.support.postgres import PG_HOST, PG_PORT, pg_admin, postgres_answers
from tests.support.teams import CHANNEL_ID, TEAM_ID

FIXTURE = Path(__file__).parent / "fixtures" / "previous_release_0014.json"
BEFORE_DESKS = "0014"
# The table 0015 turns into the desk `default`.
DROPPED = "priority_channel"

_TYPES: dict[str, Any] = {
    "datetime": UTCDateTime(),
    "date": sa.Date(),
    "json": sa.JSON(),
    "bool": sa.Boolean(),
    "int": sa.BigInteger(),
    "str": sa.String(),
}


def _dump(service_url: str) -> dict[str, Any]:
    """The fixture, its Teams service URL (the fake connector's of the run that
    made it) made this run's, as Teams' own is the same before and after an
    upgrade."""
    text = FIXTURE.read_text()
    made_with = json.loads(text)["tables"][DROPPED]["rows"][0]["service_url"]
    dumped: dict[str, Any] = json.loads(text.replace(made_with, service_url))
    return dumped


def _decoded(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    return value


def _table(name: str, dumped: dict[str, Any]) -> sa.Table:
    """The table as the dump describes it (only the columns it had at 0014)."""
    kinds = dumped["columns"]
    return sa.Table(name, sa.MetaData(), *(sa.Column(c, _TYPES[k]) for c, k in kinds.items()))


def _expected(dumped: dict[str, Any]) -> list[dict[str, Any]]:
    kinds = dumped["columns"]
    return [{c: _decoded(row[c], kinds[c]) for c in kinds} for row in dumped["rows"]]


async def _load(db: Database, tables: dict[str, Any]) -> None:
    """Every row, with plain INSERTs, in the dump's order (parents first)."""
    async with db.engine.begin() as conn:
        for name, dumped in tables.items():
            if dumped["rows"]:
                await conn.execute(sa.insert(_table(name, dumped)), _expected(dumped))
        if db.dialect == "postgresql":
            # As a restore does: each sequence goes on after the ids it was given.
            for name, dumped in tables.items():
                if dumped["key"] != ["id"] or not dumped["rows"]:
                    continue
                sequence = await conn.scalar(
                    sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name}
                )
                if sequence is not None:
                    await conn.execute(
                        sa.text(f"SELECT setval('{sequence}', (SELECT max(id) FROM {name}))")
                    )


async def _rows(db: Database, name: str, dumped: dict[str, Any]) -> list[dict[str, Any]]:
    table = _table(name, dumped)
    async with db.engine.connect() as conn:
        found = await conn.execute(sa.select(table).order_by(*(table.c[k] for k in dumped["key"])))
        return [dict(row) for row in found.mappings()]


async def _assert_every_row_kept(db: Database, tables: dict[str, Any], *, but: str = "") -> None:
    for name, dumped in tables.items():
        if name == but:
            continue
        assert await _rows(db, name, dumped) == _expected(dumped), f"{name} changed"


@pytest.fixture
async def previous_release(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database migrated to 0014, the release before desks."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'medvirk.db'}"
        name = None
    else:
        if not postgres_answers():
            if IN_CI:
                pytest.fail("PostgreSQL does not answer on 127.0.0.1:5432, and CI must test it")
            pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
        name = f"medvirk_m_{uuid.uuid4().hex[:10]}"
        await pg_admin(f'CREATE DATABASE "{name}"')
        url = f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    database = Database(url)
    try:
        await migrate(database.engine, "upgrade", BEFORE_DESKS)
    finally:
        await database.dispose()
    try:
        yield url
    finally:
        if name is not None:
            await pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def dump(connector: FakeConnector) -> dict[str, Any]:
    return _dump(connector.url)


@pytest.fixture
async def database_url(previous_release: str, dump: dict[str, Any]) -> str:
    """The previous release's database, loaded at 0014 and upgraded to head
    (`start_bot` starts the app on it)."""
    database = Database(previous_release)
    try:
        await _load(database, dump["tables"])
        await database.upgrade()
    finally:
        await database.dispose()
    return previous_release


def test_the_fixture_is_the_previous_releases_every_table() -> None:
    dumped = json.loads(FIXTURE.read_text())
    assert dumped["revision"] == BEFORE_DESKS
    assert dumped["commit"].startswith("2721339")
    tables = dumped["tables"]
    assert [name for name, t in tables.items() if not t["rows"]] == []
    statuses = {r["status"] for r in tables["requests"]["rows"]}
    assert statuses == {s.value for s in Status}
    assert {r["status"] for r in tables["fee_claims"]["rows"]} == {"draft", "confirmed", "paid"}
    assert {r["status"] for r in tables["evaluations"]["rows"]} == {"asked", "answered"}
    assert {r["status"] for r in tables["invitations"]["rows"]} == {
        "invited",
        "accepted",
        "declined",
        "expired",
        "left",
    }
    assert {r["status"] for r in tables["participants"]["rows"]} == {
        "pending",
        "active",
        "paused",
        "left",
    }


async def test_every_row_is_kept_and_is_the_desk_defaults(db, dump) -> None:
    tables = dump["tables"]
    await _assert_every_row_kept(db, tables, but=DROPPED)
    async with db.engine.connect() as conn:
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert await conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == head
        for model in Base.registry.mappers:
            if not issubclass(model.class_, DeskScoped):
                continue
            table = model.class_.__table__
            desks = set(await conn.scalars(sa.select(table.c.desk_id).distinct()))
            rows = len(tables.get(table.name, {"rows": []})["rows"])
            assert desks == ({1} if rows else set()), table.name
        (desk,) = (await conn.execute(sa.select(Desk.__table__))).mappings()
    (channel,) = _expected(tables[DROPPED])
    assert desk["id"] == 1 and desk["code"] == "default"
    assert {k: desk[k] for k in channel if k != "id"} == {
        k: v for k, v in channel.items() if k != "id"
    }


async def test_downgrading_to_before_desks_keeps_every_row(db, dump) -> None:
    await migrate(db.engine, "downgrade", BEFORE_DESKS)
    await _assert_every_row_kept(db, dump["tables"])
    # And up again: the same rows, the desk `default` made again from its channel.
    await db.upgrade()
    await _assert_every_row_kept(db, dump["tables"], but=DROPPED)


async def test_the_default_desks_channel_works_as_before(bot, clock, dump) -> None:
    """The team in the channel registered before desks claims a request the
    previous release took in; a new order's card and the card it left queued
    are posted in that channel."""
    clock.set(datetime(2026, 12, 1, 13, 0, tzinfo=UTC))  # after its last work
    for aad, name in MEMBERS:
        bot.connector.add_member(aad, name)
    requests = dump["tables"]["requests"]["rows"]
    waiting = next(r["id"] for r in requests if r["status"] == "submitted")
    queued = requests[-1]["id"]  # its card was still in the outbox
    member = bot.teams.user(MEMBERS[3][1], MEMBERS[3][0])
    claimed = await member.invoke(
        "claim", {"request_id": waiting}, channel_id=CHANNEL_ID, team_id=TEAM_ID
    )
    assert claimed.body["statusCode"] == 200, claimed.body
    assert (await fetch(bot.db, waiting)).owner_aad_id == MEMBERS[3][0]
    new = await seed_request(bot.db, clock, title="Første etter oppgraderingen")
    await bot.drain()
    posted = [s.conversation_id for s in bot.connector.sent if s.method == "create"]
    async with bot.db.sessions() as session:
        cards = {
            r.id: r.channel_activity_id
            for r in await session.scalars(sa.select(Request).where(Request.id.in_([new, queued])))
        }
    assert all(cards.values()), cards
    assert len(posted) == 2 and set(posted) == {CHANNEL_ID}
    overview = await member.say_in_channel("oversikt", channel_id=CHANNEL_ID, team_id=TEAM_ID)
    assert "Første etter oppgraderingen" in str(overview.cards)
