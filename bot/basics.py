"""Help and the welcome, in personal chat and in channels."""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.dialogs import DialogContext

from bot.handler import MedvirkBot
from bot.turns import card_activity, locale_of
from dialogs.cards.help import help_card
from dialogs.commands import Match


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
