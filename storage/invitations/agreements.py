"""After the match: the agreement and the confidentiality declaration.

Each accepted participant is sent both to sign when the request is matched
(`storage.invitations`); they say they have signed (their card in Teams, or
`answer=signed` on their page), or the owner records a paper copy. When every
accepted participant has both, the request moves to `agreement_signed` by
itself (`Move.SIGN` by medvirk, an audit row). The confidentiality
declaration's date goes into the participant's onboarding record, so the next
assignment does not ask for it again while it is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import Invitation, Participant, Request
from storage.domain.invitations import DOCUMENTS, DocumentStatus, InvitationStatus, document
from storage.domain.refusal import Refused
from storage.domain.requests import Move, Role, Status, authorise
from storage.invitations import SYSTEM, refresh_summary
from storage.notifications import CardChanged, record
from storage.pool import record_onboarding
from storage.requests.moves import apply_move, load_for_update

# How medvirk heard that the documents were signed.
VIAS = frozenset({"teams", "page", "paper"})


@dataclass(frozen=True)
class Signed:
    request: Request
    invitation: Invitation
    # The request moved to agreement_signed with this one.
    completed: bool
    # Both were recorded already: nothing changed.
    repeated: bool = False


async def sign(
    session: AsyncSession,
    request_id: int,
    participant_id: int,
    *,
    via: str,
    now: datetime,
) -> Signed:
    """Both documents signed by this accepted participant of `request_id`.
    `Refused` (nothing written) unless they accepted and
    the request is matched."""
    if via not in VIAS:
        raise ValueError(f"unknown way of signing: {via}")
    request = await load_for_update(session, request_id)
    invitation = await session.scalar(
        select(Invitation).where(
            Invitation.request_id == request_id, Invitation.participant_id == participant_id
        )
    )
    if invitation is None or invitation.status != InvitationStatus.ACCEPTED:
        raise Refused("documents.error.not_accepted")
    signed = (invitation.agreement_signed_at, invitation.confidentiality_signed_at)
    if not any(DOCUMENTS.may(document(at), DocumentStatus.SIGNED) for at in signed):
        return Signed(request, invitation, completed=False, repeated=True)
    if Status(request.status) is not Status.MATCHED:
        raise Refused("documents.error.not_matched")
    invitation.agreement_signed_at = invitation.agreement_signed_at or now
    invitation.confidentiality_signed_at = invitation.confidentiality_signed_at or now
    invitation.documents_via = via
    participant = await session.get(Participant, participant_id)
    if participant is not None:
        await record_onboarding(session, participant, confidentiality_on=now.date(), now=now)
        if via != "paper":
            participant.last_active_at = now
    await refresh_summary(session, request)
    request.updated_at = now
    await session.flush()
    completed = not (request.match_summary or {}).get("unsigned")
    if completed:
        authorise(Move.SIGN, Status.MATCHED, Status.AGREEMENT_SIGNED, frozenset({Role.SYSTEM}))
        await apply_move(
            session,
            request,
            Status.AGREEMENT_SIGNED,
            SYSTEM,
            now=now,
            comment="documents signed",
            notice=("agreement_signed", None),
        )
    else:
        await record(session, CardChanged.of(request), now=now)
    return Signed(request, invitation, completed=completed)
