"""After a gathering: those who came are asked how the day was (a rating 1–5
and a comment), once, when it has ended; the answers are kept on their
registration. The figures are shown only for five answers or more (no small
group can be told apart); the comments go to the organisers only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import Contact, Gathering, Registration
from storage.domain.fields import free_text
from storage.domain.refusal import Refused
from storage.domain.reminders import SubjectStatus
from storage.notifications import GatheringEvaluationAsked, record

COMMENT_MAX = 1000
# The smallest group whose figures are shown.
SMALLEST_GROUP = 5
# A gathering without an end time is taken to be a day.
DEFAULT_LENGTH = timedelta(hours=8)
# Asked no later than this after the end (a gathering past it is not asked).
ASK_WITHIN = timedelta(days=14)
# The longest a gathering is looked back for (a gathering of several days).
MAX_LENGTH = timedelta(days=7)


def ended_at(gathering: Gathering) -> datetime:
    return gathering.ends_at or gathering.starts_at + DEFAULT_LENGTH


async def ask_due(session: AsyncSession, *, now: datetime) -> int:
    """Each one who came to a gathering that has ended (within `ASK_WITHIN`)
    is asked, once: those ticked after the end too (an attendance list saved
    the next morning)."""
    rows = await session.execute(
        select(Registration, Gathering, Contact.key)
        .join(Gathering, Gathering.id == Registration.gathering_id)
        .join(Contact, Contact.id == Registration.contact_id)
        .where(
            Registration.attended_at.is_not(None),
            Registration.evaluation_asked_at.is_(None),
            Gathering.status == SubjectStatus.ACTIVE,
            Gathering.starts_at <= now,
            Gathering.starts_at >= now - ASK_WITHIN - MAX_LENGTH,
            Contact.active.is_(True),
        )
    )
    events = []
    for registration, gathering, key in rows:
        end = ended_at(gathering)
        if end > now or now - end > ASK_WITHIN:
            continue
        registration.evaluation_asked_at = now
        events.append(GatheringEvaluationAsked(key, registration.id))
    await record(session, *events, now=now)
    return len(events)


def parse_rating(raw: Any) -> int:
    try:
        rating = int(str(raw).strip())
    except ValueError:
        raise Refused("gathering.evaluation.error.rating", field="rating") from None
    if not 1 <= rating <= 5:
        raise Refused("gathering.evaluation.error.rating", field="rating")
    return rating


async def answer(
    session: AsyncSession,
    registration_id: int,
    contact: Contact,
    raw: dict[str, Any],
    *,
    now: datetime,
) -> Registration:
    """Their evaluation (again: the last one counts); only one who came may
    give it, only their own."""
    registration = await session.get(Registration, registration_id)
    if (
        registration is None
        or registration.contact_id != contact.id
        or registration.attended_at is None
    ):
        raise Refused("gathering.error.not_yours")
    rating = parse_rating(raw.get("rating"))
    comment = free_text(raw.get("comment"), max_length=COMMENT_MAX)
    registration.rating = rating
    registration.comment = comment
    registration.evaluated_at = now
    registration.updated_at = now
    return registration


async def summary(session: AsyncSession, gathering_id: int) -> dict[str, Any]:
    """Answered, and (for five or more) the average and the count of each
    rating; the comments, for the organisers."""
    rows = list(
        await session.execute(
            select(Registration.rating, Registration.comment).where(
                Registration.gathering_id == gathering_id, Registration.rating.is_not(None)
            )
        )
    )
    found: dict[str, Any] = {"answered": len(rows), "average": None, "ratings": None}
    if len(rows) >= SMALLEST_GROUP:
        ratings = [int(r) for r, _ in rows if r is not None]
        found["average"] = round(sum(ratings) / len(ratings), 2)
        found["ratings"] = {str(n): ratings.count(n) for n in range(1, 6)}
    found["comments"] = [c for _, c in rows if c]
    return found
