"""Gatherings and surveys: create, cancel, and the reminder rows they plan
(one per offset). A gathering gets its calendar token here."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import Contact, Delivery, Gathering, Reminder, Survey
from storage.domain.fields import free_text
from storage.domain.refusal import Refused
from storage.domain.registrations import DEFAULT_OFFER_HOURS
from storage.domain.reminders import ROUNDS, SUBJECTS, RoundState, SubjectStatus
from storage.notifications import GatheringCancelled, record
from storage.reminders.kinds import (
    BEFORE_CLOSE,
    BEFORE_REGISTER,
    BEFORE_START,
    GATHERING,
    SURVEY,
    ReminderInputError,
)
from storage.reminders.parsing import Offset, due_time

# What an admin's error says for each refusal of `free_text` (never the input).
_PROBLEMS = {
    "error.identity_number": "must not contain a national identity number",
    "error.encoded_word": "must not contain an e-mail encoded word (=?…?=)",
    "error.field.too_short": "at least {min} characters",
    "error.field.too_long": "at most {max} characters",
    "error.field.text": "must be text",
}


def _text(raw: str | None, field: str, *, max_length: int, min_length: int = 0) -> str | None:
    """Free text under the order's rules, or ReminderInputError naming the field."""
    try:
        return free_text(raw, max_length=max_length, min_length=min_length)
    except Refused as error:
        problem = _PROBLEMS[error.key].format(**error.params)
        raise ReminderInputError(f"{field}: {problem}") from None


TITLE_MAX, PLACE_MAX, URL_MAX = 200, 300, 1000


def _check_url(url: str | None, field: str) -> str | None:
    url = _text(url, field, max_length=URL_MAX)
    if url is not None and not re.match(r"^https?://[^\s]+$", url):
        raise ReminderInputError(f"{field}: expected an http(s) URL")
    return url


async def reopen(
    session: AsyncSession, gathering: Gathering, register_by: datetime, *, now: datetime
) -> Gathering:
    """Registration open again, until `register_by` (in the future, not after
    the start): those waiting keep their places."""
    if not gathering.registers:
        raise ReminderInputError(f"gathering {gathering.id} takes no registrations in medvirk")
    if gathering.status != SubjectStatus.ACTIVE:
        raise ReminderInputError(f"gathering {gathering.id} is cancelled")
    if register_by <= now:
        raise ReminderInputError("--register-by: must be in the future")
    if register_by > gathering.starts_at:
        raise ReminderInputError("--register-by: must not be after the start")
    gathering.register_by = register_by
    return gathering


def _check_title(title: str) -> str:
    checked = _text(title, "--title", max_length=TITLE_MAX, min_length=3)
    if checked is None:
        raise ReminderInputError("--title: at least 3 characters")
    return checked


def _plan(
    session: AsyncSession,
    *,
    subject_kind: str,
    subject_id: int,
    kind: str,
    anchor: datetime,
    offsets: list[Offset],
    zone: ZoneInfo,
) -> None:
    for offset in offsets:
        session.add(
            Reminder(
                subject_kind=subject_kind,
                subject_id=subject_id,
                kind=kind,
                offset_days=offset[0],
                offset_seconds=offset[1],
                due_at=due_time(anchor, offset, zone),
                expires_at=anchor,
                state=RoundState.PLANNED,
            )
        )


async def add_gathering(
    session: AsyncSession,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None,
    place: str | None,
    register_url: str | None,
    register_by: datetime | None,
    groups: list[str] | None,
    remind: list[Offset],
    remind_register: list[Offset],
    zone: ZoneInfo,
    now: datetime,
    capacity: int | None = None,
    questions: list[str] | None = None,
    offer_hours: int = DEFAULT_OFFER_HOURS,
    meeting_url: str | None = None,
    open_registration: bool = False,
) -> Gathering:
    """A gathering and its reminders. With `capacity` or `questions` it takes
    registrations in medvirk (seats, a waiting list, offers for `offer_hours`;
    with `open_registration`, anyone with its open link may register too);
    `meeting_url` goes to those registered to attend digitally."""
    title = _check_title(title)
    if capacity is not None and not 1 <= capacity <= 100_000:
        raise ReminderInputError("--capacity: a number of seats from 1")
    if not 1 <= offer_hours <= 24 * 14:
        raise ReminderInputError("--offer-hours: from 1 to 336 hours")
    if starts_at <= now:
        raise ReminderInputError("--starts: must be in the future")
    if ends_at is not None and ends_at < starts_at:
        raise ReminderInputError("--ends: must not be before --starts")
    if register_by is not None and register_by > starts_at:
        raise ReminderInputError("--register-by: must not be after --starts")
    if remind_register and register_by is None:
        raise ReminderInputError("--remind-register needs --register-by")
    register_url = _check_url(register_url, "--register-url")
    meeting_url = _check_url(meeting_url, "--meeting-url")
    registers = capacity is not None or questions is not None or open_registration
    if meeting_url is not None and "attend_mode" not in (questions or ()):
        raise ReminderInputError(
            "--meeting-url: goes to those registered to attend digitally; "
            "ask it with --questions attend_mode"
        )
    place = _text(place, "--place", max_length=PLACE_MAX)
    gathering = Gathering(
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        register_url=register_url,
        register_by=register_by,
        groups=groups,
        capacity=capacity,
        questions=questions,
        offer_hours=offer_hours,
        registers=registers,
        meeting_url=meeting_url,
        open_registration=open_registration,
        calendar_token=secrets.token_urlsafe(24),
        status=SubjectStatus.ACTIVE,
        created_at=now,
    )
    session.add(gathering)
    await session.flush()
    _plan(
        session,
        subject_kind=GATHERING,
        subject_id=gathering.id,
        kind=BEFORE_START,
        anchor=starts_at,
        offsets=remind,
        zone=zone,
    )
    if register_by is not None:
        _plan(
            session,
            subject_kind=GATHERING,
            subject_id=gathering.id,
            kind=BEFORE_REGISTER,
            anchor=register_by,
            offsets=remind_register,
            zone=zone,
        )
    await session.flush()
    return gathering


async def add_survey(
    session: AsyncSession,
    *,
    title: str,
    url: str,
    closes_at: datetime,
    opens_at: datetime | None,
    groups: list[str] | None,
    remind: list[Offset],
    zone: ZoneInfo,
    now: datetime,
) -> Survey:
    title = _check_title(title)
    checked_url = _check_url(url, "--url")
    if checked_url is None:
        raise ReminderInputError("--url: expected an http(s) URL")
    url = checked_url
    if closes_at <= now:
        raise ReminderInputError("--closes: must be in the future")
    if opens_at is not None and opens_at >= closes_at:
        raise ReminderInputError("--opens: must be before --closes")
    survey = Survey(
        title=title,
        url=url,
        opens_at=opens_at,
        closes_at=closes_at,
        groups=groups,
        status=SubjectStatus.ACTIVE,
        created_at=now,
    )
    session.add(survey)
    await session.flush()
    _plan(
        session,
        subject_kind=SURVEY,
        subject_id=survey.id,
        kind=BEFORE_CLOSE,
        anchor=closes_at,
        offsets=remind,
        zone=zone,
    )
    await session.flush()
    return survey


async def cancel_gathering(session: AsyncSession, gathering_id: int, *, now: datetime) -> int:
    """Cancel; tell everyone already reminded. Returns how many get the notice."""
    gathering = await session.get(Gathering, gathering_id)
    if gathering is None:
        raise ReminderInputError(f"no gathering {gathering_id}")
    if not SUBJECTS.may(gathering.status, SubjectStatus.CANCELLED):
        return 0  # cancelled before
    gathering.status = SubjectStatus.CANCELLED
    await _drop_planned(session, GATHERING, gathering_id, now)
    reminded = list(
        await session.execute(
            select(Contact.id, Contact.key)
            .join(Delivery, Delivery.contact_id == Contact.id)
            .join(Reminder, Reminder.id == Delivery.reminder_id)
            .where(Reminder.subject_kind == GATHERING, Reminder.subject_id == gathering_id)
            .distinct()
        )
    )
    await record(
        session, *(GatheringCancelled(key, gathering_id, c) for c, key in reminded), now=now
    )
    return len(reminded)


async def cancel_survey(session: AsyncSession, survey_id: int, *, now: datetime) -> None:
    survey = await session.get(Survey, survey_id)
    if survey is None:
        raise ReminderInputError(f"no survey {survey_id}")
    if not SUBJECTS.may(survey.status, SubjectStatus.CANCELLED):
        return  # cancelled before: its reminders were dropped then
    survey.status = SubjectStatus.CANCELLED
    await _drop_planned(session, SURVEY, survey_id, now)


async def _drop_planned(session: AsyncSession, kind: str, subject_id: int, now: datetime) -> None:
    await session.execute(
        update(Reminder)
        .where(
            Reminder.subject_kind == kind,
            Reminder.subject_id == subject_id,
            Reminder.state.in_(ROUNDS.sources(RoundState.DROPPED)),
        )
        .values(state=RoundState.DROPPED, done_at=now)
    )
