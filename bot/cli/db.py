"""`medvirk db`: apply the migrations; (developers) a new one from the models."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.cli.common import load_settings


def add_commands(sub: Any) -> None:
    db = sub.add_parser("db", help="database schema").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)
    revision = db.add_parser("revision", help="(developers) new migration from the models")
    revision.add_argument("-m", "--message", required=True)
    revision.add_argument("--rev-id", required=True)
    revision.set_defaults(func=cmd_db_revision)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    settings = load_settings()

    async def run() -> None:
        db = settings.open_database()
        try:
            await db.upgrade()
        finally:
            await db.dispose()

    asyncio.run(run())
    print("database is up to date")
    return 0


def cmd_db_revision(args: argparse.Namespace) -> int:
    """For developers: autogenerate a migration from the models."""
    from alembic import command
    from sqlalchemy import create_engine

    from storage.db import alembic_config

    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        cfg = alembic_config(conn)
        command.upgrade(cfg, "head")
        command.revision(cfg, message=args.message, autogenerate=True, rev_id=args.rev_id)
    return 0
