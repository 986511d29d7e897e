"""Reminders by e-mail, for people the bot cannot reach in Teams, and the small
pages their links open ("coming / not coming", "I have answered").

A link only shows a page that asks to confirm; the answer is recorded when the
person presses the button (a POST carrying a short-lived form token bound to
the link). Mail scanners that open every link in a message (Safe Links and the
like) therefore record nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.reminders.calendar import ics_of
from bot.features.reminders.registrations import gathering_link
from bot.features.reminders.views import meeting_url
from bot.framework.messages import Mail, MailAttachment, Recipient
from bot.framework.notifications import Sending
from bot.framework.router import Router
from bot.out.links import Links
from bot.out.pages import (
    PageShown,
    error_page,
    html_page,
    page_locale,
    posted_form,
    read_link,
    render,
)
from dialogs.cards.reminders import gathering_facts, local_time
from dialogs.i18n import t
from dialogs.rendering import greeting
from storage import reminders as store
from storage.db.models import Contact, Gathering, Reminder, Survey
from storage.domain.reminders import SubjectStatus
from storage.reminders import registrations

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()

# A confirm page's form is its proof and nothing more.
MAX_FORM_BYTES = 4_000

RSVP = "rsvp"
ANSWERED = "answered"


async def mail_reminder(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    """The reminder card's content as an e-mail (the gathering's `.ics` attached)."""
    reminder = await session.get(Reminder, args.get("reminder_id"))
    contact = await session.get(Contact, args.get("contact_id"))
    if reminder is None or contact is None or not contact.active:
        return None
    links = await sending.links.get()
    zone, locale = sending.settings.zone, recipient.locale
    context: dict[str, Any] = {
        "greeting": greeting(recipient.locale, recipient.name),
        "register_url": None,
        "survey_url": None,
        "rsvp_yes": None,
        "rsvp_no": None,
        "answered_url": None,
    }
    if reminder.subject_kind == store.GATHERING:
        gathering = await session.get(Gathering, reminder.subject_id)
        if gathering is None or gathering.status != SubjectStatus.ACTIVE:
            return None
        context["desk_name"] = await sending.desk_name(session, gathering.desk_id, locale)
        register = reminder.kind == store.BEFORE_REGISTER
        # The subject and first line say the kind only; the title is below.
        title = t(
            locale, "mail.subject.gathering_register" if register else "mail.subject.gathering"
        )
        facts = [
            (t(locale, "mail.reminder_what"), gathering.title),
            *gathering_facts(
                locale,
                starts_at=gathering.starts_at,
                place=gathering.place,
                register_by=gathering.register_by,
                zone=zone,
            ),
        ]
        expires = gathering.starts_at
        register_url = gathering.register_url
        if gathering.registers:
            # Registration in medvirk: its page, instead of "coming / not".
            register_url = gathering_link(links, gathering, contact.id)
            mine = await registrations.of_contact(session, gathering.id, contact.id)
            joins = meeting_url(gathering, mine)
            if joins:
                facts.append((t(locale, "gathering.meeting.join"), joins))
        else:
            for answer in ("yes", "no"):
                context[f"rsvp_{answer}"] = links.url(
                    RSVP, {"g": gathering.id, "c": contact.id, "a": answer}, expires=expires
                )
        context.update(
            title=title,
            intro=t(locale, "mail.register_intro" if register else "mail.gathering_intro"),
            facts=facts,
            register_url=register_url,
        )
        attachments: tuple[MailAttachment, ...] = (
            MailAttachment(f"gathering-{gathering.id}.ics", "text/calendar", ics_of(gathering)),
        )
    else:
        survey = await session.get(Survey, reminder.subject_id)
        if survey is None or survey.status != SubjectStatus.ACTIVE:
            return None
        if await store.has_answered(session, survey.id, contact.id):
            return None  # answered since the round was planned
        context["desk_name"] = await sending.desk_name(session, survey.desk_id, locale)
        context.update(
            title=t(locale, "mail.subject.survey"),
            intro=t(locale, "mail.survey_intro"),
            facts=[
                (t(locale, "mail.reminder_what"), survey.title),
                (t(locale, "survey.deadline"), local_time(survey.closes_at, zone)),
            ],
            survey_url=survey.url,
            answered_url=links.url(
                ANSWERED, {"s": survey.id, "c": contact.id}, expires=survey.closes_at
            ),
        )
        attachments = ()
    return Mail(
        subject=context["title"],
        text=render("mail_reminder.txt", locale, **context),
        html=render("mail_reminder.html", locale, **context),
        attachments=attachments,
        # By SMS: the registration page, or the survey.
        link=context["register_url"] or context["survey_url"],
    )


# -- the pages the links open -----------------------------------------------------------


async def _read(request: web.Request, services: Services) -> tuple[Links, str, str, dict[str, Any]]:
    purpose, token = request.match_info["purpose"], request.match_info["token"]
    locale = page_locale(request)
    if purpose not in (RSVP, ANSWERED):
        raise PageShown(error_page(locale, "page.bad_link", 404))
    links = await services.links.get()
    payload = read_link(links, purpose, token, locale, now=services.clock.now().timestamp())
    return links, purpose, token, payload


@router.get("/a/{purpose}/{token}")
async def confirm_page(request: web.Request, services: Services) -> web.Response:
    links, purpose, token, payload = await _read(request, services)
    async with services.db.reading() as session:
        subject = await _subject(session, purpose, payload)
        contact = await session.get(Contact, payload.get("c"))
    if subject is None or contact is None:
        return error_page(page_locale(request), "page.bad_link", 404)
    locale = contact.locale
    if purpose == RSVP:
        key = "page.confirm_rsvp_yes" if payload.get("a") == "yes" else "page.confirm_rsvp_no"
    else:
        key = "page.confirm_answered"
    return html_page(
        "page_confirm.html",
        locale,
        title=subject.title,
        question=t(locale, key, title=subject.title),
        action=request.path,
        form_token=links.form_token(token, now=services.clock.now()),
        desk_name=await services.desks.name(subject.desk_id, locale),
    )


@router.post("/a/{purpose}/{token}")
async def record_answer(request: web.Request, services: Services) -> web.Response:
    links, purpose, token, payload = await _read(request, services)
    form = await posted_form(request, max_bytes=MAX_FORM_BYTES)
    if not links.form_matches(token, form.get("form"), now=services.clock.now().timestamp()):
        return error_page(page_locale(request), "page.stale_form", 400)
    now = services.clock.now()
    async with services.db.transaction() as session:
        subject = await _subject(session, purpose, payload)
        contact = await session.get(Contact, payload.get("c"))
        if subject is None or contact is None:
            return error_page(page_locale(request), "page.bad_link", 404)
        locale = contact.locale
        if isinstance(subject, Gathering):
            if subject.status != SubjectStatus.ACTIVE:
                return error_page(locale, "gathering.is_cancelled", 410)
            coming = payload.get("a") == "yes"
            await store.record_rsvp(session, subject.id, contact, coming, now=now)
            message = t(locale, "gathering.rsvp_yes" if coming else "gathering.rsvp_no")
        else:
            await store.record_answered(session, subject.id, contact, now=now)
            message = t(locale, "survey.thanks")
    log.info("answer page: %s recorded", purpose)
    return html_page(
        "page_message.html",
        locale,
        title=t(locale, "page.done"),
        message=message,
        desk_name=await services.desks.name(subject.desk_id, locale),
    )


async def _subject(
    session: AsyncSession, purpose: str, payload: dict[str, Any]
) -> Gathering | Survey | None:
    if purpose == RSVP:
        if payload.get("a") not in ("yes", "no"):
            return None
        return await session.get(Gathering, payload.get("g"))
    return await session.get(Survey, payload.get("s"))
