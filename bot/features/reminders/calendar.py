"""`GET /calendar/<token>.ics`: a gathering as an iCalendar event."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from aiohttp import web
from icalendar import Calendar, Event
from sqlalchemy import select

from bot.framework.router import Router
from storage.db.models import Gathering
from storage.domain.reminders import SubjectStatus

if TYPE_CHECKING:
    from bot.services import Services

router = Router()


@router.get("/calendar/{token}.ics")
async def calendar(request: web.Request, services: Services) -> web.Response:
    token = request.match_info["token"]
    if not (8 <= len(token) <= 64):
        raise web.HTTPNotFound()
    async with services.db.sessions() as session:
        gathering = await session.scalar(select(Gathering).where(Gathering.calendar_token == token))
    if gathering is None or gathering.status != SubjectStatus.ACTIVE:
        raise web.HTTPNotFound()
    return web.Response(
        body=ics_of(gathering),
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="gathering-{gathering.id}.ics"'},
    )


@router.get("/calendar/{token}/programme.pdf")
async def programme(request: web.Request, services: Services) -> web.Response:
    """The programme's PDF, by the gathering's calendar token (the programme
    holds no one's data: it is the day's plan)."""
    token = request.match_info["token"]
    if not (8 <= len(token) <= 64):
        raise web.HTTPNotFound()
    async with services.db.sessions() as session:
        gathering = await session.scalar(select(Gathering).where(Gathering.calendar_token == token))
    if gathering is None or gathering.status != SubjectStatus.ACTIVE or not gathering.programme_pdf:
        raise web.HTTPNotFound()
    return web.Response(
        body=gathering.programme_pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="programme-{gathering.id}.pdf"'},
    )


def ics_of(gathering: Gathering) -> bytes:
    """The gathering as an iCalendar file (the download and the e-mail attachment)."""
    cal = Calendar()
    cal.add("prodid", "-//medvirk//brukermedvirkning//NO")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"gathering-{gathering.id}@medvirk")
    event.add("summary", gathering.title)
    event.add("dtstart", gathering.starts_at)
    event.add("dtend", gathering.ends_at or gathering.starts_at + timedelta(hours=2))
    event.add("dtstamp", gathering.created_at)
    if gathering.place:
        event.add("location", gathering.place)
    if gathering.register_url:
        event.add("url", gathering.register_url)
    cal.add_component(event)
    return bytes(cal.to_ical())
