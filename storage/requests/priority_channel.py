"""The priority team's channel: where every request's card is posted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.db.models import PriorityChannel, Request
from storage.domain.requests import OPEN_STATUSES
from storage.notifications import CardPosted, record


async def register(
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
        await record(session, CardPosted(request.id, channel_id), now=now)


async def current(session: AsyncSession) -> PriorityChannel | None:
    return await session.get(PriorityChannel, 1)


async def remember_card(
    session: AsyncSession, item: outbox.OutboxItem, activity_id: str | None
) -> None:
    """A request's card was posted: keep its activity id, to edit it in place."""
    if item.operation != outbox.Operation.SEND or not activity_id or item.subject_id is None:
        return
    request = await session.get(Request, item.subject_id)
    if request is None:
        return
    channel = await current(session)
    request.channel_activity_id = activity_id
    # Teams names a channel post's thread "<channel id>;messageid=<activity id>".
    request.channel_conversation_id = (
        f"{channel.channel_id};messageid={activity_id}" if channel else None
    )
