"""`medvirk units import|list|add|retire`: the register of the clinics and
departments that order, each with its desk and its user-involvement contact
(SPEC "Desks, units and commissioners")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import DESK, CliError, run_with_db
from dialogs.refusals import refusal_text
from storage import units
from storage.db.models import Desk, Unit
from storage.domain.clock import SystemClock


def add_commands(sub: Any) -> None:
    group = sub.add_parser("units", help="units: the register of who orders").add_subparsers(
        dest="units_command", required=True
    )
    imp = group.add_parser(
        "import",
        help="add or update units from a CSV file (code,name_nb,name_nn,name_en,desk,contact)",
    )
    imp.add_argument("file", help="the CSV file (UTF-8, with that header)")
    imp.set_defaults(func=cmd_import)
    listed = group.add_parser("list", help="the units and their desks")
    listed.add_argument("--retired", action="store_true", help="retired units too")
    listed.add_argument(
        "--desk",
        dest="unit_desk",
        metavar="CODE",
        help="only the units whose requests go to this desk",
    )
    listed.set_defaults(func=cmd_list)
    add = group.add_parser("add", help="add a unit")
    add.add_argument("--code", required=True, help="1-40 of a-z, 0-9, _ . -, e.g. kreft")
    add.add_argument("--name", required=True, help="its name in bokmål")
    add.add_argument("--name-nn", help="its name in nynorsk (default: the bokmål name)")
    add.add_argument("--name-en", help="its name in English (default: the bokmål name)")
    add.add_argument("--desk", required=True, help="the desk its requests go to (a desk's code)")
    add.add_argument(
        "--contact", help="its user-involvement contact: an AAD object id or an e-mail address"
    )
    add.set_defaults(func=cmd_add)
    retire = group.add_parser("retire", help="no longer offer a unit (its requests keep it)")
    retire.add_argument("code")
    retire.set_defaults(func=cmd_retire)


def _read(path: str) -> str:
    try:
        return Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"{path}: cannot read it as UTF-8 text ({error})") from None


def cmd_import(args: argparse.Namespace) -> int:
    rows = units.read_csv(_read(args.file))

    async def work(db: Any, settings: Any) -> units.Imported:
        async with db.transaction() as session:
            return await units.import_rows(session, rows, now=SystemClock().now())

    try:
        done = run_with_db(work)
    except units.ImportRefused as refused:
        for bad in refused.bad:
            print(
                f"medvirk: {args.file} line {bad.line}: "
                f"{refusal_text('en', bad.refused, markdown=False)}",
                file=sys.stderr,
            )
        print("medvirk: nothing was imported", file=sys.stderr)
        return 2
    print(f"{done.added} units added, {done.updated} updated")
    return 0


def _line(unit: Unit, desks: dict[int, str]) -> str:
    retired = f"  (retired {unit.retired_at:%Y-%m-%d})" if unit.retired_at else ""
    contact = unit.contact or "no contact"
    return (
        f"{unit.code:<20}  {desks.get(unit.desk_id, '?'):<20}  {unit.name_nb}  [{contact}]{retired}"
    )


def cmd_list(args: argparse.Namespace) -> int:
    code = args.unit_desk or DESK.get()

    async def work(db: Any, settings: Any) -> tuple[list[Unit], dict[int, str]]:
        from storage import desks

        async with db.sessions() as session:
            found = await units.every(session, retired=args.retired)
            codes = {d.id: d.code for d in await desks.every(session)}
            # `units list --desk C`, or `medvirk --desk C units list`: that desk's units.
            if code is not None:
                desk = await desks.known(session, code)
                found = [u for u in found if u.desk_id == desk.id]
            return found, codes

    found, desk_codes = run_with_db(work)
    if not found and code is not None:
        print(f"no units send their requests to the desk {code}")
    elif not found:
        print("no units: the order dialog asks for the unit in free text")
    for unit in found:
        print(_line(unit, desk_codes))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    new = units.NewUnit(
        code=args.code,
        name_nb=args.name,
        name_nn=args.name_nn,
        name_en=args.name_en,
        desk=args.desk,
        contact=args.contact,
    )

    async def work(db: Any, settings: Any) -> tuple[Unit, Desk | None]:
        async with db.transaction() as session:
            unit = await units.add(session, new, now=SystemClock().now())
            return unit, await session.get(Desk, unit.desk_id)

    unit, desk = run_with_db(work)
    print(f"unit {unit.code} added: its requests go to the desk {desk.code if desk else '?'}")
    return 0


def cmd_retire(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> Unit:
        async with db.transaction() as session:
            return await units.retire(session, args.code, now=SystemClock().now())

    unit = run_with_db(work)
    print(f"unit {unit.code} retired: no longer offered; its requests keep it")
    return 0
