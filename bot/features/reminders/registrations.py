"""Registering on a gathering's card: `register` (with the gathering's
questions' inputs), `cancel_registration`, and a freed seat's `accept_seat` /
`decline_seat`; the card answers with the registration as it then stands.
The seat offered to the first waiting goes to them as a card (`SEAT_OFFER`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web
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
from bot.out.links import Links
from bot.out.pages import PageShown, error_page, html_page, page_locale, posted_form, read_link
from bot.out.person_links import participant_mail
from dialogs.cards import card, escape_markdown, text_block
from dialogs.cards.reminders import gathering_facts, local_time
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
        contact_id = contact.id
    # The card is drawn after the commit: the gathering's row (which every
    # seat's move locks) is held for the move alone, not for the drawing.
    async with services.db.reading() as session:
        gathering = await session.get_one(Gathering, gathering_id)
        contact = await session.get_one(Contact, contact_id)
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


# -- the page an e-mail's link opens ------------------------------------------------------------

GATHERING_LINK = "gathering"  # /g/<token>: one contact's registration for one gathering
MAX_FORM_BYTES = 8_000
PAGE_MOVES = {"register": "register", "cancel": "cancel", "accept": "accept", "decline": "decline"}


def gathering_link(links: Links, gathering: Gathering, contact_id: int) -> str:
    """The page where this contact registers for the gathering (until it starts)."""
    token = links.token(
        GATHERING_LINK, {"g": gathering.id, "c": contact_id}, expires=gathering.starts_at
    )
    return f"{links.base_url.rstrip('/')}/g/{token}"


async def _opened(
    request: web.Request, services: Services
) -> tuple[Links, str, Gathering, Contact]:
    token = request.match_info["token"]
    locale = page_locale(request)
    links = await services.links.get()
    payload = read_link(links, GATHERING_LINK, token, locale, now=services.clock.now().timestamp())
    async with services.db.reading() as session:
        gathering = await session.get(Gathering, payload.get("g"))
        contact = await session.get(Contact, payload.get("c"))
    if gathering is None or contact is None or not gathering.registers:
        raise PageShown(error_page(locale, "page.bad_link", 404))
    if gathering.status != SubjectStatus.ACTIVE:
        raise PageShown(error_page(contact.locale, "gathering.is_cancelled", 410))
    return links, token, gathering, contact


async def _gathering_page(
    services: Services,
    links: Links,
    token: str,
    gathering: Gathering,
    contact: Contact,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> web.Response:
    locale = contact.locale
    zone = services.settings.zone
    async with services.db.reading() as session:
        seat = await seat_of(session, gathering, contact, services.clock.now())
        desk = await services.desks.name(gathering.desk_id, locale, session)
    assert seat is not None
    facts = gathering_facts(
        locale,
        starts_at=gathering.starts_at,
        place=gathering.place,
        register_by=gathering.register_by,
        zone=zone,
    )
    state = seat.status or ("closed" if seat.closed else "open")
    seat_text = {
        "registered": t(locale, "gathering.page.registered"),
        "waitlisted": t(locale, "gathering.seat.waitlisted", place=seat.place or 0),
        "offered": t(
            locale,
            "gathering.seat.offered",
            until=local_time(seat.offered_until, zone) if seat.offered_until else "",
        ),
        "closed": t(locale, "gathering.error.closed"),
    }.get(state)
    return html_page(
        "gathering_page.html",
        locale,
        status=status,
        title=gathering.title,
        message=message,
        error=error,
        facts=facts,
        state=state,
        seat_text=seat_text,
        door_code=seat.door_code if state == "registered" else None,
        meeting_url=seat.meeting_url,
        questions=list(seat.questions),
        action=f"/g/{token}",
        form_token=links.form_token(token, now=services.clock.now()),
        desk_name=desk,
    )


@router.get("/g/{token}")
async def gathering_page(request: web.Request, services: Services) -> web.Response:
    links, token, gathering, contact = await _opened(request, services)
    return await _gathering_page(services, links, token, gathering, contact)


@router.post("/g/{token}")
async def gathering_posted(request: web.Request, services: Services) -> web.Response:
    links, token, gathering, contact = await _opened(request, services)
    form = await posted_form(request, max_bytes=MAX_FORM_BYTES)
    now = services.clock.now()
    if not links.form_matches(token, form.get("form"), now=now.timestamp()):
        return error_page(contact.locale, "page.stale_form", 400)
    move = PAGE_MOVES.get(form.get("action", ""))
    if move is None:
        return error_page(contact.locale, "page.bad_form", 400)
    data: dict[str, Any] = {q: form.get(q) for q in (gathering.questions or ())}
    async with services.db.reading() as session:
        mine = await registrations.of_contact(session, gathering.id, contact.id)
    if mine is not None:
        data["registration_id"] = mine.id
    try:
        async with services.db.transaction() as session:
            fresh = await session.get_one(Gathering, gathering.id)
            person = await session.get_one(Contact, contact.id)
            said = await _do(session, fresh, person, data, move, now=now)
    except Refused as refused:
        log.info("gathering %s: %s refused on the page (%s)", gathering.id, move, refused.key)
        return await _gathering_page(
            services, links, token, gathering, contact,
            error=refusal_text(contact.locale, refused, markdown=False), status=400,
        )  # fmt: skip
    if move == "register" and said is None:
        said = t(contact.locale, "gathering.page.registered_now")
    return await _gathering_page(services, links, token, gathering, contact, message=said)


async def seat_offer_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    """The freed seat by e-mail: the kind in the subject, the answer on the page."""
    registration = await session.get(Registration, args.get("registration_id"))
    if registration is None or registration.status != "offered":
        return None
    gathering = await session.get(Gathering, registration.gathering_id)
    if gathering is None:
        return None
    locale = recipient.locale
    links = await sending.links.get()
    until = (
        local_time(registration.offered_until, sending.settings.zone)
        if registration.offered_until
        else ""
    )
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, gathering.desk_id, locale),
        subject=t(locale, "gathering.seat.offer_subject"),
        greeting=greeting(locale, recipient.name),
        intro=t(locale, "gathering.seat.offered", until=until),
        url=gathering_link(links, gathering, registration.contact_id),
        button=t(locale, "gathering.seat.accept"),
    )


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
    # By SMS: the programme's PDF, or the person's registration page.
    links = await sending.links.get()
    contact_id = args.get("contact_id")
    link = programme_url(sending, gathering) or (
        gathering_link(links, gathering, contact_id) if isinstance(contact_id, int) else None
    )
    return Mail(
        subject=mail.subject, text=mail.text, html=mail.html, attachments=attachments, link=link
    )


router.notify(
    Notification(Render.SEAT_OFFER, teams=seat_offer_in_teams, mail=seat_offer_by_mail),
    Notification(Render.PROGRAMME, teams=programme_in_teams, mail=programme_by_mail),
)
