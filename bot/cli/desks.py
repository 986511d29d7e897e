"""`medvirk desks add|list|show`: the teams that receive requests and keep a
pool (SPEC "Desks, units and commissioners")."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.common import CliError, run_with_db
from storage import desks
from storage.db.models import Desk
from storage.domain.clock import SystemClock
from storage.domain.fees import RatesError, load_rates


def add_commands(sub: Any) -> None:
    group = sub.add_parser("desks", help="desks: teams that receive requests").add_subparsers(
        dest="desks_command", required=True
    )
    add = group.add_parser("add", help="add a desk (then `registrer kanal <code>` in its channel)")
    add.add_argument("--code", required=True, help="2-20 of a-z, 0-9 and -, e.g. alrek")
    add.add_argument("--name", required=True, help="its name in bokmål")
    add.add_argument("--name-nn", help="its name in nynorsk (default: the bokmål name)")
    add.add_argument("--name-en", help="its name in English (default: the bokmål name)")
    add.add_argument(
        "--rates", help="its fee rates (TOML, docs/FEES.md); default MEDVIRK_FEE_RATES"
    )
    add.add_argument("--payroll-email", help="where its confirmed fee claims go")
    add.add_argument(
        "--admins",
        default="",
        help="its administrators in its channel (AAD object ids or e-mails, comma-separated)",
    )
    add.add_argument(
        "--invoices", action="store_true", help="it pays its participants and invoices"
    )
    add.add_argument(
        "--outside-orders", action="store_true", help="people outside the tenant order on the web"
    )
    add.add_argument(
        "--sms-budget",
        type=int,
        help="SMS segments it may send a month (default MEDVIRK_SMS_BUDGET)",
    )
    add.set_defaults(func=cmd_add)
    group.add_parser("list", help="the desks and their channels").set_defaults(func=cmd_list)
    show = group.add_parser("show", help="one desk")
    show.add_argument("code")
    show.set_defaults(func=cmd_show)


def _payroll(address: str | None) -> str | None:
    if not address:
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise CliError(f"--payroll-email: not an e-mail address ({error})") from None


def _rates(path: str | None) -> str | None:
    if not path:
        return None
    try:
        load_rates(path)
    except (RatesError, OSError) as error:
        raise CliError(f"--rates: {error}") from None
    return str(Path(path).resolve())


def _sms_budget(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 10_000_000:
        raise CliError("--sms-budget: a number of SMS segments from 1")
    return value


def cmd_add(args: argparse.Namespace) -> int:
    new = desks.NewDesk(
        code=args.code,
        name_nb=args.name,
        name_nn=args.name_nn,
        name_en=args.name_en,
        rates_path=_rates(args.rates),
        payroll_email=_payroll(args.payroll_email),
        invoices=args.invoices,
        outside_orders=args.outside_orders,
        admins=tuple(a for a in args.admins.split(",") if a.strip()),
        sms_budget=_sms_budget(args.sms_budget),
    )

    async def work(db: Any, settings: Any) -> Desk:
        async with db.transaction() as session:
            return await desks.add(session, new, now=SystemClock().now())

    desk = run_with_db(work)
    print(f"desk {desk.code} added: in its channel, an admin says `registrer kanal {desk.code}`")
    return 0


def _channel(desk: Desk) -> str:
    return "channel registered" if desk.channel_id else "no channel yet"


def cmd_list(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> list[Desk]:
        async with db.sessions() as session:
            return await desks.every(session)

    for desk in run_with_db(work):
        print(f"{desk.code:<20}  {desk.name_nb}  ({_channel(desk)})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> Desk:
        async with db.sessions() as session:
            return await desks.known(session, args.code)

    desk = run_with_db(work)
    rows = [
        ("code", desk.code),
        ("name (nb)", desk.name_nb),
        ("name (nn)", desk.name("nn")),
        ("name (en)", desk.name("en")),
        ("channel", _channel(desk)),
        ("tenant", desk.tenant_id or "—"),
        ("fee rates", desk.rates_path or "MEDVIRK_FEE_RATES"),
        ("payroll", desk.payroll_email or "MEDVIRK_PAYROLL_EMAIL"),
        ("admins", str(len(desk.admins or ())) + " (and MEDVIRK_ADMINS)"),
        ("invoices", "yes" if desk.invoices else "no"),
        ("outside orders", "yes" if desk.outside_orders else "no"),
        (
            "sms budget",
            f"{desk.sms_budget} segments a month" if desk.sms_budget else "MEDVIRK_SMS_BUDGET",
        ),
    ]
    for label, value in rows:
        print(f"{label:<15} {value}")
    return 0
