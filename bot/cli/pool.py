"""`medvirk participants add|import|list|show|pause|resume|forget|revoke-links`.

The same rules as the channel's form: validated fields, no identity number in
any field, a consent request sent to everyone added. Every read of the pool is
on the read audit (as `cli:<user>`).
"""

from __future__ import annotations

import argparse
import csv
import getpass
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import CliError, parse_day, run_with_db
from bot.out.mail import forget_mail, mail_folder
from dialogs.refusals import refusal_text
from storage import invitations, pool, privacy
from storage.db.models import Invitation, Participant, Request
from storage.domain.clock import SystemClock
from storage.domain.identity import contains_identity_number
from storage.domain.participants import ParticipantStatus
from storage.domain.refusal import Refused
from storage.privacy import erasure

LIST_FIELDS = ("roles", "areas", "formats", "languages")


def add_commands(sub: Any) -> None:
    participants = sub.add_parser(
        "participants", help="the participant pool (brukermedvirkere)"
    ).add_subparsers(dest="participants_command", required=True)
    add = participants.add_parser("add", help="add one; they are sent a request for consent")
    add.add_argument("--name", required=True)
    for option in (
        "email",
        "phone",
        "aad-object-id",
        "organisation",
        "municipality",
        "availability",
    ):
        add.add_argument(f"--{option}")
    for option in LIST_FIELDS:
        add.add_argument(f"--{option}", help="comma-separated codes")
    add.set_defaults(func=cmd_add)
    imported = participants.add_parser(
        "import", help="add everyone of a CSV file (the same columns; lists separated by ;)"
    )
    imported.add_argument("file")
    imported.set_defaults(func=cmd_import)
    listing = participants.add_parser("list", help="the pool (read-audited)")
    listing.add_argument("--status", choices=[s.value for s in ParticipantStatus])
    listing.set_defaults(func=cmd_list)
    onboard = participants.add_parser(
        "onboard", help="record the e-learning and the confidentiality declaration (dates)"
    )
    onboard.add_argument("id", type=int)
    onboard.add_argument("--elearning", help="YYYY-MM-DD: the e-learning was done")
    onboard.add_argument(
        "--confidentiality", help="YYYY-MM-DD: the confidentiality declaration was received"
    )
    onboard.set_defaults(func=cmd_onboard)
    for name, helptext, func in (
        ("show", "one participant's details (read-audited)", cmd_show),
        ("pause", "stop suggesting them for a while", cmd_pause),
        ("resume", "suggest them again", cmd_resume),
        ("forget", "erase them from every table", cmd_forget),
        (
            "revoke-links",
            "end every link sent to them so far (a lost phone, a shared mailbox)",
            cmd_revoke_links,
        ),
    ):
        command = participants.add_parser(name, help=helptext)
        command.add_argument("id", type=int)
        command.set_defaults(func=func)


def _reader() -> str:
    return f"cli:{getpass.getuser()}"


def _values(raw: dict[str, Any], where: str, areas: tuple[str, ...]) -> dict[str, Any]:
    try:
        return pool.validate(raw, areas=areas)
    except Refused as error:
        problem = refusal_text("en", error, markdown=False)
        raise CliError(f"{where}{error.field}: {problem}") from None


def _add_all(rows: list[dict[str, Any]], where: list[str]) -> list[Participant]:
    async def work(db: Any, settings: Any) -> list[Participant]:
        values = [_values(r, w, settings.areas) for r, w in zip(rows, where, strict=True)]
        added = []
        now = SystemClock().now()
        async with db.transaction() as session:
            for value, place in zip(values, where, strict=True):
                try:
                    added.append(
                        await pool.add_asking_consent(session, value, added_by=_reader(), now=now)
                    )
                except Refused as refused:
                    raise CliError(
                        f"{place}{refusal_text('en', refused, markdown=False)}"
                    ) from None
        if len(added) > 1:
            await db.analyze("participants")
        return added

    return run_with_db(work)


def _said(participant: Participant) -> str:
    how = {
        "teams": "asked for consent in Teams",
        "email": "asked for consent by e-mail",
        "sms": "asked for consent by SMS",
        "phone": "not asked: no address and SMS off (give them an e-mail address or a Teams "
        "account, or they turn SMS on again on their page)",
    }[pool.reached_by(participant)]
    return f"participant {participant.id} added (pending), {how}"


def cmd_add(args: argparse.Namespace) -> int:
    raw = {
        "name": args.name,
        "email": args.email,
        "phone": args.phone,
        "aad_object_id": args.aad_object_id,
        "organisation": args.organisation,
        "municipality": args.municipality,
        "availability": args.availability,
        **{name: getattr(args, name) for name in LIST_FIELDS},
    }
    (participant,) = _add_all([raw], [""])
    print(_said(participant))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.exists():
        raise CliError(f"{args.file}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or [])
        unknown = columns - set(pool.FIELDS)
        if unknown:
            raise CliError(f"{args.file}: unknown column(s) {', '.join(sorted(unknown))}")
        if "name" not in columns:
            raise CliError(f"{args.file}: missing column name")
        rows, where = [], []
        for number, row in enumerate(reader, start=2):
            if any(contains_identity_number(v or "") for v in row.values()):
                raise CliError(f"{args.file} line {number}: holds a national identity number")
            rows.append(
                {k: (v.replace(";", ",") if k in LIST_FIELDS and v else v) for k, v in row.items()}
            )
            where.append(f"{args.file} line {number}: ")
    added = _add_all(rows, where)
    by = Counter(pool.reached_by(p) for p in added)
    asked = len(added) - by["phone"]
    print(
        f"{len(added)} participants imported (pending): {asked} asked for consent "
        f"({by['teams']} in Teams, {by['email']} by e-mail, {by['sms']} by SMS), "
        f"{by['phone']} not reachable (not asked)"
    )
    return 0


def _line(p: Participant) -> str:
    return (
        f"{p.id}\t{p.status}\t{p.name or '-'}\t{','.join(p.roles or [])}\t"
        f"{','.join(p.areas or [])}\t{','.join(p.formats or [])}"
    )


def cmd_list(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> list[str]:
        async with db.transaction() as session:
            found = await pool.listing(session, status=args.status, limit=100_000)
            await privacy.record_read(
                session, reader=_reader(), what="participants", via="cli", now=SystemClock().now()
            )
            return [_line(p) for p in found]

    lines = run_with_db(work)
    print("id\tstatus\tname\troles\tareas\tformats")
    for line in lines:
        print(line)
    return 0


async def _one(session: AsyncSession, participant_id: int) -> Participant:
    participant = await session.get(Participant, participant_id)
    if participant is None:
        raise CliError(f"no participant {participant_id}")
    return participant


def cmd_show(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> list[str]:
        async with db.transaction() as session:
            p = await _one(session, args.id)
            await privacy.record_read(
                session,
                reader=_reader(),
                what=f"participant {p.id}",
                via="cli",
                now=SystemClock().now(),
            )
            consent = (
                f"{p.consent_at.isoformat()} ({p.consent_channel}, text v{p.consent_version})"
                if p.consent_at
                else "-"
            )
            rows = await invitations_of(session, p.id)
            return [
                f"id: {p.id}",
                f"status: {p.status}",
                f"name: {p.name or '-'}",
                f"email: {p.email or '-'}",
                f"phone: {p.phone or '-'}",
                f"aad_object_id: {p.aad_object_id or '-'}",
                *(f"{name}: {','.join(getattr(p, name) or []) or '-'}" for name in LIST_FIELDS),
                f"organisation: {p.organisation or '-'}",
                f"municipality: {p.municipality or '-'}",
                f"availability: {p.availability or '-'}",
                f"consent: {consent}",
                f"e-learning: {p.elearning_on or '-'}",
                f"confidentiality declaration: {p.confidentiality_on or '-'}",
                f"invitations: {rows}",
            ]

    print("\n".join(run_with_db(work)))
    return 0


async def invitations_of(session: AsyncSession, participant_id: int) -> str:
    rows = await session.execute(
        select(Request.reference, Invitation.status)
        .join(Request, Request.id == Invitation.request_id)
        .where(Invitation.participant_id == participant_id)
        .order_by(Invitation.id)
    )
    return ", ".join(f"{ref} {status}" for ref, status in rows.all()) or "-"


def _set_paused(participant_id: int, paused: bool) -> None:
    async def work(db: Any, settings: Any) -> None:
        async with db.transaction() as session:
            p = await _one(session, participant_id)
            try:
                await pool.set_paused(session, p, paused, now=SystemClock().now())
            except Refused:
                raise CliError(f"participant {participant_id} is {p.status}") from None

    run_with_db(work)


def cmd_onboard(args: argparse.Namespace) -> int:
    if not (args.elearning or args.confidentiality):
        raise CliError("onboard: give --elearning and/or --confidentiality")
    elearning = parse_day(args.elearning, "--elearning") if args.elearning else None
    confidentiality = (
        parse_day(args.confidentiality, "--confidentiality") if args.confidentiality else None
    )

    async def work(db: Any, settings: Any) -> None:
        async with db.transaction() as session:
            p = await _one(session, args.id)
            if p.status == ParticipantStatus.LEFT:
                raise CliError(f"participant {args.id} has left")
            await pool.record_onboarding(
                session,
                p,
                elearning_on=elearning,
                confidentiality_on=confidentiality,
                now=SystemClock().now(),
            )

    run_with_db(work)
    print(f"participant {args.id}: onboarding recorded")
    return 0


def cmd_pause(args: argparse.Namespace) -> int:
    _set_paused(args.id, True)
    print(f"participant {args.id} paused")
    return 0


def cmd_resume(args: argparse.Namespace) -> int:
    _set_paused(args.id, False)
    print(f"participant {args.id} active")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> int:
        now = SystemClock().now()
        async with db.transaction() as session:
            p = await _one(session, args.id)
            found_by = [p.email, p.phone]
            touched = await erasure.erase(session, p, now=now, payroll_email=settings.payroll_email)
            await invitations.refresh_requests(session, touched, now=now)
        await forget_mail(mail_folder(settings.smtp_url, settings.mail_dir), found_by)
        return len(set(touched))

    cards = run_with_db(work)
    print(f"participant {args.id} erased from every table; {cards} request cards updated")
    return 0


def cmd_revoke_links(args: argparse.Namespace) -> int:
    """Every link made for them stops working (the nonce each carries changes);
    the next message to them carries new ones."""

    async def work(db: Any, settings: Any) -> None:
        now = SystemClock().now()
        async with db.transaction() as session:
            p = await _one(session, args.id)
            if p.status == ParticipantStatus.LEFT:
                raise CliError(f"participant {args.id} has left (their links died then)")
            pool.revoke_links(p, now=now)
            await privacy.record_read(
                session,
                reader=_reader(),
                what=f"participant {p.id} links revoked",
                via="cli",
                now=now,
            )

    run_with_db(work)
    print(f"participant {args.id}: every link sent before no longer works")
    return 0
