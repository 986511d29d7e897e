"""`medvirk outbox list|retry`: what could not be delivered, and trying it again."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import CliError, run_with_db
from storage import outbox
from storage.domain.clock import SystemClock


def add_commands(sub: Any) -> None:
    parser = sub.add_parser("outbox", help="messages that could not be delivered")
    commands = parser.add_subparsers(dest="outbox_command", required=True)
    listing = commands.add_parser("list", help="failed messages, with why")
    listing.set_defaults(func=cmd_list)
    retry = commands.add_parser("retry", help="try failed messages again")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("ids", nargs="*", type=int, default=[], help="outbox row ids")
    which.add_argument("--all", action="store_true", help="every failed message")
    retry.set_defaults(func=cmd_retry)


def cmd_list(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> list[str]:
        rows = await outbox.failed_rows(db)
        return [
            f"{r.id:>8}  {r.created_at.astimezone(settings.zone):%Y-%m-%d %H:%M}  "
            f"{r.target_kind:<15} {r.render:<20} {r.attempts:>3} tries  {r.last_error or ''}"
            for r in rows
        ]

    lines = run_with_db(work)
    print("\n".join(lines) if lines else "no failed messages")
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    if not args.all and not args.ids:
        raise CliError("retry: name the ids, or --all")
    ids = None if args.all else list(args.ids)

    async def work(db: Any, settings: Any) -> int:
        async with db.transaction() as session:
            return await outbox.requeue(session, now=SystemClock().now(), ids=ids)

    count = run_with_db(work)
    print(f"{count} messages due again (the running bot sends them within a tick)")
    return 0
