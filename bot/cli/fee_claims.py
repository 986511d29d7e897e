"""`medvirk claims list|show|pdf|paid`: the fee claims, for the priority team's
administrator and payroll. Reading a claim names a participant: every
`list`, `show` and `pdf` is on the read audit (as `cli:<user>`)."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import CliError, run_with_db
from dialogs.cards.fee_claims import kroner
from dialogs.refusals import refusal_text
from storage import fee_claims as claims
from storage import privacy
from storage.db.models import FeeClaim, Gathering, Participant, Request
from storage.domain.clock import SystemClock
from storage.domain.fee_claims import ClaimStatus
from storage.domain.refusal import Refused


def add_commands(sub: Any) -> None:
    group = sub.add_parser("claims", help="fee claims (honorar)").add_subparsers(
        dest="claims_command", required=True
    )
    listing = group.add_parser("list", help="the claims, newest first (read-audited)")
    listing.add_argument("--status", choices=[s.value for s in ClaimStatus])
    listing.set_defaults(func=cmd_list)
    show = group.add_parser("show", help="one claim's figures (read-audited)")
    show.add_argument("id", type=int)
    show.set_defaults(func=cmd_show)
    pdf = group.add_parser("pdf", help="write the claim's PDF, as payroll gets it")
    pdf.add_argument("id", type=int)
    pdf.add_argument("--out", help="the file (default: honorarkrav-<reference>-<id>.pdf)")
    pdf.set_defaults(func=cmd_pdf)
    paid = group.add_parser("paid", help="record that payroll has paid it")
    paid.add_argument("id", type=int)
    paid.set_defaults(func=cmd_paid)


def _reader() -> str:
    return f"cli:{getpass.getuser()}"


async def _audited(session: AsyncSession, what: str) -> None:
    await privacy.record_read(
        session, reader=_reader(), what=what, via="cli", now=SystemClock().now()
    )


async def _parts(session: AsyncSession, claim: FeeClaim) -> tuple[claims.Work, Participant | None]:
    """What the claim pays for (a request, or a day at a gathering) and its
    participant (None once erased; the payee stays on the claim)."""
    work: claims.Work
    if claim.request_id is not None:
        work = await session.get_one(Request, claim.request_id)
    else:
        work = await session.get_one(Gathering, claim.gathering_id)
    if claim.participant_id is None:
        return work, None
    return work, await session.get(Participant, claim.participant_id)


def _line(claim: FeeClaim, request: claims.Work, participant: Participant | None) -> str:
    name = (participant.name if participant else None) or "—"
    return (
        f"{claim.id:>5}  {claim.status:<9}  {request.reference}  {name}  "
        f"{kroner('nb', claim.total_ore)}"
    )


def cmd_list(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> list[str]:
        async with db.transaction() as session:
            found = await claims.listing(session, status=args.status)
            lines = [_line(c, *await _parts(session, c)) for c in found]
            await _audited(session, "fee claims")
            return lines

    lines = run_with_db(work)
    print("\n".join(lines) if lines else "no fee claims")
    return 0


async def _one(session: AsyncSession, claim_id: int) -> FeeClaim:
    claim = await session.get(FeeClaim, claim_id)
    if claim is None:
        raise CliError(f"no fee claim {claim_id}")
    return claim


def cmd_show(args: argparse.Namespace) -> int:
    from bot.features.fee_claims import view_of
    from dialogs.cards.fee_claims import claim_facts

    async def work(db: Any, settings: Any) -> list[str]:
        async with db.transaction() as session:
            claim = await _one(session, args.id)
            request, participant = await _parts(session, claim)
            await _audited(session, f"fee claim {claim.id}")
        view = view_of(claim, request, participant)
        zone = settings.zone

        def when(moment: Any) -> str:
            return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "—"

        return [
            f"fee claim {claim.id}: {claim.status} (revision {claim.revision})",
            *(
                [
                    f"request: {request.reference} {request.title or ''}",
                    f"unit: {request.unit}; cost centre: {request.cost_centre or '—'}",
                ]
                if isinstance(request, Request)
                else [f"gathering: {request.reference} {request.title}"]
            ),
            *(f"{label}: {value}" for label, value in claim_facts("nb", view)),
            f"rates: {claim.rates_name}{' (EXAMPLE RATES)' if claim.rates_example else ''}",
            f"filed: {when(claim.updated_at)} by {claim.filed_by_name or '—'}",
            f"confirmed: {when(claim.confirmed_at)} {claim.confirmed_via or ''}".rstrip(),
            f"sent: {when(claim.sent_at)}; paid: {when(claim.paid_at)}",
        ]

    print("\n".join(run_with_db(work)))
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from bot.features.fee_claims import claim_document, pdf_name

    async def work(db: Any, settings: Any) -> tuple[str, bytes]:
        async with db.transaction() as session:
            found = await claim_document(session, settings, args.id)
            if found is None:
                raise CliError(f"no fee claim {args.id}")
            claim, paid_for, data = found
            await _audited(session, f"fee claim {claim.id} (pdf)")
            return pdf_name(paid_for, claim), data

    name, data = run_with_db(work)
    out = Path(args.out or name)
    try:
        out.write_bytes(data)
    except OSError as error:
        raise CliError(f"{out}: cannot be written ({error.strerror or error})") from None
    print(f"wrote {out} ({len(data)} bytes)")
    return 0


def cmd_paid(args: argparse.Namespace) -> int:
    async def work(db: Any, settings: Any) -> FeeClaim:
        try:
            return await claims.mark_paid(db, args.id, now=SystemClock().now())
        except Refused as refused:
            raise CliError(
                f"fee claim {args.id}: {refusal_text('en', refused, markdown=False)}"
            ) from None

    claim = run_with_db(work)
    print(f"fee claim {claim.id}: paid ({kroner('en', claim.total_ore)})")
    return 0
