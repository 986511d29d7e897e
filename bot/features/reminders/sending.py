"""What the outbox sends for reminders, and what a person gone for good means."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.reminders.mail import mail_reminder
from bot.features.reminders.views import seat_of, show_gathering, show_survey
from bot.framework.messages import Message
from bot.framework.notifications import Notification, Sending
from bot.framework.router import Router
from dialogs.cards import escape_markdown
from dialogs.cards.reminders import local_time
from dialogs.i18n import t
from storage import reminders as store
from storage.db.models import Contact, Gathering, Reminder, Survey
from storage.domain.reminders import SubjectStatus
from storage.outbox import OutboxItem, Render, TargetKind

log = logging.getLogger(__name__)

router = Router()


async def render_reminder(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    reminder = await session.get(Reminder, args["reminder_id"])
    contact = await session.get(Contact, args["contact_id"])
    if reminder is None or contact is None or not contact.active:
        return None
    if reminder.subject_kind == store.GATHERING:
        gathering = await session.get(Gathering, reminder.subject_id)
        if gathering is None or gathering.status != SubjectStatus.ACTIVE:
            return None
        seat = await seat_of(session, gathering, contact, sending.clock.now())
        return Message(
            card=show_gathering(
                sending.settings,
                contact.locale,
                gathering,
                register_reminder=reminder.kind == store.BEFORE_REGISTER,
                seat=seat,
            )
        )
    survey = await session.get(Survey, reminder.subject_id)
    if survey is None or survey.status != SubjectStatus.ACTIVE:
        return None
    if await store.has_answered(session, survey.id, contact.id):
        return None  # answered since the round was planned
    return Message(card=show_survey(sending.settings, contact.locale, survey))


async def render_cancel(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    gathering = await session.get(Gathering, args["gathering_id"])
    if gathering is None:
        return None
    when = local_time(gathering.starts_at, sending.settings.zone)
    return Message(
        text=t(locale, "gathering.cancelled", title=escape_markdown(gathering.title), when=when)
    )


@router.on_gone(TargetKind.PERSONAL)
async def contact_gone(sending: Sending, item: OutboxItem, status: int) -> None:
    """The person blocked or uninstalled the bot: no more reminders to them."""
    async with sending.db.transaction() as session:
        await store.mark_inactive(
            session, item.target_key, f"http {status}", now=sending.clock.now()
        )
    log.info("contact marked inactive after HTTP %s", status)


router.notify(
    Notification(Render.REMINDER, teams=render_reminder, mail=mail_reminder),
    Notification(Render.GATHERING_CANCELLED, teams=render_cancel),
)
