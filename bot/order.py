"""The order flow in personal chat: `bestill`, `mine`, `avbryt`."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import DialogContext

from bot.handler import MedvirkBot
from bot.turns import card_activity, locale_of, requester_of
from dialogs.cards.order import my_requests_card
from dialogs.commands import Match
from dialogs.i18n import t
from dialogs.order import ORDER_DIALOG, OrderDialog
from storage.domain import CANCELLABLE
from storage.requests import requests_of, submit_request

log = logging.getLogger(__name__)


def register(bot: MedvirkBot) -> None:
    services = bot.services
    settings = services.settings

    async def submit(ctx: TurnContext, answers: dict[str, Any]) -> str:
        async with services.db.transaction() as session:
            request = await submit_request(
                session, answers, requester_of(ctx), now=services.clock.now()
            )
            reference = request.reference
        log.info("request %s submitted", reference)
        return reference

    services.dialogs.add(
        OrderDialog(clock=services.clock, zone=settings.zone, links=settings.links, submit=submit)
    )

    async def order(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        await dc.cancel_all_dialogs()
        await ctx.send_activity(t(locale_of(ctx), "order.intro"))
        await dc.begin_dialog(ORDER_DIALOG, OrderDialog.start_options())

    async def cancel(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        locale = locale_of(ctx)
        if dc.active_dialog is None:
            await ctx.send_activity(t(locale, "order.nothing_to_cancel"))
            return
        await dc.cancel_all_dialogs()
        await ctx.send_activity(t(locale, "order.cancelled"))

    async def my_requests(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        locale = locale_of(ctx)
        rows = await requests_of(services.db, requester_of(ctx))
        if not rows:
            await ctx.send_activity(t(locale, "mine.empty"))
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
            await ctx.send_activity(card_activity(my_requests_card(locale, items)))
        if dc.active_dialog is not None:
            await dc.reprompt_dialog()

    bot.personal_commands["order"] = order
    bot.personal_commands["cancel"] = cancel
    bot.personal_commands["my_requests"] = my_requests
