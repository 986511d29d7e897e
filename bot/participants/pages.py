"""A participant's own pages, opened from a link in an e-mail or a Teams card.

`/p/<token>`: the consent (yes / no) while they are `pending`; afterwards their
data, to see, correct, pause or withdraw. `/p/<token>/i/<invitation id>`: an
invitation to answer. Links are signed, expire, and name one person (with a
nonce an erasure changes); every form carries a proof bound to the link, so a
page of another site cannot post it. No JavaScript is needed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web
from multidict import MultiDictProxy

from bot.links import PERSON, BadLink, ExpiredLink, Links
from bot.mail import forget_mail, mail_folder
from bot.pages import error_page, html_page, page_locale
from bot.participants.documents import sign as sign_documents
from bot.participants.pool import field_error_text
from bot.participants.views import invitation_view, person_url
from bot.router import Router
from dialogs.cards.participants import area_label, labels
from dialogs.i18n import t
from dialogs.rendering import greeting
from storage import invitations
from storage import participants as pool
from storage.invitations import InvitationRefused, InvitationStatus
from storage.models import Participant, Request
from storage.moves import MoveRefused
from storage.participants import ParticipantFieldError, ParticipantRefused, ParticipantStatus

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()

MAX_FORM_BYTES = 16_000


async def read_link(
    request: web.Request, services: Services
) -> tuple[Links, str, dict[str, Any]] | web.Response:
    token = request.match_info["token"]
    locale = page_locale(request)
    links = await services.links.get()
    try:
        payload = links.read(PERSON, token, now=services.clock.now().timestamp())
    except ExpiredLink:
        return error_page(locale, "page.expired_link", 410)
    except BadLink:
        return error_page(locale, "page.bad_link", 404)
    return links, token, payload


async def read_form(
    request: web.Request, links: Links, token: str, services: Services
) -> MultiDictProxy[Any] | web.Response:
    if request.content_length is not None and request.content_length > MAX_FORM_BYTES:
        return error_page(page_locale(request), "page.stale_form", 413)
    try:
        form = await request.post()
    except ValueError:
        return error_page(page_locale(request), "page.stale_form", 400)
    if not links.form_matches(token, form.get("form"), now=services.clock.now().timestamp()):
        return error_page(page_locale(request), "page.stale_form", 400)
    return form


def _facts(locale: str, p: Participant, services: Services) -> list[tuple[str, str]]:
    none = t(locale, "order.none")
    return [
        (t(locale, "participant.field.name"), p.name or none),
        (t(locale, "participant.field.email"), p.email or none),
        (t(locale, "participant.field.phone"), p.phone or none),
        (t(locale, "participant.field.roles"), labels(locale, "role", p.roles or ()) or none),
        (t(locale, "participant.field.areas"), labels(locale, "area", p.areas or ()) or none),
        (t(locale, "participant.field.organisation"), p.organisation or none),
        (t(locale, "participant.field.municipality"), p.municipality or none),
        (t(locale, "participant.field.formats"), labels(locale, "format", p.formats or ()) or none),
        (
            t(locale, "participant.field.languages"),
            labels(locale, "language", p.languages or ()) or none,
        ),
        (t(locale, "participant.field.availability"), p.availability or none),
        (t(locale, "participant.field.status"), t(locale, f"pstatus.{p.status}")),
        (
            t(locale, "participant.field.consent"),
            p.consent_at.astimezone(services.settings.zone).strftime("%d.%m.%Y")
            if p.consent_at
            else none,
        ),
    ]


def _person_page(
    links: Links,
    token: str,
    services: Services,
    request: web.Request,
    p: Participant,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> web.Response:
    locale = p.locale
    if p.status == ParticipantStatus.PENDING:
        return html_page(
            "person_consent.html",
            locale,
            status=status,
            title=t(locale, "consent.subject"),
            greeting=greeting(locale, p.name),
            version=pool.CONSENT_VERSION,
            retention_months=_months(services),
            action=request.path,
            form_token=links.form_token(token, now=services.clock.now()),
        )
    fields = [
        {
            "name": "name",
            "label": t(locale, "participant.field.name"),
            "type": "text",
            "value": p.name or "",
            "max": 120,
            "autocomplete": "name",
        },
        {
            "name": "email",
            "label": t(locale, "participant.field.email"),
            "type": "email",
            "value": p.email or "",
            "max": 320,
            "autocomplete": "email",
        },
        {
            "name": "phone",
            "label": t(locale, "participant.field.phone"),
            "type": "tel",
            "value": p.phone or "",
            "max": 40,
            "autocomplete": "tel",
        },
        {
            "name": "municipality",
            "label": t(locale, "participant.field.municipality"),
            "type": "text",
            "value": p.municipality or "",
            "max": 60,
            "autocomplete": None,
        },
        {
            "name": "availability",
            "label": t(locale, "participant.field.availability"),
            "type": "text",
            "value": p.availability or "",
            "max": 200,
            "autocomplete": None,
        },
    ]
    choices = [
        {
            "name": "formats",
            "label": t(locale, "participant.field.formats"),
            "options": [
                (c, t(locale, f"format.{c}"), c in (p.formats or ())) for c in pool.FORMATS
            ],
        },
        {
            "name": "languages",
            "label": t(locale, "participant.field.languages"),
            "options": [
                (c, t(locale, f"language.{c}"), c in (p.languages or ())) for c in pool.LANGUAGES
            ],
        },
    ]
    return html_page(
        "person_page.html",
        locale,
        status=status,
        title=t(locale, "person.title"),
        message=message,
        error=error,
        facts=_facts(locale, p, services),
        fields=fields,
        choices=choices,
        paused=p.status == ParticipantStatus.PAUSED,
        stay_asked=p.retention_asked_at is not None,
        action=request.path,
        form_token=links.form_token(token, now=services.clock.now()),
    )


def _months(services: Services) -> int:
    from storage.privacy import parse_age

    return max(1, parse_age(services.settings.participant_retention).days // 30)


@router.get("/p/{token}")
async def person_page(request: web.Request, services: Services) -> web.Response:
    read = await read_link(request, services)
    if isinstance(read, web.Response):
        return read
    links, token, payload = read
    async with services.db.reading() as session:
        participant = await pool.by_link(session, payload.get("p"), payload.get("n"))
    if participant is None:
        return error_page(page_locale(request), "page.bad_link", 404)
    return _person_page(links, token, services, request, participant)


@router.post("/p/{token}")
async def person_answer(request: web.Request, services: Services) -> web.Response:
    read = await read_link(request, services)
    if isinstance(read, web.Response):
        return read
    links, token, payload = read
    form = await read_form(request, links, token, services)
    if isinstance(form, web.Response):
        return form
    answer = form.get("answer")
    now = services.clock.now()
    via = payload.get("v") if payload.get("v") in ("teams", "email") else "page"
    async with services.db.transaction() as session:
        participant = await pool.by_link(session, payload.get("p"), payload.get("n"))
        if participant is None:
            return error_page(page_locale(request), "page.bad_link", 404)
        locale = participant.locale
        pending = participant.status == ParticipantStatus.PENDING
        if pending and answer == "yes":
            await pool.consent(session, participant, channel=str(via), now=now)
            log.info("participant %s consented (%s)", participant.id, via)
            said = "consent.thanks"
        elif (pending and answer == "no") or answer == "withdraw":
            address = participant.email
            payroll = services.settings.payroll_email
            if pending:
                refresh = await pool.erase(session, participant, now=now, payroll_email=payroll)
                key = "consent.erased"
            else:
                refresh = await pool.withdraw(session, participant, now=now, payroll_email=payroll)
                key = "person.withdrawn"
            await invitations.refresh_requests(session, refresh, now=now)
            await forget_mail(
                mail_folder(services.settings.smtp_url, services.settings.mail_dir), [address]
            )
            log.info("participant %s erased (%s)", payload.get("p"), answer)
            return html_page(
                "page_message.html", locale, title=t(locale, "page.done"), message=t(locale, key)
            )
        elif not pending and answer in ("pause", "resume"):
            try:
                await pool.set_paused(session, participant, answer == "pause", now=now)
            except ParticipantRefused:
                return error_page(locale, "page.stale_form", 409)
            said = "person.paused" if answer == "pause" else "person.resumed"
        elif not pending and answer == "stay":
            participant.retention_asked_at = None
            participant.last_active_at = participant.updated_at = now
            said = "person.stayed"
        elif not pending and answer == "update":
            raw = {
                name: form.get(name)
                for name in ("name", "email", "phone", "municipality", "availability")
            }
            raw["formats"] = form.getall("formats", [])
            raw["languages"] = form.getall("languages", [])
            try:
                values = pool.validate(raw, areas=services.settings.areas, only=pool.OWN_FIELDS)
                if not (values.get("email") or values.get("phone") or participant.aad_object_id):
                    raise ParticipantFieldError("email", "error.participant.no_way_to_reach", {})
            except ParticipantFieldError as error:
                return _person_page(
                    links,
                    token,
                    services,
                    request,
                    participant,
                    error=field_error_text(locale, error),
                    status=400,
                )
            try:
                await pool.correct(session, participant, values, now=now)
            except ParticipantRefused:
                return error_page(locale, "page.stale_form", 409)
            log.info("participant %s corrected their details", participant.id)
            said = "person.saved"
        else:
            return error_page(locale, "page.stale_form", 400)
    async with services.db.reading() as session:
        current = await session.get_one(Participant, participant.id)
    # In their language as it now is (they may just have changed it).
    return _person_page(links, token, services, request, current, message=t(current.locale, said))


def path_id(request: web.Request, name: str) -> int | None:
    """A database id in the page's path (`{name}`), or None if it is not one."""
    raw = request.match_info[name]
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


async def person_and_id(
    request: web.Request, services: Services, name: str
) -> tuple[Links, str, Participant, int] | web.Response:
    """The link's person and the id in the path of one of their pages (a
    claim, an evaluation), or the error page."""
    read = await read_link(request, services)
    if isinstance(read, web.Response):
        return read
    links, token, payload = read
    found_id = path_id(request, name)
    async with services.db.reading() as session:
        participant = await pool.by_link(session, payload.get("p"), payload.get("n"))
    if participant is None or found_id is None:
        return error_page(page_locale(request), "page.bad_link", 404)
    return links, token, participant, found_id


async def _invitation_page(
    links: Links,
    token: str,
    services: Services,
    request: web.Request,
    participant: Participant,
    invitation_id: int,
    *,
    message: str | None = None,
    status: int = 200,
) -> web.Response:
    async with services.db.reading() as session:
        invitation = await invitations.invitation_of(session, invitation_id, participant.id)
        found = await session.get(Request, invitation.request_id) if invitation else None
    if invitation is None or found is None:
        return error_page(participant.locale, "participant.error.bad_invitation", 404)
    locale = participant.locale
    view = invitation_view(services, locale, invitation, found)
    open_ = (
        invitation.status == InvitationStatus.INVITED
        and services.clock.now() < invitation.expires_at
    )
    accepted = invitation.status == InvitationStatus.ACCEPTED
    signed = bool(invitation.agreement_signed_at and invitation.confidentiality_signed_at)
    sign = accepted and not signed and found.status == "matched"
    if message is None and not open_ and not sign and not (accepted and signed):
        if invitation.status == InvitationStatus.INVITED:
            key = "participant.error.invitation_expired"
        elif invitation.status == InvitationStatus.WITHDRAWN and found.status in (
            "declined",
            "cancelled",
        ):
            key = "participant.error.no_longer_needed"
        else:
            key = f"participant.error.invitation_{invitation.status}"
        message = t(locale, key)
    return html_page(
        "invitation_page.html",
        locale,
        status=status,
        title=t(locale, "invitation.subject", title=view.title),
        message=message,
        greeting=greeting(locale, participant.name),
        intro=t(locale, "invitation.intro", expires=view.expires),
        facts=view.facts,
        description_label=t(locale, "field.description"),
        description=view.description,
        fee_url=view.fee_url,
        open=open_,
        sign=sign,
        signed=accepted and signed,
        title_only=view.title,
        agreement_url=services.settings.agreement_url,
        confidentiality_url=services.settings.confidentiality_url,
        action=request.path,
        form_token=links.form_token(token, now=services.clock.now()),
        person_url=request.path.rsplit("/i/", 1)[0],
    )


@router.get("/p/{token}/i/{invitation_id}")
async def invitation_page(request: web.Request, services: Services) -> web.Response:
    read = await read_link(request, services)
    if isinstance(read, web.Response):
        return read
    links, token, payload = read
    invitation_id = path_id(request, "invitation_id")
    async with services.db.reading() as session:
        participant = await pool.by_link(session, payload.get("p"), payload.get("n"))
    if participant is None or invitation_id is None:
        return error_page(page_locale(request), "page.bad_link", 404)
    return await _invitation_page(links, token, services, request, participant, invitation_id)


@router.post("/p/{token}/i/{invitation_id}")
async def invitation_answer(request: web.Request, services: Services) -> web.Response:
    read = await read_link(request, services)
    if isinstance(read, web.Response):
        return read
    links, token, payload = read
    invitation_id = path_id(request, "invitation_id")
    form = await read_form(request, links, token, services)
    if isinstance(form, web.Response):
        return form
    answer = form.get("answer")
    async with services.db.reading() as session:
        participant = await pool.by_link(session, payload.get("p"), payload.get("n"))
        invitation = (
            await invitations.invitation_of(session, invitation_id, participant.id)
            if participant is not None
            else None
        )
    if participant is None or invitation is None:
        return error_page(page_locale(request), "page.bad_link", 404)
    locale = participant.locale
    if answer == "signed":
        ok, message = await sign_documents(
            services, invitation.request_id, participant.id, via="page", locale=locale
        )
        return await _invitation_page(
            links,
            token,
            services,
            request,
            participant,
            invitation.id,
            message=message,
            status=200 if ok else 409,
        )
    if answer not in ("yes", "no"):
        return error_page(locale, "page.stale_form", 400)
    accept = answer == "yes"
    async with services.moves_in_flight.hold(invitation.request_id):
        async with services.db.transaction() as session:
            try:
                answered = await invitations.answer(
                    session,
                    invitation.id,
                    participant.id,
                    accept=accept,
                    via="page",
                    now=services.clock.now(),
                )
            except (InvitationRefused, MoveRefused) as refused:
                log.info("invitation %s: answer refused (%s)", invitation.id, refused.code)
                message, status = t(locale, refused.code), 409
            else:
                log.info(
                    "invitation %s answered on its page (matched: %s)",
                    invitation.id,
                    answered.matched,
                )
                message = t(locale, "invitation.accepted" if accept else "invitation.declined")
                status = 200
    return await _invitation_page(
        links,
        token,
        services,
        request,
        participant,
        invitation.id,
        message=message,
        status=status,
    )


__all__ = ["area_label", "person_url"]
