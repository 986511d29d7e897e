"""Channel commands: `registrer kanal`, `oversikt`, `statistikk <år>`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.features.requests.notices import digest_card_now
from bot.framework.ports import Turn
from bot.framework.router import PRIORITY_TEAM, Router
from dialogs.cards.requests import stats_card
from dialogs.i18n import t
from dialogs.reports import sections
from storage import desks, privacy, reports
from storage.reports.annual import annual

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

# The team's figures and open requests: only where the team works, for its members.
router = Router(guards=PRIORITY_TEAM)


# Admins make a channel a desk's from anywhere (admin_only in the command table):
# `registrer kanal alrek`; without a code, the desk `default`.
@router.channel_command("register_channel", waive=PRIORITY_TEAM)
async def register_channel(turn: Turn, services: Services, argument: str) -> None:
    if not turn.team_id or not turn.channel_id:
        await turn.reply(t(turn.locale, "channel.not_in_team"))
        return
    code = argument.strip() or desks.DEFAULT_CODE
    async with services.db.transaction() as session:
        desk = await desks.register_channel(
            session,
            code,
            team_id=turn.team_id,
            channel_id=turn.channel_id,
            service_url=turn.service_url,
            tenant_id=turn.tenant_id,
            by=turn.person.key,
            now=services.clock.now(),
        )
    services.desks.forget()
    log.info("a desk's channel registered")
    await turn.reply(t(turn.locale, "channel.registered", desk=desk.name(turn.locale)))


@router.channel_command("overview")
async def overview(turn: Turn, services: Services, argument: str) -> None:
    async with services.db.transaction() as session:
        card = await digest_card_now(session, services.settings, services.clock.now())
        await privacy.record_read(
            session, reader=turn.person.key, what="overview", via="teams", now=services.clock.now()
        )
    await turn.card(card)


@router.channel_command("statistics")
async def statistics(turn: Turn, services: Services, argument: str) -> None:
    year = argument.strip()
    # ASCII only: "²⁰²⁶" is digits to `isdigit()` but not to `int()`.
    if not (year.isascii() and year.isdigit() and len(year) == 4 and 2000 <= int(year) <= 2100):
        await turn.reply(t(turn.locale, "stats.bad_year"))
        return
    now = services.clock.now()
    async with services.db.transaction() as session:
        figures = await reports.year_figures(session, int(year), zone=services.settings.zone)
        report = await annual(
            session,
            int(year),
            zone=services.settings.zone,
            now=now,
            terms_of=desks.invoice_terms(services.settings.fee_rates),
        )
        await privacy.record_read(
            session,
            reader=turn.person.key,
            what=f"statistics {year}",
            via="teams",
            now=services.clock.now(),
        )
    links = await services.links.get()
    await turn.card(
        stats_card(
            turn.locale,
            figures.as_dict(),
            headline=sections(report, turn.locale)[0].rows[:6],
            report_url=links.report_url(int(year), turn.locale, desks=turn.desks, now=now),
        )
    )
