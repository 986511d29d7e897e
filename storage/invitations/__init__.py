"""Invitations: a participant asked to take part in a request, their answer,
and the match that follows when enough have said yes.

Each change is one transaction with the outbox rows it causes: the invitation
to the participant, the card's update in place, the owner's notice, and, on a
match, the requester's message naming who said yes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage import privacy
from storage.db import rowcount
from storage.db.models import FeeClaim, Invitation, Participant, Request
from storage.domain.invitations import INVITATIONS, IS, DocumentStatus, document
from storage.domain.refusal import Refused
from storage.domain.requests import OPEN_STATUSES, Move, Role, Status, authorise
from storage.domain.sms import reply_code
from storage.notifications import (
    CardChanged,
    DocumentsAsked,
    InvitationSent,
    InvitationWithdrawn,
    OwnerTold,
    RequestMatched,
    record,
)
from storage.pool import key_of
from storage.pool.matching import is_eligible
from storage.requests.moves import Actor, apply_move, load_for_update

# Invitations go out only for a request someone owns and has not yet matched.
INVITABLE = frozenset({Status.CLAIMED, Status.IN_PROGRESS})
# Answers still count while the request is open but not matched (a released
# request keeps its invitations for whoever claims it next).
ANSWERABLE = INVITABLE | {Status.SUBMITTED}
SYSTEM = Actor("medvirk", "medvirk")


def _invitable(request: Request) -> None:
    status = Status(request.status)
    if status is Status.SUBMITTED:
        raise Refused("participant.error.claim_first")
    if status not in INVITABLE:
        raise Refused("participant.error.request_not_open")


@dataclass(frozen=True)
class Seat:
    """One invitation of a request, as the card's summary counts it and the
    match acts on it."""

    invitation_id: int
    participant_id: int
    name: str
    status: str
    answered_at: datetime | None
    agreement_signed_at: datetime | None
    confidentiality_signed_at: datetime | None
    # The participant's confidentiality declaration from onboarding.
    confidentiality_on: date | None


_SEATS = (
    select(
        Invitation.id,
        Invitation.participant_id,
        Participant.name,
        Invitation.status,
        Invitation.answered_at,
        Invitation.agreement_signed_at,
        Invitation.confidentiality_signed_at,
        Participant.confidentiality_on,
    )
    .join(Participant, Participant.id == Invitation.participant_id)
    .where(Invitation.request_id == bindparam("request_id"))
)


async def seats_of(session: AsyncSession, request_id: int) -> list[Seat]:
    """Every invitation of the request, in one statement."""
    rows = await session.execute(_SEATS, {"request_id": request_id})
    return [
        Seat(i, p, name or "", status, answered, agreement, confidentiality, declared)
        for i, p, name, status, answered, agreement, confidentiality, declared in rows.all()
    ]


_NEVER = datetime.min.replace(tzinfo=UTC)


def summary(seats: list[Seat]) -> dict[str, Any]:
    """What the card says of a request's invitations (pure): the answers in
    the order they came."""
    counts: Counter[str] = Counter()
    accepted: list[str] = []
    # Accepted, and not yet both documents signed: [participant id, name, what is missing].
    unsigned: list[list[Any]] = []
    for seat in sorted(seats, key=lambda s: (s.answered_at or _NEVER, s.invitation_id)):
        counts[seat.status] += 1
        if seat.status == IS.ACCEPTED:
            accepted.append(seat.name)
            missing = [
                kind
                for kind, signed in (
                    ("agreement", seat.agreement_signed_at),
                    ("confidentiality", seat.confidentiality_signed_at),
                )
                if document(signed) is DocumentStatus.UNSIGNED
            ]
            if missing:
                unsigned.append([seat.participant_id, seat.name, missing])
    return {
        "invited": sum(counts.values()) - counts[IS.WITHDRAWN],
        "waiting": counts[IS.INVITED],
        "declined": counts[IS.DECLINED] + counts[IS.EXPIRED],
        "left": counts[IS.LEFT],
        "accepted": accepted,
        "unsigned": unsigned,
    }


async def refresh_summary(session: AsyncSession, request: Request) -> None:
    """What the card says of the request's invitations, recounted."""
    request.match_summary = summary(await seats_of(session, request.id))


def accepted_count(request: Request) -> int:
    return len((request.match_summary or {}).get("accepted", []))


async def _locked(session: AsyncSession, request_id: int) -> Request:
    return await load_for_update(session, request_id)


def _insert(session: AsyncSession) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return pg_insert(Invitation) if dialect == "postgresql" else sqlite_insert(Invitation)


@dataclass(frozen=True)
class Invited:
    """An invitation made, with the request and the participant as committed."""

    request: Request
    invitation: Invitation
    participant: Participant


async def invite(
    session: AsyncSession,
    request_id: int,
    participant_id: int,
    actor: Actor,
    *,
    now: datetime,
    days: int,
) -> Invited:
    """Ask one participant: the rule of `storage.pool.matching` for this one
    person (no ranking), then one insert. Of two coordinators inviting the
    same person to the same request at once, one makes the invitation; the
    other is told."""
    request = await _locked(session, request_id)
    _invitable(request)
    participant = await session.get(Participant, participant_id)
    if participant is None:
        raise Refused("participant.error.unknown")
    name = participant.name or ""
    seats = await seats_of(session, request.id)
    if any(seat.participant_id == participant.id for seat in seats):
        raise Refused("participant.error.already_invited", name=name)
    if not is_eligible(participant, request, invited=False):
        raise Refused("participant.error.not_eligible", name=name)
    if sum(seat.status == IS.ACCEPTED for seat in seats) >= request.participant_count:
        raise Refused("participant.error.enough")
    invitation = await session.scalar(
        _insert(session)
        .values(
            request_id=request.id,
            desk_id=request.desk_id,
            participant_id=participant.id,
            status=IS.INVITED,
            invited_by=actor.aad_object_id,
            invited_by_name=actor.name,
            created_at=now,
            expires_at=now + timedelta(days=days),
            sms_code=reply_code(),
        )
        .on_conflict_do_nothing(index_elements=["request_id", "participant_id"])
        .returning(Invitation)
    )
    if invitation is None:
        # The other press of a race made it between our check and our insert.
        raise Refused("participant.error.already_invited", name=name)
    # Fair rotation: one more invitation (the night's recount keeps the window).
    participant.asked_12m = (participant.asked_12m or 0) + 1
    if participant.last_invited_at is None or participant.last_invited_at < now:
        participant.last_invited_at = now
    asked = Seat(invitation.id, participant.id, name, IS.INVITED, None, None, None, None)
    request.match_summary = summary([*seats, asked])
    request.updated_at = now
    await record(
        session,
        InvitationSent(key_of(participant.id), invitation.id),
        CardChanged.of(request),
        now=now,
    )
    return Invited(request, invitation, participant)


@dataclass(frozen=True)
class Answerer:
    """Who answers an invitation: the Teams account pressing its card (their
    AAD object id), or the participant whose page's link it is."""

    aad_object_id: str | None = None
    participant_id: int | None = None


@dataclass(frozen=True)
class Answered:
    """The answer as committed: what the invitation card and page show."""

    invitation: Invitation
    participant: Participant
    request: Request
    # The request moved to `matched` with this answer.
    matched: bool
    # Nothing changed: the same answer was given before.
    repeated: bool = False

    @property
    def notice(self) -> str:
        """The catalog key of what the answerer is told."""
        accepted = self.invitation.status == IS.ACCEPTED
        return "invitation.accepted" if accepted else "invitation.declined"


async def invitation_of(
    session: AsyncSession, answerer: Answerer, invitation_id: int, *, lock: bool = False
) -> tuple[Invitation, Participant, Request] | None:
    """The invitation if it is the answerer's, its participant and its
    request (`lock`: the request locked for the answer), in one statement;
    a forged id finds nothing."""
    stmt = (
        select(Invitation, Participant, Request)
        .join(Participant, Participant.id == Invitation.participant_id)
        .join(Request, Request.id == Invitation.request_id)
        .where(Invitation.id == invitation_id)
    )
    if answerer.participant_id is not None:
        stmt = stmt.where(Participant.id == answerer.participant_id)
    elif answerer.aad_object_id:
        # Found only together with the presser's account: nobody else's row is loaded.
        stmt = stmt.where(func.lower(Participant.aad_object_id) == answerer.aad_object_id.lower())
    else:
        return None
    if lock and session.bind is not None and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Request)
    found = (await session.execute(stmt)).first()
    return None if found is None else (found[0], found[1], found[2])


async def answer_invitation(
    session: AsyncSession,
    answerer: Answerer,
    invitation_id: int,
    *,
    accept: bool,
    via: str,
    now: datetime,
) -> Answered:
    """A participant's yes or no, in Teams or on the page: one transaction
    (the caller's), two reads before anything is written and none after. A
    yes that completes the count matches the request. Refused (nothing
    written) with `participant.error.not_yours` for an invitation that is not
    the answerer's or not there."""
    found = await invitation_of(session, answerer, invitation_id, lock=True)
    if found is None:
        raise Refused("participant.error.not_yours")
    invitation, participant, request = found
    wanted = IS.ACCEPTED if accept else IS.DECLINED
    if invitation.status == wanted:
        return Answered(invitation, participant, request, matched=False, repeated=True)
    if not INVITATIONS.may(invitation.status, wanted):
        # What became of it: participant.error.invitation_<status>.
        raise Refused(INVITATIONS.refusal.format(current=invitation.status))
    if now >= invitation.expires_at:
        raise Refused("participant.error.invitation_expired")
    if Status(request.status) not in ANSWERABLE:
        raise Refused("participant.error.no_longer_needed")
    seats = await seats_of(session, request.id)
    answered = {"status": wanted, "answered_at": now, "answered_via": via}
    result = await session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status.in_(INVITATIONS.sources(wanted)))
        .values(**answered)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        # Answered (or expired) since it was read: say what it is now.
        await session.refresh(invitation)
        if invitation.status == wanted:
            return Answered(invitation, participant, request, matched=False, repeated=True)
        raise Refused("participant.error.changed_meanwhile")
    for key, value in answered.items():
        set_committed_value(invitation, key, value)
    seats = [
        replace(s, status=wanted, answered_at=now) if s.invitation_id == invitation.id else s
        for s in seats
    ]
    participant.last_active_at = now
    request.updated_at = now
    matched = (
        accept
        and sum(s.status == IS.ACCEPTED for s in seats) >= request.participant_count
        and Status(request.status) in INVITABLE
    )
    if matched:
        told = await _match(session, request, invitation, seats, now=now)
    else:
        request.match_summary = summary(seats)
    owner = OwnerTold.of(request, invitation.id, wanted)
    await record(
        session,
        *(told if matched else ()),
        owner,
        *([] if matched else [CardChanged.of(request)]),
        now=now,
    )
    return Answered(invitation, participant, request, matched=matched)


# A confidentiality declaration signed for one assignment holds for the next
# ones this long (the participant's onboarding record keeps its date).
CONFIDENTIALITY_VALID = timedelta(days=3 * 365)


async def _match(
    session: AsyncSession,
    request: Request,
    answered: Invitation,
    seats: list[Seat],
    *,
    now: datetime,
) -> list[InvitationWithdrawn | DocumentsAsked | RequestMatched]:
    """Enough said yes: `matched` by itself (audit row by medvirk), the others'
    invitations withdrawn, each accepted participant asked to sign the
    agreement and the confidentiality declaration (a declaration still valid
    from an earlier assignment counts as signed: they are not asked again).
    The outbox rows: a word to the withdrawn, the documents, and the
    requester told who."""
    authorise(Move.MATCH, Status(request.status), Status.MATCHED, frozenset({Role.SYSTEM}))
    waiting = [s for s in seats if s.status == IS.INVITED]
    accepted = [s for s in seats if s.status == IS.ACCEPTED]
    valid_from = (now - CONFIDENTIALITY_VALID).date()
    onboarded = {
        s.invitation_id
        for s in accepted
        if s.confidentiality_on is not None and s.confidentiality_on >= valid_from
    }
    request.match_summary = summary(
        [
            replace(s, status=IS.WITHDRAWN, answered_at=now)
            if s in waiting
            else replace(s, confidentiality_signed_at=now)
            if s.invitation_id in onboarded
            else s
            for s in seats
        ]
    )
    await apply_move(session, request, Status.MATCHED, SYSTEM, now=now, comment="accepted")
    if waiting:
        await session.execute(
            update(Invitation)
            .where(
                Invitation.id.in_([s.invitation_id for s in waiting]),
                Invitation.status.in_(INVITATIONS.sources(IS.WITHDRAWN)),
            )
            .values(status=IS.WITHDRAWN, answered_at=now)
            .execution_options(synchronize_session=False)
        )
    if onboarded:
        signed = {"confidentiality_signed_at": now, "documents_via": "onboarding"}
        await session.execute(
            update(Invitation)
            .where(Invitation.id.in_(sorted(onboarded)))
            .values(**signed)
            .execution_options(synchronize_session=False)
        )
        if answered.id in onboarded:
            for key, value in signed.items():
                set_committed_value(answered, key, value)
    requester = request.requester_aad_id or request.requester_user_id
    # The requester is sent the participants' names and contact details.
    await privacy.record_read(
        session, reader=requester, what=f"participants {request.reference}", via="teams", now=now
    )
    return [
        *(InvitationWithdrawn(key_of(s.participant_id), s.invitation_id) for s in waiting),
        *(DocumentsAsked(key_of(s.participant_id), s.invitation_id) for s in accepted),
        RequestMatched(request.id, requester, now),
    ]


async def expire_due(session: AsyncSession, *, now: datetime, limit: int = 200) -> int:
    """Invitations past their time: expired, the card and the owner told."""
    due = list(
        await session.scalars(
            select(Invitation)
            .where(
                Invitation.status.in_(INVITATIONS.sources(IS.EXPIRED)), Invitation.expires_at <= now
            )
            .order_by(Invitation.expires_at)
            .limit(limit)
        )
    )
    for invitation in due:
        invitation.status = INVITATIONS.transition(invitation.status, IS.EXPIRED)
        invitation.answered_at = now
        request = await session.get(Request, invitation.request_id)
        if request is None:
            continue
        await refresh_summary(session, request)
        await session.flush()
        told = OwnerTold.of(request, invitation.id, IS.EXPIRED)
        await record(session, told, CardChanged.of(request), now=now)
    return len(due)


async def withdraw_closed(session: AsyncSession, *, now: datetime, limit: int = 200) -> int:
    """Waiting invitations of requests that closed (declined, cancelled,
    completed) or were matched by hand: withdrawn, with a word to each person."""
    done = [s.value for s in Status if s not in ANSWERABLE]
    waiting = list(
        await session.scalars(
            select(Invitation)
            .join(Request, Request.id == Invitation.request_id)
            .where(
                Invitation.status.in_(INVITATIONS.sources(IS.WITHDRAWN)), Request.status.in_(done)
            )
            .limit(limit)
        )
    )
    touched = []
    for invitation in waiting:
        invitation.status = INVITATIONS.transition(invitation.status, IS.WITHDRAWN)
        invitation.answered_at = now
        touched.append(invitation.request_id)
    await session.flush()
    await record(
        session, *(InvitationWithdrawn(key_of(i.participant_id), i.id) for i in waiting), now=now
    )
    await refresh_requests(session, touched, now=now)
    return len(waiting)


async def leave(
    session: AsyncSession,
    participant_id: int,
    name: str | None,
    contact: str | None,
    *,
    now: datetime,
) -> list[int]:
    """The participant leaves the pool. A waiting invitation is withdrawn. An
    assignment they accepted and that is not done yet is left: its owner is
    told, and a matched request is open again for one more (`Move.REOPEN`). A
    completed one is work done: its invitation keeps `name` and `contact` for
    the fee claim still to be filed (storage/fee_claims.py). Returns the requests
    whose cards change."""
    rows = list(
        await session.scalars(
            select(Invitation)
            .where(Invitation.participant_id == participant_id)
            .order_by(Invitation.id)
        )
    )
    notices: list[OwnerTold] = []
    for invitation in rows:
        if INVITATIONS.may(invitation.status, IS.WITHDRAWN):  # not answered yet
            invitation.status = IS.WITHDRAWN
            invitation.answered_at = now
            continue
        if not INVITATIONS.may(invitation.status, IS.LEFT):  # accepted only
            continue
        request = await load_for_update(session, invitation.request_id)
        status = Status(request.status)
        if status is Status.COMPLETED:
            filed = await session.scalar(
                select(FeeClaim.id).where(
                    FeeClaim.request_id == request.id, FeeClaim.participant_id == participant_id
                )
            )
            if filed is None:
                invitation.payee_name, invitation.payee_contact = name, contact
            continue
        if status not in OPEN_STATUSES:
            continue
        invitation.status = INVITATIONS.transition(invitation.status, IS.LEFT)
        invitation.answered_at = now
        if status in (Status.MATCHED, Status.AGREEMENT_SIGNED):
            authorise(Move.REOPEN, status, Status.IN_PROGRESS, frozenset({Role.SYSTEM}))
            await apply_move(
                session, request, Status.IN_PROGRESS, SYSTEM, now=now, comment="participant left"
            )
        notices.append(OwnerTold.of(request, invitation.id, IS.LEFT))
    await session.flush()
    await record(session, *notices, now=now)
    return [i.request_id for i in rows]


async def refresh_requests(session: AsyncSession, request_ids: list[int], *, now: datetime) -> None:
    """Recount and update the cards of requests whose invitations changed
    (a participant erased or gone)."""
    for request_id in sorted(set(request_ids)):
        request = await session.get(Request, request_id)
        if request is None:
            continue
        await refresh_summary(session, request)
        await session.flush()
        await record(session, CardChanged.of(request), now=now)


async def of_request(
    session: AsyncSession, request_id: int
) -> list[tuple[Invitation, Participant]]:
    rows = await session.execute(
        select(Invitation, Participant)
        .join(Participant, Participant.id == Invitation.participant_id)
        .where(Invitation.request_id == request_id)
        .order_by(Invitation.id)
    )
    return [(i, p) for i, p in rows.all()]
