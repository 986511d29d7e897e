"""Per round of a gathering or survey: how its reminders reached people."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.db.models import Contact, ConversationRef, OutboxMessage, Reminder
from storage.domain.outbox import OutboxState
from storage.domain.reminders import RoundState
from storage.outbox import UNREACHABLE, Channel
from storage.outbox.conversations import PERSONAL


@dataclass
class RoundReport:
    reminder: Reminder
    teams: int = 0
    email: int = 0
    sms: int = 0
    pending: int = 0
    skipped: int = 0  # nothing to send any more (answered, unsubscribed)
    unreachable: int = 0
    given_up: Counter[str] = field(default_factory=Counter)  # reason -> rows


def _prefix(reminder_id: int) -> str:
    return f"rem:{reminder_id}:"


async def _rows(session: AsyncSession, reminder_id: int) -> list[OutboxMessage]:
    return list(
        await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.dedupe_key.startswith(_prefix(reminder_id), autoescape=True)
            )
        )
    )


async def round_reports(session: AsyncSession, kind: str, subject_id: int) -> list[RoundReport]:
    reminders = await session.scalars(
        select(Reminder)
        .where(Reminder.subject_kind == kind, Reminder.subject_id == subject_id)
        .order_by(Reminder.due_at)
    )
    reports = []
    for reminder in reminders:
        report = RoundReport(reminder)
        for row in await _rows(session, reminder.id):
            if row.state == OutboxState.SENT:
                if row.channel == Channel.EMAIL:
                    report.email += 1
                elif row.channel == Channel.SMS:
                    report.sms += 1
                else:
                    report.teams += 1
            elif row.state == OutboxState.PENDING:
                report.pending += 1
            elif row.state == OutboxState.SKIPPED:
                report.skipped += 1
            elif (row.last_error or "").startswith(UNREACHABLE):
                report.unreachable += 1
            else:
                report.given_up[row.last_error or "unknown"] += 1
        reports.append(report)
    return reports


async def resend(session: AsyncSession, kind: str, subject_id: int, *, now: datetime) -> int:
    """Queue again the reminders that were given up or found nobody, for the
    people who can be reached now (a Teams chat, an e-mail address or a phone). Those
    who already got a reminder are never sent it twice. Returns rows queued."""
    reminder_ids = list(
        await session.scalars(
            select(Reminder.id).where(
                Reminder.subject_kind == kind,
                Reminder.subject_id == subject_id,
                Reminder.state == RoundState.SENT,
            )
        )
    )
    with_chat = set(
        await session.scalars(select(ConversationRef.key).where(ConversationRef.kind == PERSONAL))
    )
    reachable_now = {
        contact.key
        for contact in await session.scalars(select(Contact).where(Contact.active.is_(True)))
        if contact.key in with_chat or contact.email or (contact.phone and not contact.sms_off)
    }
    ids = [
        row.id
        for reminder_id in reminder_ids
        for row in await _rows(session, reminder_id)
        if row.state == OutboxState.FAILED and row.target_key in reachable_now
    ]
    if not ids:
        return 0
    return await outbox.requeue(session, now=now, ids=ids)
