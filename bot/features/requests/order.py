"""The order flow in personal chat: `bestill`, `mine`, `avbryt`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from bot.features.requests.units import RegisterLookup
from bot.framework.ports import Turn
from bot.framework.router import Router
from dialogs.cards.order import my_requests_card
from dialogs.i18n import t
from dialogs.order import ORDER_DIALOG, OrderDialog
from storage import units
from storage.domain.requests import CANCELLABLE
from storage.requests import Requester, requests_of, submit_request, submitted_as

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()


def requester_of(turn: Turn) -> Requester:
    person = turn.person
    return Requester(
        user_id=person.user_id,
        aad_object_id=person.aad_object_id,
        name=person.name,
        email=person.email,
        locale=turn.locale,
    )


async def submit_order(
    turn: Turn, services: Services, answers: dict[str, Any], submission_key: str
) -> str:
    """Store a confirmed order once per dialog, at its unit's desk (a unit not
    in the register: the desk `default`); its reference."""
    code = answers.get("unit_code")
    try:
        async with services.db.transaction() as session:
            unit = await units.by_code(session, code) if isinstance(code, str) else None
            request = await submit_request(
                session,
                answers,
                requester_of(turn),
                now=services.clock.now(),
                submission_key=submission_key,
                unit=unit,
            )
            reference = request.reference
    except IntegrityError:
        # The same dialog confirmed twice at once: the other confirm stored it.
        async with services.db.sessions() as session:
            earlier = await submitted_as(session, submission_key)
        if earlier is None:
            raise
        log.info("request %s: a second confirm of its dialog stored nothing", earlier.reference)
        return earlier.reference
    log.info("request %s submitted", reference)
    return reference


@router.dialog
def order_dialog(services: Services, turn_of: Callable[[Any], Turn]) -> OrderDialog:
    async def submit(context: Any, answers: dict[str, Any], submission_key: str) -> str:
        return await submit_order(turn_of(context), services, answers, submission_key)

    settings = services.settings
    return OrderDialog(
        clock=services.clock,
        zone=settings.zone,
        links=settings.links,
        submit=submit,
        units=RegisterLookup(services.db),
    )


@router.personal_command("order")
async def order(turn: Turn, services: Services, argument: str) -> None:
    await turn.dialogs.cancel_all()
    await turn.reply(t(turn.locale, "order.intro"))
    await turn.dialogs.begin(ORDER_DIALOG, OrderDialog.start_options())


@router.personal_command("cancel")
async def cancel(turn: Turn, services: Services, argument: str) -> None:
    if not await turn.dialogs.is_active():
        await turn.reply(t(turn.locale, "order.nothing_to_cancel"))
        return
    await turn.dialogs.cancel_all()
    await turn.reply(t(turn.locale, "order.cancelled"))


@router.personal_command("my_requests")
async def my_requests(turn: Turn, services: Services, argument: str) -> None:
    rows = await requests_of(services.db, requester_of(turn))
    if not rows:
        await turn.reply(t(turn.locale, "mine.empty"))
    else:
        items = [
            {
                "id": r.id,
                "reference": r.reference,
                "title": r.title,
                "status": r.status,
                "cancellable": r.status in CANCELLABLE,
            }
            for r in rows
        ]
        await turn.card(my_requests_card(turn.locale, items))
    await turn.dialogs.reprompt()
