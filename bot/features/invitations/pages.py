"""A participant's own pages, opened from a link in an e-mail or a Teams card.

Every link serves one person, one purpose and one object (`bot.out.links`):
`/p/<token>` answers the consent request (a consent link), the question
whether to stay (a stay link), or shows their data to see, correct, pause or
withdraw (a link of its own, sent on request and working for an hour);
`/p/<token>/i/<invitation id>` answers that invitation, or says its documents
are signed; the claim's and the evaluation's pages live with them. Any of
these pages can ask for the link to one's data (`POST /p/<token>/link`): it
goes to the chat or address on file, never to one typed in. A link dies with
the nonce a new address or phone number, `revoke-links` or an erasure
changes; every form carries a proof bound to the link, so a page of another
site cannot post it. No JavaScript is needed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.invitations.documents import sign as sign_documents
from bot.features.invitations.sending import link_card
from bot.framework.messages import Mail, Message, Recipient
from bot.framework.notifications import Notification, Sending
from bot.framework.router import Router
from bot.out.links import (
    CONSENT,
    DOCUMENTS,
    INVITATION,
    OWN_DATA,
    PERSON_PURPOSES,
    STAY,
)
from bot.out.mail import forget_mail, mail_folder
from bot.out.pages import error_page, html_page, page_locale
from bot.out.person_links import (
    OWN_DATA_LIFETIME,
    PersonLink,
    invitation_view,
    open_link,
    own_data_url,
    participant_mail,
    read_form,
)
from dialogs.cards.pool import field_error_text, labels
from dialogs.i18n import DEFAULT_LOCALE, LOCALES, t
from dialogs.refusals import refusal_text
from dialogs.rendering import greeting
from storage import desks, invitations, pool
from storage import sms as sms_store
from storage.db.models import Invitation, Participant, Request
from storage.domain.invitations import InvitationStatus
from storage.domain.participants import ParticipantStatus
from storage.domain.refusal import Refused
from storage.domain.requests import Status
from storage.invitations import Answerer
from storage.outbox import Render
from storage.privacy import erasure

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()


def _said(
    link: PersonLink, services: Services, locale: str, title: str, message: str
) -> web.Response:
    """A short page with what was done, and the way to the page with one's data."""
    return html_page(
        "page_message.html",
        locale,
        title=title,
        message=message,
        **link.page_context(services.clock.now()),
    )


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
    link: PersonLink,
    services: Services,
    p: Participant,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
    other_desks: tuple[tuple[str, str, bool], ...] = (),
) -> web.Response:
    locale = p.locale
    now = services.clock.now()
    if p.status == ParticipantStatus.PENDING:
        return html_page(
            "person_consent.html",
            locale,
            status=status,
            title=t(locale, "consent.subject"),
            greeting=greeting(locale, p.name),
            version=pool.CONSENT_VERSION,
            retention_months=_months(services),
            action=f"/p/{link.token}",
            **link.page_context(now),
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
    if p.phone:
        # How messages reach them: SMS before e-mail, and SMS on again after STOPP.
        sms_options = [("prefer", t(locale, "person.sms.prefer"), p.prefers_sms)]
        if p.sms_off:
            sms_options.append(("on", t(locale, "person.sms.on"), False))
        choices.append(
            {"name": "sms", "label": t(locale, "person.sms.label"), "options": sms_options}
        )
    if other_desks:
        choices.append(
            {
                "name": "desks",
                "label": t(locale, "person.other_desks"),
                "options": list(other_desks),
            }
        )
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
        action=f"/p/{link.token}",
        **link.page_context(now),
    )


def _months(services: Services) -> int:
    from storage.privacy import parse_age

    return max(1, parse_age(services.settings.participant_retention).days // 30)


# What `/p/<token>` serves, by the link's purpose.
_PERSON_PAGE_PURPOSES = (OWN_DATA, CONSENT, STAY)


@router.get("/p/{token}")
async def person_page(request: web.Request, services: Services) -> web.Response:
    link = await open_link(request, services, _PERSON_PAGE_PURPOSES)
    p = link.participant
    if link.purpose == CONSENT and p.status != ParticipantStatus.PENDING:
        return _said(
            link,
            services,
            p.locale,
            t(p.locale, "consent.subject"),
            t(p.locale, "links.consent_answered"),
        )
    if link.purpose == STAY:
        return _stay_page(link, services, p)
    async with services.db.reading() as session:
        shown = await _other_desks(session, p)
    return _person_page(link, services, p, other_desks=shown)


async def _other_desks(session: AsyncSession, p: Participant) -> tuple[tuple[str, str, bool], ...]:
    """The desks besides their own they may let ask them: (id, name, whether they do)."""
    # In the caller's session (a write transaction's, on an error): no second one.
    others = [d for d in await desks.every(session) if d.id != p.desk_id]
    if not others:
        return ()
    chosen = await pool.shared_with(session, p)
    return tuple((str(d.id), d.name(p.locale), d.id in chosen) for d in others)


def _stay_page(link: PersonLink, services: Services, p: Participant) -> web.Response:
    """The question whether to stay, while it is asked; nothing else of theirs."""
    locale = p.locale
    if p.retention_asked_at is None:
        return _said(link, services, locale, t(locale, "stay.subject"), t(locale, "person.stayed"))
    return html_page(
        "page_confirm.html",
        locale,
        title=t(locale, "stay.subject"),
        question=t(locale, "stay.intro", days=pool.STAY_ANSWER_DAYS),
        button=t(locale, "person.stay"),
        answer="stay",
        action=f"/p/{link.token}",
        **link.page_context(services.clock.now()),
    )


@router.post("/p/{token}")
async def person_answer(request: web.Request, services: Services) -> web.Response:
    link = await open_link(request, services, _PERSON_PAGE_PURPOSES)
    form = await read_form(request, link, services)
    answer = form.get("answer")
    # A consent link answers the consent, a stay link the question; only the
    # link to one's data does the rest.
    allowed = {
        CONSENT: ("yes", "no"),
        STAY: ("stay",),
        OWN_DATA: ("yes", "no", "withdraw", "pause", "resume", "stay", "update"),
    }[link.purpose]
    locale = link.participant.locale
    if answer not in allowed:
        return error_page(locale, "page.stale_form", 400)
    now = services.clock.now()
    payload = link.payload
    via = link.via
    new_link: PersonLink | None = None
    # Erased or withdrawn: the catalog key to say, and what their mail is found by.
    gone: tuple[str, list[str | None]] | None = None
    async with services.db.transaction() as session:
        participant = await pool.by_link(session, payload.get("p"), payload.get("n"))
        if participant is None:
            return error_page(page_locale(request), "page.bad_link", 404)
        locale = participant.locale
        pending = participant.status == ParticipantStatus.PENDING
        if link.purpose == CONSENT and not pending:
            said = "links.consent_answered"
        elif pending and answer == "yes":
            await pool.consent(session, participant, channel=str(via), now=now)
            log.info("participant %s consented (%s)", participant.id, via)
            said = "links.consent_thanks"
        elif (pending and answer == "no") or answer == "withdraw":
            address, phone = participant.email, participant.phone
            payroll = services.settings.payroll_email
            if pending:
                refresh = await erasure.erase(session, participant, now=now, payroll_email=payroll)
                key = "consent.erased"
            else:
                refresh = await erasure.withdraw(
                    session, participant, now=now, payroll_email=payroll
                )
                key = "person.withdrawn"
            await invitations.refresh_requests(session, refresh, now=now)
            gone = (key, [address, phone])
        elif not pending and answer in ("pause", "resume"):
            try:
                await pool.set_paused(session, participant, answer == "pause", now=now)
            except Refused:
                return error_page(locale, "page.stale_form", 409)
            said = "person.paused" if answer == "pause" else "person.resumed"
        elif not pending and answer == "stay":
            participant.retention_asked_at = None
            participant.last_active_at = participant.updated_at = now
            said = "person.stayed"
        elif not pending and answer == "update":
            raw: dict[str, Any] = {
                name: form.get(name)
                for name in ("name", "email", "phone", "municipality", "availability")
            }
            raw["formats"] = form.getall("formats", [])
            raw["languages"] = form.getall("languages", [])
            try:
                values = pool.validate(raw, areas=services.settings.areas, only=pool.OWN_FIELDS)
                if not (values.get("email") or values.get("phone") or participant.aad_object_id):
                    raise Refused("error.participant.no_way_to_reach", field="email")
            except Refused as error:
                return _person_page(
                    link,
                    services,
                    participant,
                    error=field_error_text(locale, error),
                    status=400,
                    other_desks=await _other_desks(session, participant),
                )
            said = "person.saved"
            sms = form.getall("sms", [])
            participant.prefers_sms = "prefer" in sms
            if "on" in sms:
                participant.sms_off = False
                if participant.phone:
                    key = sms_store.number_key(services.sms_secret(), participant.phone)
                    await sms_store.start_again(session, key)
            try:
                desk_ids = {int(d) for d in form.getall("desks", []) if str(d).isdigit()}
                await pool.share_with(session, participant, desk_ids, now=now)
                changed = await pool.correct(session, participant, values, now=now)
            except Refused:
                return error_page(locale, "page.stale_form", 409)
            if changed:
                # Every earlier link is dead now, this page's too: it goes on
                # under a new one, and the old address has been told.
                log.info(
                    "participant %s changed their contact details; links revoked", participant.id
                )
                said = "links.contact_changed"
                url = own_data_url(link.links, participant, via, now=now)
                token = urlsplit(url).path.rsplit("/", 1)[1]
                fresh = link.links.read(OWN_DATA, token, now=now.timestamp())
                new_link = PersonLink(
                    link.links, token, OWN_DATA, fresh, participant, link.desk_names
                )
            else:
                log.info("participant %s corrected their details", participant.id)
        else:
            return error_page(locale, "page.stale_form", 400)
    if gone is not None:
        # After the commit: the folder is scanned with no write lock held.
        key, needles = gone
        await forget_mail(
            mail_folder(services.settings.smtp_url, services.settings.mail_dir), needles
        )
        log.info("participant %s erased (%s)", payload.get("p"), answer)
        return html_page(
            "page_message.html", locale, title=t(locale, "page.done"), message=t(locale, key)
        )
    async with services.db.reading() as session:
        current = await session.get_one(Participant, participant.id)
        shown = await _other_desks(session, current)
    # In their language as it now is (they may just have changed it).
    if link.purpose != OWN_DATA:
        title = t(current.locale, "stay.subject" if link.purpose == STAY else "consent.subject")
        return _said(link, services, current.locale, title, t(current.locale, said))
    return _person_page(
        new_link or link,
        services,
        current,
        message=t(current.locale, said),
        other_desks=shown,
    )


@router.post("/p/{token}/link")
async def send_data_link(request: web.Request, services: Services) -> web.Response:
    """ "Send me a link to my data", from any of their pages: to the chat or
    address on file. The page says the same whether anything was sent or not."""
    link = await open_link(request, services, PERSON_PURPOSES)
    await read_form(request, link, services)  # a stale or foreign form: its page
    payload = link.payload
    async with services.db.transaction() as session:
        participant = await pool.by_link(session, payload.get("p"), payload.get("n"))
        if participant is not None:
            await pool.send_own_data_link(session, participant, now=services.clock.now())
    log.info("participant %s asked for the link to their data", payload.get("p"))
    locale = link.participant.locale
    minutes = int(OWN_DATA_LIFETIME.total_seconds() // 60)
    return html_page(
        "page_message.html",
        locale,
        title=t(locale, "links.data_link_title"),
        message=t(locale, "links.data_link_sent", minutes=minutes),
    )


# -- the messages: the link to one's data, and "your contact details changed" ------------------


async def _in_pool(session: AsyncSession, args: dict[str, Any]) -> Participant | None:
    participant = await session.get(Participant, args.get("participant_id"))
    if participant is None or participant.status == ParticipantStatus.LEFT:
        return None  # withdrawn or erased since
    return participant


async def own_data_link_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    participant = await _in_pool(session, args)
    if participant is None:
        return None
    links = await sending.links.get()
    loc = participant.locale
    return link_card(
        loc,
        title=t(loc, "links.data_link_title"),
        intro=t(loc, "links.data_link_intro", minutes=_minutes()),
        button=t(loc, "page.your_page"),
        url=own_data_url(links, participant, "teams", now=sending.clock.now()),
    )


async def own_data_link_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    participant = await _in_pool(session, args)
    if participant is None:
        return None
    links = await sending.links.get()
    loc = participant.locale
    return participant_mail(
        loc,
        desk_name=await sending.desk_name(session, participant.desk_id, loc),
        subject=t(loc, "links.data_link_title"),
        greeting=greeting(loc, participant.name),
        intro=t(loc, "links.data_link_intro", minutes=_minutes()),
        url=own_data_url(links, participant, recipient.channel, now=sending.clock.now()),
        button=t(loc, "page.your_page"),
    )


def _minutes() -> int:
    return int(OWN_DATA_LIFETIME.total_seconds() // 60)


def _changed_locale(args: dict[str, Any]) -> str:
    locale = args.get("locale")
    return locale if isinstance(locale, str) and locale in LOCALES else DEFAULT_LOCALE


async def contact_changed_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    """No name, no link and nothing about their health: what changed, and whom to ask."""
    loc = _changed_locale(args)
    return Message(text=f"**{t(loc, 'links.changed_subject')}** {t(loc, 'links.changed_text')}")


async def contact_changed_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    loc = _changed_locale(args)
    return participant_mail(
        loc,
        desk_name=None,
        subject=t(loc, "links.changed_subject"),
        greeting=t(loc, "links.changed_greeting"),
        intro=t(loc, "links.changed_text"),
    )


async def _invitation_page(
    link: PersonLink,
    services: Services,
    invitation_id: int,
    *,
    message: str | None = None,
    status: int = 200,
) -> web.Response:
    """The invitation's page as it stands."""
    participant = link.participant
    async with services.db.reading() as session:
        found = await invitations.invitation_of(
            session, Answerer(participant_id=participant.id), invitation_id
        )
    if found is None:
        return error_page(participant.locale, "participant.error.bad_invitation", 404)
    invitation, participant, request = found
    return _invitation_shown(
        link, services, invitation, participant, request, message=message, status=status
    )


def _invitation_shown(
    link: PersonLink,
    services: Services,
    invitation: Invitation,
    participant: Participant,
    found: Request,
    *,
    message: str | None = None,
    status: int = 200,
) -> web.Response:
    """The invitation's page, drawn from the rows given."""
    locale = participant.locale
    view = invitation_view(services.settings, locale, invitation, found)
    # An invitation link answers the invitation; a documents link says they are signed.
    open_ = (
        link.purpose == INVITATION
        and invitation.status == InvitationStatus.INVITED
        and services.clock.now() < invitation.expires_at
    )
    accepted = invitation.status == InvitationStatus.ACCEPTED
    signed = bool(invitation.agreement_signed_at and invitation.confidentiality_signed_at)
    sign = link.purpose == DOCUMENTS and accepted and not signed and found.status == Status.MATCHED
    if message is None and not open_ and not sign and not (accepted and signed):
        if invitation.status == InvitationStatus.INVITED:
            key = "participant.error.invitation_expired"
        elif invitation.status == InvitationStatus.WITHDRAWN and found.status in (
            Status.DECLINED,
            Status.CANCELLED,
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
        action=f"/p/{link.token}/i/{invitation.id}",
        **link.page_context(services.clock.now(), desk_id=invitation.desk_id),
    )


_INVITATION_PURPOSES = (INVITATION, DOCUMENTS)


@router.get("/p/{token}/i/{invitation_id}")
async def invitation_page(request: web.Request, services: Services) -> web.Response:
    link = await open_link(request, services, _INVITATION_PURPOSES)
    return await _invitation_page(link, services, int(link.payload["i"]))


@router.post("/p/{token}/i/{invitation_id}")
async def invitation_answer(request: web.Request, services: Services) -> web.Response:
    link = await open_link(request, services, _INVITATION_PURPOSES)
    form = await read_form(request, link, services)
    answer = form.get("answer")
    participant = link.participant
    invitation_id = int(link.payload["i"])
    answerer = Answerer(participant_id=participant.id)
    locale = participant.locale
    if answer == "signed" and link.purpose == DOCUMENTS:
        async with services.db.reading() as session:
            found = await invitations.invitation_of(session, answerer, invitation_id)
        if found is None:
            return error_page(page_locale(request), "page.bad_link", 404)
        ok, message = await sign_documents(
            services, found[0].request_id, participant.id, via="page", locale=locale
        )
        return await _invitation_page(
            link, services, invitation_id, message=message, status=200 if ok else 409
        )
    if answer not in ("yes", "no") or link.purpose != INVITATION:
        return error_page(locale, "page.stale_form", 400)
    try:
        async with services.db.transaction() as session:
            answered = await invitations.answer_invitation(
                session,
                answerer,
                invitation_id,
                accept=answer == "yes",
                via="page",
                now=services.clock.now(),
            )
    except Refused as refused:
        if refused.key == "participant.error.not_yours":
            return error_page(page_locale(request), "page.bad_link", 404)
        log.info("invitation %s: answer refused (%s)", invitation_id, refused.key)
        message = refusal_text(locale, refused, markdown=False)
        return await _invitation_page(link, services, invitation_id, message=message, status=409)
    log.info("invitation %s answered on its page (matched: %s)", invitation_id, answered.matched)
    return _invitation_shown(
        link,
        services,
        answered.invitation,
        answered.participant,
        answered.request,
        message=t(answered.participant.locale, answered.notice),
    )


router.notify(
    Notification(Render.OWN_DATA_LINK, teams=own_data_link_in_teams, mail=own_data_link_by_mail),
    Notification(
        Render.CONTACT_CHANGED, teams=contact_changed_in_teams, mail=contact_changed_by_mail
    ),
)
