"""A participant with a Teams account answers an invitation on its card:
`accept_invitation` / `decline_invitation` (`data.invitation_id`).

Only the participant the invitation is for may answer it: the presser's AAD
object id must be theirs. The answer is the invitation card as it now stands.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from bot.messages import InvokeAnswer, card_answer, error_answer
from bot.participants.views import invitation_view
from bot.ports import Turn, positive_id
from bot.router import Router
from dialogs.cards.participants import invitation_card
from dialogs.i18n import t
from dialogs.refusals import refusal_text
from storage import invitations
from storage.domain.refusal import Refused
from storage.models import Invitation, Participant, Request

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()


async def own_invitation(
    turn: Turn, services: Services, data: dict[str, Any]
) -> tuple[Invitation, Participant] | InvokeAnswer:
    """The invitation `data.invitation_id` names and its participant, if the
    presser is that participant (their AAD object id); else the error answer,
    the same for an invitation that is not there and one that is someone else's."""
    invitation_id = positive_id(data, "invitation_id")
    if invitation_id is None:
        return error_answer("bad_invitation", t(turn.locale, "participant.error.bad_invitation"))
    aad = (turn.person.aad_object_id or "").lower()
    found = None
    if aad:
        # Read only together with the presser's account: nobody else's row is loaded.
        async with services.db.reading() as session:
            found = (
                await session.execute(
                    select(Invitation, Participant)
                    .join(Participant, Participant.id == Invitation.participant_id)
                    .where(
                        Invitation.id == invitation_id,
                        func.lower(Participant.aad_object_id) == aad,
                    )
                )
            ).first()
    if found is None:
        log.info("invitation %s: pressed by someone it is not for, refused", invitation_id)
        return error_answer("not_yours", t(turn.locale, "participant.error.not_yours"), 403)
    invitation, participant = found
    return invitation, participant


async def _answer(
    turn: Turn, services: Services, data: dict[str, Any], accept: bool
) -> InvokeAnswer:
    own = await own_invitation(turn, services, data)
    if isinstance(own, InvokeAnswer):
        return own
    invitation, participant = own
    invitation_id = invitation.id
    locale = participant.locale
    notice: str
    async with services.moves_in_flight.hold(invitation.request_id):
        async with services.db.transaction() as session:
            try:
                answered = await invitations.answer(
                    session,
                    invitation_id,
                    participant.id,
                    accept=accept,
                    via="teams",
                    now=services.clock.now(),
                )
                notice = t(locale, "invitation.accepted" if accept else "invitation.declined")
                log.info(
                    "invitation %s answered in Teams (matched: %s)", invitation_id, answered.matched
                )
            except Refused as refused:
                log.info("invitation %s: answer refused (%s)", invitation_id, refused.key)
                notice = refusal_text(locale, refused)
        async with services.db.reading() as session:
            current = await session.get_one(Invitation, invitation_id)
            request = await session.get_one(Request, current.request_id)
            view = invitation_view(services, locale, current, request)
    return card_answer(invitation_card(locale, view, notice=notice))


@router.verb("accept_invitation")
async def accept(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    return await _answer(turn, services, data, True)


@router.verb("decline_invitation")
async def decline(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    return await _answer(turn, services, data, False)
