"""After the day: one who came is asked how it was (`GATHERING_EVALUATION`),
in Teams on a card (`evaluate_gathering`: `rating` 1–5 and `comment`) or by
e-mail with a link to `/ge/<token>`, a page with the same two questions.
Answered again, the last answer counts."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.messages import InvokeAnswer, Mail, Message, Recipient, card_answer, error_answer
from bot.framework.notifications import Notification, Sending
from bot.framework.ports import Turn, positive_id
from bot.framework.router import Router
from bot.out.links import Links
from bot.out.pages import PageShown, error_page, html_page, page_locale, posted_form, read_link
from bot.out.person_links import participant_mail
from dialogs.cards.attendance import gathering_evaluation_card
from dialogs.i18n import t
from dialogs.refusals import refusal_text
from dialogs.rendering import greeting
from storage import reminders as store
from storage.db.models import Contact, Gathering, Registration
from storage.domain.refusal import Refused
from storage.outbox import Render
from storage.reminders import gathering_evaluations
from storage.reminders.gathering_evaluations import COMMENT_MAX, ended_at

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()

EVALUATION_LINK = "gathering_eval"
# The link works this long after the gathering's end.
LINK_DAYS = 30
MAX_FORM_BYTES = 8_000


async def _registration(
    session: AsyncSession, registration_id: Any
) -> tuple[Registration, Gathering] | None:
    registration = (
        await session.get(Registration, registration_id)
        if isinstance(registration_id, int)
        else None
    )
    if registration is None or registration.attended_at is None:
        return None
    return registration, await session.get_one(Gathering, registration.gathering_id)


async def evaluation_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    found = await _registration(session, args.get("registration_id"))
    if found is None:
        return None
    registration, gathering = found
    return Message(
        card=gathering_evaluation_card(
            locale, gathering.title, registration.id, registration.rating, registration.comment
        )
    )


def evaluation_url(links: Links, gathering: Gathering, registration: Registration) -> str:
    token = links.token(
        EVALUATION_LINK,
        {"r": registration.id, "c": registration.contact_id},
        expires=ended_at(gathering) + timedelta(days=LINK_DAYS),
    )
    return f"{links.base_url.rstrip('/')}/ge/{token}"


async def evaluation_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    found = await _registration(session, args.get("registration_id"))
    if found is None:
        return None
    registration, gathering = found
    locale = recipient.locale
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, gathering.desk_id, locale),
        subject=t(locale, "gathering.evaluation.subject"),
        greeting=greeting(locale, recipient.name),
        intro=t(locale, "gathering.evaluation.intro", title=gathering.title),
        url=evaluation_url(await sending.links.get(), gathering, registration),
        button=t(locale, "gathering.evaluation.open"),
    )


@router.verb("evaluate_gathering")
async def evaluate_gathering(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    locale = turn.locale
    registration_id = positive_id(data, "registration_id")
    if registration_id is None:
        return error_answer("bad_data", t(locale, "error.bad_card_data"))
    async with services.db.transaction() as session:
        contact = await store.find_contact(session, turn.person.key)
        found = await _registration(session, registration_id)
        if contact is None or found is None or found[0].contact_id != contact.id:
            return error_answer("not_yours", t(locale, "gathering.error.not_yours"), 403)
        registration, gathering = found
        try:
            async with session.begin_nested():
                await gathering_evaluations.answer(
                    session, registration_id, contact, data, now=services.clock.now()
                )
        except Refused as refused:
            return card_answer(
                gathering_evaluation_card(
                    locale,
                    gathering.title,
                    registration.id,
                    registration.rating,
                    registration.comment,
                    error=refusal_text(locale, refused),
                )
            )
        return card_answer(
            gathering_evaluation_card(
                locale,
                gathering.title,
                registration.id,
                registration.rating,
                registration.comment,
                notice=t(locale, "gathering.evaluation.thanks"),
            )
        )


async def _opened(
    request: web.Request, services: Services
) -> tuple[Links, str, Registration, Gathering, Contact]:
    token = request.match_info["token"]
    locale = page_locale(request)
    links = await services.links.get()
    payload = read_link(links, EVALUATION_LINK, token, locale, now=services.clock.now().timestamp())
    async with services.db.reading() as session:
        found = await _registration(session, payload.get("r"))
        contact = await session.get(Contact, payload.get("c"))
    if found is None or contact is None or found[0].contact_id != contact.id:
        raise PageShown(error_page(locale, "page.bad_link", 404))
    return links, token, found[0], found[1], contact


def _page(
    services: Services,
    links: Links,
    token: str,
    registration: Registration,
    gathering: Gathering,
    contact: Contact,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> web.Response:
    locale = contact.locale
    return html_page(
        "gathering_evaluation.html",
        locale,
        status=status,
        title=t(locale, "gathering.evaluation.title", title=gathering.title),
        message=message,
        error=error,
        rating=registration.rating,
        comment=registration.comment or "",
        comment_max=COMMENT_MAX,
        action=f"/ge/{token}",
        form_token=links.form_token(token, now=services.clock.now()),
    )


@router.get("/ge/{token}")
async def evaluation_page(request: web.Request, services: Services) -> web.Response:
    return _page(services, *await _opened(request, services))


@router.post("/ge/{token}")
async def evaluation_posted(request: web.Request, services: Services) -> web.Response:
    links, token, registration, gathering, contact = await _opened(request, services)
    form = await posted_form(request, max_bytes=MAX_FORM_BYTES)
    now = services.clock.now()
    if not links.form_matches(token, form.get("form"), now=now.timestamp()):
        return error_page(contact.locale, "page.stale_form", 400)
    try:
        async with services.db.transaction() as session:
            person = await session.get_one(Contact, contact.id)
            registration = await gathering_evaluations.answer(
                session, registration.id, person, dict(form), now=now
            )
    except Refused as refused:
        error = refusal_text(contact.locale, refused, markdown=False)
        return _page(
            services, links, token, registration, gathering, contact, error=error, status=400
        )
    return _page(
        services,
        links,
        token,
        registration,
        gathering,
        contact,
        message=t(contact.locale, "gathering.evaluation.thanks"),
    )


router.notify(
    Notification(Render.GATHERING_EVALUATION, teams=evaluation_in_teams, mail=evaluation_by_mail)
)
