"""Escalation instead of waiting for Monday's meeting.

A request still unclaimed `stale_days` working days after it came in, or
claimed but not matched by its `needed_by`, is named in the priority channel
the same day, under its card: one message per request per day at most (the
outbox's dedupe key holds the local date). Working days are Monday to Friday
less Norway's public holidays (the `holidays` library). The weekly digest
counts them (`overdue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import Desk, Request
from storage.domain.requests import Status
from storage.notifications import EscalationDue, record

UNCLAIMED = "unclaimed"
NOT_MATCHED = "not_matched"
# Named in the working day only.
DAY_STARTS = time(8, 0)
DAY_ENDS = time(16, 0)


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NO", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def working_days_after(start: date, end: date) -> int:
    """Working days after `start`, up to and including `end`."""
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


@dataclass(frozen=True)
class Overdue:
    request: Request
    reason: str  # unclaimed | not_matched
    # Working days waiting (unclaimed), or days past `needed_by` (not matched).
    days: int


WAITING = (Status.CLAIMED.value, Status.IN_PROGRESS.value)


async def overdue(
    session: AsyncSession, *, now: datetime, zone: ZoneInfo, stale_days: int
) -> list[Overdue]:
    today = now.astimezone(zone).date()
    found = await session.scalars(
        select(Request)
        .where(
            or_(
                Request.status == Status.SUBMITTED.value,
                (Request.status.in_(WAITING)) & (Request.needed_by < today),
            )
        )
        .order_by(Request.id)
    )
    return [
        late
        for request in found
        if (late := lateness(request, now=now, zone=zone, stale_days=stale_days)) is not None
    ]


def lateness(request: Request, *, now: datetime, zone: ZoneInfo, stale_days: int) -> Overdue | None:
    """How `request` is overdue today, if it is (the rule of `overdue`, for one)."""
    today = now.astimezone(zone).date()
    if request.status == Status.SUBMITTED.value:
        waited = working_days_after(request.created_at.astimezone(zone).date(), today)
        return Overdue(request, UNCLAIMED, waited) if waited >= stale_days else None
    if request.status in WAITING and request.needed_by < today:
        return Overdue(request, NOT_MATCHED, (today - request.needed_by).days)
    return None


def in_working_hours(now: datetime, zone: ZoneInfo) -> bool:
    local = now.astimezone(zone)
    return is_working_day(local.date()) and DAY_STARTS <= local.time() < DAY_ENDS


async def escalate(session: AsyncSession, *, now: datetime, zone: ZoneInfo, stale_days: int) -> int:
    """Name each overdue request in the channel, once a day, in working hours.
    Returns how many were queued (a repeat the same day is ignored)."""
    if not in_working_hours(now, zone):
        return 0
    channels: dict[int, str] = {
        desk.id: desk.channel_id
        for desk in await session.scalars(select(Desk))
        if desk.channel_id is not None
    }
    if not channels:
        return 0
    today = now.astimezone(zone).date().isoformat()
    # Each in its own desk's channel; a desk with no channel has nowhere to say it.
    due = [
        EscalationDue(
            channels[late.request.desk_id],
            late.request.channel_conversation_id,
            late.request.id,
            late.reason,
            today,
        )
        for late in await overdue(session, now=now, zone=zone, stale_days=stale_days)
        if late.request.desk_id in channels
    ]
    await record(session, *due, now=now)
    return len(due)
