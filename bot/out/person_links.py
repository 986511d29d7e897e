"""What the participant's messages and pages are made of: their links (one
purpose and one object each, see `bot.out.links`), the invitation as they see
it (never the requester's internal notes or cost centre), their e-mail, and
what every page of theirs does first: open the link in its path and read its
form (the invitation's, the claim's and the evaluation's pages alike)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from multidict import MultiDictProxy

from bot.framework.messages import Mail
from bot.out.links import (
    CLAIM,
    CONSENT,
    DOCUMENTS,
    EVALUATION,
    INVITATION,
    OWN_DATA,
    STAY,
    BadLink,
    ExpiredLink,
    Links,
)
from bot.out.pages import PageShown, error_page, page_locale, posted_form
from bot.settings import Settings
from dialogs.cards.pool import InvitationView, invitation_facts
from dialogs.cards.reminders import local_time
from dialogs.i18n import t
from dialogs.rendering import greeting, render
from storage import pool
from storage.db.models import Evaluation, FeeClaim, Invitation, Participant, Request

if TYPE_CHECKING:
    from bot.services import Services

# How long each kind of link works after the message that carries it. The page
# with one's own data is a key to everything stored about them: an hour, sent
# on request to the address on file; the others open one thing each.
OWN_DATA_LIFETIME = timedelta(minutes=60)
LINK_DAYS = 30
# An invitation link works a day past the invitation's own expiry (to say so).
INVITATION_GRACE = timedelta(days=1)


def person_payload(participant: Participant, via: str, **object_id: int) -> dict[str, object]:
    """The link's payload: the person (their id and the nonce a new address,
    `revoke-links` or an erasure changes), how the link reached them
    (teams | email | sms) and the one object it is for (`i`, `c`, `e`)."""
    return {"p": participant.id, "n": participant.link_nonce, "v": via, **object_id}


def consent_url(links: Links, participant: Participant, via: str, *, now: datetime) -> str:
    return links.person_url(
        CONSENT, person_payload(participant, via), expires=now + timedelta(days=LINK_DAYS)
    )


def own_data_url(links: Links, participant: Participant, via: str, *, now: datetime) -> str:
    return links.person_url(
        OWN_DATA, person_payload(participant, via), expires=now + OWN_DATA_LIFETIME
    )


def stay_url(links: Links, participant: Participant, via: str, *, now: datetime) -> str:
    return links.person_url(
        STAY, person_payload(participant, via), expires=now + timedelta(days=LINK_DAYS)
    )


def invitation_url(
    links: Links, participant: Participant, invitation: Invitation, via: str, *, now: datetime
) -> str:
    return links.person_url(
        INVITATION,
        person_payload(participant, via, i=invitation.id),
        expires=max(invitation.expires_at, now) + INVITATION_GRACE,
        tail=f"/i/{invitation.id}",
    )


def documents_url(
    links: Links, participant: Participant, invitation: Invitation, via: str, *, now: datetime
) -> str:
    """The invitation's page, where they say they have signed (after the match)."""
    return links.person_url(
        DOCUMENTS,
        person_payload(participant, via, i=invitation.id),
        expires=now + timedelta(days=LINK_DAYS),
        tail=f"/i/{invitation.id}",
    )


def claim_url(
    links: Links, participant: Participant, claim: FeeClaim, via: str, *, now: datetime
) -> str:
    return links.person_url(
        CLAIM,
        person_payload(participant, via, c=claim.id),
        expires=now + timedelta(days=LINK_DAYS),
        tail=f"/c/{claim.id}",
    )


def evaluation_url(
    links: Links, participant: Participant, evaluation: Evaluation, *, now: datetime
) -> str:
    return links.person_url(
        EVALUATION,
        person_payload(participant, "email", e=evaluation.id),
        expires=now + timedelta(days=LINK_DAYS),
        tail=f"/e/{evaluation.id}",
    )


def invitation_view(
    settings: Settings, locale: str, invitation: Invitation, request: Request
) -> InvitationView:
    expires = local_time(invitation.expires_at, settings.zone)
    return InvitationView(
        invitation_id=invitation.id,
        title=request.title or "",
        facts=invitation_facts(
            locale,
            assignment_type=request.assignment_type,
            level=request.level,
            meeting_format=request.meeting_format,
            start_date=request.start_date,
            end_date=request.end_date,
            workload=request.workload or "",
            unit=request.unit,
            expires=expires,
        ),
        description=request.description or "",
        expires=expires,
        fee_url=settings.fee_guideline_url,
        status=invitation.status,
    )


def participant_mail(
    locale: str,
    *,
    desk_name: str | None,
    subject: str,
    greeting: str,
    intro: str,
    url: str | None = None,
    button: str = "",
    facts: tuple[tuple[str, str], ...] = (),
    sms_line: str | None = None,
) -> Mail:
    """An e-mail to a participant (every context's): what it is about, and
    with `url` the one button to their page; `desk_name`: the desk that writes.
    By SMS it is its subject and a short link to `url` (and `sms_line`)."""
    context: dict[str, Any] = {
        "title": subject,
        "greeting": greeting,
        "intro": intro,
        "facts": facts,
        "url": url,
        "button": button,
    }
    return Mail(
        subject=subject,
        text=render("mail_participant.txt", locale, desk_name=desk_name, **context),
        html=render("mail_participant.html", locale, desk_name=desk_name, **context),
        link=url,
        sms_line=sms_line,
    )


def commissioner_mail(
    locale: str,
    *,
    subject: str,
    intro: str,
    url: str | None = None,
    button: str = "",
    desk: str | None,
    facts: tuple[tuple[str, str], ...] = (),
    reply_to: str | None = None,
) -> Mail:
    """An e-mail to a commissioner outside the hospital (the web order form's
    address): what it is about, and with `url` the one button; `desk` writes;
    `reply_to`: who a reply reaches."""
    context: dict[str, Any] = {
        "title": subject,
        "greeting": greeting(locale, None),
        "intro": intro,
        "facts": facts,
        "url": url,
        "button": button,
        "why": t(locale, "weborder.mail.why"),
    }
    return Mail(
        subject=subject,
        text=render("mail_order.txt", locale, desk_name=desk, **context),
        html=render("mail_order.html", locale, desk_name=desk, **context),
        reply_to=reply_to,
    )


# -- their pages ----------------------------------------------------------------------------

MAX_FORM_BYTES = 16_000

# The object each purpose's link is for: the path's name for its id, and the
# payload's key that must hold the same id.
OBJECT_OF = {
    INVITATION: ("invitation_id", "i"),
    DOCUMENTS: ("invitation_id", "i"),
    CLAIM: ("claim_id", "c"),
    EVALUATION: ("evaluation_id", "e"),
}


@dataclass(frozen=True)
class PersonLink:
    """What a participant's link opened: its token, purpose and payload, and
    the person it is for (as they were when it was opened)."""

    links: Links
    token: str
    purpose: str
    payload: dict[str, Any]
    participant: Participant
    # The desks' names in their language, by id: who writes, on each page.
    desk_names: Mapping[int, str] = field(default_factory=dict)

    @property
    def via(self) -> str:
        """How the link reached them: teams | email | sms (else `page`)."""
        via = self.payload.get("v")
        return via if via in ("teams", "email", "sms") else "page"

    @property
    def data_link_action(self) -> str:
        """Where this page's "send me a link to my data" posts."""
        return f"/p/{self.token}/link"

    def form_token(self, now: datetime) -> str:
        return self.links.form_token(self.token, now=now)

    def page_context(self, now: datetime, *, desk_id: int | None = None) -> dict[str, Any]:
        """What every page of theirs carries: the desk that writes (the page's
        object's, `desk_id`, else their own), the form proof, and (but on the
        page with their data itself) the form that asks for the link to it."""
        data_link = None if self.purpose == OWN_DATA else self.data_link_action
        desk = self.desk_names.get(desk_id if desk_id is not None else self.participant.desk_id)
        return {"form_token": self.form_token(now), "data_link": data_link, "desk_name": desk}


def _read_token(links: Links, token: str, purposes: tuple[str, ...], now: float) -> tuple[str, Any]:
    """The purpose among `purposes` the token was made for, and its payload."""
    expired = False
    for purpose in purposes:
        try:
            return purpose, links.read(purpose, token, now=now)
        except ExpiredLink:
            expired = True
        except BadLink:
            continue
    raise ExpiredLink() if expired else BadLink()


async def open_link(
    request: web.Request, services: Services, purposes: tuple[str, ...]
) -> PersonLink:
    """The link in the path, if it was made for one of `purposes`, is still its
    person's, and (for a link to one object) names the object in the path;
    else `PageShown` with the error page."""
    token = request.match_info["token"]
    locale = page_locale(request)
    links = await services.links.get()
    try:
        purpose, payload = _read_token(links, token, purposes, services.clock.now().timestamp())
    except ExpiredLink:
        raise PageShown(error_page(locale, "page.expired_link", 410)) from None
    except BadLink:
        raise PageShown(error_page(locale, "page.bad_link", 404)) from None
    # A page of one object (`/p/<token>/i/<id>`) opens only from that object's link.
    name, key = OBJECT_OF.get(purpose, ("", ""))
    if name in request.match_info:
        found_id = path_id(request, name)
        if found_id is None or payload.get(key) != found_id:
            raise PageShown(error_page(locale, "page.bad_link", 404))
    async with services.db.reading() as session:
        participant = await pool.by_link(session, payload.get("p"), payload.get("n"))
    if participant is None:
        raise PageShown(error_page(locale, "page.bad_link", 404))
    names = {d.id: d.name(participant.locale) for d in await services.desks.all()}
    return PersonLink(links, token, purpose, payload, participant, names)


async def object_link(
    request: web.Request, services: Services, purpose: str
) -> tuple[PersonLink, int]:
    """A link to one object (a claim, an evaluation) and that object's id."""
    link = await open_link(request, services, (purpose,))
    return link, int(link.payload[OBJECT_OF[purpose][1]])


async def read_form(
    request: web.Request, link: PersonLink, services: Services
) -> MultiDictProxy[str]:
    """The page's form, if it came from the page of this link, lately (else `PageShown`)."""
    form = await posted_form(request, max_bytes=MAX_FORM_BYTES)
    if not link.links.form_matches(
        link.token, form.get("form"), now=services.clock.now().timestamp()
    ):
        raise PageShown(error_page(page_locale(request), "page.stale_form", 400))
    return form


def path_id(request: web.Request, name: str) -> int | None:
    """A database id in the page's path (`{name}`), or None if it is not one."""
    raw = request.match_info[name]
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
