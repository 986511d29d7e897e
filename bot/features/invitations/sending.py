"""What the outbox sends about participants, in Teams and by e-mail: the
consent request, invitations and their withdrawal, the question whether to
stay; the owner's notice of an answer and the requester's "who said yes".

Everything is rendered at send time from the rows as they then are: a
participant erased meanwhile gets nothing (their rows are deleted with them).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.card_state import CHANNEL_LOCALE
from bot.framework.messages import Mail, Message, Recipient
from bot.framework.notifications import Notification, Sending
from bot.framework.router import Router
from bot.out.person_links import (
    commissioner_mail,
    consent_url,
    invitation_url,
    invitation_view,
    participant_mail,
    stay_url,
)
from dialogs.cards import card, escape_markdown, text_block
from dialogs.cards.pool import consent_card, invitation_card, suggestion_items, suggestion_view
from dialogs.i18n import LOCALES, t
from dialogs.rendering import greeting
from storage import invitations
from storage.db.models import Invitation, Participant, Request
from storage.domain.invitations import InvitationStatus
from storage.domain.participants import ParticipantStatus
from storage.domain.requests import Status
from storage.outbox import Render
from storage.pool import STAY_ANSWER_DAYS, matching

log = logging.getLogger(__name__)

router = Router()


def link_card(locale: str, *, title: str, intro: str, button: str, url: str) -> Message:
    """A participant's message in Teams that is one link: what it is, and the button."""
    return Message(
        card=card(
            [
                text_block(title, weight="Bolder", size="Medium"),
                text_block(intro),
            ],
            [{"type": "Action.OpenUrl", "title": button, "url": url}],
        )
    )


# -- the consent request --------------------------------------------------------------------


async def _pending(session: AsyncSession, args: dict[str, Any]) -> Participant | None:
    participant = await session.get(Participant, args.get("participant_id"))
    if participant is None or participant.status != ParticipantStatus.PENDING:
        return None  # answered (or erased) since
    return participant


async def consent_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    participant = await _pending(session, args)
    if participant is None:
        return None
    links = await sending.links.get()
    url = consent_url(links, participant, "teams", now=sending.clock.now())
    loc = participant.locale
    desk = await sending.desk_name(session, participant.desk_id, loc) or t(loc, "desks.generic")
    return Message(card=consent_card(loc, participant.name or "", url, desk=desk))


async def consent_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    participant = await _pending(session, args)
    if participant is None:
        return None
    links = await sending.links.get()
    locale = participant.locale
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, participant.desk_id, locale),
        subject=t(locale, "consent.subject"),
        greeting=greeting(locale, participant.name),
        intro=t(
            locale,
            "consent.card_intro",
            desk=await sending.desk_name(session, participant.desk_id, locale)
            or t(locale, "desks.generic"),
        ),
        url=consent_url(links, participant, recipient.channel, now=sending.clock.now()),
        button=t(locale, "consent.open"),
    )


# -- invitations ----------------------------------------------------------------------------


async def _invitation(
    session: AsyncSession, args: dict[str, Any], *, status: InvitationStatus
) -> tuple[Invitation, Participant, Request] | None:
    invitation = await session.get(Invitation, args.get("invitation_id"))
    if invitation is None or invitation.status != status.value:
        return None
    participant = await session.get(Participant, invitation.participant_id)
    request = await session.get(Request, invitation.request_id)
    if participant is None or request is None or participant.status == ParticipantStatus.LEFT:
        return None
    return invitation, participant, request


async def invitation_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    found = await _invitation(session, args, status=InvitationStatus.INVITED)
    if found is None:
        return None
    invitation, participant, request = found
    view = invitation_view(sending.settings, participant.locale, invitation, request)
    return Message(card=invitation_card(participant.locale, view))


async def invitation_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    found = await _invitation(session, args, status=InvitationStatus.INVITED)
    if found is None:
        return None
    invitation, participant, request = found
    locale = participant.locale
    links = await sending.links.get()
    now = sending.clock.now()
    view = invitation_view(sending.settings, locale, invitation, request)
    # What the assignment is sits behind the link, never in a mailbox.
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, invitation.desk_id, locale),
        subject=t(locale, "mail.subject.invitation"),
        greeting=greeting(locale, participant.name),
        intro=t(locale, "mail.invitation_intro", expires=view.expires),
        url=invitation_url(links, participant, invitation, recipient.channel, now=now),
        button=t(locale, "invitation.open"),
        sms_line=t(locale, "sms.answer_code", code=invitation.sms_code)
        if invitation.sms_code
        else None,
    )


def _withdrawn_key(request: Request, *, mail: bool = False) -> str:
    """Filled places, or an assignment that is no longer to be (by e-mail:
    without its title)."""
    cancelled = request.status in (Status.DECLINED, Status.CANCELLED)
    if mail:
        return "mail.invitation_cancelled" if cancelled else "mail.invitation_filled"
    return "invitation.cancelled_text" if cancelled else "invitation.withdrawn_text"


async def _withdrawn(
    session: AsyncSession, args: dict[str, Any]
) -> tuple[Participant, Request] | None:
    found = await _invitation(session, args, status=InvitationStatus.WITHDRAWN)
    return None if found is None else (found[1], found[2])


async def withdrawn_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    found = await _withdrawn(session, args)
    if found is None:
        return None
    participant, request = found
    title = escape_markdown(request.title or "")
    return Message(text=t(participant.locale, _withdrawn_key(request), title=title))


async def withdrawn_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    found = await _withdrawn(session, args)
    if found is None:
        return None
    participant, request = found
    locale = participant.locale
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, request.desk_id, locale),
        subject=t(locale, "mail.subject.invitation_ended"),
        greeting=greeting(locale, participant.name),
        intro=t(locale, _withdrawn_key(request, mail=True)),
    )


# -- the question whether to stay -----------------------------------------------------------


async def _asked(session: AsyncSession, args: dict[str, Any]) -> Participant | None:
    participant = await session.get(Participant, args.get("participant_id"))
    if participant is None or participant.retention_asked_at is None:
        return None
    if participant.status not in (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED):
        return None
    return participant


async def stay_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    participant = await _asked(session, args)
    if participant is None:
        return None
    links = await sending.links.get()
    url = stay_url(links, participant, "teams", now=sending.clock.now())
    loc = participant.locale
    return link_card(
        loc,
        title=t(loc, "stay.subject"),
        intro=t(loc, "stay.intro", days=STAY_ANSWER_DAYS),
        button=t(loc, "person.stay"),
        url=url,
    )


async def stay_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    participant = await _asked(session, args)
    if participant is None:
        return None
    links = await sending.links.get()
    loc = participant.locale
    return participant_mail(
        loc,
        desk_name=await sending.desk_name(session, participant.desk_id, loc),
        subject=t(loc, "stay.subject"),
        greeting=greeting(loc, participant.name),
        intro=t(loc, "stay.intro", days=STAY_ANSWER_DAYS),
        url=stay_url(links, participant, recipient.channel, now=sending.clock.now()),
        button=t(loc, "person.stay"),
    )


# -- to the owner and the requester ---------------------------------------------------------


async def owner_notice(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    """An answer or an expiry, to the request's owner; after a no, the next suggestion."""
    request = await session.get(Request, args.get("request_id"))
    invitation = await session.get(Invitation, args.get("invitation_id"))
    event = args.get("event")
    if (
        request is None
        or invitation is None
        or event
        not in (
            InvitationStatus.ACCEPTED,
            InvitationStatus.DECLINED,
            InvitationStatus.EXPIRED,
            InvitationStatus.LEFT,
        )
    ):
        return None
    participant = await session.get(Participant, invitation.participant_id)
    name = escape_markdown(participant.name or "") if participant is not None else ""
    text = t(
        locale,
        f"invitation_notice.{event}",
        name=name,
        reference=request.reference,
        title=escape_markdown(request.title or ""),
    )
    body = [text_block(text, weight="Bolder")]
    if request.status == Status.MATCHED:
        body.append(text_block(t(locale, "invitation_notice.matched", reference=request.reference)))
    elif event != InvitationStatus.ACCEPTED:
        found = await matching.suggest(session, request, now=sending.clock.now(), limit=1)
        if found:
            body.append(text_block(t(locale, "invitation_notice.next")))
            body += suggestion_items(
                CHANNEL_LOCALE,
                request.id,
                [suggestion_view(s) for s in found],
                areas=(),
                chosen_areas=(),
            )
    return Message(card=card(body))


async def matched_notice(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    """The requester hears who said yes, with their contact details: the first
    moment a requester sees a participant's details (on the read audit)."""
    request = await session.get(Request, args.get("request_id"))
    if request is None:
        return None
    rows = [
        p
        for i, p in await invitations.of_request(session, request.id)
        if i.status == InvitationStatus.ACCEPTED and p.status != ParticipantStatus.LEFT
    ]
    if not rows:
        return None
    facts = []
    for p in rows:
        contact = " · ".join(x for x in (p.email, p.phone) if x) or t(
            locale, "matched.unknown_contact"
        )
        facts.append({"title": escape_markdown(p.name or ""), "value": escape_markdown(contact)})
    return Message(
        card=card(
            [
                text_block(
                    t(
                        locale,
                        "matched.title",
                        reference=request.reference,
                        title=escape_markdown(request.title or ""),
                    ),
                    weight="Bolder",
                    size="Medium",
                ),
                text_block(t(locale, "matched.intro")),
                {"type": "FactSet", "facts": facts},
            ],
            [
                {
                    "type": "Action.OpenUrl",
                    "title": t(locale, f"link.{name}"),
                    "url": url,
                }
                for name, url in sending.settings.links().items()
                if name in ("agreement", "confidentiality", "fee_guideline")
            ],
        )
    )


async def matched_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    """A requester outside Teams (a commissioner who ordered on the web) gets
    who said yes and how to reach them by e-mail: the first they see of them."""
    request = await session.get(Request, args.get("request_id"))
    if request is None:
        return None
    locale = request.requester_locale if request.requester_locale in LOCALES else "nb"
    rows = [
        p
        for i, p in await invitations.of_request(session, request.id)
        if i.status == InvitationStatus.ACCEPTED and p.status != ParticipantStatus.LEFT
    ]
    if not rows:
        return None
    facts = tuple(
        (
            p.name or "",
            " · ".join(x for x in (p.email, p.phone) if x) or t(locale, "matched.unknown_contact"),
        )
        for p in rows
    )
    heading = t(locale, "matched.title", reference=request.reference, title=request.title or "")
    return commissioner_mail(
        locale,
        subject=t(locale, "weborder.mail.matched_subject"),
        intro=f"{heading}. {t(locale, 'matched.intro')}",
        desk=await sending.desk_name(session, request.desk_id, locale),
        facts=facts,
    )


router.notify(
    Notification(Render.CONSENT_REQUEST, teams=consent_in_teams, mail=consent_by_mail),
    Notification(Render.INVITATION, teams=invitation_in_teams, mail=invitation_by_mail),
    Notification(Render.INVITATION_WITHDRAWN, teams=withdrawn_in_teams, mail=withdrawn_by_mail),
    Notification(Render.STAY_QUESTION, teams=stay_in_teams, mail=stay_by_mail),
    Notification(Render.INVITATION_NOTICE, teams=owner_notice),
    Notification(Render.MATCHED, teams=matched_notice, mail=matched_by_mail),
)
