"""Registering on a gathering's card: `register` (with the gathering's
questions' inputs), `cancel_registration`, and a freed seat's `accept_seat` /
`decline_seat`; the card answers with the registration as it then stands.
The seat offered to the first waiting goes to them as a card (`SEAT_OFFER`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.reminders.answers import refusal_for
from bot.features.reminders.views import seat_of, show_gathering
from bot.framework.messages import (
    InvokeAnswer,
    Mail,
    MailAttachment,
    Message,
    Recipient,
    card_answer,
    error_answer,
)
from bot.framework.notifications import Notification, Sending
from bot.framework.ports import Turn, positive_id
from bot.framework.router import Router
from bot.out.person_links import participant_mail
from dialogs.cards import card, escape_markdown, text_block
from dialogs.i18n import t
from dialogs.refusals import refusal_text
from dialogs.rendering import greeting
from storage import reminders as store
from storage.db.models import Contact, Gathering, Registration
from storage.domain.refusal import Refused
from storage.domain.reminders import SubjectStatus
from storage.outbox import Render
from storage.reminders import registrations

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()


async def _card(turn: Turn, services: Services, data: dict[str, Any], move: str) -> InvokeAnswer:
    locale = turn.locale
    gathering_id = positive_id(data, "gathering_id")
    if gathering_id is None:
        return error_answer("bad_data", t(locale, "error.bad_card_data"))
    now = services.clock.now()
    notice = None
    async with services.db.transaction() as session:
        contact = await store.find_contact(session, turn.person.key)
        gathering = await session.get(Gathering, gathering_id) if contact else None
        refusal = await refusal_for(session, turn, gathering, contact)
        if refusal is not None:
            return refusal
        assert gathering is not None and contact is not None
        try:
            async with session.begin_nested():
                notice = await _do(session, gathering, contact, data, move, now=now)
        except Refused as refused:
            log.info("gathering %s: %s refused (%s)", gathering_id, move, refused.key)
            notice = refusal_text(locale, refused)
        seat = await seat_of(session, gathering, contact, now)
        card = show_gathering(services.settings, locale, gathering, notice=notice, seat=seat)
    return card_answer(card)


async def _do(
    session: AsyncSession,
    gathering: Gathering,
    contact: Contact,
    data: dict[str, Any],
    move: str,
    *,
    now: Any,
) -> str | None:
    locale = contact.locale
    if move == "register":
        await registrations.register(session, gathering.id, contact, data, now=now)
        return None
    registration_id = positive_id(data, "registration_id")
    if registration_id is None:
        raise Refused("gathering.error.not_yours")
    if move == "cancel":
        await registrations.cancel(session, registration_id, contact, now=now)
        return t(locale, "gathering.seat.cancelled")
    take = move == "accept"
    await registrations.answer_offer(session, registration_id, contact, take, now=now)
    return None if take else t(locale, "gathering.seat.declined")


@router.verb("register")
async def register(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    return await _card(turn, services, data, "register")


@router.verb("cancel_registration")
async def cancel_registration(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    return await _card(turn, services, data, "cancel")


@router.verb("accept_seat")
async def accept_seat(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    return await _card(turn, services, data, "accept")


@router.verb("decline_seat")
async def decline_seat(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    return await _card(turn, services, data, "decline")


async def seat_offer_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    """The freed seat, offered on the gathering's card (if still offered when sent)."""
    registration = await session.get(Registration, args.get("registration_id"))
    if registration is None or registration.status != "offered":
        return None
    gathering = await session.get(Gathering, registration.gathering_id)
    contact = await session.get(Contact, registration.contact_id)
    if gathering is None or contact is None:
        return None
    seat = await seat_of(session, gathering, contact, sending.clock.now())
    return Message(card=show_gathering(sending.settings, contact.locale, gathering, seat=seat))


def programme_url(sending: Sending, gathering: Gathering) -> str | None:
    if gathering.programme_pdf is None:
        return None
    return f"{sending.settings.public_base}/calendar/{gathering.calendar_token}/programme.pdf"


async def programme_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    gathering = await session.get(Gathering, args.get("gathering_id"))
    if gathering is None or gathering.status != SubjectStatus.ACTIVE:
        return None
    items = [
        text_block(
            t(locale, "gathering.programme.title", title=escape_markdown(gathering.title)),
            weight="Bolder",
            size="Medium",
        )
    ]
    if gathering.programme_text:
        items.append(text_block(escape_markdown(gathering.programme_text)))
    url = programme_url(sending, gathering)
    actions = (
        [{"type": "Action.OpenUrl", "title": t(locale, "gathering.programme.pdf"), "url": url}]
        if url
        else []
    )
    return Message(card=card(items, actions or None))


async def programme_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    """The programme by e-mail: its text, the PDF attached."""
    gathering = await session.get(Gathering, args.get("gathering_id"))
    if gathering is None or gathering.status != SubjectStatus.ACTIVE:
        return None
    locale = recipient.locale
    attachments = (
        (
            MailAttachment(
                f"programme-{gathering.id}.pdf", "application/pdf", gathering.programme_pdf
            ),
        )
        if gathering.programme_pdf
        else ()
    )
    mail = participant_mail(
        locale,
        desk_name=await sending.desk_name(session, gathering.desk_id, locale),
        subject=t(locale, "gathering.programme.subject"),
        greeting=greeting(locale, recipient.name),
        intro="\n\n".join(
            part
            for part in (
                t(locale, "gathering.programme.title", title=gathering.title),
                gathering.programme_text,
            )
            if part
        ),
    )
    return Mail(subject=mail.subject, text=mail.text, html=mail.html, attachments=attachments)


router.notify(
    Notification(Render.SEAT_OFFER, teams=seat_offer_in_teams),
    Notification(Render.PROGRAMME, teams=programme_in_teams, mail=programme_by_mail),
)
