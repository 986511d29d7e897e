"""The admins' forms in personal chat: `ny samling`, `ny undersøkelse`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from bot.ports import Turn
from bot.router import Guard, Router
from dialogs.cards.reminders import gathering_form, survey_form
from dialogs.i18n import t
from storage import reminders as store
from storage.models import Reminder

if TYPE_CHECKING:
    from bot.services import Services

router = Router()
ADMIN = (Guard.PERSONAL, Guard.ADMIN)


@router.personal_command("new_gathering")  # admin_only in the command table
async def new_gathering(turn: Turn, services: Services, argument: str) -> None:
    await turn.card(gathering_form(turn.locale))


@router.personal_command("new_survey")  # admin_only in the command table
async def new_survey(turn: Turn, services: Services, argument: str) -> None:
    await turn.card(survey_form(turn.locale))


def _text(value: dict[str, Any], name: str) -> str | None:
    raw = value.get(name)
    return raw.strip() if isinstance(raw, str) and raw.strip() else None


def _invalid(turn: Turn, problem: store.ReminderInputError) -> str:
    return t(turn.locale, "admin.invalid", problem=str(problem).lstrip("-"))


@router.submit("create_gathering", guards=ADMIN)
async def create_gathering(turn: Turn, services: Services, value: dict[str, Any]) -> None:
    zone = services.settings.zone
    try:
        day = _text(value, "starts_date") or ""
        starts = store.parse_time(f"{day}T{_text(value, 'starts_time') or ''}", zone, "starts")
        ends_time = _text(value, "ends_time")
        ends = store.parse_time(f"{day}T{ends_time}", zone, "ends") if ends_time else None
        register_by = _text(value, "register_by")
        async with services.db.transaction() as session:
            gathering = await store.add_gathering(
                session,
                title=_text(value, "title") or "",
                starts_at=starts,
                ends_at=ends,
                place=_text(value, "place"),
                register_url=_text(value, "register_url"),
                register_by=store.parse_time(register_by, zone, "register_by")
                if register_by
                else None,
                groups=store.parse_groups(_text(value, "groups"), "groups"),
                remind=store.parse_offsets(_text(value, "remind"), "remind"),
                remind_register=store.parse_offsets("7d,1d", "remind") if register_by else [],
                zone=zone,
                now=services.clock.now(),
            )
            planned = await session.scalar(
                select(func.count(Reminder.id)).where(
                    Reminder.subject_kind == store.GATHERING,
                    Reminder.subject_id == gathering.id,
                )
            )
            title = gathering.title
    except store.ReminderInputError as problem:
        await turn.reply(_invalid(turn, problem))
        return
    await turn.reply(t(turn.locale, "admin.created_gathering", title=title, count=planned or 0))


@router.submit("create_survey", guards=ADMIN)
async def create_survey(turn: Turn, services: Services, value: dict[str, Any]) -> None:
    zone = services.settings.zone
    try:
        closes = store.parse_time(_text(value, "closes") or "", zone, "closes")
        remind = store.parse_offsets(_text(value, "remind"), "remind")
        async with services.db.transaction() as session:
            survey = await store.add_survey(
                session,
                title=_text(value, "title") or "",
                url=_text(value, "url") or "",
                closes_at=closes,
                opens_at=None,
                groups=store.parse_groups(_text(value, "groups"), "groups"),
                remind=remind,
                zone=zone,
                now=services.clock.now(),
            )
            title = survey.title
    except store.ReminderInputError as problem:
        await turn.reply(_invalid(turn, problem))
        return
    await turn.reply(t(turn.locale, "admin.created_survey", title=title, count=len(remind)))
