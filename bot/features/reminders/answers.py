"""The reminder cards' Universal Actions: `rsvp` and `answered`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.reminders.views import show_gathering, show_survey
from bot.framework.messages import InvokeAnswer, card_answer, error_answer
from bot.framework.ports import Turn, positive_id
from bot.framework.router import Router
from dialogs.i18n import t
from storage import reminders as store
from storage.db.models import Contact, Gathering, Survey
from storage.domain.reminders import SubjectStatus
from storage.reminders.rounds import invited_groups

if TYPE_CHECKING:
    from bot.services import Services

router = Router()


async def refusal_for(
    session: AsyncSession,
    turn: Turn,
    subject: Gathering | Survey | None,
    contact: Contact | None,
) -> InvokeAnswer | None:
    """None if `contact` is one the gathering or survey is for (its desk's
    groups its reminders go to); the same answer for one that is not there and
    one that is for other groups."""
    if contact is None:
        return error_answer("not_subscribed", t(turn.locale, "reminder.not_subscribed"), 403)
    if subject is None or not await invited_groups(session, subject) & set(contact.groups or ()):
        return error_answer("unknown", t(turn.locale, "reminder.unknown"), 404)
    return None


@router.verb("rsvp")
async def rsvp(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    locale = turn.locale
    gathering_id = positive_id(data, "gathering_id")
    answer = data.get("answer")
    if gathering_id is None or answer not in ("yes", "no"):
        return error_answer("bad_data", t(locale, "error.bad_card_data"))
    async with services.db.transaction() as session:
        contact = await store.find_contact(session, turn.person.key)
        gathering = await session.get(Gathering, gathering_id) if contact else None
        refusal = await refusal_for(session, turn, gathering, contact)
        if refusal is not None:
            return refusal
        assert gathering is not None and contact is not None
        if gathering.status != SubjectStatus.ACTIVE:
            notice = t(locale, "gathering.is_cancelled")
        else:
            await store.record_rsvp(
                session, gathering_id, contact, answer == "yes", now=services.clock.now()
            )
            notice = t(locale, "gathering.rsvp_yes" if answer == "yes" else "gathering.rsvp_no")
        card = show_gathering(services.settings, locale, gathering, notice=notice)
    return card_answer(card)


@router.verb("answered")
async def answered(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    locale = turn.locale
    survey_id = positive_id(data, "survey_id")
    if survey_id is None:
        return error_answer("bad_data", t(locale, "error.bad_card_data"))
    async with services.db.transaction() as session:
        contact = await store.find_contact(session, turn.person.key)
        survey = await session.get(Survey, survey_id) if contact else None
        refusal = await refusal_for(session, turn, survey, contact)
        if refusal is not None:
            return refusal
        assert survey is not None and contact is not None
        await store.record_answered(session, survey_id, contact, now=services.clock.now())
        card = show_survey(services.settings, locale, survey, notice=t(locale, "survey.thanks"))
    return card_answer(card)
