"""The admins' forms in personal chat: `ny samling`, `ny undersøkelse`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from bot.framework.ports import Turn, positive_id
from bot.framework.router import Guard, Router
from dialogs.cards import escape_markdown
from dialogs.cards.reminders import (
    ReportItem,
    RoundLine,
    delivery_report_card,
    gathering_form,
    local_time,
    survey_form,
)
from dialogs.i18n import t
from storage import reminders as store
from storage.db.models import Gathering, Reminder, Survey
from storage.domain.reminders import SubjectStatus

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
    await turn.reply(
        t(turn.locale, "admin.created_gathering", title=escape_markdown(title), count=planned or 0)
    )


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
    await turn.reply(
        t(turn.locale, "admin.created_survey", title=escape_markdown(title), count=len(remind))
    )


# A reminder's kind, as the report names it.
_ROUND_KIND = {
    store.BEFORE_START: "gathering",
    store.BEFORE_REGISTER: "register",
    store.BEFORE_CLOSE: "survey",
}
REPORT_ITEMS = 10


async def _report_items(services: Services) -> list[ReportItem]:
    """The active gatherings and surveys, newest first, with their rounds."""
    zone = services.settings.zone
    items: list[ReportItem] = []
    async with services.db.reading() as session:
        gatherings = await session.scalars(
            select(Gathering)
            .where(Gathering.status == SubjectStatus.ACTIVE)
            .order_by(Gathering.id.desc())
            .limit(REPORT_ITEMS)
        )
        subjects: list[tuple[str, Gathering | Survey]] = [(store.GATHERING, g) for g in gatherings]
        surveys = await session.scalars(
            select(Survey)
            .where(Survey.status == SubjectStatus.ACTIVE)
            .order_by(Survey.id.desc())
            .limit(REPORT_ITEMS)
        )
        subjects += [(store.SURVEY, s) for s in surveys]
        for kind, subject in subjects:
            rounds = []
            for report in await store.round_reports(session, kind, subject.id):
                r = report.reminder
                rounds.append(
                    RoundLine(
                        due=local_time(r.due_at, zone),
                        kind=_ROUND_KIND.get(r.kind, "gathering"),
                        state=r.state,
                        teams=report.teams,
                        email=report.email,
                        pending=report.pending,
                        unreachable=report.unreachable,
                        skipped=report.skipped,
                        given_up=tuple(sorted(report.given_up.items())),
                    )
                )
            items.append(ReportItem(kind, subject.id, subject.title, tuple(rounds)))
    return items


@router.personal_command("deliveries")  # admin_only in the command table
async def deliveries(turn: Turn, services: Services, argument: str) -> None:
    await turn.card(delivery_report_card(turn.locale, await _report_items(services)))


@router.submit("resend_reminders", guards=ADMIN)
async def resend_reminders(turn: Turn, services: Services, value: dict[str, Any]) -> None:
    kind = value.get("kind")
    item_id = positive_id(value, "id")
    models: dict[str, type[Gathering] | type[Survey]] = {
        store.GATHERING: Gathering,
        store.SURVEY: Survey,
    }
    model = models.get(kind) if isinstance(kind, str) else None
    if model is None or item_id is None:
        await turn.reply(t(turn.locale, "error.bad_card_data"))
        return
    async with services.db.transaction() as session:
        if await session.get(model, item_id) is None:
            await turn.reply(t(turn.locale, "error.bad_card_data"))
            return
        queued = await store.resend(session, str(kind), item_id, now=services.clock.now())
    await turn.reply(t(turn.locale, "report.resent", count=queued))
