"""The gathering and survey cards as the reminder handlers show them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from dialogs.cards.reminders import Seat, gathering_card, survey_card
from storage.db.models import Contact, Gathering, Registration, Survey
from storage.domain.registrations import ACTIVE, RegistrationStatus
from storage.reminders import registrations


def calendar_url(settings: Settings, token: str) -> str:
    return f"{settings.public_base}/calendar/{token}.ics"


async def seat_of(
    session: AsyncSession, g: Gathering, contact: Contact | None, now: datetime
) -> Seat | None:
    """This person's registration as the card shows it; None for a gathering
    that takes no registrations in medvirk."""
    if not g.registers:
        return None
    closed = g.register_by is not None and now >= g.register_by
    found = await registrations.of_contact(session, g.id, contact.id) if contact else None
    questions = tuple(g.questions or ())
    if found is None or found.status not in ACTIVE:
        return Seat(questions, closed=closed)
    return Seat(
        questions,
        registration_id=found.id,
        status=found.status,
        place=await registrations.place_in_line(session, found),
        door_code=found.door_code,
        offered_until=found.offered_until,
        closed=closed,
        meeting_url=meeting_url(g, found),
    )


def meeting_url(g: Gathering, registration: Registration | None) -> str | None:
    """The gathering's Teams meeting link, for one registered to attend
    digitally (nobody else gets it)."""
    if (
        g.meeting_url is None
        or registration is None
        or registration.status != RegistrationStatus.REGISTERED
        or (registration.answers or {}).get("attend_mode") != "digital"
    ):
        return None
    return g.meeting_url


def show_gathering(
    settings: Settings,
    locale: str,
    g: Gathering,
    *,
    register_reminder: bool = False,
    notice: str | None = None,
    seat: Seat | None = None,
) -> dict[str, Any]:
    return gathering_card(
        locale,
        gathering_id=g.id,
        title=g.title,
        starts_at=g.starts_at,
        ends_at=g.ends_at,
        place=g.place,
        register_url=g.register_url,
        register_by=g.register_by,
        calendar_url=calendar_url(settings, g.calendar_token),
        zone=settings.zone,
        register_reminder=register_reminder,
        notice=notice,
        seat=seat,
    )


def show_survey(
    settings: Settings, locale: str, survey: Survey, *, notice: str | None = None
) -> dict[str, Any]:
    return survey_card(
        locale,
        survey_id=survey.id,
        title=survey.title,
        url=survey.url,
        closes_at=survey.closes_at,
        zone=settings.zone,
        notice=notice,
    )
