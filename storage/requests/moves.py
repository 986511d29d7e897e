"""The moves people make on a request: claim, release, assign, set a status,
and the requester's cancel.

Who may make which move from which status comes from `storage.domain.requests.MOVES`
alone (`authorise`); each move is one transaction with its audit row and the
outbox rows it causes (the channel card's update and the requester's notice).
A refused move raises `Refused` before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import BindParameter

from storage import units
from storage.db import rowcount, scope
from storage.db.models import Desk, Request
from storage.domain.fields import COMMENT_MAX, free_text
from storage.domain.lifecycle import TransitionRefused
from storage.domain.refusal import Refused
from storage.domain.requests import (
    MOVES,
    OPEN_STATUSES,
    Move,
    MoveRule,
    Role,
    Status,
    authorise,
    from_statuses,
    transition,
)
from storage.notifications import (
    CardChanged,
    CardMoved,
    CardPosted,
    Event,
    RequesterAsked,
    RequesterTold,
    record,
)
from storage.requests import audit


@dataclass(frozen=True)
class Actor:
    """Who makes a move. `is_admin`: acts as the owner of every request."""

    aad_object_id: str
    name: str | None
    is_admin: bool = False


QUESTION_MAX = 1000


async def ask_requester(
    session: AsyncSession,
    request_id: int,
    actor: Actor,
    question: object,
    *,
    owner_email: str | None,
    now: datetime,
) -> Request:
    """The owner (or an admin) asks the requester a question about an open
    request: on the audit, and to the requester in Teams, or by e-mail with
    the owner's address to reply to for one who ordered on the web."""
    request = await scope.get(session, Request, request_id)
    if request is None:
        raise Refused("channel.error.unknown_request")
    if Role.OWNER not in roles_of(request, actor):
        raise Refused("ask.error.not_owner", owner=request.owner_name or "")
    if Status(request.status) not in OPEN_STATUSES:
        raise Refused("ask.error.closed")
    text = free_text(question, max_length=QUESTION_MAX)
    if text is None:
        raise Refused("ask.error.empty")
    await _noted(session, request, actor, f"?: {text}", now=now)
    requester = request.requester_aad_id or request.requester_user_id
    asked = RequesterAsked(request.id, requester, text, actor.name, owner_email, now)
    await record(session, asked, now=now)
    return request


async def _noted(
    session: AsyncSession, request: Request, actor: Actor, comment: str, *, now: datetime
) -> None:
    """An audit row of a move that leaves the status as it is."""
    await audit(
        session,
        request,
        now=now,
        actor_aad_id=actor.aad_object_id,
        actor_name=actor.name,
        from_status=request.status,
        to_status=request.status,
        comment=comment,
    )


def roles_of(request: Request, actor: Actor, *, member: bool = True) -> frozenset[Role]:
    """What `actor` is to `request`. `member`: the router's guard found them in the
    priority team (every move from the channel card)."""
    roles = {Role.MEMBER} if member else set()
    if actor.is_admin or (request.owner_aad_id and request.owner_aad_id == actor.aad_object_id):
        roles.add(Role.OWNER)
    if actor.aad_object_id and actor.aad_object_id in (
        request.requester_aad_id,
        request.requester_user_id,
    ):
        roles.add(Role.REQUESTER)
    return frozenset(roles)


def _authorise(request: Request, move: Move, target: Status, roles: frozenset[Role]) -> MoveRule:
    try:
        return authorise(move, Status(request.status), target, roles)
    except Refused as refused:
        params = {"status": request.status, "target": target.value}
        if refused.params["because"] == "role":
            params = {"owner": request.owner_name or ""}
        raise Refused(refused.key, **params) from None


def _named(notice: tuple[str, Actor | None]) -> tuple[str, str | None]:
    event, actor = notice
    return event, actor.name if actor else None


async def load_for_update(session: AsyncSession, request_id: int) -> Request:
    stmt = select(Request).where(Request.id == request_id)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    request = await session.scalar(stmt)
    if request is None:
        await scope.get(session, Request, request_id)  # another desk's: refused as such
        raise Refused("channel.error.unknown_request")
    return request


# The claim, from the table: the one rule of `Move.CLAIM`.
(CLAIM_RULE,) = [r for r in MOVES if r.move is Move.CLAIM]
CLAIM_FROM = from_statuses(Move.CLAIM)

# Built once (building an ORM UPDATE is a good share of a claim's CPU): the
# conditional update that decides a claim race and returns the winner's row.
_NOW: BindParameter[datetime] = bindparam("now")
CLAIM_STATEMENT = (
    update(Request)
    .where(Request.id == bindparam("request_id"), Request.status == CLAIM_RULE.from_status.value)
    .values(
        status=CLAIM_RULE.to_status.value,
        owner_aad_id=bindparam("owner_aad_id"),
        owner_name=bindparam("owner_name"),
        claimed_at=_NOW,
        updated_at=_NOW,
    )
    .returning(Request)
    .execution_options(synchronize_session=False)
)


async def claim(session: AsyncSession, request_id: int, actor: Actor, *, now: datetime) -> Request:
    """One atomic conditional update: of many claims at once, exactly one wins.

    The update comes first, with no read before it: the winner gets its row back
    from the update itself, a loser reads the row once to say who won.
    """
    result = await session.execute(
        CLAIM_STATEMENT,
        {
            "request_id": request_id,
            "owner_aad_id": actor.aad_object_id,
            "owner_name": actor.name,
            "now": now,
        },
    )
    request = result.scalar_one_or_none()
    if request is None:
        current = await session.get(Request, request_id)
        if current is None:
            raise Refused("channel.error.unknown_request")
        check_claimable(current)
        # Released again between our update and our read: nothing was taken.
        raise Refused("channel.error.changed_meanwhile")
    await audit(
        session,
        request,
        now=now,
        actor_aad_id=actor.aad_object_id,
        actor_name=actor.name,
        from_status=CLAIM_RULE.from_status.value,
        to_status=CLAIM_RULE.to_status.value,
    )
    await record(
        session, CardChanged.of(request), RequesterTold.of(request, "claimed", actor.name), now=now
    )
    return request


def check_claimable(request: Request) -> None:
    """Refuse to claim a request that is taken (saying by whom) or closed."""
    if Status(request.status) in CLAIM_FROM:
        return
    if request.owner_name and request.status in OPEN_STATUSES:
        raise Refused("channel.error.already_claimed", owner=request.owner_name)
    raise Refused("channel.error.not_claimable", status=request.status)


async def _update_where_still(
    session: AsyncSession,
    request: Request,
    read_status: Status,
    values: dict[str, object],
    actor: Actor,
    *,
    now: datetime,
    comment: str | None,
) -> None:
    """Set `values` on the request if it is still in the status it was read in
    (a concurrent move makes this one fail, not overwrite), with its audit row."""
    result = await session.execute(
        update(Request)
        .where(Request.id == request.id, Request.status == read_status.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        raise Refused("channel.error.changed_meanwhile")
    # The row is what was read and what was set: nothing to read again.
    for key, value in values.items():
        set_committed_value(request, key, value)
    await audit(
        session,
        request,
        now=now,
        actor_aad_id=actor.aad_object_id,
        actor_name=actor.name,
        from_status=read_status.value,
        to_status=str(values["status"]),
        comment=comment,
    )


async def apply_move(
    session: AsyncSession,
    request: Request,
    target: Status,
    actor: Actor,
    *,
    now: datetime,
    comment: str | None = None,
    notice: tuple[str, Actor | None] | None = None,
) -> None:
    """Move an authorised `request` to `target`, with its audit row, card update
    and, if given, the requester's notice (event, actor)."""
    try:
        step = transition(Status(request.status), target, comment=comment)
    except TransitionRefused as error:
        raise Refused(error.key, status=request.status, target=target.value) from None
    # Conditional on the status we read: a concurrent move makes this one fail, not overwrite.
    values: dict[str, object] = {"status": target.value, "updated_at": now}
    if target is Status.SUBMITTED:
        values.update(owner_aad_id=None, owner_name=None, claimed_at=None)
    if target is Status.MATCHED:
        values["matched_at"] = now
    if target is Status.DECLINED:
        values["decline_reason"] = step.comment
    if target in (Status.COMPLETED, Status.DECLINED, Status.CANCELLED):
        values["closed_at"] = now
    await _update_where_still(
        session, request, step.from_status, values, actor, now=now, comment=step.comment
    )
    told: list[Event] = [RequesterTold.of(request, *_named(notice))] if notice else []
    if target is Status.MATCHED:
        told += await units.contact_told(session, request, "matched", now=now)
    await record(session, CardChanged.of(request), *told, now=now)


# The requester hears of these statuses.
NOTIFIED = {
    Status.MATCHED: "matched",
    Status.AGREEMENT_SIGNED: "agreement_signed",
    Status.COMPLETED: "completed",
    Status.DECLINED: "declined",
}


async def move_status(
    session: AsyncSession,
    request_id: int,
    actor: Actor,
    target: Status,
    *,
    now: datetime,
    comment: str | None = None,
) -> Request:
    """The owner's status move, the request's part of it: what a request done
    opens besides is `storage.requests.completion.set_status`, the one callers use."""
    request = await load_for_update(session, request_id)
    _authorise(request, Move.SET_STATUS, target, roles_of(request, actor))
    notice = (NOTIFIED[target], actor) if target in NOTIFIED else None
    await apply_move(session, request, target, actor, now=now, comment=comment, notice=notice)
    return request


async def release(
    session: AsyncSession, request_id: int, actor: Actor, *, now: datetime
) -> Request:
    request = await load_for_update(session, request_id)
    rule = _authorise(request, Move.RELEASE, Status.SUBMITTED, roles_of(request, actor))
    await apply_move(
        session,
        request,
        rule.to_status,
        actor,
        now=now,
        comment="released",
        notice=("released", actor),
    )
    return request


async def assign(
    session: AsyncSession,
    request_id: int,
    actor: Actor,
    *,
    owner_aad_id: str,
    owner_name: str,
    now: datetime,
) -> Request:
    request = await load_for_update(session, request_id)
    status = Status(request.status)
    _authorise(request, Move.ASSIGN, status, roles_of(request, actor))
    request.owner_aad_id = owner_aad_id
    request.owner_name = owner_name
    request.updated_at = now
    await _noted(session, request, actor, f"assigned to {owner_aad_id}", now=now)
    await session.flush()
    told = RequesterTold.of(request, "assigned", owner_name)
    await record(session, CardChanged.of(request), told, now=now)
    return request


async def cancel_by_requester(
    session: AsyncSession, request_id: int, requester_key: str, *, now: datetime
) -> Request:
    request = await load_for_update(session, request_id)
    actor = Actor(requester_key, request.requester_name)
    rule = _authorise(
        request, Move.CANCEL, Status.CANCELLED, roles_of(request, actor, member=False)
    )
    await apply_move(session, request, rule.to_status, actor, now=now)
    return request


@dataclass(frozen=True)
class Transferred:
    """A request moved to another desk, unclaimed there."""

    request: Request
    from_desk: Desk
    to_desk: Desk


async def transfer(
    session: AsyncSession,
    request_id: int,
    actor: Actor,
    *,
    to_desk: str,
    reason: object,
    now: datetime,
) -> Transferred:
    """Its owner (or an admin) sends a request to another desk, with a reason.
    It arrives there unclaimed; the old desk's card says where it went, the new
    desk's channel gets a card, the requester is told, the audit keeps both."""
    request = await load_for_update(session, request_id)
    target = await session.scalar(select(Desk).where(Desk.code == to_desk.strip().lower()))
    if target is None:
        raise Refused("desks.error.unknown", field="desk", code=to_desk)
    if target.id == request.desk_id:
        raise Refused("desks.error.same_desk", field="desk")
    said = free_text(reason, max_length=COMMENT_MAX, min_length=1)
    if said is None:
        raise Refused("desks.error.reason_required", field="reason")
    status = Status(request.status)
    _authorise(request, Move.TRANSFER, Status.SUBMITTED, roles_of(request, actor))
    source = await session.get_one(Desk, request.desk_id)
    old_card = CardMoved.of(request, target.id)
    values: dict[str, object] = {
        "desk_id": target.id,
        "status": Status.SUBMITTED.value,
        "owner_aad_id": None,
        "owner_name": None,
        "claimed_at": None,
        "channel_activity_id": None,
        "channel_conversation_id": None,
        "updated_at": now,
    }
    comment = f"transferred from {source.code} to {target.code}: {said}"
    await _update_where_still(session, request, status, values, actor, now=now, comment=comment)
    events: list[Event] = [RequesterTold.of(request, "transferred", actor.name)]
    if old_card is not None:
        events.append(old_card)
    if target.channel_id:
        events.append(CardPosted(request.id, target.channel_id))
    await record(session, *events, now=now)
    return Transferred(request, source, target)
