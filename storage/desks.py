"""Desks: the teams that receive requests and keep a pool (SPEC "Desks, units
and commissioners"). An installation from before desks is the desk `default`
(migration 0015). A desk's rows are narrowed to it by storage/db/scope.py;
this module reads and writes the desks themselves."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.db import scope
from storage.db.models import DEFAULT_DESK_ID, Desk, Request
from storage.domain.fees import Rates, RatesError, load_rates
from storage.domain.invoice_terms import InvoiceTerms
from storage.domain.refusal import Refused
from storage.domain.requests import OPEN_STATUSES
from storage.notifications import CardPosted, record

DEFAULT_CODE = "default"
CODE = re.compile(r"[a-z0-9-]{2,20}")
NAME_MAX = 120

__all__ = ["DEFAULT_CODE", "DEFAULT_DESK_ID", "NewDesk", "add", "by_channel", "by_code"]


@dataclass(frozen=True)
class NewDesk:
    code: str
    name_nb: str
    name_nn: str | None = None
    name_en: str | None = None
    rates_path: str | None = None
    payroll_email: str | None = None
    invoices: bool = False
    outside_orders: bool = False
    admins: tuple[str, ...] = ()
    # SMS segments a month (None: MEDVIRK_SMS_BUDGET).
    sms_budget: int | None = None


async def add(session: AsyncSession, new: NewDesk, *, now: datetime) -> Desk:
    code = new.code.strip().lower()
    if not CODE.fullmatch(code):
        raise Refused("desks.error.bad_code", field="code", code=new.code)
    names = [n.strip() if n else None for n in (new.name_nb, new.name_nn, new.name_en)]
    if not names[0]:
        raise Refused("desks.error.no_name", field="name")
    if any(n and len(n) > NAME_MAX for n in names):
        raise Refused("desks.error.name_too_long", field="name", max=NAME_MAX)
    if await by_code(session, code) is not None:
        raise Refused("desks.error.taken", field="code", code=code)
    desk = Desk(
        code=code,
        name_nb=names[0],
        name_nn=names[1],
        name_en=names[2],
        rates_path=new.rates_path,
        payroll_email=new.payroll_email,
        invoices=new.invoices,
        outside_orders=new.outside_orders,
        admins=sorted({a.strip().lower() for a in new.admins if a.strip()}),
        sms_budget=new.sms_budget,
        created_at=now,
    )
    session.add(desk)
    await session.flush()
    return desk


async def every(session: AsyncSession) -> list[Desk]:
    return list(await session.scalars(select(Desk).order_by(Desk.id)))


async def by_code(session: AsyncSession, code: str) -> Desk | None:
    return await session.scalar(select(Desk).where(Desk.code == code.strip().lower()))


async def known(session: AsyncSession, code: str) -> Desk:
    desk = await by_code(session, code)
    if desk is None:
        raise Refused("desks.error.unknown", field="code", code=code)
    return desk


async def by_channel(session: AsyncSession, channel_id: str) -> Desk | None:
    """The desk whose channel this is (a thread's id names its channel first)."""
    return await session.scalar(select(Desk).where(Desk.channel_id == channel_id.split(";")[0]))


def rates_of(desk: Desk | None, *, default: Rates) -> Rates:
    """The fee rates a desk pays by: its own file, or the deployment's."""
    if desk is None or not desk.rates_path:
        return default
    path = Path(desk.rates_path)
    return _rates_file(str(path), path.stat().st_mtime_ns)


def invoice_terms(default: Rates) -> Callable[[Desk], InvoiceTerms | None]:
    """A desk's invoicing terms (its rates' `[invoice]`), None for a desk
    without them or whose rates cannot be read (the report goes on without)."""

    def terms(desk: Desk) -> InvoiceTerms | None:
        try:
            return rates_of(desk, default=default).invoice
        except (RatesError, OSError):
            return None

    return terms


@functools.lru_cache(maxsize=32)
def _rates_file(path: str, mtime_ns: int) -> Rates:
    # Read again when the file changes (its modification time is in the key).
    return load_rates(path)


def elsewhere(among: Iterable[Desk], desk_id: int, locale: str) -> tuple[tuple[str, str], ...]:
    """The desks with a channel other than `desk_id` (code, name): where a
    request of `desk_id` may be sent."""
    return tuple((d.code, d.name(locale)) for d in among if d.id != desk_id and d.channel_id)


async def home(session: AsyncSession) -> Desk | None:
    """The first desk with a channel (whose tenant the bot installs itself in)."""
    return await session.scalar(
        select(Desk).where(Desk.channel_id.is_not(None)).order_by(Desk.id).limit(1)
    )


async def register_channel(
    session: AsyncSession,
    code: str,
    *,
    team_id: str,
    channel_id: str,
    service_url: str,
    tenant_id: str | None,
    by: str | None,
    now: datetime,
) -> Desk:
    """Make this channel the desk's (registering again moves it; a channel is one
    desk's at a time). Its open requests not yet in this channel get their card."""
    desk = await known(session, code)
    previous = await by_channel(session, channel_id)
    if previous is not None and previous.id != desk.id:
        previous.channel_id = previous.team_id = None
        await session.flush()
    desk.team_id = team_id
    desk.channel_id = channel_id
    desk.service_url = service_url
    desk.tenant_id = tenant_id
    desk.registered_by = by
    desk.registered_at = now
    await session.flush()
    with scope.within({desk.id}):
        unposted = await session.scalars(
            select(Request).where(
                Request.status.in_([s.value for s in OPEN_STATUSES]),
                (Request.channel_conversation_id.is_(None))
                | (~Request.channel_conversation_id.startswith(channel_id)),
            )
        )
        for request in unposted:
            request.channel_activity_id = None
            request.channel_conversation_id = None
            await record(session, CardPosted(request.id, channel_id), now=now)
    return desk


async def channel_of(session: AsyncSession, request: Request) -> Desk | None:
    """The request's desk, where it has a channel."""
    desk = await session.get(Desk, request.desk_id)
    return desk if desk is not None and desk.channel_id else None


async def remember_card(
    session: AsyncSession, item: outbox.OutboxItem, activity_id: str | None
) -> None:
    """A request's card was posted: keep its activity id, to edit it in place."""
    if item.operation != outbox.Operation.SEND or not activity_id or item.subject_id is None:
        return
    request = await session.get(Request, item.subject_id)
    if request is None:
        return
    channel_id = item.target_key.split(";")[0]
    request.channel_activity_id = activity_id
    # Teams names a channel post's thread "<channel id>;messageid=<activity id>".
    request.channel_conversation_id = f"{channel_id};messageid={activity_id}"
