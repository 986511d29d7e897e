"""The migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from storage.db.models import Base

# Indexes whose columns carry an ordering PostgreSQL reflects as an expression
# (NULLS FIRST): alembic cannot compare those; `test_rotation_index` checks them.
ORDERED_INDEXES = {"ix_participants_rotation"}


def _comparable(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in ORDERED_INDEXES)


async def test_models_match_migrations(db) -> None:
    def diff(connection):
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _comparable}
        )
        return compare_metadata(context, Base.metadata)

    async with db.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == [], f"models and migrations differ: {changes}"


async def test_upgrade_is_idempotent(db) -> None:
    await db.upgrade()
    await db.upgrade()


async def test_rotation_index_sorts_the_never_invited_first(db) -> None:
    """The suggestion's order is an index the query walks: on PostgreSQL with
    NULLS FIRST (its default for ASC is last), on SQLite as NULL sorts anyway."""
    async with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            definition = await conn.scalar(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_participants_rotation'")
            )
            assert "last_invited_at NULLS FIRST" in definition
        else:
            definition = await conn.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = 'ix_participants_rotation'")
            )
        assert "status, asked_12m, last_invited_at" in definition.replace('"', "")
        assert "onboarding_due, id" in definition.replace('"', "")


async def test_a_migration_leaves_sqlites_connection_as_it_found_it(db) -> None:
    """SQLite migrates with foreign keys off (storage.db.migrate): after it, its
    one connection enforces them again, and its driver stays in autocommit
    (SQLAlchemy begins each transaction itself, as BEGIN IMMEDIATE)."""
    await db.upgrade()
    async with db.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        if db.dialect == "sqlite":
            assert raw.driver_connection.isolation_level is None
            assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
