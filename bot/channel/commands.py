"""Channel commands: `registrer kanal`, `oversikt`, `statistikk <år>`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.channel.notices import digest_card_now
from bot.ports import Turn
from bot.router import Router
from dialogs.cards.channel import stats_card
from dialogs.i18n import t
from storage import priority_channel, reports

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()


@router.channel_command("register_channel")  # admin_only in the command table
async def register_channel(turn: Turn, services: Services, argument: str) -> None:
    if not turn.team_id or not turn.channel_id:
        await turn.reply(t(turn.locale, "channel.not_in_team"))
        return
    async with services.db.transaction() as session:
        await priority_channel.register(
            session,
            team_id=turn.team_id,
            channel_id=turn.channel_id,
            service_url=turn.service_url,
            tenant_id=turn.tenant_id,
            by=turn.person.key,
            now=services.clock.now(),
        )
    services.priority_channel.forget()
    log.info("priority channel registered")
    await turn.reply(t(turn.locale, "channel.registered"))


@router.channel_command("overview")
async def overview(turn: Turn, services: Services, argument: str) -> None:
    async with services.db.sessions() as session:
        card = await digest_card_now(session, services)
    await turn.card(card)


@router.channel_command("statistics")
async def statistics(turn: Turn, services: Services, argument: str) -> None:
    year = argument.strip()
    if not (year.isdigit() and len(year) == 4):
        await turn.reply(t(turn.locale, "stats.bad_year"))
        return
    async with services.db.sessions() as session:
        figures = await reports.year_figures(session, int(year), zone=services.settings.zone)
    await turn.card(stats_card(turn.locale, figures.as_dict()))
