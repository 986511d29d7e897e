"""Help and the welcome, in personal chat and in channels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.framework.ports import ConversationKind, Event, Turn
from bot.framework.router import Router
from dialogs.cards.help import help_card
from dialogs.i18n import t

if TYPE_CHECKING:
    from bot.services import Services

router = Router()


@router.personal_command("help")
@router.channel_command("help")
async def show_help(turn: Turn, services: Services, argument: str) -> None:
    await turn.card(help_card(turn.locale, services.settings.links()))
    # Help in the middle of a dialog: show the question again.
    await turn.dialogs.reprompt()


@router.on(Event.BOT_ADDED)
async def welcome(turn: Turn, services: Services) -> None:
    if turn.kind is ConversationKind.PERSONAL:
        await turn.reply(t(turn.locale, "welcome"))
