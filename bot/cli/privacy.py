"""`medvirk purge`, `medvirk forget`, `medvirk audit`."""

from __future__ import annotations

import argparse
import getpass
import re
from typing import Any

from bot.cli.common import CliError, run_with_db
from bot.out.mail import forget_mail, mail_folder, purge_mail
from storage import privacy
from storage.domain.clock import SystemClock
from storage.privacy import erasure


def add_commands(sub: Any) -> None:
    purge = sub.add_parser(
        "purge", help="delete free text and requester details of old closed requests"
    )
    purge.add_argument("--older-than", required=True, help="e.g. 24months, 730d, 2y")
    purge.set_defaults(func=cmd_purge)
    forget = sub.add_parser(
        "forget", help="remove a person's data (contact, references) and anonymise the rest"
    )
    forget.add_argument("aad_object_id")
    forget.set_defaults(func=cmd_forget)
    audit = sub.add_parser(
        "audit",
        help="a request's history (who, when, from, to, comment), or with --reader who read what",
    )
    audit.add_argument("reference", nargs="?")
    audit.add_argument(
        "--reader",
        nargs="?",
        const="",
        default=None,
        help="list the read audit (of this reader only, when given)",
    )
    audit.set_defaults(func=cmd_audit)


def cmd_purge(args: argparse.Namespace) -> int:
    try:
        age = privacy.parse_age(args.older_than)
    except ValueError as problem:
        raise CliError(f"--older-than: {problem}") from None

    async def work(db: Any, settings: Any) -> tuple[int, int]:
        now = SystemClock().now()
        async with db.transaction() as session:
            purged = await privacy.purge(session, older_than=age, now=now)
        mails = await purge_mail(
            mail_folder(settings.smtp_url, settings.mail_dir), before=now - age
        )
        return purged.requests, mails

    requests, mails = run_with_db(work)
    print(f"{requests} requests purged, {mails} mails deleted from the mail folder")
    return 0


# An AAD object id, an e-mail address, a contact's key, or a phone number (E.164).
_ID = re.compile(r"^[0-9A-Za-z:@._+-]{3,200}$")


def cmd_forget(args: argparse.Namespace) -> int:
    if not _ID.match(args.aad_object_id):
        raise CliError("aad-object-id: expected an AAD object id")

    async def work(db: Any, settings: Any) -> dict[str, int]:
        async with db.transaction() as session:
            found_by = await erasure.identifiers(session, args.aad_object_id)
            counts = await erasure.forget(
                session,
                args.aad_object_id,
                now=SystemClock().now(),
                payroll_email=settings.payroll_email,
            )
        folder = mail_folder(settings.smtp_url, settings.mail_dir)
        counts["mails"] = await forget_mail(folder, found_by)
        return counts

    counts = run_with_db(work)
    print("forgotten: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    if args.reader is not None:
        return _reads(args.reader or None)
    if not args.reference:
        raise CliError("audit: name a request (BM-2026-0042), or --reader")

    async def work(db: Any, settings: Any) -> list[str]:
        async with db.transaction() as session:
            await privacy.record_read(
                session,
                reader=f"cli:{getpass.getuser()}",
                what=f"audit {args.reference.strip().upper()}"[:200],
                via="cli",
                now=SystemClock().now(),
            )
            try:
                rows = await privacy.history(session, args.reference.strip().upper())
            except LookupError:
                raise CliError(f"no request {args.reference}") from None
        return [
            f"{r.at.astimezone(settings.zone):%Y-%m-%d %H:%M}  {r.from_status or '-':<16} -> {r.to_status:<16} "
            f"{r.actor_name or r.actor_aad_id or '-'}" + (f"  ({r.comment})" if r.comment else "")
            for r in rows
        ]

    print("\n".join(run_with_db(work)))
    return 0


def _reads(reader: str | None) -> int:
    async def work(db: Any, settings: Any) -> list[str]:
        async with db.sessions() as session:
            rows = await privacy.reads(session, reader=reader)
        return [
            f"{r.at.astimezone(settings.zone):%Y-%m-%d %H:%M}  {r.via:<5} {r.reader:<40} {r.what}"
            for r in rows
        ]

    lines = run_with_db(work)
    print("\n".join(lines) if lines else "no reads recorded")
    return 0
