"""Reminder rounds: when a reminder falls due, one `Delivery` per recipient
(unique on both) and its outbox row, in one transaction."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.db.models import (
    Contact,
    Delivery,
    Desk,
    Gathering,
    Registration,
    Reminder,
    Survey,
    SurveyAnswer,
)
from storage.domain.registrations import ACTIVE, RegistrationStatus
from storage.domain.reminders import ROUNDS, RoundState, SubjectStatus
from storage.notifications import ReminderDue, record
from storage.reminders.kinds import BEFORE_START, DEFAULT_DESK, GATHERING, GROUPS, SURVEY, qualified

log = logging.getLogger(__name__)


async def invited_groups(session: AsyncSession, subject: Gathering | Survey) -> set[str]:
    """The subscriptions a gathering or survey is for: its groups, of its desk
    (a gathering of Alrek's is for Alrek's contacts)."""
    desk = await session.get(Desk, subject.desk_id)
    code = desk.code if desk is not None else DEFAULT_DESK
    return {qualified(g, code) for g in (subject.groups or GROUPS)}


async def _recipients(session: AsyncSession, reminder: Reminder) -> list[Contact]:
    subject: Any = await session.get(
        Gathering if reminder.subject_kind == GATHERING else Survey, reminder.subject_id
    )
    if subject is None or subject.status != SubjectStatus.ACTIVE:
        return []
    wanted = await invited_groups(session, subject)
    # Everybody subscribed, reachable or not: the sender finds the way (Teams,
    # else e-mail) or records them as unreachable. Nobody is skipped in silence.
    contacts = await session.scalars(
        select(Contact).where(Contact.active.is_(True)).order_by(Contact.id)
    )
    chosen = [c for c in contacts if wanted & set(c.groups or [])]
    if reminder.subject_kind == GATHERING and subject.registers:
        # Registration in medvirk: the start's reminders to those with a seat
        # alone; the registration's to those invited who have none yet.
        held = {
            contact_id: status
            for contact_id, status in await session.execute(
                select(Registration.contact_id, Registration.status).where(
                    Registration.gathering_id == subject.id
                )
            )
        }
        if reminder.kind == BEFORE_START:
            chosen = [c for c in chosen if held.get(c.id) == RegistrationStatus.REGISTERED]
        else:
            chosen = [c for c in chosen if held.get(c.id) not in ACTIVE]
    if reminder.subject_kind == SURVEY:
        answered = set(
            await session.scalars(
                select(SurveyAnswer.contact_id).where(SurveyAnswer.survey_id == reminder.subject_id)
            )
        )
        chosen = [c for c in chosen if c.id not in answered]
    return chosen


async def plan_due(db: Database, *, now: datetime, ahead: timedelta = timedelta(0)) -> int:
    """Turn every reminder due within `ahead` into deliveries and outbox rows
    that go out at its due time; returns rows written.

    Planning a little ahead (a tick or two) lets a round start on the second it
    is due instead of at the first tick after it. A reminder missed while the
    bot was down is still sent if its event or deadline has not passed;
    otherwise it is dropped with a log line.
    """
    written = 0
    async with db.sessions() as session:
        due_ids = list(
            await session.scalars(
                select(Reminder.id)
                .where(Reminder.state == RoundState.PLANNED, Reminder.due_at <= now + ahead)
                .order_by(Reminder.due_at)
            )
        )
    for reminder_id in due_ids:
        async with db.transaction() as session:
            stmt = select(Reminder).where(
                Reminder.id == reminder_id, Reminder.state == RoundState.PLANNED
            )
            if db.dialect == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            reminder = await session.scalar(stmt)
            if reminder is None:  # another process took it
                continue
            reminder.done_at = now
            if now >= reminder.expires_at:
                reminder.state = ROUNDS.transition(reminder.state, RoundState.DROPPED)
                log.warning(
                    "reminder %s dropped: its time passed while the bot was down", reminder.id
                )
                continue
            reminder.state = ROUNDS.transition(reminder.state, RoundState.SENT)
            recipients = await _recipients(session, reminder)
            if recipients:
                insert_ = pg_insert if db.dialect == "postgresql" else sqlite_insert
                await session.execute(
                    insert_(Delivery)
                    .values(
                        [
                            {"reminder_id": reminder.id, "contact_id": c.id, "created_at": now}
                            for c in recipients
                        ]
                    )
                    .on_conflict_do_nothing(index_elements=["reminder_id", "contact_id"])
                )
                contacts = tuple((c.id, c.key) for c in recipients)
                await record(
                    session, ReminderDue(reminder.id, max(reminder.due_at, now), contacts), now=now
                )
                written += len(recipients)
            log.info("reminder %s: %d deliveries", reminder.id, len(recipients))
    return written
