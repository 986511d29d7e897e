"""Help and the welcome, in personal chat and in channels."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.dialogs import DialogContext

from bot.handler import MedvirkBot
from bot.turns import card_activity, locale_of
from dialogs.cards.help import help_card
from dialogs.commands import Match
from scheduler.runner import parse_weekly
from storage import privacy

log = logging.getLogger(__name__)


def register(bot: MedvirkBot) -> None:
    settings = bot.services.settings

    async def show_help(ctx: TurnContext, dc: DialogContext, match: Match) -> None:
        locale = locale_of(ctx)
        await ctx.send_activity(card_activity(help_card(locale, settings.links())))
        if dc.active_dialog is not None:
            # Help in the middle of a dialog: show the question again.
            await dc.reprompt_dialog()

    bot.personal_commands["help"] = show_help
    bot.channel_commands["help"] = show_help

    if settings.retention:
        age = privacy.parse_age(settings.retention)
        services = bot.services

        async def weekly_purge() -> None:
            async with services.db.transaction() as session:
                result = await privacy.purge(session, older_than=age, now=services.clock.now())
            log.info("retention: %d requests purged", result.requests)

        services.extras["scheduler"].cron(
            "retention_purge", parse_weekly("sun 03:00", settings.zone), weekly_purge
        )
