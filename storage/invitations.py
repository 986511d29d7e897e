"""Invitations: a participant asked to take part in a request, their answer,
and the match that follows when enough have said yes.

Each change is one transaction with the outbox rows it causes: the invitation
to the participant, the card's update in place, the owner's notice, and, on a
match, the requester's message naming who said yes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox, privacy
from storage.domain.refusal import Refused
from storage.domain.requests import OPEN_STATUSES, Move, Role, Status, authorise
from storage.matching import is_eligible
from storage.models import FeeClaim, Invitation, Participant, Request
from storage.moves import Actor, apply_move, card_update, enqueue_rows, load_for_update
from storage.participants import key_of


class InvitationStatus(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    # The request was matched or closed, or the participant left before answering.
    WITHDRAWN = "withdrawn"
    # Accepted, then the participant left the pool before the work was done.
    LEFT = "left"


IS = InvitationStatus
# Invitations go out only for a request someone owns and has not yet matched.
INVITABLE = frozenset({Status.CLAIMED, Status.IN_PROGRESS})
# Answers still count while the request is open but not matched (a released
# request keeps its invitations for whoever claims it next).
ANSWERABLE = INVITABLE | {Status.SUBMITTED}
SYSTEM = Actor("medvirk", "medvirk")

_TABLE = cast(Table, Invitation.__table__)


def _invitable(request: Request) -> None:
    status = Status(request.status)
    if status is Status.SUBMITTED:
        raise Refused("participant.error.claim_first")
    if status not in INVITABLE:
        raise Refused("participant.error.request_not_open")


def owner_notice(request: Request, invitation_id: int, event: str) -> dict[str, Any] | None:
    """The owner hears of every answer and expiry."""
    if not request.owner_aad_id:
        return None
    return {
        "target_kind": outbox.TargetKind.PERSONAL,
        "target_key": request.owner_aad_id,
        "payload": {
            "render": outbox.Render.INVITATION_NOTICE,
            "args": {"request_id": request.id, "invitation_id": invitation_id, "event": event},
        },
    }


def _to_participant(participant_id: int, render: str, invitation_id: int) -> dict[str, Any]:
    return {
        "target_kind": outbox.TargetKind.PERSONAL,
        "target_key": key_of(participant_id),
        "payload": {"render": render, "args": {"invitation_id": invitation_id}},
        "dedupe_key": f"{render}:{invitation_id}",
    }


async def refresh_summary(session: AsyncSession, request: Request) -> None:
    """What the card says of the request's invitations, recounted."""
    rows = await session.execute(
        select(
            Invitation.status,
            Participant.name,
            Participant.id,
            Invitation.agreement_signed_at,
            Invitation.confidentiality_signed_at,
        )
        .join(Participant, Participant.id == Invitation.participant_id)
        .where(Invitation.request_id == request.id)
        .order_by(Invitation.answered_at, Invitation.id)
    )
    counts: Counter[str] = Counter()
    accepted: list[str] = []
    # Accepted, and not yet both documents signed: [participant id, name, what is missing].
    unsigned: list[list[Any]] = []
    for status, name, participant_id, agreement_at, confidentiality_at in rows.all():
        counts[status] += 1
        if status == IS.ACCEPTED.value:
            accepted.append(name or "")
            missing = [
                document
                for document, signed in (
                    ("agreement", agreement_at),
                    ("confidentiality", confidentiality_at),
                )
                if signed is None
            ]
            if missing:
                unsigned.append([participant_id, name or "", missing])
    request.match_summary = {
        "invited": sum(counts.values()) - counts[IS.WITHDRAWN.value],
        "waiting": counts[IS.INVITED.value],
        "declined": counts[IS.DECLINED.value] + counts[IS.EXPIRED.value],
        "left": counts[IS.LEFT.value],
        "accepted": accepted,
        "unsigned": unsigned,
    }


def accepted_count(request: Request) -> int:
    return len((request.match_summary or {}).get("accepted", []))


async def invite(
    session: AsyncSession,
    request_id: int,
    participant_id: int,
    actor: Actor,
    *,
    now: datetime,
    days: int,
) -> tuple[Request, Invitation]:
    """Ask one participant. Of two coordinators inviting the same person to the
    same request at once, one makes the invitation; the other is told."""
    request = await load_for_update(session, request_id)
    _invitable(request)
    participant = await session.get(Participant, participant_id)
    if participant is None:
        raise Refused("participant.error.unknown")
    already = await session.scalar(
        select(Invitation.id).where(
            Invitation.request_id == request.id, Invitation.participant_id == participant.id
        )
    )
    if already is not None:
        raise Refused("participant.error.already_invited", name=participant.name or "")
    if not is_eligible(participant, request, invited=False):
        raise Refused("participant.error.not_eligible", name=participant.name or "")
    if accepted_count(request) >= request.participant_count:
        raise Refused("participant.error.enough")
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert(_TABLE) if dialect == "postgresql" else sqlite_insert(_TABLE)
    result = await session.execute(
        insert.values(
            request_id=request.id,
            participant_id=participant.id,
            status=IS.INVITED.value,
            invited_by=actor.aad_object_id,
            invited_by_name=actor.name,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        .on_conflict_do_nothing(index_elements=["request_id", "participant_id"])
        .returning(_TABLE.c.id)
    )
    invitation_id = result.scalar_one_or_none()
    if invitation_id is None:
        # The other press of a race made it between our check and our insert.
        raise Refused("participant.error.already_invited", name=participant.name or "")
    invitation = await session.get(Invitation, invitation_id)
    assert invitation is not None
    # Fair rotation: one more invitation (the night's recount keeps the window).
    participant.asked_12m = (participant.asked_12m or 0) + 1
    if participant.last_invited_at is None or participant.last_invited_at < now:
        participant.last_invited_at = now
    await refresh_summary(session, request)
    request.updated_at = now
    await session.flush()
    await enqueue_rows(
        session,
        now=now,
        rows=[
            _to_participant(participant.id, outbox.Render.INVITATION, invitation.id),
            card_update(request),
        ],
    )
    return request, invitation


@dataclass(frozen=True)
class Answered:
    request: Request
    invitation: Invitation
    # The request moved to `matched` with this answer.
    matched: bool
    # Nothing changed: the same answer was given before.
    repeated: bool = False


async def invitation_of(
    session: AsyncSession, invitation_id: Any, participant_id: int
) -> Invitation | None:
    """The invitation, if it is this participant's (a forged id finds nothing)."""
    if not isinstance(invitation_id, int) or isinstance(invitation_id, bool):
        return None
    invitation = await session.get(Invitation, invitation_id)
    if invitation is None or invitation.participant_id != participant_id:
        return None
    return invitation


async def answer(
    session: AsyncSession,
    invitation_id: Any,
    participant_id: int,
    *,
    accept: bool,
    via: str,
    now: datetime,
) -> Answered:
    """A participant's yes or no. A yes that completes the count matches the request."""
    invitation = await invitation_of(session, invitation_id, participant_id)
    if invitation is None:
        raise Refused("participant.error.bad_invitation")
    request = await load_for_update(session, invitation.request_id)
    wanted = IS.ACCEPTED if accept else IS.DECLINED
    if invitation.status == wanted.value:
        return Answered(request, invitation, matched=False, repeated=True)
    if invitation.status != IS.INVITED.value:
        raise Refused(f"participant.error.invitation_{invitation.status}")
    if now >= invitation.expires_at:
        raise Refused("participant.error.invitation_expired")
    if Status(request.status) not in ANSWERABLE:
        raise Refused("participant.error.no_longer_needed")
    result = await session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status == IS.INVITED.value)
        .values(status=wanted.value, answered_at=now, answered_via=via)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Refused("participant.error.changed_meanwhile")
    await session.refresh(invitation)
    participant = await session.get(Participant, participant_id)
    if participant is not None:
        participant.last_active_at = now
    await refresh_summary(session, request)
    request.updated_at = now
    await session.flush()
    matched = (
        accept
        and accepted_count(request) >= request.participant_count
        and Status(request.status) in INVITABLE
    )
    rows: list[dict[str, Any] | None] = [
        owner_notice(request, invitation.id, wanted.value),
    ]
    if matched:
        await _match(session, request, now=now)
    else:
        rows.append(card_update(request))
    await enqueue_rows(session, now=now, rows=rows)
    return Answered(request, invitation, matched=matched)


async def _match(session: AsyncSession, request: Request, *, now: datetime) -> None:
    """Enough said yes: `matched` by itself (audit row by medvirk), the others'
    invitations withdrawn with a word to them, the requester told who."""
    authorise(Move.MATCH, Status(request.status), Status.MATCHED, frozenset({Role.SYSTEM}))
    await apply_move(session, request, Status.MATCHED, SYSTEM, now=now, comment="accepted")
    waiting = list(
        await session.scalars(
            select(Invitation).where(
                Invitation.request_id == request.id, Invitation.status == IS.INVITED.value
            )
        )
    )
    for other in waiting:
        other.status = IS.WITHDRAWN.value
        other.answered_at = now
    documents = await _ask_for_documents(session, request, now=now)
    await refresh_summary(session, request)
    await session.flush()
    requester = request.requester_aad_id or request.requester_user_id
    # The requester is sent the participants' names and contact details.
    await privacy.record_read(
        session, reader=requester, what=f"participants {request.reference}", via="teams", now=now
    )
    await enqueue_rows(
        session,
        now=now,
        rows=[
            *(
                _to_participant(o.participant_id, outbox.Render.INVITATION_WITHDRAWN, o.id)
                for o in waiting
            ),
            *documents,
            {
                "target_kind": outbox.TargetKind.PERSONAL,
                "target_key": requester,
                "payload": {"render": outbox.Render.MATCHED, "args": {"request_id": request.id}},
                "dedupe_key": f"matched:{request.id}:{now.isoformat()}",
            },
        ],
    )


# A confidentiality declaration signed for one assignment holds for the next
# ones this long (the participant's onboarding record keeps its date).
CONFIDENTIALITY_VALID = timedelta(days=3 * 365)


async def _ask_for_documents(
    session: AsyncSession, request: Request, *, now: datetime
) -> list[dict[str, Any]]:
    """Each accepted participant is sent the agreement and the confidentiality
    declaration to sign; a declaration still valid from an earlier assignment
    counts as signed (they are not asked again)."""
    accepted = await session.execute(
        select(Invitation, Participant.confidentiality_on)
        .join(Participant, Participant.id == Invitation.participant_id)
        .where(Invitation.request_id == request.id, Invitation.status == IS.ACCEPTED.value)
    )
    rows = []
    for invitation, confidentiality_on in accepted.all():
        if confidentiality_on is not None and (
            confidentiality_on >= (now - CONFIDENTIALITY_VALID).date()
        ):
            invitation.confidentiality_signed_at = now
            invitation.documents_via = "onboarding"
        rows.append(
            _to_participant(
                invitation.participant_id, outbox.Render.DOCUMENTS_REQUEST, invitation.id
            )
        )
    return rows


async def expire_due(session: AsyncSession, *, now: datetime, limit: int = 200) -> int:
    """Invitations past their time: expired, the card and the owner told."""
    due = list(
        await session.scalars(
            select(Invitation)
            .where(Invitation.status == IS.INVITED.value, Invitation.expires_at <= now)
            .order_by(Invitation.expires_at)
            .limit(limit)
        )
    )
    for invitation in due:
        invitation.status = IS.EXPIRED.value
        invitation.answered_at = now
        request = await session.get(Request, invitation.request_id)
        if request is None:
            continue
        await refresh_summary(session, request)
        await session.flush()
        await enqueue_rows(
            session,
            now=now,
            rows=[owner_notice(request, invitation.id, IS.EXPIRED.value), card_update(request)],
        )
    return len(due)


async def withdraw_closed(session: AsyncSession, *, now: datetime, limit: int = 200) -> int:
    """Waiting invitations of requests that closed (declined, cancelled,
    completed) or were matched by hand: withdrawn, with a word to each person."""
    done = [s.value for s in Status if s not in ANSWERABLE]
    waiting = list(
        await session.scalars(
            select(Invitation)
            .join(Request, Request.id == Invitation.request_id)
            .where(Invitation.status == IS.INVITED.value, Request.status.in_(done))
            .limit(limit)
        )
    )
    touched = []
    for invitation in waiting:
        invitation.status = IS.WITHDRAWN.value
        invitation.answered_at = now
        touched.append(invitation.request_id)
    await session.flush()
    await enqueue_rows(
        session,
        now=now,
        rows=[
            _to_participant(i.participant_id, outbox.Render.INVITATION_WITHDRAWN, i.id)
            for i in waiting
        ],
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
    the fee claim still to be filed (storage/claims.py). Returns the requests
    whose cards change."""
    rows = list(
        await session.scalars(
            select(Invitation)
            .where(Invitation.participant_id == participant_id)
            .order_by(Invitation.id)
        )
    )
    notices: list[dict[str, Any] | None] = []
    for invitation in rows:
        if invitation.status == IS.INVITED.value:
            invitation.status = IS.WITHDRAWN.value
            invitation.answered_at = now
            continue
        if invitation.status != IS.ACCEPTED.value:
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
        invitation.status = IS.LEFT.value
        invitation.answered_at = now
        if status in (Status.MATCHED, Status.AGREEMENT_SIGNED):
            authorise(Move.REOPEN, status, Status.IN_PROGRESS, frozenset({Role.SYSTEM}))
            await apply_move(
                session, request, Status.IN_PROGRESS, SYSTEM, now=now, comment="participant left"
            )
        notices.append(owner_notice(request, invitation.id, IS.LEFT.value))
    await session.flush()
    await enqueue_rows(session, now=now, rows=notices)
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
        await enqueue_rows(session, now=now, rows=[card_update(request)])


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
