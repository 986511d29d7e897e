"""The durable outbox: every proactive message is a row first.

Rows are written in the same transaction as the change that causes them (by
`storage.notifications`, from the events a use case records), then
leased by one sender at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite
serialises writers), delivered, and marked sent, retried later or failed.
Leases are short and renewed while their sender lives (a heartbeat), so a row
of a process that died is due again seconds later, on a restarted process or
on one still running; nothing is lost, and at most the sends in flight at a
crash go twice.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.db import Database, rowcount
from storage.db.models import OutboxMessage
from storage.domain.outbox import OUTBOX, OutboxState

log = logging.getLogger(__name__)


class Channel(StrEnum):
    """How a sent row reached its person."""

    TEAMS = "teams"
    EMAIL = "email"
    SMS = "sms"


# Failed rows whose person the bot has no way to reach (no chat, no address).
UNREACHABLE = "unreachable"
# Kept with a row sent as a file of the mail folder (no MEDVIRK_SMTP_URL).
FOLDER_NOTE = "written to the mail folder, not sent (no MEDVIRK_SMTP_URL)"


class TargetKind(StrEnum):
    PERSONAL = "personal"  # a person's personal chat; target_key is their person key
    CHANNEL = "channel"  # a new post in the priority channel
    CHANNEL_THREAD = "channel_thread"  # a post already there; target_key is its thread


class Operation(StrEnum):
    SEND = "send"
    UPDATE = "update"  # edit target_activity_id in place


class Render(StrEnum):
    """Renderers of rows rendered at send time (`payload.render`)."""

    REQUEST_CARD = "request_card"
    REQUEST_NOTICE = "request_notice"
    # A unit's contact hears of a request from their unit (submitted, matched).
    UNIT_NOTICE = "unit_notice"
    DIGEST = "digest"
    REMINDER = "reminder"
    GATHERING_CANCELLED = "gathering_cancelled"
    # Participants: the consent request, an invitation and its withdrawal, the
    # owner's notice of an answer, the requester's "who said yes", and the
    # question whether to stay after a long time without activity.
    CONSENT_REQUEST = "consent_request"
    INVITATION = "invitation"
    INVITATION_WITHDRAWN = "invitation_withdrawn"
    INVITATION_NOTICE = "invitation_notice"
    MATCHED = "matched"
    STAY_QUESTION = "stay_question"
    # A participant's own links: the page with their data (asked for on any of
    # their pages), and the notice to their old address that it was changed.
    OWN_DATA_LINK = "own_data_link"
    CONTACT_CHANGED = "contact_changed"
    # After the match: the agreement and the confidentiality declaration to sign.
    DOCUMENTS_REQUEST = "documents_request"
    # The fee claim: the requester's form, the participant's confirmation, the
    # PDF to payroll.
    CLAIM_FORM = "claim_form"
    CLAIM_CONFIRM = "claim_confirm"
    CLAIM_PAYROLL = "claim_payroll"
    # The evaluation (and its reminders), and the requester's "what your
    # input changed" to each participant.
    EVALUATION = "evaluation"
    IMPACT = "impact"
    # A request named in the channel: unclaimed too long, or not matched in time.
    ESCALATION = "escalation"
    # A posted card that showed participants, replaced by a neutral one
    # (storage/outbox/posted_cards.py).
    CARD_REMOVED = "card_removed"
    # A request's card in the desk it left: where it went.
    REQUEST_MOVED = "request_moved"
    # The web order form: the signed link to the form (or to one's requests)
    # for an address that asked for it, and the receipt of an order.
    ORDER_LINK = "order_link"
    ORDER_RECEIPT = "order_receipt"
    # The owner's question to the requester (by e-mail: answered by replying).
    REQUEST_QUESTION = "request_question"
    # A gathering's seat came free: offered to the first waiting.
    SEAT_OFFER = "seat_offer"
    # Its programme, to those with a seat.
    PROGRAMME = "programme"
    GATHERING_LINK = "gathering_link"
    GATHERING_EVALUATION = "gathering_evaluation"
    # SMS: a desk near or at its month's budget (its channel); an answer to a
    # number that wrote to us (`sms:<number>`).
    SMS_BUDGET = "sms_budget"
    SMS_REPLY = "sms_reply"


# Rows for an address that is no person of medvirk's (payroll's, or the address
# a participant just left), e-mailed as it is. Contacts without an account are
# `mail:<address>`: not this.
ADDRESS_PREFIX = "office:"


def address_key(address: str) -> str:
    return f"{ADDRESS_PREFIX}{address}"


def address_of_key(key: str) -> str | None:
    return key[len(ADDRESS_PREFIX) :] if key.startswith(ADDRESS_PREFIX) else None


MAX_ATTEMPTS = 12
# How long a taken row stays with its sender unless renewed; after a crash it is
# due again then (the sender's is `MEDVIRK_OUTBOX_LEASE_SECONDS`, renewed every
# eighth of it while the sender lives: a minute made a round wait a minute).
DEFAULT_LEASE = timedelta(seconds=4)


@dataclass(frozen=True)
class OutboxItem:
    """A leased row, detached from its session."""

    id: int
    operation: str
    target_kind: str
    target_key: str
    target_activity_id: str | None
    payload: dict[str, Any]
    subject_kind: str | None
    subject_id: int | None
    attempts: int
    # The sender holding the lease; a row is marked only while it still holds it.
    worker: str = ""
    # When the lease it was taken with runs out (the sender's heartbeat extends it).
    leased_until: datetime | None = None


# Runs in the transaction that marks a row sent (e.g. remember the channel
# card's activity id): coroutine(session, item, activity_id).
DeliveryHook = Callable[[AsyncSession, OutboxItem, str | None], Awaitable[None]]


async def lease(
    db: Database,
    *,
    worker: str,
    now: datetime,
    limit: int = 100,
    lease: timedelta = DEFAULT_LEASE,
) -> list[OutboxItem]:
    """Take up to `limit` due rows for this worker; no other worker gets them."""
    async with db.transaction() as session:
        due = (
            select(OutboxMessage)
            .where(
                OutboxMessage.state == OutboxState.PENDING,
                OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
            )
            # Cards updated in place go ahead of new messages: after a claim
            # race, everybody's card shows the owner before any notice goes.
            .order_by(
                case((OutboxMessage.operation == Operation.UPDATE, 0), else_=1),
                OutboxMessage.next_attempt_at,
                OutboxMessage.id,
            )
            .limit(limit)
        )
        if db.dialect == "postgresql":
            due = due.with_for_update(skip_locked=True)
        rows = list((await session.scalars(due)).all())
        if not rows:
            return []
        items = [
            OutboxItem(
                id=r.id,
                operation=r.operation,
                target_kind=r.target_kind,
                target_key=r.target_key,
                target_activity_id=r.target_activity_id,
                payload=r.payload,
                subject_kind=r.subject_kind,
                subject_id=r.subject_id,
                attempts=r.attempts + 1,
                worker=worker,
                leased_until=now + lease,
            )
            for r in rows
        ]
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([item.id for item in items]))
            .values(locked_by=worker, locked_until=now + lease, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return items


async def next_due(db: Database, *, after: datetime) -> datetime | None:
    """When the next pending row not yet due falls due, or the next lease runs
    out (a sender that died holds it; None: neither)."""
    pending = OutboxMessage.state == OutboxState.PENDING
    async with db.reading() as session:
        due, lease_ends = (
            await session.execute(
                select(
                    select(func.min(OutboxMessage.next_attempt_at))
                    .where(pending, OutboxMessage.next_attempt_at > after)
                    .scalar_subquery(),
                    select(func.min(OutboxMessage.locked_until))
                    .where(pending, OutboxMessage.locked_until > after)
                    .scalar_subquery(),
                )
            )
        ).one()
    found: list[datetime] = [t for t in (due, lease_ends) if t is not None]
    return min(found) if found else None


async def mark_sent(
    db: Database,
    item: OutboxItem,
    *,
    now: datetime,
    activity_id: str | None,
    after: DeliveryHook | None = None,
    channel: Channel | None = None,
    note: str | None = None,
) -> None:
    """Sent; `note` is kept with the row (where `medvirk outbox` shows reasons)."""
    async with db.transaction() as session:
        marked = await session.execute(
            update(OutboxMessage)
            .where(*_held(item))
            .values(
                state=OutboxState.SENT,
                sent_at=now,
                activity_id=activity_id,
                channel=channel,
                locked_by=None,
                locked_until=None,
                last_error=note,
            )
        )
        if rowcount(marked) != 1:
            # Our lease ran out and another sender took the row: it records it.
            log.warning("outbox %s: sent, but the lease was lost meanwhile", item.id)
            return
        if after is not None:
            await after(session, item, activity_id)


@dataclass(frozen=True)
class SentMark:
    item: OutboxItem
    sent_at: datetime
    activity_id: str | None
    channel: Channel | None


async def mark_sent_many(db: Database, marks: list[SentMark]) -> None:
    """Mark many rows sent in one transaction (rows with no delivery hook): a
    reminder round at 200 a second must not spend a commit on each one. Rows
    whose lease another sender holds by now are left to it."""
    if not marks:
        return
    table = cast(Table, OutboxMessage.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.locked_by == bindparam("b_worker"))
        .values(
            state=OutboxState.SENT,
            sent_at=bindparam("b_sent_at"),
            activity_id=bindparam("b_activity_id"),
            channel=bindparam("b_channel"),
            locked_by=None,
            locked_until=None,
            last_error=None,
        )
    )
    async with db.transaction() as session:
        await session.execute(
            statement,
            [
                {
                    "b_id": m.item.id,
                    "b_worker": m.item.worker,
                    "b_sent_at": m.sent_at,
                    "b_activity_id": m.activity_id,
                    "b_channel": m.channel.value if m.channel is not None else None,
                }
                for m in marks
            ],
        )


def _held(item: OutboxItem) -> tuple[ColumnElement[bool], ...]:
    """The row, if this item's sender still holds its lease."""
    held = (OutboxMessage.id == item.id,)
    if item.worker:
        return (*held, OutboxMessage.locked_by == item.worker)
    return held


async def renew(db: Database, *, worker: str, now: datetime, lease: timedelta) -> int:
    """Extend the leases this worker holds (a long round must not lose its rows)."""
    async with db.transaction() as session:
        result = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.locked_by == worker, OutboxMessage.state == OutboxState.PENDING)
            .values(locked_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)


def backoff(attempts: int, *, base: float = 2.0, cap: float = 600.0) -> timedelta:
    """Exponential backoff with full jitter."""
    ceiling = min(cap, base * (2 ** max(0, attempts - 1)))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


async def mark_retry(
    db: Database,
    item: OutboxItem,
    *,
    now: datetime,
    delay: timedelta,
    error: str,
    count_attempt: bool = True,
) -> None:
    """Try again after `delay`; give up after MAX_ATTEMPTS. Pacing does not count."""
    if count_attempt and item.attempts >= MAX_ATTEMPTS:
        await mark_failed(db, item, now=now, reason=f"gave up after {item.attempts}: {error}")
        return
    values: dict[str, Any] = dict(
        next_attempt_at=now + delay, locked_by=None, locked_until=None, last_error=error[:500]
    )
    if not count_attempt:
        values["attempts"] = OutboxMessage.attempts - 1
    async with db.transaction() as session:
        await session.execute(update(OutboxMessage).where(*_held(item)).values(**values))


async def defer_many(
    db: Database, rows: list[tuple[OutboxItem, timedelta]], *, now: datetime
) -> None:
    """Give leased rows back to be sent after their delays, in one transaction
    (a round that leased more rows for one conversation than its limits let go
    out soon). Not an attempt: pacing is not a failure."""
    if not rows:
        return
    table = cast(Table, OutboxMessage.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.locked_by == bindparam("b_worker"))
        .values(
            next_attempt_at=bindparam("b_due"),
            locked_by=None,
            locked_until=None,
            attempts=table.c.attempts - 1,
            last_error="paced",
        )
    )
    async with db.transaction() as session:
        await session.execute(
            statement,
            [
                {"b_id": item.id, "b_worker": item.worker, "b_due": now + delay}
                for item, delay in rows
            ],
        )


async def mark_failed(db: Database, item: OutboxItem, *, now: datetime, reason: str) -> None:
    async with db.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(*_held(item))
            .values(
                state=OutboxState.FAILED, locked_by=None, locked_until=None, last_error=reason[:500]
            )
        )


async def mark_skipped(db: Database, item: OutboxItem, *, reason: str) -> None:
    """Nothing to send any more (e.g. the survey was answered meanwhile)."""
    async with db.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(*_held(item))
            .values(
                state=OutboxState.SKIPPED,
                locked_by=None,
                locked_until=None,
                last_error=reason[:500],
            )
        )


async def pending_count(db: Database, *, now: datetime | None = None) -> int:
    async with db.sessions() as session:
        stmt = select(func.count(OutboxMessage.id)).where(
            OutboxMessage.state == OutboxState.PENDING
        )
        if now is not None:
            stmt = stmt.where(
                and_(
                    OutboxMessage.next_attempt_at <= now,
                    or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
                )
            )
        return int(await session.scalar(stmt) or 0)


@dataclass(frozen=True)
class FailedRow:
    """A row an operator may look at: what it was, never whom or what it said."""

    id: int
    target_kind: str
    render: str
    attempts: int
    last_error: str | None
    created_at: datetime


async def failed_rows(db: Database, *, limit: int = 200) -> list[FailedRow]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.FAILED)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return [
            FailedRow(
                r.id,
                r.target_kind,
                str(r.payload.get("render") or "message"),
                r.attempts,
                r.last_error,
                r.created_at,
            )
            for r in rows
        ]


async def requeue(
    session: AsyncSession,
    *,
    now: datetime,
    ids: list[int] | None = None,
    dedupe_key: str | None = None,
) -> int:
    """Failed rows (these ids, the one of this dedupe key, or all) due again now,
    with their attempts counted anew."""
    stmt = update(OutboxMessage).where(OutboxMessage.state.in_(OUTBOX.sources(OutboxState.PENDING)))
    if ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(ids))
    if dedupe_key is not None:
        stmt = stmt.where(OutboxMessage.dedupe_key == dedupe_key)
    result = await session.execute(
        stmt.values(
            state=OutboxState.PENDING,
            attempts=0,
            next_attempt_at=now,
            locked_by=None,
            locked_until=None,
        ).execution_options(synchronize_session=False)
    )
    return rowcount(result)
