"""Conversation references: where to reach a person or a channel proactively."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import ConversationRef

PERSONAL, CHANNEL = "personal", "channel"


async def save_reference(
    session: AsyncSession,
    *,
    kind: str,
    key: str,
    reference: dict[str, Any],
    service_url: str,
    conversation_id: str,
    now: datetime,
    aad_object_id: str | None = None,
    name: str | None = None,
    locale: str = "nb",
    tenant_id: str | None = None,
) -> ConversationRef:
    """Insert or refresh the reference for (kind, key)."""
    row = await session.scalar(
        select(ConversationRef).where(ConversationRef.kind == kind, ConversationRef.key == key)
    )
    if row is None:
        row = ConversationRef(kind=kind, key=key)
        session.add(row)
    row.reference = reference
    row.service_url = service_url
    row.conversation_id = conversation_id
    row.aad_object_id = aad_object_id
    row.name = name
    row.locale = locale
    row.tenant_id = tenant_id
    row.updated_at = now
    await session.flush()
    return row


async def find_reference(session: AsyncSession, *, kind: str, key: str) -> ConversationRef | None:
    return await session.scalar(
        select(ConversationRef).where(ConversationRef.kind == kind, ConversationRef.key == key)
    )


async def forget_reference(session: AsyncSession, *, kind: str, key: str) -> None:
    await session.execute(
        delete(ConversationRef).where(ConversationRef.kind == kind, ConversationRef.key == key)
    )


def state_key(ref: ConversationRef) -> str:
    """The dialog state's key of this chat (the bot layer's storage keys it so)."""
    channel = (ref.reference or {}).get("channelId") or "msteams"
    return f"{channel}/conversations/{ref.conversation_id}"
