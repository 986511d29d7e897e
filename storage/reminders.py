"""Contacts, subscriptions, gatherings, surveys and the reminders they plan.

The database is the source of truth: a gathering plans one `Reminder` row per
offset; when one falls due, `plan_due` writes one `Delivery` per recipient
(unique on both) and its outbox row, in one transaction. Day offsets keep the
local wall-clock time across daylight-saving changes; hour/minute/second
offsets are elapsed time.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.conversations import PERSONAL
from storage.db import Database
from storage.models import (
    Contact,
    ConversationRef,
    Delivery,
    Gathering,
    Reminder,
    Rsvp,
    Survey,
    SurveyAnswer,
)

log = logging.getLogger(__name__)

GROUPS: tuple[str, ...] = ("contacts", "participants", "youth", "employees")
GATHERING, SURVEY = "gathering", "survey"
BEFORE_START, BEFORE_REGISTER, BEFORE_CLOSE = "start", "register", "close"
REMINDER_RENDER = "reminder"
CANCEL_RENDER = "gathering_cancelled"


class ReminderInputError(ValueError):
    """Bad admin input (CLI or form). The message names the field."""


# -- parsing ---------------------------------------------------------------------------------

_OFFSET = re.compile(r"^(\d{1,6})([dhms])$")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


Offset = tuple[int, int]  # (calendar days, elapsed seconds)


def parse_offsets(text: str | None, field: str) -> list[Offset]:
    """`14d,1d,2h,90s` -> [(14, 0), (1, 0), (0, 7200), (0, 90)]: days are calendar days."""
    if text is None or not text.strip():
        return []
    offsets = set()
    for part in text.split(","):
        match = _OFFSET.match(part.strip().lower())
        if not match:
            raise ReminderInputError(f"{field}: expected offsets like 14d,1d,2h,90s, got {part!r}")
        amount, unit = int(match.group(1)), match.group(2)
        offsets.add((amount, 0) if unit == "d" else (0, amount * _UNIT_SECONDS[unit]))
    return sorted(offsets, key=lambda o: o[0] * 86400 + o[1], reverse=True)


def parse_time(text: str, zone: ZoneInfo, field: str) -> datetime:
    """ISO 8601; with an offset or Z as given, without one in `zone`; a bare date is 00:00."""
    value = text.strip()
    try:
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ReminderInputError(f"{field}: expected an ISO 8601 time, got {text!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


def parse_groups(text: str | None, field: str = "--groups") -> list[str] | None:
    if text is None or not text.strip():
        return None
    groups = [g.strip().lower() for g in text.split(",") if g.strip()]
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise ReminderInputError(
            f"{field}: unknown group(s) {', '.join(unknown)}; use {', '.join(GROUPS)}"
        )
    return sorted(set(groups))


def due_time(anchor: datetime, offset: Offset, zone: ZoneInfo) -> datetime:
    """When a reminder `offset` before `anchor` falls: days in local wall-clock time."""
    days, rest = offset
    local = anchor.astimezone(zone)
    # Aware arithmetic on a zoned datetime is wall-clock arithmetic: 09:15 stays 09:15.
    wall = (local.replace(tzinfo=None) - timedelta(days=days)).replace(tzinfo=zone)
    return wall.astimezone(UTC) - timedelta(seconds=rest)


# -- gatherings and surveys --------------------------------------------------------------------


def _check_url(url: str | None, field: str) -> None:
    if url is not None and not re.match(r"^https?://[^\s]+$", url):
        raise ReminderInputError(f"{field}: expected an http(s) URL, got {url!r}")


def _check_title(title: str) -> str:
    title = title.strip()
    if not 3 <= len(title) <= 200:
        raise ReminderInputError("--title: 3 to 200 characters")
    from storage.identity import contains_identity_number

    if contains_identity_number(title):
        raise ReminderInputError("--title: must not contain a national identity number")
    return title


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
                state="planned",
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
) -> Gathering:
    title = _check_title(title)
    if starts_at <= now:
        raise ReminderInputError("--starts: must be in the future")
    if ends_at is not None and ends_at < starts_at:
        raise ReminderInputError("--ends: must not be before --starts")
    if register_by is not None and register_by > starts_at:
        raise ReminderInputError("--register-by: must not be after --starts")
    if remind_register and register_by is None:
        raise ReminderInputError("--remind-register needs --register-by")
    _check_url(register_url, "--register-url")
    gathering = Gathering(
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip() or None,
        register_url=register_url,
        register_by=register_by,
        groups=groups,
        calendar_token=secrets.token_urlsafe(24),
        status="active",
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
    _check_url(url, "--url")
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
        status="active",
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
    if gathering.status == "cancelled":
        return 0
    gathering.status = "cancelled"
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
    for contact_id, key in reminded:
        await outbox.enqueue(
            session,
            now=now,
            target_kind=PERSONAL,
            target_key=key,
            payload={"render": CANCEL_RENDER, "args": {"gathering_id": gathering_id}},
            dedupe_key=f"cancel:{gathering_id}:{contact_id}",
        )
    return len(reminded)


async def cancel_survey(session: AsyncSession, survey_id: int, *, now: datetime) -> None:
    survey = await session.get(Survey, survey_id)
    if survey is None:
        raise ReminderInputError(f"no survey {survey_id}")
    survey.status = "cancelled"
    await _drop_planned(session, SURVEY, survey_id, now)


async def _drop_planned(session: AsyncSession, kind: str, subject_id: int, now: datetime) -> None:
    await session.execute(
        update(Reminder)
        .where(
            Reminder.subject_kind == kind,
            Reminder.subject_id == subject_id,
            Reminder.state == "planned",
        )
        .values(state="dropped", done_at=now)
    )


# -- contacts and subscriptions ----------------------------------------------------------------


async def upsert_contact(
    session: AsyncSession,
    *,
    key: str,
    aad_object_id: str | None,
    name: str | None,
    locale: str,
    now: datetime,
    groups: list[str] | None = None,
) -> Contact:
    contact = await session.scalar(select(Contact).where(Contact.key == key))
    if contact is None:
        contact = Contact(key=key, groups=[], active=True, created_at=now)
        session.add(contact)
    contact.aad_object_id = aad_object_id or contact.aad_object_id
    contact.name = name or contact.name
    contact.locale = locale
    contact.updated_at = now
    if groups is not None:
        contact.groups = sorted(set(groups))
        contact.active = True
        contact.inactive_reason = None
    await session.flush()
    return contact


async def find_contact(session: AsyncSession, key: str) -> Contact | None:
    return await session.scalar(select(Contact).where(Contact.key == key))


async def forget_contact(session: AsyncSession, key: str) -> None:
    """Remove a person's contact record with their deliveries and answers."""
    contact = await find_contact(session, key)
    if contact is None:
        return
    for table in (Delivery, Rsvp, SurveyAnswer):
        await session.execute(delete(table).where(table.contact_id == contact.id))
    await session.delete(contact)


async def mark_inactive(session: AsyncSession, key: str, reason: str, *, now: datetime) -> None:
    await session.execute(
        update(Contact)
        .where(Contact.key == key)
        .values(active=False, inactive_reason=reason, updated_at=now)
    )


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
    coming = not_coming = answered = 0
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


# -- planning --------------------------------------------------------------------------------------


async def _recipients(session: AsyncSession, reminder: Reminder) -> list[Contact]:
    subject: Any = await session.get(
        Gathering if reminder.subject_kind == GATHERING else Survey, reminder.subject_id
    )
    if subject is None or subject.status != "active":
        return []
    wanted = set(subject.groups or GROUPS)
    # Only people the bot can reach: a personal conversation reference exists.
    contacts = await session.scalars(
        select(Contact)
        .join(
            ConversationRef,
            (ConversationRef.kind == PERSONAL) & (ConversationRef.key == Contact.key),
        )
        .where(Contact.active.is_(True))
        .order_by(Contact.id)
    )
    chosen = [c for c in contacts if wanted & set(c.groups or [])]
    if reminder.subject_kind == SURVEY:
        answered = set(
            await session.scalars(
                select(SurveyAnswer.contact_id).where(SurveyAnswer.survey_id == reminder.subject_id)
            )
        )
        chosen = [c for c in chosen if c.id not in answered]
    return chosen


async def plan_due(db: Database, *, now: datetime) -> int:
    """Turn every due reminder into deliveries and outbox rows; returns rows written.

    A reminder missed while the bot was down is still sent if its event or
    deadline has not passed; otherwise it is dropped with a log line.
    """
    written = 0
    async with db.sessions() as session:
        due_ids = list(
            await session.scalars(
                select(Reminder.id)
                .where(Reminder.state == "planned", Reminder.due_at <= now)
                .order_by(Reminder.due_at)
            )
        )
    for reminder_id in due_ids:
        async with db.transaction() as session:
            stmt = select(Reminder).where(Reminder.id == reminder_id, Reminder.state == "planned")
            if db.dialect == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            reminder = await session.scalar(stmt)
            if reminder is None:  # another process took it
                continue
            reminder.done_at = now
            if now >= reminder.expires_at:
                reminder.state = "dropped"
                log.warning(
                    "reminder %s dropped: its time passed while the bot was down", reminder.id
                )
                continue
            reminder.state = "sent"
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
                await outbox.enqueue_many(
                    session,
                    now=now,
                    rows=[
                        {
                            "target_kind": PERSONAL,
                            "target_key": c.key,
                            "payload": {
                                "render": REMINDER_RENDER,
                                "args": {"reminder_id": reminder.id, "contact_id": c.id},
                            },
                            "dedupe_key": f"rem:{reminder.id}:{c.id}",
                        }
                        for c in recipients
                    ],
                )
                written += len(recipients)
            log.info("reminder %s: %d deliveries", reminder.id, len(recipients))
    return written
