"""The web order form for people outside the hospital's tenant (SPEC
"Ordering from outside the hospital"): `/order` asks for an e-mail address,
a signed link that lasts an hour is mailed, `/order/<token>` is the request's
form (the same field table and rules as the chat's, in `storage.domain.fields`)
with the organisation after it, then a summary with "Edit" per field, then
"Send" and the receipt. `/order/<token>/mine` lists the address's requests.

Server-rendered, no JavaScript. Nothing of a half-filled form is kept on the
server: each page carries what was typed. A form is sent once (the link's
nonce is the request's submission key), and a page's form proof ties each
post to the link it was opened with. An identity number is refused in any
field and never shown back.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web
from multidict import MultiDictProxy
from sqlalchemy.ext.asyncio import AsyncSession

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
from bot.out.person_links import commissioner_mail
from dialogs.cards.order import choice_label
from dialogs.i18n import LOCALES, t
from dialogs.refusals import refusal_text
from storage import commissioners, orders
from storage.db.models import Desk, Request
from storage.domain.fields import FIELDS, Kind, validate
from storage.domain.refusal import Refused
from storage.outbox import Render
from storage.pool import normalise_email

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()

ORDER = "order"  # /order/<token>: the form, for the address the link was mailed to
ORDER_MINE = "order-mine"  # /order/<token>/mine: that address's requests
MAX_FORM_BYTES = 32_000
START_PROOF = "order:start"

# The request's fields as the web asks them: the chat's, but the unit is the
# commissioner's own (`unit_other`) and there is no hospital cost centre.
REQUEST_FIELDS = tuple(f for f in FIELDS if f.name != "cost_centre")
ORG_FIELDS = ("org_name", "org_number", "invoice_email", "invoice_address", "buyer_reference")
INPUT_OF = {"unit": "unit_other"}
MAX_LENGTH = {
    "name": commissioners.NAME_MAX,
    "org_name": commissioners.ORG_NAME_MAX,
    "org_number": 40,
    "invoice_email": 320,
    "invoice_address": commissioners.ADDRESS_MAX,
    "buyer_reference": commissioners.REFERENCE_MAX,
}


def _locale(request: web.Request, fallback: str | None = None) -> str:
    asked = request.query.get("lang")
    if asked in LOCALES:
        return asked
    return fallback if fallback in LOCALES else page_locale(request)


async def _links(services: Services) -> Links:
    return await services.links.get()


# -- step 1: the address ---------------------------------------------------------------------


async def _desks(services: Services) -> list[Desk]:
    async with services.db.reading() as session:
        return await orders.outside_desks(session)


def _start_page(
    request: web.Request,
    services: Services,
    links: Links,
    locale: str,
    desks: list[Desk],
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    return html_page(
        "order_start.html",
        locale,
        status=status,
        title=t(locale, "weborder.title"),
        action=f"/order?lang={locale}",
        form_token=links.form_token(START_PROOF, now=services.clock.now()),
        desks=[(d.code, d.name(locale)) for d in desks] if len(desks) > 1 else [],
        values=values or {},
        errors=errors or {},
        desk_name=desks[0].name(locale) if len(desks) == 1 else None,
    )


@router.get("/order")
async def start(request: web.Request, services: Services) -> web.Response:
    locale = _locale(request)
    desks = await _desks(services)
    if not desks:
        return error_page(locale, "weborder.no_desk", 404)
    return _start_page(request, services, await _links(services), locale, desks)


@router.post("/order")
async def ask(request: web.Request, services: Services) -> web.Response:
    locale = _locale(request)
    links = await _links(services)
    form = await posted_form(request, max_bytes=4_000)
    now = services.clock.now()
    if not links.form_matches(START_PROOF, form.get("form"), now=now.timestamp()):
        return error_page(locale, "page.stale_form", 400)
    desks = await _desks(services)
    if not desks:
        return error_page(locale, "weborder.no_desk", 404)
    values = {"email": form.get("email", "")[:320]}
    errors: dict[str, str] = {}
    try:
        address = normalise_email(form.get("email"))
    except Refused as refused:
        address = None
        if refused.key == "error.identity_number":
            values["email"] = ""
            errors["email"] = t(locale, refused.key)
    if address is None and "email" not in errors:
        errors["email"] = t(locale, "weborder.error.email")
    desk = (
        desks[0]
        if len(desks) == 1
        else next((d for d in desks if d.code == form.get("desk")), None)
    )
    if desk is None:
        errors["desk"] = t(locale, "weborder.error.desk")
    if errors or address is None or desk is None:
        return _start_page(
            request, services, links, locale, desks, values=values, errors=errors, status=400
        )
    keys = orders.attempt_keys(
        services.settings.secret_key or "medvirk", ip=client_ip(request), address=address
    )
    purpose = ORDER_MINE if form.get("want") == "mine" else ORDER
    async with services.db.transaction() as session:
        allowed = await orders.within_rate(
            session, keys, limit=services.settings.order_rate, now=now
        )
        if allowed:
            await orders.ask_link(session, address, desk.id, locale, purpose, now=now)
    if not allowed:
        log.info("web order: rate reached")
        return too_many_page(locale)
    return html_page(
        "page_message.html",
        locale,
        title=t(locale, "weborder.sent_title"),
        message=t(locale, "weborder.sent"),
        desk_name=desk.name(locale),
    )


# -- the link -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderLink:
    token: str
    address: str
    desk: Desk
    locale: str
    nonce: str


async def _open(request: web.Request, services: Services, purpose: str) -> tuple[Links, OrderLink]:
    token = request.match_info["token"]
    locale = _locale(request)
    links = await _links(services)
    payload = read_link(links, purpose, token, locale, now=services.clock.now().timestamp())
    address, desk_id = payload.get("e"), payload.get("d")
    async with services.db.reading() as session:
        desk = await session.get(Desk, desk_id) if isinstance(desk_id, int) else None
    if not isinstance(address, str) or desk is None or not desk.outside_orders:
        raise PageShown(error_page(locale, "page.bad_link", 404))
    chosen = _locale(request, payload.get("l"))
    return links, OrderLink(token, address, desk, chosen, str(payload.get("n", "")))


# -- step 2: the form, the summary, the receipt -------------------------------------------------


@dataclass
class Checked:
    """What was typed (as typed, but for values refused for an identity number),
    the typed answers, the organisation, and the errors by input name."""

    typed: dict[str, str]
    answers: dict[str, Any]
    org: commissioners.Organisation | None
    errors: dict[str, str]


def _typed(form: MultiDictProxy[str]) -> dict[str, str]:
    names = [INPUT_OF.get(f.name, f.name) for f in REQUEST_FIELDS] + ["name", *ORG_FIELDS]
    return {name: form.get(name, "")[:8_000] for name in names}


def check(typed: dict[str, str], locale: str, today: date) -> Checked:
    """Every field under the chat's rules (the request's), then the commissioner's."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in REQUEST_FIELDS:
        name = INPUT_OF.get(spec.name, spec.name)
        raw: Any = typed.get(name, "")
        if spec.kind is Kind.BOOLEAN:
            raw = raw == "true"
            raw = raw or None
        try:
            answers[spec.name] = validate(spec.name, raw, today=today, answers=answers)
        except Refused as refused:
            errors[name] = refusal_text(locale, refused, markdown=False)
            if refused.key == "error.identity_number":
                typed[name] = ""
    answers["cost_centre"] = None
    try:
        name_value = commissioners.text_field(
            typed.get("name"), "name", commissioners.NAME_MAX, required=True
        )
        typed["name"] = name_value or ""
    except Refused as refused:
        errors["name"] = refusal_text(locale, refused, markdown=False)
        if refused.key == "error.identity_number":
            typed["name"] = ""
    org = None
    try:
        org = commissioners.organisation(typed)
    except Refused as refused:
        field = refused.field or "org_name"
        errors[field] = refusal_text(locale, refused, markdown=False)
        if refused.key == "error.identity_number":
            typed[field] = ""
    return Checked(typed, answers, org, errors)


def _field_rows(locale: str, typed: dict[str, str], errors: dict[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for spec in REQUEST_FIELDS:
        name = INPUT_OF.get(spec.name, spec.name)
        label = (
            t(locale, f"order.q.{spec.name}")
            if name == spec.name
            else t(locale, f"weborder.field.{name}")
        )
        kind = {
            Kind.TEXT: "textarea" if spec.multiline else "text",
            Kind.CHOICE: "select",
            Kind.INTEGER: "number",
            Kind.DATE: "date",
            Kind.BOOLEAN: "checkbox",
        }[spec.kind]
        rows.append(
            {
                "name": name,
                "label": label,
                "kind": kind,
                "value": typed.get(name, ""),
                "error": errors.get(name),
                "required": spec.required,
                "max": spec.max_length or 40,
                "min": spec.minimum,
                "top": spec.maximum,
                "options": [(c, choice_label(locale, spec.name, c)) for c in spec.choices],
                "group": "request",
                "autocomplete": None,
            }
        )
    for name in ("name", *ORG_FIELDS):
        rows.append(
            {
                "name": name,
                "label": t(locale, f"weborder.field.{name}"),
                "kind": "textarea"
                if name == "invoice_address"
                else ("email" if name == "invoice_email" else "text"),
                "value": typed.get(name, ""),
                "error": errors.get(name),
                "required": name in ("name", "org_name"),
                "max": MAX_LENGTH[name],
                "min": None,
                "top": None,
                "options": [],
                "group": "org",
                "autocomplete": {"name": "name", "org_name": "organization"}.get(name),
            }
        )
    return rows


def _form_page(
    services: Services,
    links: Links,
    link: OrderLink,
    typed: dict[str, str],
    errors: dict[str, str],
    *,
    focus: str | None = None,
    status: int = 200,
) -> web.Response:
    locale = link.locale
    rows = _field_rows(locale, typed, errors)
    return html_page(
        "order_form.html",
        locale,
        status=status,
        title=t(locale, "weborder.title"),
        action=f"/order/{link.token}?lang={locale}",
        form_token=links.form_token(link.token, now=services.clock.now()),
        request_rows=[r for r in rows if r["group"] == "request"],
        org_rows=[r for r in rows if r["group"] == "org"],
        error_list=[(r["name"], r["label"], r["error"]) for r in rows if r["error"]],
        focus=focus,
        desk_name=link.desk.name(locale),
        fee_url=services.settings.fee_guideline_url,
    )


def _shown(locale: str, row: dict[str, Any]) -> str:
    value = row["value"]
    if not value:
        return t(locale, "order.none")
    if row["kind"] == "select":
        return dict(row["options"]).get(value, value)
    if row["kind"] == "checkbox":
        return t(locale, "order.yes" if value == "true" else "order.no")
    if row["kind"] == "date":
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return value


def _short_label(locale: str, name: str) -> str:
    """A field's name as the summary lists it (the form asks the question)."""
    if name in ("name", "unit_other", *ORG_FIELDS):
        return t(locale, f"weborder.field.{name}")
    return t(locale, f"field.{name}")


def _summary_page(
    services: Services, links: Links, link: OrderLink, checked: Checked
) -> web.Response:
    locale = link.locale
    typed = dict(checked.typed)
    # Dates as the rules read them (ISO), so the summary's hidden copy is exact.
    for spec in REQUEST_FIELDS:
        if spec.kind is Kind.DATE and checked.answers.get(spec.name):
            typed[spec.name] = checked.answers[spec.name]
    if checked.org is not None and checked.org.org_number:
        typed["org_number"] = checked.org.org_number
    rows = _field_rows(locale, typed, {})
    return html_page(
        "order_summary.html",
        locale,
        title=t(locale, "weborder.summary_title"),
        action=f"/order/{link.token}?lang={locale}",
        form_token=links.form_token(link.token, now=services.clock.now()),
        rows=[(r["name"], _short_label(locale, r["name"]), _shown(locale, r)) for r in rows],
        hidden=typed,
        desk_name=link.desk.name(locale),
    )


@router.get("/order/{token}")
async def form_page(request: web.Request, services: Services) -> web.Response:
    links, link = await _open(request, services, ORDER)
    return _form_page(services, links, link, {}, {})


@router.post("/order/{token}")
async def form_posted(request: web.Request, services: Services) -> web.Response:
    links, link = await _open(request, services, ORDER)
    form = await posted_form(request, max_bytes=MAX_FORM_BYTES)
    now = services.clock.now()
    if not links.form_matches(link.token, form.get("form"), now=now.timestamp()):
        return error_page(link.locale, "page.stale_form", 400)
    typed = _typed(form)
    edit = form.get("edit")
    if edit is not None:
        known = {r["name"] for r in _field_rows(link.locale, typed, {})}
        checked = check(typed, link.locale, now.astimezone(services.settings.zone).date())
        return _form_page(
            services, links, link, checked.typed, {}, focus=edit if edit in known else None
        )
    checked = check(typed, link.locale, now.astimezone(services.settings.zone).date())
    if checked.errors or checked.org is None:
        first = next(iter(checked.errors), None)
        return _form_page(
            services, links, link, checked.typed, checked.errors, focus=first, status=400
        )
    if form.get("action") != "send":
        return _summary_page(services, links, link, checked)
    async with services.db.transaction() as session:
        placed, new = await orders.place(
            session,
            desk_id=link.desk.id,
            email=link.address,
            locale=link.locale,
            name=checked.typed.get("name") or None,
            answers=checked.answers,
            org=checked.org,
            nonce=link.nonce,
            now=now,
        )
        reference = placed.reference
    if new:
        log.info("web order: %s received", reference)
    return _receipt_page(services, links, link, reference)


def _mine_url(links: Links, link: OrderLink, now: datetime) -> str:
    token = links.token(
        ORDER_MINE,
        {"e": link.address, "d": link.desk.id, "l": link.locale},
        expires=now + orders.LINK_LIFETIME,
    )
    return f"/order/{token}/mine?lang={link.locale}"


def _receipt_page(
    services: Services, links: Links, link: OrderLink, reference: str
) -> web.Response:
    locale = link.locale
    desk = link.desk.name(locale)
    return html_page(
        "order_receipt.html",
        locale,
        title=t(locale, "weborder.receipt_title"),
        message=t(locale, "weborder.receipt", reference=reference, desk=desk),
        reference=reference,
        mine_url=_mine_url(links, link, services.clock.now()),
        desk_name=desk,
    )


@router.get("/order/{token}/mine")
async def mine(request: web.Request, services: Services) -> web.Response:
    _, link = await _open(request, services, ORDER_MINE)
    locale = link.locale
    async with services.db.reading() as session:
        found = await orders.of_address(session, link.desk.id, link.address)
    return html_page(
        "order_mine.html",
        locale,
        title=t(locale, "weborder.mine_title"),
        requests=[
            (r.reference, r.title or "", t(locale, f"status.{r.status}"), r.created_at.date())
            for r in found
        ],
        new_url=f"/order?lang={locale}",
        desk_name=link.desk.name(locale),
    )


# -- e-mails ---------------------------------------------------------------------------------


async def link_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    """The link to the form (or to one's requests), lasting an hour from the asking."""
    desk = await session.get(Desk, args.get("desk_id"))
    asked_in = args.get("locale")
    locale = asked_in if isinstance(asked_in, str) and asked_in in LOCALES else "nb"
    if desk is None or not desk.outside_orders:
        return None
    asked = datetime.fromisoformat(str(args.get("at")))
    expires = asked + orders.LINK_LIFETIME
    if expires <= sending.clock.now():
        return None  # it could not be sent within its hour: they ask again
    links = await sending.links.get()
    mine = args.get("purpose") == ORDER_MINE
    payload = {"e": recipient.address, "d": desk.id, "l": locale}
    if not mine:
        payload["n"] = secrets.token_urlsafe(12)
    token = links.token(ORDER_MINE if mine else ORDER, payload, expires=expires)
    base = links.base_url.rstrip("/")
    url = f"{base}/order/{token}/mine" if mine else f"{base}/order/{token}"
    return commissioner_mail(
        locale,
        subject=t(locale, "weborder.mail.mine_subject" if mine else "weborder.mail.link_subject"),
        intro=t(locale, "weborder.mail.link_intro"),
        url=url,
        button=t(locale, "weborder.mine_link" if mine else "weborder.title"),
        desk=desk.name(locale),
    )


async def receipt_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    """The receipt: the reference, and nothing of what the request is about
    (a mailbox is no place for it): the list of their requests has it."""
    request = await session.get(Request, args.get("request_id"))
    if request is None:
        return None
    locale = request.requester_locale if request.requester_locale in LOCALES else "nb"
    desk = await sending.desk_name(session, request.desk_id, locale)
    return commissioner_mail(
        locale,
        subject=t(locale, "weborder.mail.receipt_subject"),
        intro=t(locale, "weborder.receipt", reference=request.reference, desk=desk or ""),
        url=None,
        button="",
        desk=desk,
    )


router.notify(
    Notification(Render.ORDER_LINK, mail=link_by_mail),
    Notification(Render.ORDER_RECEIPT, mail=receipt_by_mail),
)
