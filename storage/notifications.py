"""What a use case tells people: typed events, and the outbox rows each one is.

A use case records what happened (`record(session, now, CardChanged.of(request),
RequesterTold(...))`) in its own transaction; this module alone turns events
into outbox rows (recipient, kind, payload, due time, dedupe key) and inserts
them. The rows are the ones the sender has always read: kinds and payload keys
do not change with the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.models import Request
from storage.outbox import Operation, Render, TargetKind

Row = dict[str, Any]


@dataclass(frozen=True)
class CardChanged:
    """The request's card in the channel shows its state again (edited in
    place; nothing before it is posted: the post renders the state at send time)."""

    request_id: int
    conversation_id: str | None
    activity_id: str | None

    @classmethod
    def of(cls, request: Request) -> CardChanged:
        return cls(request.id, request.channel_conversation_id, request.channel_activity_id)


@dataclass(frozen=True)
class CardPosted:
    """The request's card posted in the channel (a post of it that failed
    before is tried again)."""

    request_id: int
    channel_id: str

    @property
    def dedupe_key(self) -> str:
        return f"card:{self.request_id}:{self.channel_id}"


@dataclass(frozen=True)
class RequesterTold:
    """The requester hears of a move on their request (`event`: notice.<event>)."""

    request_id: int
    requester: str
    event: str
    actor: str | None = None

    @classmethod
    def of(cls, request: Request, event: str, actor: str | None) -> RequesterTold:
        requester = request.requester_aad_id or request.requester_user_id
        return cls(request.id, requester, event, actor)


@dataclass(frozen=True)
class DigestDue:
    """The weekly digest in the channel, once a week however many processes run."""

    channel_id: str
    week: str  # 2025-W07


@dataclass(frozen=True)
class OwnerTold:
    """The request's owner hears of an invitation's answer, expiry or a
    participant leaving (`event`: the invitation's status); nobody without an owner."""

    owner: str | None
    request_id: int
    invitation_id: int
    event: str

    @classmethod
    def of(cls, request: Request, invitation_id: int, event: str) -> OwnerTold:
        return cls(request.owner_aad_id, request.id, invitation_id, event)


@dataclass(frozen=True)
class _ToParticipant:
    participant: str  # their person key (participants.key_of)
    invitation_id: int
    render = ""


@dataclass(frozen=True)
class InvitationSent(_ToParticipant):
    render = Render.INVITATION


@dataclass(frozen=True)
class InvitationWithdrawn(_ToParticipant):
    render = Render.INVITATION_WITHDRAWN


@dataclass(frozen=True)
class DocumentsAsked(_ToParticipant):
    """The agreement and the confidentiality declaration to sign."""

    render = Render.DOCUMENTS_REQUEST


@dataclass(frozen=True)
class RequestMatched:
    """The requester is sent who said yes."""

    request_id: int
    requester: str
    at: datetime


Event = (
    CardChanged
    | CardPosted
    | RequesterTold
    | DigestDue
    | OwnerTold
    | InvitationSent
    | InvitationWithdrawn
    | DocumentsAsked
    | RequestMatched
)


def rows_of(event: Event) -> list[Row]:
    """The outbox rows of one event (none: nobody to tell)."""
    match event:
        case CardChanged(request_id, conversation_id, activity_id):
            if not activity_id:
                return []
            return [
                {
                    "operation": Operation.UPDATE,
                    "target_kind": TargetKind.CHANNEL_THREAD,
                    "target_key": conversation_id or "priority",
                    "target_activity_id": activity_id,
                    "payload": {"render": Render.REQUEST_CARD, "args": {"request_id": request_id}},
                }
            ]
        case CardPosted(request_id, channel_id):
            return [
                {
                    "target_kind": TargetKind.CHANNEL,
                    "target_key": channel_id,
                    "payload": {"render": Render.REQUEST_CARD, "args": {"request_id": request_id}},
                    "subject_kind": Render.REQUEST_CARD,
                    "subject_id": request_id,
                    "dedupe_key": event.dedupe_key,
                }
            ]
        case RequesterTold(request_id, requester, name, actor):
            return [
                {
                    "target_kind": TargetKind.PERSONAL,
                    "target_key": requester,
                    "payload": {
                        "render": Render.REQUEST_NOTICE,
                        "args": {"request_id": request_id, "event": name, "actor": actor},
                    },
                }
            ]
        case OwnerTold(owner, request_id, invitation_id, name):
            if not owner:
                return []
            args = {"request_id": request_id, "invitation_id": invitation_id, "event": name}
            return [
                {
                    "target_kind": TargetKind.PERSONAL,
                    "target_key": owner,
                    "payload": {"render": Render.INVITATION_NOTICE, "args": args},
                }
            ]
        case InvitationSent() | InvitationWithdrawn() | DocumentsAsked():
            return [
                {
                    "target_kind": TargetKind.PERSONAL,
                    "target_key": event.participant,
                    "payload": {
                        "render": event.render,
                        "args": {"invitation_id": event.invitation_id},
                    },
                    "dedupe_key": f"{event.render}:{event.invitation_id}",
                }
            ]
        case RequestMatched(request_id, requester, at):
            return [
                {
                    "target_kind": TargetKind.PERSONAL,
                    "target_key": requester,
                    "payload": {"render": Render.MATCHED, "args": {"request_id": request_id}},
                    "dedupe_key": f"matched:{request_id}:{at.isoformat()}",
                }
            ]
        case DigestDue(channel_id, week):
            return [
                {
                    "target_kind": TargetKind.CHANNEL,
                    "target_key": channel_id,
                    "payload": {"render": Render.DIGEST, "args": {}},
                    "dedupe_key": f"digest:{week}",
                }
            ]


async def record(session: AsyncSession, *events: Event, now: datetime) -> None:
    """The events' outbox rows, in the caller's transaction and one statement;
    a repeated dedupe key is ignored."""
    rows = [row for event in events for row in rows_of(event)]
    for event in events:
        if isinstance(event, CardPosted):
            await outbox.requeue(session, now=now, dedupe_key=event.dedupe_key)
    if rows:
        await outbox.enqueue_many(session, now=now, rows=rows)
