"""The requester's own cancel, from the `mine` card."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.framework.ports import Turn, positive_id
from bot.framework.router import Guard, Router
from dialogs.i18n import t
from storage.db.models import Request
from storage.domain.requests import Role
from storage.requests import moves
from storage.requests.moves import Actor, roles_of

if TYPE_CHECKING:
    from bot.services import Services

router = Router()


@router.submit("cancel_request", guards=(Guard.PERSONAL,))
async def cancel_request(turn: Turn, services: Services, value: dict[str, Any]) -> None:
    request_id = positive_id(value, "request_id")
    if request_id is None:
        await turn.reply(t(turn.locale, "channel.error.bad_request_id"))
        return
    async with services.db.reading() as session:
        found = await session.get(Request, request_id)
    requester = Actor(turn.person.key, turn.person.name)
    if found is None or Role.REQUESTER not in roles_of(found, requester, member=False):
        # The same answer for a request that is not there and one that is not theirs.
        await turn.reply(t(turn.locale, "channel.error.unknown_request"))
        return
    # A refused cancel is the router's to answer (a reply in the turn's language).
    async with services.db.transaction() as session:
        request = await moves.cancel_by_requester(
            session, request_id, turn.person.key, now=services.clock.now()
        )
        reference = request.reference
    await turn.reply(t(turn.locale, "notice.cancelled_by_you", reference=reference))
