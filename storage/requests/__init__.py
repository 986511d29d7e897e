"""Requests: submit, read, and move through the lifecycle with an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import units
from storage.db import Database
from storage.db.models import AuditEntry, Desk, Request, RequestSequence, Unit
from storage.domain.fields import FIELDS, Kind
from storage.domain.requests import Status
from storage.notifications import CardPosted, record


@dataclass(frozen=True)
class Requester:
    """Who orders, as the conversation tells it (never asked)."""

    user_id: str
    aad_object_id: str | None
    name: str | None
    email: str | None
    locale: str


def format_reference(year: int, seq: int) -> str:
    return f"BM-{year}-{seq:04d}"


async def next_reference(session: AsyncSession, year: int) -> str:
    """Atomically take the next number of the year (an upsert, no read-then-write)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert_ = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert_(RequestSequence)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=["year"], set_={"last": RequestSequence.last + 1})
        .returning(RequestSequence.last)
    )
    seq = (await session.execute(stmt)).scalar_one()
    return format_reference(year, seq)


def _column_values(answers: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in FIELDS:
        value = answers.get(spec.name)
        if spec.kind is Kind.DATE and isinstance(value, str):
            value = date.fromisoformat(value)
        values[spec.name] = value
    return values


_AUDIT = insert(cast(Table, AuditEntry.__table__))  # built once


async def audit(
    session: AsyncSession,
    request: Request,
    *,
    now: datetime,
    actor_aad_id: str | None,
    actor_name: str | None,
    from_status: str | None,
    to_status: str,
    comment: str | None = None,
) -> None:
    """A row in the audit log, in the caller's transaction."""
    await session.execute(
        _AUDIT,
        {
            "request_id": request.id,
            "at": now,
            "actor_aad_id": actor_aad_id,
            "actor_name": actor_name,
            "from_status": from_status,
            "to_status": to_status,
            "comment": comment,
        },
    )


async def submitted_as(session: AsyncSession, submission_key: str) -> Request | None:
    """The request an order dialog already submitted, if it did."""
    return await session.scalar(select(Request).where(Request.submission_key == submission_key))


async def submit_request(
    session: AsyncSession,
    answers: dict[str, Any],
    requester: Requester,
    *,
    now: datetime,
    submission_key: str | None = None,
    desk_id: int | None = None,
    unit: Unit | None = None,
) -> Request:
    """Store a validated request as `submitted`, in the caller's transaction,
    at `desk_id` (None: `unit`'s desk, else the desk in scope, or the desk
    `default`). A `unit` from the register is named by id and its name now
    (bokmål) is the free text; its contact is told.

    With a `submission_key` already used, nothing is stored: the request made
    then is returned (a unique constraint decides a race of two at once)."""
    if submission_key is not None:
        earlier = await submitted_as(session, submission_key)
        if earlier is not None:
            return earlier
    columns = _column_values(answers)
    if unit is not None:
        columns["unit"] = unit.name_nb
        desk_id = unit.desk_id if desk_id is None else desk_id
    request = Request(
        desk_id=desk_id,
        unit_id=unit.id if unit is not None else None,
        submission_key=submission_key,
        reference=await next_reference(session, now.year),
        status=Status.SUBMITTED.value,
        requester_user_id=requester.user_id,
        requester_aad_id=requester.aad_object_id,
        requester_name=requester.name,
        requester_email=requester.email,
        requester_locale=requester.locale,
        created_at=now,
        updated_at=now,
        **columns,
    )
    session.add(request)
    await session.flush()
    await audit(
        session,
        request,
        now=now,
        actor_aad_id=requester.aad_object_id,
        actor_name=requester.name,
        from_status=None,
        to_status=Status.SUBMITTED.value,
    )
    desk = await session.get(Desk, request.desk_id)
    posted = [CardPosted(request.id, desk.channel_id)] if desk and desk.channel_id else []
    told = await units.contact_told(session, request, "submitted", now=now)
    await record(session, *posted, *told, now=now)
    return request


async def requests_of(db: Database, requester: Requester, *, limit: int = 25) -> list[Request]:
    """The requester's own requests, newest first (by AAD id where Teams gives one)."""
    async with db.sessions() as session:
        who = (
            Request.requester_aad_id == requester.aad_object_id
            if requester.aad_object_id
            else Request.requester_user_id == requester.user_id
        )
        rows = await session.scalars(
            select(Request).where(who).order_by(Request.id.desc()).limit(limit)
        )
        return list(rows)
