"""`medvirk gathering …`, `medvirk survey …` and `medvirk contacts import`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from bot.cli.common import CliError, run_with_db
from storage import desks
from storage import reminders as store
from storage.db.models import Contact, Gathering, Registration, Survey
from storage.domain.fields import NAME_MAX
from storage.domain.identity import contains_identity_number
from storage.domain.reminders import RoundState
from storage.outbox.conversations import PERSONAL, find_reference
from storage.reminders import gathering_evaluations, registrations
from storage.reminders.kinds import desk_of


def add_commands(sub: Any) -> None:
    gathering = sub.add_parser("gathering", help="gatherings and their reminders").add_subparsers(
        dest="gathering_command", required=True
    )
    add = gathering.add_parser("add", help="create a gathering")
    add.add_argument("--title", required=True)
    add.add_argument("--starts", required=True, help="ISO 8601; local time without an offset")
    add.add_argument("--ends")
    add.add_argument("--place")
    add.add_argument("--register-url")
    add.add_argument("--register-by")
    add.add_argument("--groups", help=f"comma-separated: {','.join(store.GROUPS)} (default: all)")
    add.add_argument("--remind", default="14d,1d", help="before the start, e.g. 14d,1d")
    add.add_argument("--remind-register", default=None, help="before --register-by, e.g. 7d,1d")
    add.add_argument(
        "--capacity", type=int, help="registration in medvirk: this many seats, then a waiting list"
    )
    add.add_argument(
        "--questions", help="registration in medvirk, asking: diet,access,travel,attend_mode"
    )
    add.add_argument(
        "--offer-hours",
        type=int,
        default=48,
        help="how long a freed seat is held for the first waiting (default 48)",
    )
    add.add_argument(
        "--meeting-url", help="the Teams meeting's link, sent to those attending digitally"
    )
    add.add_argument(
        "--open",
        action="store_true",
        help="anyone with the gathering's open link may register (after confirming an e-mail)",
    )
    add.set_defaults(func=cmd_gathering_add)
    _common(gathering, Gathering, "gathering")

    survey = sub.add_parser("survey", help="surveys and their reminders").add_subparsers(
        dest="survey_command", required=True
    )
    add = survey.add_parser("add", help="create a survey")
    add.add_argument("--title", required=True)
    add.add_argument("--url", required=True)
    add.add_argument("--closes", required=True)
    add.add_argument("--opens")
    add.add_argument("--groups")
    add.add_argument("--remind", default="7d,2d", help="before --closes, e.g. 7d,2d")
    add.set_defaults(func=cmd_survey_add)
    _common(survey, Survey, "survey")

    contacts = sub.add_parser("contacts", help="reminder contacts").add_subparsers(
        dest="contacts_command", required=True
    )
    imp = contacts.add_parser(
        "import",
        help="CSV with columns aad_object_id and/or email, name, groups[,locale] "
        "(groups separated by ;)",
    )
    imp.add_argument("file")
    imp.set_defaults(func=cmd_contacts_import)

    attendance = gathering.add_parser(
        "attendance", help="who is registered and who came; --check CODE… at the door"
    )
    attendance.add_argument("id", type=int)
    attendance.add_argument("--check", nargs="+", metavar="CODE", help="their door codes")
    attendance.set_defaults(func=cmd_gathering_attendance)

    programme = gathering.add_parser(
        "programme", help="the programme to those registered, at a time (and to later ones)"
    )
    programme.add_argument("id", type=int)
    programme.add_argument("--file", help="a PDF")
    programme.add_argument("--text", help="or a text")
    programme.add_argument("--send-at", required=True, help="ISO 8601; local time")
    programme.set_defaults(func=cmd_gathering_programme)

    from bot.cli.gatherings import add_gathering_commands

    add_gathering_commands(gathering)


def _common(sub: Any, model: Any, kind: str) -> None:
    sub.add_parser("list", help=f"list {kind}s").set_defaults(func=lambda a: cmd_list(model, kind))
    show = sub.add_parser("show", help=f"one {kind} with its reminders and answers")
    show.add_argument("id", type=int)
    if kind == "gathering":
        show.add_argument(
            "--json", action="store_true", help="registrations and answers as one JSON object"
        )
    show.set_defaults(
        func=lambda a: (
            cmd_gathering_json(a.id) if getattr(a, "json", False) else cmd_show(model, kind, a.id)
        )
    )
    cancel = sub.add_parser("cancel", help=f"cancel a {kind}")
    cancel.add_argument("id", type=int)
    cancel.set_defaults(func=lambda a: cmd_cancel(kind, a.id))
    resend = sub.add_parser(
        "resend",
        help=f"send a {kind}'s reminders again to those given up or unreachable "
        "who can be reached now (never twice to anyone)",
    )
    resend.add_argument("id", type=int)
    resend.set_defaults(func=lambda a: cmd_resend(model, kind, a.id))


def cmd_resend(model: Any, kind: str, item_id: int) -> int:
    async def work(db: Any, settings: Any) -> int:
        async with db.transaction() as session:
            if await session.get(model, item_id) is None:
                raise store.ReminderInputError(f"no {kind} {item_id}")
            return int(await store.resend(session, kind, item_id, now=_now()))

    queued = _guard(work)
    print(f"{kind} {item_id}: {queued} reminder(s) queued again")
    return 0


def _guard(work: Any) -> Any:
    try:
        return run_with_db(work)
    except store.ReminderInputError as problem:
        raise CliError(str(problem)) from None


def cmd_gathering_add(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> Gathering:
        zone = settings.zone
        async with db.transaction() as session:
            return await store.add_gathering(
                session,
                title=args.title,
                starts_at=store.parse_time(args.starts, zone, "--starts"),
                ends_at=store.parse_time(args.ends, zone, "--ends") if args.ends else None,
                place=args.place,
                register_url=args.register_url,
                register_by=store.parse_time(args.register_by, zone, "--register-by")
                if args.register_by
                else None,
                groups=store.parse_groups(args.groups),
                remind=store.parse_offsets(args.remind, "--remind"),
                remind_register=store.parse_offsets(args.remind_register, "--remind-register"),
                zone=zone,
                now=_now(),
                capacity=args.capacity,
                questions=registrations.parse_questions(args.questions),
                offer_hours=args.offer_hours,
                meeting_url=args.meeting_url,
                open_registration=args.open,
            )

    gathering = _guard(work)
    print(f"gathering {gathering.id} created")
    if gathering.open_registration:
        from bot.cli.gatherings import print_open_link

        print_open_link(gathering.id)
    return 0


def cmd_survey_add(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> Survey:
        zone = settings.zone
        async with db.transaction() as session:
            return await store.add_survey(
                session,
                title=args.title,
                url=args.url,
                closes_at=store.parse_time(args.closes, zone, "--closes"),
                opens_at=store.parse_time(args.opens, zone, "--opens") if args.opens else None,
                groups=store.parse_groups(args.groups),
                remind=store.parse_offsets(args.remind, "--remind"),
                zone=zone,
                now=_now(),
            )

    survey = _guard(work)
    print(f"survey {survey.id} created")
    return 0


def _now() -> Any:
    from storage.domain.clock import SystemClock

    return SystemClock().now()


def cmd_list(model: Any, kind: str) -> int:
    async def work(db: Any, settings: Any) -> list[str]:
        lines = []
        async with db.sessions() as session:
            for item in await session.scalars(select(model).order_by(model.id)):
                when = item.starts_at if kind == "gathering" else item.closes_at
                local = when.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M")
                lines.append(f"{item.id:>4}  {local}  {item.status:<9}  {item.title}")
        return lines

    for line in _guard(work) or [f"no {kind}s"]:
        print(line)
    return 0


def cmd_show(model: Any, kind: str, item_id: int) -> int:
    async def work(db: Any, settings: Any) -> list[str]:
        zone = settings.zone
        async with db.sessions() as session:
            item = await session.get(model, item_id)
            if item is None:
                raise store.ReminderInputError(f"no {kind} {item_id}")
            lines = [f"{kind} {item.id}: {item.title} ({item.status})"]
            if kind == "gathering":
                lines.append(f"  starts      {item.starts_at.astimezone(zone):%Y-%m-%d %H:%M %Z}")
                if item.register_by:
                    lines.append(
                        f"  register by {item.register_by.astimezone(zone):%Y-%m-%d %H:%M %Z}"
                    )
                if item.place:
                    lines.append(f"  place       {item.place}")
            else:
                lines.append(f"  closes      {item.closes_at.astimezone(zone):%Y-%m-%d %H:%M %Z}")
                lines.append(f"  url         {item.url}")
            lines.append(f"  groups      {','.join(item.groups or store.GROUPS)}")
            for report in await store.round_reports(session, kind, item.id):
                r = report.reminder
                lines.append(
                    f"  reminder    {r.due_at.astimezone(zone):%Y-%m-%d %H:%M %Z}  {r.kind:<8} {r.state}"
                )
                if r.state == RoundState.SENT:
                    lines.append(
                        f"    delivered in Teams {report.teams}, by e-mail {report.email}, "
                        f"by SMS {report.sms}; "
                        f"pending {report.pending}; unreachable {report.unreachable}; "
                        f"not needed {report.skipped}; given up {sum(report.given_up.values())}"
                    )
                    for reason, count in sorted(report.given_up.items()):
                        lines.append(f"      given up: {reason} ({count})")
            c = await store.counts(session, kind, item.id)
            lines.append(f"  reminded    {c.reminded}")
            if kind == "gathering" and item.registers:
                seats = await registrations.counts(session, item.id)
                lines.append(f"  capacity    {item.capacity if item.capacity is not None else '—'}")
                for status, count in seats.items():
                    lines.append(f"  {status:<11} {count}")
            elif kind == "gathering":
                lines.append(f"  coming      {c.coming}")
                lines.append(f"  not coming  {c.not_coming}")
            else:
                lines.append(f"  answered    {c.answered}")
        return lines

    print("\n".join(_guard(work)))
    return 0


def cmd_gathering_json(gathering_id: int) -> int:
    """`gathering show ID --json`: one object (capacity, registered, waitlisted,
    offered, cancelled, declined, attended, no_shows, answers, delivery)."""

    async def work(db: Any, settings: Any) -> dict[str, Any]:
        async with db.sessions() as session:
            gathering = await session.get(Gathering, gathering_id)
            if gathering is None:
                raise store.ReminderInputError(f"no gathering {gathering_id}")
            started = _now() >= gathering.starts_at
            result: dict[str, Any] = {
                "id": gathering.id,
                "title": gathering.title,
                "capacity": gathering.capacity,
                **await registrations.counts(session, gathering.id, started=started),
                "answers": await registrations.answers(session, gathering.id),
                "evaluation": await gathering_evaluations.summary(session, gathering.id),
                "delivery": [
                    {
                        "kind": r.reminder.kind,
                        "state": str(r.reminder.state),
                        "teams": r.teams,
                        "email": r.email,
                        "sms": r.sms,
                        "pending": r.pending,
                        "given_up": dict(r.given_up),
                        "unreachable": r.unreachable,
                    }
                    for r in await store.round_reports(session, "gathering", gathering.id)
                ],
            }
        return result

    print(json.dumps(_guard(work), ensure_ascii=False))
    return 0


def cmd_gathering_attendance(args: argparse.Namespace) -> int:
    """Those registered, with their door codes and whether they came; with
    `--check`, these codes came (a code nobody holds is named)."""

    async def work(db: Any, settings: Any) -> tuple[list[str], list[str]]:
        async with db.transaction() as session:
            gathering = await session.get(Gathering, args.id)
            if gathering is None or not gathering.registers:
                raise store.ReminderInputError(f"no gathering {args.id} taking registrations")
            unknown: list[str] = []
            if args.check:
                checked = await registrations.check_in(
                    session,
                    gathering.id,
                    args.check,
                    now=_now(),
                    rates=settings.fee_rates,
                    by="medvirk gathering attendance",
                )
                unknown = checked.unknown
            rows = await session.execute(
                select(Registration, Contact)
                .join(Contact, Contact.id == Registration.contact_id)
                .where(
                    Registration.gathering_id == gathering.id,
                    Registration.status == "registered",
                )
                .order_by(Contact.name)
            )
            lines = [
                f"[{'x' if r.attended_at else ' '}] {r.door_code}  {c.name or c.key}"
                for r, c in rows
            ]
        return lines, unknown

    lines, unknown = _guard(work)
    print("\n".join(lines) or "nobody registered")
    if unknown:
        print(f"no registration with the code(s) {', '.join(unknown)}", file=sys.stderr)
        return 2
    return 0


def cmd_gathering_programme(args: argparse.Namespace) -> int:
    pdf = None
    if args.file:
        try:
            pdf = Path(args.file).read_bytes()
        except OSError as error:
            raise CliError(f"{args.file}: cannot be read ({error.strerror or error})") from None

    async def work(db: Any, settings: Any) -> Gathering:
        async with db.transaction() as session:
            return await registrations.set_programme(
                session,
                args.id,
                text=args.text,
                pdf=pdf,
                send_at=store.parse_time(args.send_at, settings.zone, "--send-at"),
                now=_now(),
            )

    gathering = _guard(work)
    assert gathering.programme_at is not None
    print(
        f"gathering {gathering.id}: the programme goes to those registered at {gathering.programme_at:%Y-%m-%d %H:%M} UTC"
    )
    return 0


def cmd_cancel(kind: str, item_id: int) -> int:
    async def work(db: Any, settings: Any) -> int:
        async with db.transaction() as session:
            if kind == "gathering":
                return await store.cancel_gathering(session, item_id, now=_now())
            await store.cancel_survey(session, item_id, now=_now())
            return 0

    notified = _guard(work)
    print(
        f"{kind} {item_id} cancelled"
        + (f"; {notified} reminded people get a notice" if notified else "")
    )
    return 0


def _phone(raw: str | None, where: str) -> str | None:
    from storage.domain.refusal import Refused
    from storage.pool import normalise_phone

    try:
        return normalise_phone(raw)
    except Refused:
        raise CliError(f"{where}: not a phone number") from None


def cmd_contacts_import(args: argparse.Namespace) -> int:
    """Contacts from a CSV file (columns aad_object_id, email and/or phone,
    name, groups, locale), subscribed to the groups in the file: the admin
    vouches for them. Says how many of them the bot can reach today, and how."""
    path = Path(args.file)
    if not path.exists():
        raise CliError(f"{args.file}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or [])
        missing = {"name", "groups"} - columns
        if not columns & {"aad_object_id", "email", "phone"}:
            missing.add("aad_object_id, email or phone")
        if missing:
            raise CliError(f"{args.file}: missing column(s) {', '.join(sorted(missing))}")
        rows: list[ImportedContact] = []
        for number, row in enumerate(reader, start=2):
            if any(contains_identity_number(v or "") for v in row.values()):
                raise CliError(f"{args.file} line {number}: holds a national identity number")
            aad = (row.get("aad_object_id") or "").strip() or None
            email = _email(row.get("email"), f"{args.file} line {number}")
            phone = _phone(row.get("phone"), f"{args.file} line {number}")
            if aad is None and email is None and phone is None:
                raise CliError(
                    f"{args.file} line {number}: needs an aad_object_id, an email or a phone"
                )
            groups = store.parse_groups(
                (row.get("groups") or "").replace(";", ","), f"line {number} groups", desks=True
            )
            locale = (row.get("locale") or "nb").strip() or "nb"
            if locale not in ("nb", "nn", "en"):
                raise CliError(f"{args.file} line {number}: locale must be nb, nn or en")
            name = (row.get("name") or "").strip() or None
            if name is not None and len(name) > NAME_MAX:
                raise CliError(f"{args.file} line {number}: name longer than {NAME_MAX}")
            rows.append(
                ImportedContact(
                    key=aad or (f"mail:{email}" if email else f"phone:{phone}"),
                    aad=aad,
                    email=email,
                    phone=phone,
                    name=name,
                    groups=groups or list(store.GROUPS),
                    locale=locale,
                )
            )

    async def work(db: Any, settings: Any) -> tuple[int, int, int, int]:
        teams = mail = sms = 0
        async with db.transaction() as session:
            codes = {d.code for d in await desks.every(session)}
            for c in rows:
                unknown = sorted({desk_of(g)[0] for g in c.groups} - codes)
                if unknown:
                    raise CliError(
                        f"{args.file}: groups of a desk that does not exist "
                        f"({', '.join(unknown)}; `medvirk desks list`); nothing was imported"
                    )
            for c in rows:
                await store.upsert_contact(
                    session,
                    key=c.key,
                    aad_object_id=c.aad,
                    name=c.name,
                    locale=c.locale,
                    now=_now(),
                    groups=c.groups,
                    email=c.email,
                    phone=c.phone,
                )
                if await find_reference(session, kind=PERSONAL, key=c.key) is not None:
                    teams += 1
                elif c.email:
                    mail += 1
                elif c.phone:
                    sms += 1
        return teams, mail, sms, len(rows) - teams - mail - sms

    teams, mail, sms, unreachable = _guard(work)
    print(
        f"{len(rows)} contacts imported: {teams} reachable in Teams, {mail} by e-mail, "
        f"{sms} by SMS, {unreachable} not reachable yet (no chat with the bot, "
        "no e-mail address and no phone)"
    )
    return 0


@dataclass(frozen=True)
class ImportedContact:
    key: str
    aad: str | None
    email: str | None
    name: str | None
    groups: list[str]
    locale: str
    phone: str | None = None


def _email(raw: str | None, where: str) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return str(validate_email(text, check_deliverability=False).normalized)
    except EmailNotValidError:
        raise CliError(f"{where}: not an e-mail address") from None
