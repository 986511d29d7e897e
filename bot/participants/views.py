"""What the participant's messages and pages are made of: their links and the
invitation as they see it (never the requester's internal notes or cost centre)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.links import Links
from dialogs.cards.participants import InvitationView, invitation_facts
from dialogs.cards.reminders import local_time
from storage.models import Invitation, Participant, Request

if TYPE_CHECKING:
    from bot.services import Services

# A link to a participant's page works this long after the message that carries it.
LINK_DAYS = 30


def person_payload(participant: Participant, via: str) -> dict[str, object]:
    """The link's payload: the person (their id and the nonce a new link or an
    erasure changes) and how the link reached them (teams | email)."""
    return {"p": participant.id, "n": participant.link_nonce, "v": via}


def person_url(links: Links, participant: Participant, via: str, *, now: datetime) -> str:
    return links.person_url(
        person_payload(participant, via), expires=now + timedelta(days=LINK_DAYS)
    )


def invitation_url(
    links: Links, participant: Participant, invitation: Invitation, via: str, *, now: datetime
) -> str:
    expires = max(invitation.expires_at, now) + timedelta(days=1)
    base = links.person_url(person_payload(participant, via), expires=expires)
    return f"{base}/i/{invitation.id}"


def documents_url(
    links: Links, participant: Participant, invitation: Invitation, via: str, *, now: datetime
) -> str:
    """Their invitation page, where they say they have signed (after the match)."""
    return f"{person_url(links, participant, via, now=now)}/i/{invitation.id}"


def invitation_view(
    services: Services, locale: str, invitation: Invitation, request: Request
) -> InvitationView:
    expires = local_time(invitation.expires_at, services.settings.zone)
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
        fee_url=services.settings.fee_guideline_url,
        status=invitation.status,
    )
