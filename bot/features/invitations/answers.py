"""A participant with a Teams account answers an invitation on its card:
`accept_invitation` / `decline_invitation` (`data.invitation_id`).

Only the participant the invitation is for may answer it: the presser's AAD
object id must be theirs. The answer is the invitation card as it now stands.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.framework.messages import InvokeAnswer, card_answer, error_answer
from bot.framework.ports import Turn, positive_id
from bot.framework.router import Router
from bot.out.person_links import invitation_view
from dialogs.cards.pool import invitation_card
from dialogs.i18n import t
from dialogs.refusals import refusal_text
from storage import invitations
from storage.db.models import Invitation, Participant, Request
from storage.domain.refusal import Refused
from storage.invitations import Answerer

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()


async def own_invitation(
    turn: Turn, services: Services, data: dict[str, Any]
) -> tuple[Invitation, Participant, Request] | InvokeAnswer:
    """The invitation `data.invitation_id` names, its participant and its
    request as they stand, if the presser is that participant (their AAD
    object id); else the error answer, the same for an invitation that is
    not there and one that is someone else's."""
    invitation_id = positive_id(data, "invitation_id")
    if invitation_id is None:
        return error_answer("bad_invitation", t(turn.locale, "participant.error.bad_invitation"))
    async with services.db.reading() as session:
        found = await invitations.invitation_of(
            session, Answerer(aad_object_id=turn.person.aad_object_id), invitation_id
        )
    if found is None:
        log.info("invitation %s: pressed by someone it is not for, refused", invitation_id)
        return error_answer("not_yours", t(turn.locale, "participant.error.not_yours"), 403)
    return found


async def _answer(
    turn: Turn, services: Services, data: dict[str, Any], accept: bool
) -> InvokeAnswer:
    """The answer and the card as it now stands, drawn from what the answer
    committed (or, refused, from the invitation as it stands)."""
    invitation_id = positive_id(data, "invitation_id")
    if invitation_id is None:
        return error_answer("bad_invitation", t(turn.locale, "participant.error.bad_invitation"))
    answerer = Answerer(aad_object_id=turn.person.aad_object_id)
    try:
        async with services.db.transaction() as session:
            answered = await invitations.answer_invitation(
                session,
                answerer,
                invitation_id,
                accept=accept,
                via="teams",
                now=services.clock.now(),
            )
    except Refused as refused:
        log.info("invitation %s: answer refused (%s)", invitation_id, refused.key)
        own = await own_invitation(turn, services, data)
        if isinstance(own, InvokeAnswer):
            return own
        invitation, participant, request = own
        locale = participant.locale
        view = invitation_view(services.settings, locale, invitation, request)
        return card_answer(invitation_card(locale, view, notice=refusal_text(locale, refused)))
    log.info("invitation %s answered in Teams (matched: %s)", invitation_id, answered.matched)
    locale = answered.participant.locale
    view = invitation_view(services.settings, locale, answered.invitation, answered.request)
    return card_answer(invitation_card(locale, view, notice=t(locale, answered.notice)))


@router.verb("accept_invitation")
async def accept(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    return await _answer(turn, services, data, True)


@router.verb("decline_invitation")
async def decline(turn: Turn, services: Services, data: dict[str, Any]) -> InvokeAnswer:
    return await _answer(turn, services, data, False)
