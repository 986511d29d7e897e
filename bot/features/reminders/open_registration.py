"""A gathering's open link (`gathering add --open`): `/g/open/<token>` asks a
name and an e-mail address, and mails that address its own registration page
(`/g/<token>`): registering there confirms the address is theirs. The page
answers the same whether the address was known or not, and counts posts per
address and per IP (`MEDVIRK_ORDER_RATE` an hour, as the web order form)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.reminders.registrations import gathering_link
from bot.framework.messages import Mail, Recipient
from bot.framework.notifications import Notification, Sending
from bot.framework.router import Router
from bot.out.links import Links
from bot.out.pages import (
    PageShown,
    client_ip,
    error_page,
    html_page,
    page_locale,
    posted_form,
    read_link,
    too_many_page,
)
from bot.out.person_links import participant_mail
from dialogs.cards.reminders import gathering_facts
from dialogs.i18n import t
from dialogs.refusals import refusal_text
from dialogs.rendering import greeting
from storage import orders
from storage.db.models import Gathering
from storage.domain.refusal import Refused
from storage.domain.reminders import SubjectStatus
from storage.outbox import Render
from storage.pool import normalise_email
from storage.reminders import open_registration
from storage.reminders.open_registration import KEPT_AFTER

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()

OPEN_LINK = "gathering_open"
MAX_FORM_BYTES = 4_000


def open_link(links: Links, gathering: Gathering) -> str:
    """The link a desk publishes: anyone may register with it until the
    deadline (the page says when it has passed; a reopened registration keeps
    the published link working)."""
    token = links.token(OPEN_LINK, {"g": gathering.id}, expires=gathering.starts_at)
    return f"{links.base_url.rstrip('/')}/g/open/{token}"


async def _opened(request: web.Request, services: Services) -> tuple[Links, str, Gathering]:
    token = request.match_info["token"]
    locale = page_locale(request)
    links = await services.links.get()
    payload = read_link(
        links,
        OPEN_LINK,
        token,
        locale,
        now=services.clock.now().timestamp(),
        expired="gathering.error.closed",
    )
    async with services.db.reading() as session:
        gathering = await session.get(Gathering, payload.get("g"))
    if gathering is None or not gathering.open_registration:
        raise PageShown(error_page(locale, "page.bad_link", 404))
    if gathering.status != SubjectStatus.ACTIVE:
        raise PageShown(error_page(locale, "gathering.is_cancelled", 410))
    return links, token, gathering


async def _page(
    services: Services,
    links: Links,
    token: str,
    gathering: Gathering,
    locale: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    async with services.db.reading() as session:
        desk = await services.desks.name(gathering.desk_id, locale, session)
    return html_page(
        "gathering_open.html",
        locale,
        status=status,
        title=gathering.title,
        facts=gathering_facts(
            locale,
            starts_at=gathering.starts_at,
            place=gathering.place,
            register_by=gathering.register_by,
            zone=services.settings.zone,
        ),
        kept_days=KEPT_AFTER.days,
        action=f"/g/open/{token}",
        form_token=links.form_token(token, now=services.clock.now()),
        values=values or {},
        errors=errors or {},
        desk_name=desk,
    )


@router.get("/g/open/{token}")
async def open_page(request: web.Request, services: Services) -> web.Response:
    links, token, gathering = await _opened(request, services)
    return await _page(services, links, token, gathering, page_locale(request))


@router.post("/g/open/{token}")
async def open_posted(request: web.Request, services: Services) -> web.Response:
    links, token, gathering = await _opened(request, services)
    locale = page_locale(request)
    form = await posted_form(request, max_bytes=MAX_FORM_BYTES)
    now = services.clock.now()
    if not links.form_matches(token, form.get("form"), now=now.timestamp()):
        return error_page(locale, "page.stale_form", 400)
    values = {"name": form.get("name", "")[:200], "email": form.get("email", "")[:320]}
    errors: dict[str, str] = {}
    address = None
    try:
        address = normalise_email(form.get("email"))
    except Refused as refused:
        if refused.key == "error.identity_number":
            values["email"] = ""
            errors["email"] = t(locale, refused.key)
    if address is None and "email" not in errors:
        errors["email"] = t(locale, "weborder.error.email")
    if errors or address is None:
        return await _page(
            services, links, token, gathering, locale, values=values, errors=errors, status=400
        )
    keys = orders.attempt_keys(
        services.settings.secret_key or "medvirk", ip=client_ip(request), address=address
    )
    try:
        async with services.db.transaction() as session:
            allowed = await orders.within_rate(
                session, keys, limit=services.settings.order_rate, now=now
            )
            if allowed:
                await open_registration.ask(
                    session,
                    gathering,
                    name=form.get("name"),
                    address=address,
                    locale=locale,
                    now=now,
                )
    except Refused as refused:
        if refused.field == "name" or refused.key == "error.identity_number":
            values["name"] = "" if refused.key == "error.identity_number" else values["name"]
            errors["name"] = refusal_text(locale, refused, markdown=False)
            return await _page(
                services, links, token, gathering, locale, values=values, errors=errors, status=400
            )
        return error_page(locale, refused.key, 409)
    if not allowed:
        log.info("gathering %s: open registration rate reached", gathering.id)
        return too_many_page(locale)
    return html_page(
        "page_message.html",
        locale,
        title=t(locale, "gathering.open.sent_title"),
        message=t(locale, "gathering.open.sent"),
    )


async def gathering_link_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    """The registration page's link, to the address that asked for it."""
    gathering = await session.get(Gathering, args.get("gathering_id"))
    contact_id = args.get("contact_id")
    if gathering is None or gathering.status != SubjectStatus.ACTIVE:
        return None
    if not isinstance(contact_id, int):
        return None
    locale = recipient.locale
    links = await sending.links.get()
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, gathering.desk_id, locale),
        subject=t(locale, "gathering.open.subject"),
        greeting=greeting(locale, recipient.name),
        intro=t(locale, "gathering.open.intro", title=gathering.title),
        url=gathering_link(links, gathering, contact_id),
        button=t(locale, "gathering.seat.register"),
    )


router.notify(Notification(Render.GATHERING_LINK, mail=gathering_link_by_mail))
