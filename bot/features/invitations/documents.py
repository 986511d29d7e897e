"""After the match: the agreement and the confidentiality declaration.

The outbox sends each accepted participant both documents (`DOCUMENTS_REQUEST`:
a card in Teams, or an e-mail whose link opens their invitation page, where
`answer=signed` says it). In Teams they press `documents_signed`
(`data.invitation_id`; only their own account may). The request's owner
records a paper copy from the request card: `documents_received`
(`data.request_id`, `data.participant_id`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.invitations.answers import own_invitation
from bot.framework.card_state import CHANNEL_LOCALE, view_of
from bot.framework.messages import InvokeAnswer, Mail, Message, Recipient, card_answer, error_answer
from bot.framework.notifications import Notification, Sending
from bot.framework.ports import Turn, positive_id
from bot.framework.router import PRIORITY_TEAM, Router
from bot.out.person_links import documents_url, participant_mail
from bot.settings import Settings
from dialogs.cards import escape_markdown
from dialogs.cards.pool import documents_card
from dialogs.cards.requests import request_card
from dialogs.i18n import t
from dialogs.refusals import refusal_text
from dialogs.rendering import greeting
from storage.db.models import Invitation, Participant, Request
from storage.domain.invitations import InvitationStatus
from storage.domain.participants import ParticipantStatus
from storage.domain.refusal import Refused
from storage.domain.requests import Role, Status
from storage.invitations import agreements
from storage.outbox import Render
from storage.requests.moves import roles_of

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()


async def _accepted(
    session: AsyncSession, args: dict[str, Any]
) -> tuple[Invitation, Participant, Request] | None:
    invitation = await session.get(Invitation, args.get("invitation_id"))
    if invitation is None or invitation.status != InvitationStatus.ACCEPTED:
        return None
    if invitation.agreement_signed_at and invitation.confidentiality_signed_at:
        return None  # signed before this went out
    participant = await session.get(Participant, invitation.participant_id)
    request = await session.get(Request, invitation.request_id)
    if participant is None or request is None or participant.status == ParticipantStatus.LEFT:
        return None
    if request.status != Status.MATCHED:
        return None
    return invitation, participant, request


def _card(
    settings: Settings, locale: str, invitation: Invitation, request: Request, **kw: Any
) -> dict[str, Any]:
    return documents_card(
        locale,
        invitation_id=invitation.id,
        title=request.title or "",
        agreement_url=settings.agreement_url,
        confidentiality_url=settings.confidentiality_url,
        signed=bool(invitation.agreement_signed_at and invitation.confidentiality_signed_at),
        **kw,
    )


async def documents_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    found = await _accepted(session, args)
    if found is None:
        return None
    invitation, participant, request = found
    return Message(card=_card(sending.settings, participant.locale, invitation, request))


async def documents_by_mail(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> Mail | None:
    found = await _accepted(session, args)
    if found is None:
        return None
    invitation, participant, _request = found
    locale = participant.locale
    links = await sending.links.get()
    return participant_mail(
        locale,
        desk_name=await sending.desk_name(session, invitation.desk_id, locale),
        subject=t(locale, "mail.subject.documents"),
        greeting=greeting(locale, participant.name),
        intro=t(locale, "documents.intro"),
        facts=(
            (t(locale, "documents.agreement"), sending.settings.agreement_url),
            (t(locale, "documents.confidentiality"), sending.settings.confidentiality_url),
        ),
        url=documents_url(
            links, participant, invitation, recipient.channel, now=sending.clock.now()
        ),
        button=t(locale, "documents.open"),
    )


@router.verb("documents_signed")
async def documents_signed(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    """The participant, on their card: both documents are signed."""
    own = await own_invitation(turn, services, data)
    if isinstance(own, InvokeAnswer):
        return own
    invitation, participant, _request = own
    locale = participant.locale
    _, notice = await sign(
        services, invitation.request_id, participant.id, via="teams", locale=locale
    )
    async with services.db.reading() as session:
        current = await session.get_one(Invitation, invitation.id)
        request = await session.get_one(Request, current.request_id)
        return card_answer(_card(services.settings, locale, current, request, notice=notice))


async def sign(
    services: Services, request_id: int, participant_id: int, *, via: str, locale: str
) -> tuple[bool, str]:
    """Record both documents signed; whether it was, and what to tell the one
    who said so."""
    async with services.moves_in_flight.hold(request_id):
        async with services.db.transaction() as session:
            try:
                signed = await agreements.sign(
                    session, request_id, participant_id, via=via, now=services.clock.now()
                )
            except Refused as refused:
                log.info("request %s: documents refused (%s)", request_id, refused.key)
                return False, refusal_text(locale, refused)
    log.info("request %s: documents signed (%s; all signed: %s)", request_id, via, signed.completed)
    return True, t(locale, "documents.recorded")


@router.verb("documents_received", guards=PRIORITY_TEAM)
async def documents_received(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    """The owner, on the request card: signed documents came on paper."""
    request_id = positive_id(data, "request_id")
    if request_id is None:
        return error_answer("bad_request_id", t(turn.locale, "channel.error.bad_request_id"))
    participant_id = positive_id(data, "participant_id")
    actor = await services.access.actor(turn)
    async with services.db.reading() as session:
        request = await session.get(Request, request_id)
        # Whether they accepted this request: asked before anyone is read.
        accepted = participant_id is not None and (
            await session.scalar(
                select(Invitation.id).where(
                    Invitation.request_id == request_id,
                    Invitation.participant_id == participant_id,
                    Invitation.status == InvitationStatus.ACCEPTED,
                )
            )
            is not None
        )
    if request is None:
        return error_answer("unknown_request", t(turn.locale, "channel.error.unknown_request"), 404)
    if Role.OWNER not in roles_of(request, actor):
        owner = escape_markdown(request.owner_name or "")
        notice = t(CHANNEL_LOCALE, "channel.error.not_owner", owner=owner)
    elif participant_id is None or not accepted:
        notice = t(CHANNEL_LOCALE, "documents.error.bad_participant")
    else:
        ok, notice = await sign(
            services, request_id, participant_id, via="paper", locale=CHANNEL_LOCALE
        )
        if ok:
            async with services.db.reading() as session:
                participant = await session.get(Participant, participant_id)
            name = escape_markdown((participant.name if participant else None) or "")
            notice = t(CHANNEL_LOCALE, "documents.paper_recorded", name=name)
    async with services.db.reading() as session:
        current = await session.get_one(Request, request_id)
    return card_answer(
        request_card(CHANNEL_LOCALE, view_of(current), now=services.clock.now(), notice=notice)
    )


router.notify(
    Notification(Render.DOCUMENTS_REQUEST, teams=documents_in_teams, mail=documents_by_mail),
)
