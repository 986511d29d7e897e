"""The gathering and survey cards as the reminder handlers show them."""

from __future__ import annotations

from typing import Any

from bot.settings import Settings
from dialogs.cards.reminders import gathering_card, survey_card
from storage.db.models import Gathering, Survey


def calendar_url(settings: Settings, token: str) -> str:
    return f"{settings.public_base}/calendar/{token}.ics"


def show_gathering(
    settings: Settings,
    locale: str,
    g: Gathering,
    *,
    register_reminder: bool = False,
    notice: str | None = None,
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
