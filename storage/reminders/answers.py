"""What contacts answered: coming or not to a gathering, a survey answered,
and the counts an admin reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import Contact, Delivery, Reminder, Rsvp, SurveyAnswer
from storage.reminders.kinds import GATHERING


async def record_rsvp(
    session: AsyncSession, gathering_id: int, contact: Contact, coming: bool, *, now: datetime
) -> None:
    row = await session.scalar(
        select(Rsvp).where(Rsvp.gathering_id == gathering_id, Rsvp.contact_id == contact.id)
    )
    if row is None:
        session.add(Rsvp(gathering_id=gathering_id, contact_id=contact.id, coming=coming, at=now))
    else:
        row.coming, row.at = coming, now


async def record_answered(
    session: AsyncSession, survey_id: int, contact: Contact, *, now: datetime
) -> None:
    exists = await session.scalar(
        select(SurveyAnswer.id).where(
            SurveyAnswer.survey_id == survey_id, SurveyAnswer.contact_id == contact.id
        )
    )
    if exists is None:
        session.add(SurveyAnswer(survey_id=survey_id, contact_id=contact.id, at=now))


async def has_answered(session: AsyncSession, survey_id: int, contact_id: int) -> bool:
    return (
        await session.scalar(
            select(SurveyAnswer.id).where(
                SurveyAnswer.survey_id == survey_id, SurveyAnswer.contact_id == contact_id
            )
        )
    ) is not None


@dataclass(frozen=True)
class Counts:
    reminded: int
    coming: int
    not_coming: int
    answered: int


async def counts(session: AsyncSession, kind: str, subject_id: int) -> Counts:
    reminded = await session.scalar(
        select(func.count(func.distinct(Delivery.contact_id)))
        .join(Reminder, Reminder.id == Delivery.reminder_id)
        .where(Reminder.subject_kind == kind, Reminder.subject_id == subject_id)
    )
    coming = not_coming = answered = None
    if kind == GATHERING:
        coming = await session.scalar(
            select(func.count())
            .select_from(Rsvp)
            .where(Rsvp.gathering_id == subject_id, Rsvp.coming.is_(True))
        )
        not_coming = await session.scalar(
            select(func.count())
            .select_from(Rsvp)
            .where(Rsvp.gathering_id == subject_id, Rsvp.coming.is_(False))
        )
    else:
        answered = await session.scalar(
            select(func.count())
            .select_from(SurveyAnswer)
            .where(SurveyAnswer.survey_id == subject_id)
        )
    return Counts(int(reminded or 0), int(coming or 0), int(not_coming or 0), int(answered or 0))
