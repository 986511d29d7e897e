"""The fee claim (honorar) of one participant's work on one request.

When the owner completes a request, its requester is asked, per accepted
participant, for the meetings, hours and travel costs (`open_for`). What they
file (`file`) is computed from the fee rates (`storage.fees`) into a draft the
participant is shown to confirm (`confirm`: only the figures of the revision
they saw). A confirmed claim is sent to payroll as a PDF, by e-mail to the
`office:<address>` key (`outbox.address_key`); delivered, it is `sent`; payroll's
payment is recorded by `paid`, from `sent` or straight from `confirmed` (no
payroll address: payroll had the PDF from `claims pdf`). The lifecycle is
`FEE_CLAIMS` (storage/domain/fee_claims.py):

    draft → confirmed → sent → paid
                 └──────────────↗

A claim never holds an identity number or a bank account: payroll collects
those from the person directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import rowcount
from storage.domain.fee_claims import FEE_CLAIMS, ClaimStatus
from storage.domain.invitations import InvitationStatus
from storage.domain.participants import ParticipantStatus
from storage.domain.refusal import Refused
from storage.domain.requests import Status
from storage.fees import ORE, Rates, compute
from storage.models import FeeClaim, Invitation, Participant, Request
from storage.notifications import FeeClaimAsked, FeeClaimFiled, FeeClaimToPayroll, record
from storage.participants import key_of, payee_of, reached_by

MAX_MEETINGS = 100
MAX_HOURS = Decimal(500)
MAX_TRAVEL = 100_000


@dataclass(frozen=True)
class Figures:
    meetings: int
    hours: Decimal
    travel: int


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return str(value).strip().replace("\u00a0", "").replace(" ", "")


def _whole(value: Any, field: str, top: int, *, optional: bool) -> int:
    raw = _text(value)
    if not raw:
        if optional:
            return 0
        raise Refused(f"claim.error.{field}", field=field)
    # "3", "3.0" and "3,0" are three; "3,5" is not a whole number.
    try:
        number = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise Refused(f"claim.error.{field}", field=field) from None
    if not number.is_finite() or number != number.to_integral_value() or not 0 <= number <= top:
        raise Refused(f"claim.error.{field}", field=field)
    return int(number)


def parse_figures(raw: dict[str, Any]) -> Figures:
    """The requester's figures, as a card or the CLI gives them (text or numbers):
    meetings a whole number 0–100, hours 0–500 with at most two decimals (a comma
    or a dot), travel a whole number of kroner 0–100000 (optional)."""
    meetings = _whole(raw.get("meetings"), "meetings", MAX_MEETINGS, optional=False)
    text = _text(raw.get("hours")).replace(",", ".")
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise Refused("claim.error.hours", field="hours") from None
    if (
        not hours.is_finite()
        or not Decimal(0) <= hours <= MAX_HOURS
        or hours != hours.quantize(ORE)
        or (hours == 0 and meetings == 0)
    ):
        raise Refused("claim.error.hours", field="hours")
    travel = _whole(raw.get("travel_nok"), "travel_nok", MAX_TRAVEL, optional=True)
    return Figures(meetings=meetings, hours=hours.quantize(ORE), travel=travel)


async def _accepted(session: AsyncSession, request_id: int) -> list[Invitation]:
    return list(
        await session.scalars(
            select(Invitation)
            .where(
                Invitation.request_id == request_id, Invitation.status == InvitationStatus.ACCEPTED
            )
            .order_by(Invitation.id)
        )
    )


async def open_for(session: AsyncSession, request: Request, *, now: datetime) -> int:
    """The requester's card per accepted participant, to file their claim
    (when the request is completed). Returns how many were asked for."""
    requester = request.requester_aad_id or request.requester_user_id
    accepted = await _accepted(session, request.id)
    if not requester:
        return 0
    await record(
        session,
        *(FeeClaimAsked(requester, request.id, i.participant_id) for i in accepted),
        now=now,
    )
    return len(accepted)


async def claim_of(session: AsyncSession, request_id: int, participant_id: int) -> FeeClaim | None:
    return await session.scalar(
        select(FeeClaim).where(
            FeeClaim.request_id == request_id, FeeClaim.participant_id == participant_id
        )
    )


@dataclass(frozen=True)
class Filed:
    claim: FeeClaim
    # False: the same figures again, nothing changed.
    changed: bool
    # False: the participant can be reached only by phone (nothing sent to them).
    told: bool
    # Confirmed at once: the participant has left the pool (`LEFT_VIA`).
    confirmed: bool = False


def _locked(stmt: Any, session: AsyncSession) -> Any:
    """The row(s) locked until the transaction ends (PostgreSQL; SQLite's
    writers are serialised by BEGIN IMMEDIATE)."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return stmt.with_for_update()
    return stmt


async def file(
    session: AsyncSession,
    request_id: int,
    participant_id: int,
    figures: Figures,
    *,
    rates: Rates,
    filed_by: str | None,
    now: datetime,
    payroll_email: str = "",
) -> Filed:
    """The requester's figures for an accepted participant of a completed
    request: a draft the participant is asked to confirm. Refused
    (`Refused`, nothing written) once they have confirmed it.

    Filed under the request's row lock and the claim's, so a refile and a
    confirmation (or two files) never both win. For a participant who has left
    the pool since the work was done, the claim is made with the name and
    contact kept for payroll and confirmed at once (nobody is left to ask)."""
    request = await session.scalar(
        _locked(select(Request).where(Request.id == request_id), session)
    )
    if request is None or Status(request.status) is not Status.COMPLETED:
        raise Refused("claim.error.not_completed")
    invitation = await session.scalar(
        select(Invitation).where(
            Invitation.request_id == request_id,
            Invitation.participant_id == participant_id,
            Invitation.status == InvitationStatus.ACCEPTED,
        )
    )
    participant = await session.get(Participant, participant_id)
    left = participant is not None and participant.status == ParticipantStatus.LEFT
    if (
        invitation is None
        or participant is None
        or (left and not (invitation.payee_name or invitation.payee_contact))
    ):
        raise Refused("claim.error.bad_participant")
    fee = compute(rates, meetings=figures.meetings, hours=figures.hours, travel=figures.travel)
    values = {
        "meetings": figures.meetings,
        "hours_hundredths": int(figures.hours * 100),
        "counted_quarters": int(fee.hours * 4),
        "travel_nok": figures.travel,
        "fee_ore": int(fee.fee * 100),
        "capped_ore": int(fee.capped_by * 100),
        "total_ore": int(fee.total * 100),
        "rates_name": rates.name[:200],
        "rates_example": rates.example,
        "hourly_ore": int(rates.hourly * 100),
        "per_meeting_ore": int(rates.per_meeting * 100),
        "day_max_ore": int(rates.day_max * 100) if rates.day_max is not None else None,
    }
    claim = await session.scalar(
        _locked(
            select(FeeClaim).where(
                FeeClaim.request_id == request_id, FeeClaim.participant_id == participant_id
            ),
            session,
        )
    )
    if claim is not None:
        if claim.status != ClaimStatus.DRAFT:
            raise Refused("claim.error.already_confirmed")
        if all(getattr(claim, name) == value for name, value in values.items()):
            told = not left and reached_by(participant) != "phone"
            return Filed(claim, changed=False, told=told)
        for name, value in values.items():
            setattr(claim, name, value)
        claim.revision += 1
        claim.filed_by_name = filed_by
        claim.updated_at = now
    else:
        claim = FeeClaim(
            request_id=request_id,
            participant_id=participant_id,
            status=ClaimStatus.DRAFT,
            revision=1,
            filed_by_name=filed_by,
            created_at=now,
            updated_at=now,
            **values,
        )
        session.add(claim)
    await session.flush()
    if left:
        claim.payee_name, claim.payee_contact = invitation.payee_name, invitation.payee_contact
        await _confirm_for_the_left(session, claim, payroll_email=payroll_email, now=now)
        return Filed(claim, changed=True, told=False, confirmed=True)
    told = reached_by(participant) != "phone"
    if told:
        await record(
            session, FeeClaimFiled(key_of(participant_id), claim.id, claim.revision), now=now
        )
    return Filed(claim, changed=True, told=told)


async def _to_payroll(
    session: AsyncSession, claim: FeeClaim, *, payroll_email: str, now: datetime
) -> bool:
    if not payroll_email:
        return False
    await record(session, FeeClaimToPayroll(payroll_email, claim.id), now=now)
    return True


# How a claim was confirmed when its participant had left the pool: the
# requester's figures stand (payroll's copy says the participant did not confirm).
LEFT_VIA = "left"


async def _confirm_for_the_left(
    session: AsyncSession, claim: FeeClaim, *, payroll_email: str, now: datetime
) -> None:
    claim.status = FEE_CLAIMS.transition(claim.status, ClaimStatus.CONFIRMED)
    claim.confirmed_at = claim.updated_at = now
    claim.confirmed_via = LEFT_VIA
    await _to_payroll(session, claim, payroll_email=payroll_email, now=now)


async def keep_payee(
    session: AsyncSession,
    participant_id: int,
    name: str | None,
    contact: str | None,
    *,
    now: datetime,
    payroll_email: str = "",
) -> int:
    """The participant leaves the pool: each of their claims keeps the name and
    contact payroll needs (and nothing of the pool: no role, no area); a
    draft is confirmed as the requester filed it, since nobody is left to ask.
    Returns how many claims."""
    found = list(
        await session.scalars(
            _locked(
                select(FeeClaim)
                .where(FeeClaim.participant_id == participant_id)
                .order_by(FeeClaim.id),
                session,
            )
        )
    )
    for claim in found:
        claim.payee_name = claim.payee_name or name
        claim.payee_contact = claim.payee_contact or contact
        if FEE_CLAIMS.may(claim.status, ClaimStatus.CONFIRMED):  # a draft
            await _confirm_for_the_left(session, claim, payroll_email=payroll_email, now=now)
    await session.flush()
    return len(found)


async def detach(session: AsyncSession, participant_id: int) -> None:
    """The participant is erased: a claim not yet confirmed goes with them; one
    confirmed, sent or paid stays (bookkeeping), with its payee and no link to them."""
    await session.execute(
        delete(FeeClaim).where(
            FeeClaim.participant_id == participant_id, FeeClaim.status == ClaimStatus.DRAFT
        )
    )
    await session.execute(
        update(FeeClaim)
        .where(FeeClaim.participant_id == participant_id)
        .values(participant_id=None)
        .execution_options(synchronize_session=False)
    )


def payee(claim: FeeClaim, participant: Participant | None) -> tuple[str | None, str | None]:
    """Who is paid: the name and contact kept with the claim once they left the
    pool, else the participant's own (e-mail and phone)."""
    if claim.payee_name or claim.payee_contact:
        return claim.payee_name, claim.payee_contact
    if participant is None or participant.status == ParticipantStatus.LEFT:
        return None, None
    return payee_of(participant)


@dataclass(frozen=True)
class Confirmed:
    claim: FeeClaim
    # It was confirmed before: nothing changed.
    repeated: bool
    # Queued for payroll (False: no payroll address; it waits for `claims pdf`).
    queued: bool


async def confirm(
    session: AsyncSession,
    claim_id: int,
    participant_id: int,
    revision: int,
    *,
    via: str,
    payroll_email: str,
    now: datetime,
) -> Confirmed:
    """The participant confirms the figures of `revision` of their own claim.
    The claim's row is locked first (and the status changes only from a
    draft of that revision), so of two confirmations, or a confirmation and a
    refile, one wins and the other sees what it did."""
    claim = await session.scalar(_locked(select(FeeClaim).where(FeeClaim.id == claim_id), session))
    if claim is None or claim.participant_id != participant_id:
        raise Refused("claim.error.not_yours")
    if not FEE_CLAIMS.may(claim.status, ClaimStatus.CONFIRMED):
        return Confirmed(claim, repeated=True, queued=False)
    if claim.revision != revision:
        raise Refused("claim.error.changed")
    done = await session.execute(
        update(FeeClaim)
        .where(
            FeeClaim.id == claim.id,
            FeeClaim.status.in_(FEE_CLAIMS.sources(ClaimStatus.CONFIRMED)),
            FeeClaim.revision == revision,
        )
        .values(status=ClaimStatus.CONFIRMED, confirmed_at=now, updated_at=now, confirmed_via=via)
        .execution_options(synchronize_session=False)
    )
    if rowcount(done) != 1:
        raise Refused("claim.error.changed")
    await session.refresh(claim)
    participant = await session.get(Participant, participant_id)
    if participant is not None:
        participant.last_active_at = now
    queued = await _to_payroll(session, claim, payroll_email=payroll_email, now=now)
    await session.flush()
    return Confirmed(claim, repeated=False, queued=queued)


async def mark_sent(session: AsyncSession, claim_id: int, *, now: datetime) -> None:
    """Payroll's e-mail went out (the outbox's delivery hook)."""
    claim = await session.get(FeeClaim, claim_id)
    if claim is not None and FEE_CLAIMS.may(claim.status, ClaimStatus.SENT):
        claim.status = ClaimStatus.SENT
        claim.sent_at = claim.updated_at = now


async def mark_paid(session: AsyncSession, claim_id: int, *, now: datetime) -> FeeClaim:
    """Payroll has paid it (`medvirk claims paid ID`): a confirmed claim, sent
    or not (`FEE_CLAIMS`); paid again, nothing changes."""
    claim = await session.get(FeeClaim, claim_id)
    if claim is None:
        raise Refused("claim.error.unknown")
    if claim.status == ClaimStatus.PAID:
        return claim
    if not FEE_CLAIMS.may(claim.status, ClaimStatus.PAID):
        raise Refused(FEE_CLAIMS.refusal)  # claim.error.not_confirmed
    claim.status = ClaimStatus.PAID
    claim.paid_at = claim.updated_at = now
    return claim


async def listing(
    session: AsyncSession, *, status: str | None = None, limit: int = 500
) -> list[FeeClaim]:
    stmt = select(FeeClaim).order_by(FeeClaim.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(FeeClaim.status == status)
    return list(await session.scalars(stmt))
