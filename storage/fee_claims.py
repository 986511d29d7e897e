"""The fee claim (honorar) of one participant's work on one request.

When the owner completes a request, its requester is asked, per accepted
participant, for the meetings, hours and travel costs, whether they attended in
person, their documented lost earnings, and whether they decline the fee
(`open_for`). What they file (`file`) is computed from the fee rates
(`storage.domain.fees`) into a draft the participant is shown to confirm
(`confirm`: only the figures of the revision they saw; they may decline the
fee as they confirm, or take back a decline the requester recorded). A confirmed claim is sent to payroll as a PDF, by e-mail to the
`office:<address>` key (`outbox.address_key`); delivered, it is `sent`; payroll's
payment is recorded by `paid`, from `sent` or straight from `confirmed` (no
payroll address: payroll had the PDF from `claims pdf`). The lifecycle is
`FEE_CLAIMS` (storage/domain/fee_claims.py):

    draft → confirmed → sent → paid
                 └──────────────↗

Each person's action is one use case owning one transaction: `file` (the
requester's card), `confirm` (the participant's card or page), `mark_paid`
(the CLI). Each returns what it committed, with everything a card, a page or
the CLI shows, or raises `Refused` having written nothing; the `*_in` steps are
the same work inside a caller's transaction (a builder of many).

A claim never holds an identity number or a bank account: payroll collects
those from the person directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import commissioners, desks
from storage.db import Database
from storage.db.models import Desk, FeeClaim, Gathering, Invitation, Participant, Request
from storage.domain.fee_claims import FEE_CLAIMS, ClaimStatus
from storage.domain.fees import (
    ORE,
    Fee,
    LostEarnings,
    Rates,
    Rounding,
    Travel,
    compute,
)
from storage.domain.invitations import InvitationStatus
from storage.domain.participants import ParticipantStatus
from storage.domain.refusal import Refused
from storage.domain.requests import Status
from storage.notifications import FeeClaimAsked, FeeClaimFiled, FeeClaimToPayroll, record
from storage.pool import key_of, payee_of, reached_by

MAX_MEETINGS = 100
MAX_HOURS = Decimal(500)
MAX_TRAVEL = 100_000
MAX_LOST_EARNINGS = 100_000
YES = frozenset({"true", "yes", "on", "1", "ja"})


@dataclass(frozen=True)
class Figures:
    meetings: int
    hours: Decimal
    travel: int
    in_person: bool = False
    lost_earnings: int = 0
    declined: bool = False


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


def flag(value: Any) -> bool:
    """A toggle as a card (`"true"`), a form (`"yes"`, `"on"`) or code gives it."""
    if isinstance(value, bool):
        return value
    return _text(value).lower() in YES


def parse_figures(raw: Mapping[str, Any]) -> Figures:
    """The requester's figures, as a card or the CLI gives them (text or numbers):
    meetings a whole number 0–100, hours 0–500 with at most two decimals (a comma
    or a dot), travel and lost earnings whole numbers of kroner 0–100000
    (optional), `in_person` and `fee_declined` toggles (optional, no)."""
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
    lost = _whole(
        raw.get("lost_earnings_nok"), "lost_earnings_nok", MAX_LOST_EARNINGS, optional=True
    )
    return Figures(
        meetings=meetings,
        hours=hours.quantize(ORE),
        travel=travel,
        in_person=flag(raw.get("in_person")),
        lost_earnings=lost,
        declined=flag(raw.get("fee_declined")),
    )


def _ore(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


def _columns(figures: Figures, fee: Fee, rates: Rates) -> dict[str, Any]:
    """A claim's figures, its fee, and the rates it was computed by, as its
    columns (`rates_of` reads the rates back)."""
    return {
        "meetings": figures.meetings,
        "hours_hundredths": int(figures.hours * 100),
        "counted_quarters": int(fee.hours * 4),
        "travel_nok": figures.travel,
        "in_person": figures.in_person,
        "lost_earnings_nok": figures.lost_earnings,
        "lost_earnings_ore": int(fee.lost_earnings * 100),
        "fee_declined": figures.declined,
        "fee_ore": int(fee.fee * 100),
        "capped_ore": int(fee.capped_by * 100),
        "total_ore": int(fee.total * 100),
        "rates_name": rates.name[:200],
        "rates_example": rates.example,
        "hourly_ore": int(rates.hourly * 100),
        "per_meeting_ore": int(rates.per_meeting * 100),
        "day_max_ore": _ore(rates.day_max),
        "rounding": rates.rounding.value,
        "min_in_person_hundredths": _ore(rates.min_hours_in_person),
        "travel_cheapest": rates.travel is Travel.CHEAPEST_FARE,
        "lost_earnings_documented": rates.lost_earnings is LostEarnings.DOCUMENTED,
        "lost_earnings_day_max_ore": _ore(rates.lost_earnings_day_max),
    }


def rates_of(claim: FeeClaim) -> Rates:
    """The rates a claim was computed with, as kept on it."""

    def kroner(ore: int | None) -> Decimal | None:
        return None if ore is None else Decimal(ore) / 100

    return Rates(
        name=claim.rates_name,
        example=claim.rates_example,
        hourly=Decimal(claim.hourly_ore) / 100,
        per_meeting=Decimal(claim.per_meeting_ore) / 100,
        day_max=kroner(claim.day_max_ore),
        rounding=Rounding(claim.rounding),
        min_hours_in_person=kroner(claim.min_in_person_hundredths),
        travel=Travel.CHEAPEST_FARE if claim.travel_cheapest else Travel.AS_CLAIMED,
        lost_earnings=(
            LostEarnings.DOCUMENTED if claim.lost_earnings_documented else LostEarnings.NONE
        ),
        lost_earnings_day_max=kroner(claim.lost_earnings_day_max_ore),
    )


def computed(claim: FeeClaim, *, declined: bool) -> Fee:
    """The claim's fee again from its own figures and rates, declined or not."""
    return compute(
        rates_of(claim),
        meetings=claim.meetings,
        hours=Decimal(claim.hours_hundredths) / 100,
        travel=claim.travel_nok,
        in_person=claim.in_person,
        lost_earnings=claim.lost_earnings_nok,
        declined=declined,
    )


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


class Filer(Protocol):
    """Who files (`storage.requests.moves.Actor` is one): the requester's account."""

    @property
    def aad_object_id(self) -> str: ...

    @property
    def name(self) -> str | None: ...


@dataclass(frozen=True)
class Form:
    """What the requester's card for one participant shows."""

    request: Request
    participant: Participant
    claim: FeeClaim | None


async def form_of(session: AsyncSession, request_id: int, participant_id: int) -> Form | None:
    """The request, the participant and their claim if one is filed: one read."""
    found = (
        await session.execute(
            select(Request, Participant, FeeClaim)
            .select_from(Request)
            .join(Participant, Participant.id == participant_id)
            .outerjoin(
                FeeClaim,
                (FeeClaim.request_id == Request.id) & (FeeClaim.participant_id == Participant.id),
            )
            .where(Request.id == request_id)
        )
    ).first()
    return None if found is None else Form(*found)


@dataclass(frozen=True)
class Filed:
    claim: FeeClaim
    request: Request
    participant: Participant
    # False: the same figures again, nothing changed.
    changed: bool
    # False: the participant can be reached only by phone (nothing sent to them).
    told: bool
    # Confirmed at once: the participant has left the pool (`LEFT_VIA`).
    confirmed: bool = False


def _locked(stmt: Any, session: AsyncSession, *of: Any) -> Any:
    """The row(s) locked until the transaction ends (PostgreSQL; SQLite's
    writers are serialised by BEGIN IMMEDIATE)."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return stmt.with_for_update(of=of or None)
    return stmt


async def file(
    db: Database,
    filer: Filer,
    request_id: int,
    participant_id: int,
    raw: Mapping[str, Any],
    *,
    rates: Rates,
    now: datetime,
    payroll_email: str = "",
) -> Filed:
    """The requester files an accepted participant's figures (`raw`, as
    `parse_figures` takes them): one transaction (`file_in`)."""
    async with db.transaction() as session:
        return await file_in(
            session,
            filer,
            request_id,
            participant_id,
            raw,
            rates=rates,
            now=now,
            payroll_email=payroll_email,
        )


async def file_in(
    session: AsyncSession,
    filer: Filer,
    request_id: int,
    participant_id: int,
    raw: Mapping[str, Any],
    *,
    rates: Rates,
    now: datetime,
    payroll_email: str = "",
) -> Filed:
    """The requester's figures for an accepted participant of a completed
    request: a draft the participant is asked to confirm. Refused
    (`claim.error.not_entitled`) to anyone but the request's requester (or,
    for a commissioner who ordered on the web and has no Teams, its owner), and for
    anyone who did not accept it, before anyone in the pool is read; refused
    (nothing written) for bad figures and once they have confirmed it.

    Filed under the request's row lock and the claim's, so a refile and a
    confirmation (or two files) never both win. For a participant who has left
    the pool since the work was done, the claim is made with the name and
    contact kept for payroll and confirmed at once (nobody is left to ask)."""
    aad = filer.aad_object_id
    found = None
    if aad:
        found = (
            await session.execute(
                _locked(
                    select(Request, Invitation, Participant, Desk)
                    .join(Invitation, Invitation.request_id == Request.id)
                    .join(Participant, Participant.id == Invitation.participant_id)
                    .join(Desk, Desk.id == Request.desk_id)
                    .where(
                        Request.id == request_id,
                        Invitation.participant_id == participant_id,
                        Invitation.status == InvitationStatus.ACCEPTED,
                        # The requester, as `storage.requests.moves.roles_of` names them;
                        # for a commissioner outside Teams (a web order), its owner.
                        or_(
                            Request.requester_aad_id == aad,
                            Request.requester_user_id == aad,
                            and_(
                                Request.payer == "commissioner",
                                Request.requester_aad_id.is_(None),
                                Request.owner_aad_id == aad,
                            ),
                        ),
                    ),
                    session,
                    Request,
                )
            )
        ).first()
    if found is None:
        # One refusal for no such request, someone else's, and a participant
        # who did not take part: naming nobody, telling nothing.
        raise Refused("claim.error.not_entitled")
    request, invitation, participant, desk = found
    figures = parse_figures(raw)
    if Status(request.status) is not Status.COMPLETED:
        raise Refused("claim.error.not_completed")
    left = participant.status == ParticipantStatus.LEFT
    if left and not (invitation.payee_name or invitation.payee_contact):
        raise Refused("claim.error.bad_participant")
    # The request's desk may pay by rates of its own.
    rates = desks.rates_of(desk, default=rates)
    if figures.lost_earnings and rates.lost_earnings is LostEarnings.NONE:
        raise Refused("claim.error.lost_earnings_not_covered", field="lost_earnings_nok")
    fee = compute(
        rates,
        meetings=figures.meetings,
        hours=figures.hours,
        travel=figures.travel,
        in_person=figures.in_person,
        lost_earnings=figures.lost_earnings,
        declined=figures.declined,
    )
    values = _columns(figures, fee, rates)
    claim = await session.scalar(
        _locked(
            select(FeeClaim).where(
                FeeClaim.request_id == request_id, FeeClaim.participant_id == participant_id
            ),
            session,
        )
    )
    told = not left and reached_by(participant) != "phone"
    if claim is not None:
        if claim.status != ClaimStatus.DRAFT:
            raise Refused("claim.error.already_confirmed")
        if all(getattr(claim, name) == value for name, value in values.items()):
            return Filed(claim, request, participant, changed=False, told=told)
        for name, value in values.items():
            setattr(claim, name, value)
        claim.revision += 1
        claim.filed_by_name = filer.name
        claim.updated_at = now
    else:
        claim = FeeClaim(
            request_id=request_id,
            desk_id=request.desk_id,
            participant_id=participant_id,
            status=ClaimStatus.DRAFT,
            revision=1,
            filed_by_name=filer.name,
            created_at=now,
            updated_at=now,
            **values,
        )
        session.add(claim)
    if left:
        claim.payee_name, claim.payee_contact = invitation.payee_name, invitation.payee_contact
        await _confirm_for_the_left(session, claim, payroll_email=payroll_email, now=now)
        return Filed(claim, request, participant, changed=True, told=False, confirmed=True)
    await session.flush()
    if told:
        await _ask_to_confirm(session, claim, now=now)
    return Filed(claim, request, participant, changed=True, told=told)


async def participant_of(
    session: AsyncSession, *, desk_id: int, aad_object_id: str | None, email: str | None
) -> Participant | None:
    """The desk's participant in the pool (active or paused) who is this
    contact: the same Teams account, else the same e-mail address."""
    ours = (Participant.desk_id == desk_id) & Participant.status.in_(
        [ParticipantStatus.ACTIVE.value, ParticipantStatus.PAUSED.value]
    )
    for column, value in (
        (Participant.aad_object_id, aad_object_id),
        (Participant.email, email),
    ):
        if value:
            found = await session.scalar(
                select(Participant)
                .where(ours, func.lower(column) == value.lower())
                .order_by(Participant.id)
                .limit(1)
            )
            if found is not None:
                return found
    return None


async def file_for_a_day(
    session: AsyncSession,
    gathering: Gathering,
    participant: Participant,
    *,
    in_person: bool,
    rates: Rates,
    filer_name: str | None,
    now: datetime,
) -> FeeClaim | None:
    """A participant came to `gathering`: their claim for the day, a draft they
    are asked to confirm (adding their travel), computed by the desk's rates'
    `[gathering] day` (None: those rates pay no fee for a gathering, or the
    participant is reached by phone only, so nobody could confirm it).
    Checked in again, the claim already there is returned unchanged."""
    found: FeeClaim | None = await session.scalar(
        _locked(
            select(FeeClaim).where(
                FeeClaim.gathering_id == gathering.id, FeeClaim.participant_id == participant.id
            ),
            session,
        )
    )
    if found is not None:
        return found
    desk = await session.get(Desk, gathering.desk_id)
    rates = desks.rates_of(desk, default=rates)
    if rates.gathering_day is None or reached_by(participant) == "phone":
        return None
    day = rates.for_a_gathering()
    hours = Decimal(0)
    if gathering.ends_at is not None and gathering.ends_at > gathering.starts_at:
        seconds = (gathering.ends_at - gathering.starts_at).total_seconds()
        hours = min(Decimal(int(seconds // 36)) / 100, MAX_HOURS)
    figures = Figures(meetings=1, hours=hours, travel=0, in_person=in_person)
    fee = compute(day, meetings=1, hours=hours, in_person=in_person)
    claim = FeeClaim(
        gathering_id=gathering.id,
        desk_id=gathering.desk_id,
        participant_id=participant.id,
        status=ClaimStatus.DRAFT,
        revision=1,
        filed_by_name=filer_name,
        created_at=now,
        updated_at=now,
        **_columns(figures, fee, day),
    )
    session.add(claim)
    await session.flush()
    await _ask_to_confirm(session, claim, now=now)
    return claim


async def withdraw_day(session: AsyncSession, gathering_id: int, participant_id: int) -> bool:
    """A check-in undone: the day's claim goes, while it is a draft (a
    confirmed one is payroll's)."""
    gone = await session.execute(
        delete(FeeClaim).where(
            FeeClaim.gathering_id == gathering_id,
            FeeClaim.participant_id == participant_id,
            FeeClaim.status == ClaimStatus.DRAFT,
        )
    )
    return bool(getattr(gone, "rowcount", 0))


async def _ask_to_confirm(session: AsyncSession, claim: FeeClaim, *, now: datetime) -> None:
    assert claim.participant_id is not None
    await record(
        session, FeeClaimFiled(key_of(claim.participant_id), claim.id, claim.revision), now=now
    )


async def _to_payroll(
    session: AsyncSession, claim: FeeClaim, *, payroll_email: str, now: datetime
) -> bool:
    """To the commissioner who pays the participant directly (their invoice
    e-mail), else to the claim's desk's payroll address, or `payroll_email`
    (the deployment's) for a desk that has none of its own."""
    desk = await session.get(Desk, claim.desk_id)
    request = await session.get(Request, claim.request_id) if claim.request_id else None
    address = (
        (await commissioners.claim_address(session, request, desk) if request else None)
        or (desk.payroll_email if desk else None)
        or payroll_email
    )
    if not address:
        return False
    await record(session, FeeClaimToPayroll(address, claim.id), now=now)
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
    await session.flush()  # a new claim's id, for payroll's row
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
class Confirmer:
    """Who confirms: the participant whose link opened the page, or whose Teams
    account pressed the card; `via` is how (on the claim, and in payroll's PDF)."""

    via: str
    participant_id: int | None = None
    aad_object_id: str = ""

    @classmethod
    def on_page(cls, participant_id: int) -> Confirmer:
        return cls("page", participant_id=participant_id)

    @classmethod
    def in_teams(cls, aad_object_id: str) -> Confirmer:
        return cls("teams", aad_object_id=aad_object_id.lower())

    def is_them(self) -> ColumnElement[bool]:
        """The participant row that is the confirmer."""
        if self.participant_id is not None:
            return Participant.id == self.participant_id
        return func.lower(Participant.aad_object_id) == self.aad_object_id


# What a claim pays for: a request's work, or a day at a gathering (both have
# a `reference` and a `title`, which is what a card, a page and a PDF show).
Work = Request | Gathering


@dataclass(frozen=True)
class Yours:
    """A participant's own claim, with what its card and page show."""

    claim: FeeClaim
    work: Work
    participant: Participant


def _with_work() -> Any:
    """A claim, what it pays for and its participant (one of request and
    gathering is there)."""
    return (
        select(FeeClaim, Request, Gathering, Participant)
        .outerjoin(Request, Request.id == FeeClaim.request_id)
        .outerjoin(Gathering, Gathering.id == FeeClaim.gathering_id)
        .join(Participant, Participant.id == FeeClaim.participant_id)
    )


def _found(row: Any) -> Yours | None:
    if row is None:
        return None
    claim, request, gathering, participant = row[:4]
    return Yours(claim, request if request is not None else gathering, participant)


def _yours(confirmer: Confirmer, claim_id: int) -> Any:
    return _with_work().where(FeeClaim.id == claim_id, confirmer.is_them())


async def yours(session: AsyncSession, confirmer: Confirmer, claim_id: int) -> Yours | None:
    """The claim if it is `confirmer`'s (None alike for one not there and one
    of someone else's): one read."""
    if confirmer.participant_id is None and not confirmer.aad_object_id:
        return None
    return _found((await session.execute(_yours(confirmer, claim_id))).first())


async def to_confirm(session: AsyncSession, claim_id: int, revision: int) -> Yours | None:
    """A draft of `revision` its participant, still in the pool, is asked to
    confirm (None once confirmed, or changed since: a newer row asks): one read."""
    return _found(
        (
            await session.execute(
                _with_work().where(
                    FeeClaim.id == claim_id,
                    FeeClaim.revision == revision,
                    FeeClaim.status == ClaimStatus.DRAFT,
                    Participant.status != ParticipantStatus.LEFT,
                )
            )
        ).first()
    )


@dataclass(frozen=True)
class Confirmed(Yours):
    # It was confirmed before: nothing changed.
    repeated: bool
    # Queued for payroll (False: no payroll address; it waits for `claims pdf`).
    queued: bool


async def confirm(
    db: Database,
    confirmer: Confirmer,
    claim_id: int,
    revision: int,
    *,
    payroll_email: str,
    now: datetime,
    declined: bool | None = None,
    travel: Any = None,
) -> Confirmed:
    """The participant confirms the figures they saw: one transaction (`confirm_in`)."""
    async with db.transaction() as session:
        return await confirm_in(
            session,
            confirmer,
            claim_id,
            revision,
            payroll_email=payroll_email,
            now=now,
            declined=declined,
            travel=travel,
        )


async def confirm_in(
    session: AsyncSession,
    confirmer: Confirmer,
    claim_id: int,
    revision: int,
    *,
    payroll_email: str,
    now: datetime,
    declined: bool | None = None,
    travel: Any = None,
) -> Confirmed:
    """The participant confirms the figures of `revision` of their own claim
    (`claim.error.not_yours` alike for a claim not there and someone else's),
    declining the fee or not (`declined`; None: as filed). Declined, the fee
    is 0 and travel and lost earnings are still paid; the claim's own rates
    compute it, so a later change of the rates file changes nothing.
    The claim's row is locked first and the status changes only from a draft
    of that revision, so of two confirmations, or a confirmation and a
    refile, one wins and the other sees what it did.

    A day at a gathering has no requester to give the travel costs: its
    participant gives them as they confirm (`travel`, whole kroner, against
    their receipts; None: as filed)."""
    if confirmer.participant_id is None and not confirmer.aad_object_id:
        raise Refused("claim.error.not_yours")
    # With the desk, whose payroll address it may go to (read with it, not after).
    yours_with_desk = (
        _yours(confirmer, claim_id).add_columns(Desk).join(Desk, Desk.id == FeeClaim.desk_id)
    )
    row = (await session.execute(_locked(yours_with_desk, session, FeeClaim))).first()
    found = _found(row)
    if found is None or row is None:
        raise Refused("claim.error.not_yours")
    # Held here: the session's identity map keeps only what is referenced,
    # and `_to_payroll` finds the desk there instead of reading it again.
    _desk = row[-1]
    claim, work, participant = found.claim, found.work, found.participant
    if not FEE_CLAIMS.may(claim.status, ClaimStatus.CONFIRMED):
        return Confirmed(claim, work, participant, repeated=True, queued=False)
    if claim.revision != revision:
        raise Refused("claim.error.changed")
    if travel is not None and claim.gathering_id is not None and claim.in_person:
        travel = _whole(travel, "travel_nok", MAX_TRAVEL, optional=True)
    else:
        travel = None
    if (declined is not None and declined != claim.fee_declined) or (
        travel is not None and travel != claim.travel_nok
    ):
        if declined is not None:
            claim.fee_declined = declined
        if travel is not None:
            claim.travel_nok = travel
        fee = computed(claim, declined=claim.fee_declined)
        claim.fee_ore, claim.total_ore = int(fee.fee * 100), int(fee.total * 100)
    claim.status = FEE_CLAIMS.transition(claim.status, ClaimStatus.CONFIRMED)
    claim.confirmed_at = claim.updated_at = now
    claim.confirmed_via = confirmer.via
    participant.last_active_at = now
    queued = await _to_payroll(session, claim, payroll_email=payroll_email, now=now)
    await session.flush()
    return Confirmed(claim, work, participant, repeated=False, queued=queued)


async def mark_sent(session: AsyncSession, claim_id: int, *, now: datetime) -> None:
    """Payroll's e-mail went out (the outbox's delivery hook)."""
    claim = await session.get(FeeClaim, claim_id)
    if claim is not None and FEE_CLAIMS.may(claim.status, ClaimStatus.SENT):
        claim.status = ClaimStatus.SENT
        claim.sent_at = claim.updated_at = now


async def mark_paid(db: Database, claim_id: int, *, now: datetime) -> FeeClaim:
    """Payroll has paid it (`medvirk claims paid ID`): a confirmed claim, sent
    or not (`FEE_CLAIMS`); paid again, nothing changes.
    One transaction; the claim as committed."""
    async with db.transaction() as session:
        claim: FeeClaim | None = await session.scalar(
            _locked(select(FeeClaim).where(FeeClaim.id == claim_id), session)
        )
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
