"""The annual report's PDF behind the `statistikk` card's signed link
(`/r/<token>`: a year and a language, valid for a week). The figures are
counts only, with no group under 5 people; every download is on the read
audit. The PDF is drawn once per year, language and day (`ReportPdfs`)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.framework.router import Router
from bot.out.links import REPORT, BadLink, ExpiredLink
from bot.out.pages import error_page, page_locale
from dialogs.i18n import LOCALES
from dialogs.reports import report_pdf
from storage import desks, privacy
from storage.db import scope
from storage.db.models import DEFAULT_DESK_ID
from storage.reports.annual import annual

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()


@router.get("/r/{token}")
async def report_download(request: web.Request, services: Services) -> web.Response:
    locale = page_locale(request)
    links = await services.links.get()
    now = services.clock.now()
    try:
        payload = links.read(REPORT, request.match_info["token"], now=now.timestamp())
    except ExpiredLink:
        return error_page(locale, "page.expired_link", 410)
    except BadLink:
        return error_page(locale, "page.bad_link", 404)
    year, language = payload.get("y"), payload.get("l")
    if not isinstance(year, int) or language not in LOCALES:
        return error_page(locale, "page.bad_link", 404)
    # The desks of the channel the link was asked for in; a link from before
    # desks is the desk `default`'s.
    raw_desks = payload.get("d", [DEFAULT_DESK_ID])
    if not isinstance(raw_desks, list) or not all(isinstance(d, int) for d in raw_desks):
        return error_page(locale, "page.bad_link", 404)
    desk_ids = frozenset(raw_desks)
    async with services.db.transaction() as session:
        await privacy.record_read(
            session,
            reader="link",
            what=f"report {year} of desks {','.join(map(str, sorted(desk_ids)))}",
            via="teams",
            now=now,
        )
    made = now.astimezone(services.settings.zone)

    async def render() -> bytes:
        with scope.within(desk_ids):
            async with services.db.sessions() as session:
                figures = await annual(
                    session,
                    year,
                    zone=services.settings.zone,
                    now=now,
                    terms_of=desks.invoice_terms(services.settings.fee_rates),
                )
        # Charts take a while to draw: off the event loop.
        return await asyncio.to_thread(report_pdf, figures, str(language), made=made)

    data = await services.report_pdfs.get((year, str(language), made.date(), desk_ids), render)
    log.info("annual report %s downloaded (%d bytes)", year, len(data))
    return web.Response(
        body=data,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="medvirk-{year}.pdf"',
            "Cache-Control": "no-store",
        },
    )
