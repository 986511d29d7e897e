"""`medvirk gathering reopen ID --register-by TIME` (registration open again)
and `medvirk gathering link ID` (the open link a desk publishes, for a
gathering made with `--open`)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import CliError, run_with_db
from storage import reminders as store
from storage.db.models import Gathering


def add_gathering_commands(gathering: Any) -> None:
    reopen = gathering.add_parser(
        "reopen", help="registration open again, until a new deadline (those waiting stay)"
    )
    reopen.add_argument("id", type=int)
    reopen.add_argument("--register-by", required=True, help="ISO 8601; local time")
    reopen.set_defaults(func=cmd_reopen)
    link = gathering.add_parser(
        "link", help="the open registration link of a gathering made with --open"
    )
    link.add_argument("id", type=int)
    link.set_defaults(func=lambda a: print_open_link(a.id))


def _now() -> Any:
    from storage.domain.clock import SystemClock

    return SystemClock().now()


def cmd_reopen(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> Gathering:
        async with db.transaction() as session:
            gathering = await session.get(Gathering, args.id)
            if gathering is None:
                raise CliError(f"no gathering {args.id}")
            register_by = store.parse_time(args.register_by, settings.zone, "--register-by")
            return await store.reopen(session, gathering, register_by, now=_now())

    try:
        gathering = run_with_db(work)
    except store.ReminderInputError as problem:
        raise CliError(str(problem)) from None
    print(f"gathering {gathering.id}: registration open until {args.register_by}")
    return 0


def print_open_link(gathering_id: int) -> int:
    from bot.features.reminders.open_registration import open_link
    from bot.out.links import LinkMaker

    async def work(db: Any, settings: Any) -> str:
        async with db.reading() as session:
            gathering = await session.get(Gathering, gathering_id)
        if gathering is None or not gathering.open_registration:
            raise CliError(
                f"gathering {gathering_id} has no open registration (add it with --open)"
            )
        links = await LinkMaker(settings.secret_key, settings.public_base, db).prepare()
        return open_link(links, gathering)

    print(f"open registration link: {run_with_db(work)}")
    return 0
