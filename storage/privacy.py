"""Personal data: retention purge, a person's right to be forgotten, the audit trail."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.conversations import PERSONAL
from storage.db import rowcount
from storage.models import AuditEntry, ConversationRef, DialogStateRow, OutboxMessage, Request
from storage.reminders import forget_contact

ANONYMOUS = "anonymised"
_AGE = re.compile(r"^(\d{1,4})(months?|m|days?|d|years?|y)$")


def parse_age(text: str) -> timedelta:
    """`24months`, `730d`, `2y` -> a duration (a month counts as 30 days)."""
    match = _AGE.match(text.strip().lower())
    if not match:
        raise ValueError(f"expected an age like 24months, 730d or 2y, got {text!r}")
    amount, unit = int(match.group(1)), match.group(2)
    days = {"m": 30, "d": 1, "y": 365}[unit[0]] * amount
    if days <= 0:
        raise ValueError("the age must be more than zero")
    return timedelta(days=days)


@dataclass(frozen=True)
class PurgeResult:
    requests: int


async def purge(session: AsyncSession, *, older_than: timedelta, now: datetime) -> PurgeResult:
    """Delete free text and requester details of requests closed before `now - older_than`.

    The codes, dates, unit and status stay, so the yearly figures still add up.
    """
    cutoff = now - older_than
    ids = list(
        await session.scalars(
            select(Request.id).where(
                Request.closed_at.is_not(None),
                Request.closed_at < cutoff,
                Request.requester_name.is_not(None),
            )
        )
    )
    if ids:
        await session.execute(
            update(Request)
            .where(Request.id.in_(ids))
            .values(
                title=None,
                description=None,
                workload=None,
                cost_centre=None,
                decline_reason=None,
                requester_name=None,
                requester_email=None,
                requester_aad_id=None,
                requester_user_id=ANONYMOUS,
                owner_name=None,
                owner_aad_id=None,
            )
        )
        await session.execute(
            update(AuditEntry)
            .where(AuditEntry.request_id.in_(ids))
            .values(actor_aad_id=None, actor_name=None, comment=None)
        )
    return PurgeResult(len(ids))


async def forget(session: AsyncSession, aad_object_id: str) -> dict[str, int]:
    """Remove a person's contact record, subscriptions, deliveries and conversation
    references, and anonymise their requests and audit rows."""
    counts = {}
    refs = list(
        await session.scalars(
            select(ConversationRef).where(
                (ConversationRef.aad_object_id == aad_object_id)
                | (ConversationRef.key == aad_object_id)
            )
        )
    )
    keys = {aad_object_id} | {r.key for r in refs}
    for key in keys:
        await forget_contact(session, key)
    counts["conversation_refs"] = len(refs)
    await session.execute(
        delete(ConversationRef).where(ConversationRef.id.in_([r.id for r in refs]))
    )
    pending = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.target_kind == PERSONAL, OutboxMessage.target_key.in_(keys)
        )
    )
    counts["outbox"] = rowcount(pending)
    state = await session.execute(
        delete(DialogStateRow).where(DialogStateRow.key.contains(aad_object_id))
    )
    counts["dialog_state"] = rowcount(state)
    mine = await session.execute(
        update(Request)
        .where(Request.requester_aad_id == aad_object_id)
        .values(
            requester_name=None,
            requester_email=None,
            requester_aad_id=None,
            requester_user_id=ANONYMOUS,
        )
    )
    counts["requests"] = rowcount(mine)
    await session.execute(
        update(Request)
        .where(Request.owner_aad_id == aad_object_id)
        .values(owner_aad_id=None, owner_name=ANONYMOUS)
    )
    audited = await session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor_aad_id == aad_object_id)
        .values(actor_aad_id=None, actor_name=ANONYMOUS)
    )
    counts["audit_rows"] = rowcount(audited)
    return counts


async def history(session: AsyncSession, reference: str) -> list[AuditEntry]:
    request = await session.scalar(select(Request).where(Request.reference == reference))
    if request is None:
        raise LookupError(reference)
    return list(
        await session.scalars(
            select(AuditEntry).where(AuditEntry.request_id == request.id).order_by(AuditEntry.id)
        )
    )
