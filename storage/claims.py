"""The priority team's moves on a request: claim, release, assign, set status,
and the requester's cancel. Each move is one transaction with its audit row and
the outbox rows it causes (the channel card update and the requester's notice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.domain import CANCELLABLE, OPEN_STATUSES, Status, TransitionError, transition
from storage.models import PriorityChannel, Request
from storage.requests import CHANNEL_CARD, audit, enqueue_card_post

NOTICE = "request_notice"


@dataclass(frozen=True)
class Actor:
    aad_object_id: str
    name: str | None
    is_admin: bool = False


class MoveRefused(Exception):
    """A move a person tried and may not make. `code` is a catalog key.

    Raised before anything is written, so the caller's transaction may go on
    (e.g. to render the card as it stands) and commit nothing of the move.
    """

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


async def register_channel(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    service_url: str,
    tenant_id: str | None,
    by: str | None,
    now: datetime,
) -> None:
    """Make this channel the priority channel (registering again moves it)."""
    row = await session.get(PriorityChannel, 1)
    if row is None:
        row = PriorityChannel(id=1)
        session.add(row)
    row.team_id = team_id
    row.channel_id = channel_id
    row.service_url = service_url
    row.tenant_id = tenant_id
    row.registered_by = by
    row.registered_at = now
    await session.flush()
    # Open requests not yet in this channel get their card now.
    unposted = await session.scalars(
        select(Request).where(
            Request.status.in_([s.value for s in OPEN_STATUSES]),
            (Request.channel_conversation_id.is_(None))
            | (~Request.channel_conversation_id.startswith(channel_id)),
        )
    )
    for request in unposted:
        request.channel_activity_id = None
        request.channel_conversation_id = None
        await enqueue_card_post(session, request, channel_id=channel_id, now=now)


async def priority_channel(session: AsyncSession) -> PriorityChannel | None:
    return await session.get(PriorityChannel, 1)


def _card_update(request: Request) -> dict[str, Any] | None:
    """The outbox row that edits the posted card (none before it is posted:
    the post renders the state at send time)."""
    if not request.channel_activity_id:
        return None
    return {
        "operation": "update",
        "target_kind": "channel_thread",
        "target_key": request.channel_conversation_id or "priority",
        "target_activity_id": request.channel_activity_id,
        "payload": {"render": CHANNEL_CARD, "args": {"request_id": request.id}},
    }


def _notice(request: Request, event: str, actor: Actor | None) -> dict[str, Any]:
    """The outbox row that tells the requester about a move."""
    return {
        "target_kind": "personal",
        "target_key": request.requester_aad_id or request.requester_user_id,
        "payload": {
            "render": NOTICE,
            "args": {
                "request_id": request.id,
                "event": event,
                "actor": actor.name if actor else None,
            },
        },
    }


async def _enqueue(
    session: AsyncSession, *, now: datetime, rows: list[dict[str, Any] | None]
) -> None:
    """A move's outbox rows in one statement."""
    wanted = [row for row in rows if row is not None]
    if wanted:
        await outbox.enqueue_many(session, now=now, rows=wanted)


@outbox.on_delivered(CHANNEL_CARD)
async def _remember_card(
    session: AsyncSession, item: outbox.OutboxItem, activity_id: str | None
) -> None:
    if item.operation != "send" or not activity_id or item.subject_id is None:
        return
    request = await session.get(Request, item.subject_id)
    if request is None:
        return
    channel = await priority_channel(session)
    request.channel_activity_id = activity_id
    # Teams names a channel post's thread "<channel id>;messageid=<activity id>".
    request.channel_conversation_id = (
        f"{channel.channel_id};messageid={activity_id}" if channel else None
    )


async def _load(session: AsyncSession, request_id: int) -> Request:
    stmt = select(Request).where(Request.id == request_id)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    request = await session.scalar(stmt)
    if request is None:
        raise MoveRefused("channel.error.unknown_request")
    return request


# Built once (building an ORM UPDATE is a good share of a claim's CPU): the
# conditional update that decides a claim race and returns the winner's row.
_NOW = bindparam("now")
_CLAIM = (
    update(Request)
    .where(Request.id == bindparam("request_id"), Request.status == Status.SUBMITTED.value)
    .values(
        status=Status.CLAIMED.value,
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
        _CLAIM,
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
            raise MoveRefused("channel.error.unknown_request")
        check_claimable(current)
        # Released again between our update and our read: nothing was taken.
        raise MoveRefused("channel.error.changed_meanwhile")
    await audit(
        session,
        request,
        now=now,
        actor_aad_id=actor.aad_object_id,
        actor_name=actor.name,
        from_status=Status.SUBMITTED.value,
        to_status=Status.CLAIMED.value,
    )
    await _enqueue(
        session, now=now, rows=[_card_update(request), _notice(request, "claimed", actor)]
    )
    return request


def check_claimable(request: Request) -> None:
    """Refuse to claim a request that is taken (saying by whom) or closed."""
    if request.status == Status.SUBMITTED.value:
        return
    if request.owner_name and request.status in OPEN_STATUSES:
        raise MoveRefused("channel.error.already_claimed", owner=request.owner_name)
    raise MoveRefused("channel.error.not_claimable", status=request.status)


def _check_owner(request: Request, actor: Actor) -> None:
    if request.owner_aad_id != actor.aad_object_id and not actor.is_admin:
        raise MoveRefused("channel.error.not_owner", owner=request.owner_name or "")


async def _apply(
    session: AsyncSession,
    request: Request,
    target: Status,
    actor: Actor,
    *,
    now: datetime,
    comment: str | None = None,
    notice: tuple[str, Actor | None] | None = None,
) -> None:
    """Move `request` to `target`, with its audit row, card update and, if
    given, the requester's notice (event, actor)."""
    try:
        move = transition(Status(request.status), target, comment=comment)
    except TransitionError as error:
        raise MoveRefused(error.code, status=request.status, target=target.value) from None
    # Conditional on the status we read: a concurrent move makes this one fail, not overwrite.
    values: dict[str, object] = {"status": target.value, "updated_at": now}
    if target is Status.SUBMITTED:
        values.update(owner_aad_id=None, owner_name=None, claimed_at=None)
    if target is Status.MATCHED:
        values["matched_at"] = now
    if target is Status.DECLINED:
        values["decline_reason"] = move.comment
    if target in (Status.COMPLETED, Status.DECLINED, Status.CANCELLED):
        values["closed_at"] = now
    result = await session.execute(
        update(Request)
        .where(Request.id == request.id, Request.status == move.from_status.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise MoveRefused("channel.error.changed_meanwhile")
    await session.refresh(request)
    await audit(
        session,
        request,
        now=now,
        actor_aad_id=actor.aad_object_id,
        actor_name=actor.name,
        from_status=move.from_status.value,
        to_status=target.value,
        comment=move.comment,
    )
    told = _notice(request, *notice) if notice else None
    await _enqueue(session, now=now, rows=[_card_update(request), told])


NOTIFIED = {
    Status.MATCHED: "matched",
    Status.AGREEMENT_SIGNED: "agreement_signed",
    Status.COMPLETED: "completed",
    Status.DECLINED: "declined",
}


async def set_status(
    session: AsyncSession,
    request_id: int,
    actor: Actor,
    target: Status,
    *,
    now: datetime,
    comment: str | None = None,
) -> Request:
    request = await _load(session, request_id)
    if target is Status.CANCELLED or target is Status.SUBMITTED:
        raise MoveRefused("error.transition.illegal", status=request.status, target=target.value)
    if request.status == Status.SUBMITTED.value and target is not Status.DECLINED:
        raise MoveRefused("error.transition.illegal", status=request.status, target=target.value)
    if request.status != Status.SUBMITTED.value:
        _check_owner(request, actor)
    notice = (NOTIFIED[target], actor) if target in NOTIFIED else None
    await _apply(session, request, target, actor, now=now, comment=comment, notice=notice)
    return request


async def release(
    session: AsyncSession, request_id: int, actor: Actor, *, now: datetime
) -> Request:
    request = await _load(session, request_id)
    _check_owner(request, actor)
    await _apply(
        session,
        request,
        Status.SUBMITTED,
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
    request = await _load(session, request_id)
    if request.status not in (
        Status.CLAIMED.value,
        Status.IN_PROGRESS.value,
        Status.MATCHED.value,
        Status.AGREEMENT_SIGNED.value,
    ):
        raise MoveRefused("channel.error.not_assignable", status=request.status)
    _check_owner(request, actor)
    request.owner_aad_id = owner_aad_id
    request.owner_name = owner_name
    request.updated_at = now
    await audit(
        session,
        request,
        now=now,
        actor_aad_id=actor.aad_object_id,
        actor_name=actor.name,
        from_status=request.status,
        to_status=request.status,
        comment=f"assigned to {owner_aad_id}",
    )
    await session.flush()
    told = _notice(request, "assigned", Actor(owner_aad_id, owner_name))
    await _enqueue(session, now=now, rows=[_card_update(request), told])
    return request


async def cancel_by_requester(
    session: AsyncSession, request_id: int, requester_key: str, *, now: datetime
) -> Request:
    request = await _load(session, request_id)
    if requester_key not in (request.requester_aad_id, request.requester_user_id):
        raise MoveRefused("channel.error.not_requester")
    if request.status not in {s.value for s in CANCELLABLE}:
        raise MoveRefused("channel.error.not_cancellable", status=request.status)
    actor = Actor(requester_key, request.requester_name)
    await _apply(session, request, Status.CANCELLED, actor, now=now)
    return request
