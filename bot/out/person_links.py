"""What the participant's messages and pages are made of: their links (one
purpose and one object each, see `bot.out.links`) and the invitation as they see
it (never the requester's internal notes or cost centre)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.out.links import CLAIM, CONSENT, DOCUMENTS, EVALUATION, INVITATION, OWN_DATA, STAY, Links
from bot.settings import Settings
from dialogs.cards.pool import InvitationView, invitation_facts
from dialogs.cards.reminders import local_time
from storage.db.models import Evaluation, FeeClaim, Invitation, Participant, Request

if TYPE_CHECKING:
    pass

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
    (teams | email) and the one object it is for (`i`, `c`, `e`)."""
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
