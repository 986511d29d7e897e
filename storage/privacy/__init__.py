"""Personal data: the retention purge and the audit trail (who read what,
never the content). A person's right to be forgotten, which reaches the pool,
invitations and fee claims, is `storage.privacy.erasure`, above them: this
module imports none of the use cases, so they may note their reads here."""

from __future__ import annotations

import re
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Result, String, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import AnySelect, Database, rowcount
from storage.db.models import (
    AuditEntry,
    Delivery,
    DialogStateRow,
    Evaluation,
    FeeClaim,
    Invitation,
    OutboxMessage,
    ReadEntry,
    Request,
)
from storage.domain.outbox import OutboxState
from storage.outbox import posted_cards

ANONYMOUS = "anonymised"
_AGE = re.compile(r"^(\d{1,4})(months?|m|days?|d|years?|y)$")


def parse_age(text: str) -> timedelta:
    """`24months`, `730d`, `2y` -> a duration (a month counts as 30 days)."""
    match = _AGE.match(text.strip().lower())
    if not match:
        raise ValueError(f"expected an age like 24months, 730d or 2y, got {text!r}")
    amount, unit = int(match.group(1)), match.group(2)
    days = {"m": 30, "d": 1, "y": 365}[unit[0]] * amount
    if days <= 0:
        raise ValueError("the age must be more than zero")
    return timedelta(days=days)


# Kept a short, fixed time whatever MEDVIRK_RETENTION says: a dialog nobody
# finished (its answers may be half an order), and a message already sent or
# given up (its row names its recipient).
ABANDONED_DIALOG = timedelta(days=30)
FINISHED_MESSAGE = timedelta(days=30)
# A payment's record is kept this many years after the year it was paid in.
BOOKKEEPING_YEARS = 5
_DONE = (OutboxState.SENT, OutboxState.FAILED, OutboxState.SKIPPED)


@dataclass(frozen=True)
class PurgeResult:
    requests: int
    dialog_states: int = 0
    outbox_rows: int = 0
    deliveries: int = 0
    # Channel cards that showed participants, replaced by the neutral card.
    posted_cards: int = 0
    # Fee claims whose payee's name and contact bookkeeping no longer needs.
    payees: int = 0


async def purge_short_lived(session: AsyncSession, *, now: datetime) -> PurgeResult:
    """Abandoned dialog state, finished outbox rows and the channel's lists
    of participants, after their fixed time."""
    states = await session.execute(
        delete(DialogStateRow).where(DialogStateRow.updated_at < now - ABANDONED_DIALOG)
    )
    rows = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.state.in_(_DONE), OutboxMessage.created_at < now - FINISHED_MESSAGE
        )
    )
    posted = await posted_cards.retract(
        session, now=now, posted_before=now - posted_cards.SHOWN_FOR
    )
    return PurgeResult(
        0, dialog_states=rowcount(states), outbox_rows=rowcount(rows), posted_cards=posted
    )


async def purge(session: AsyncSession, *, older_than: timedelta, now: datetime) -> PurgeResult:
    """Delete free text and requester details of requests closed before `now - older_than`,
    reminder deliveries from before then, and what `purge_short_lived` deletes.

    The codes, dates, unit and status stay, so the yearly figures still add up.
    """
    cutoff = now - older_than
    ids = list(
        await session.scalars(
            select(Request.id).where(
                Request.closed_at.is_not(None),
                Request.closed_at < cutoff,
                # Not purged yet (a requester Teams gave no name is purged too).
                Request.requester_user_id != ANONYMOUS,
            )
        )
    )
    if ids:
        await session.execute(
            update(Request)
            .where(Request.id.in_(ids))
            .values(
                title=None,
                description=None,
                workload=None,
                cost_centre=None,
                decline_reason=None,
                requester_name=None,
                requester_email=None,
                requester_aad_id=None,
                requester_user_id=ANONYMOUS,
                owner_name=None,
                owner_aad_id=None,
                submission_key=None,
            )
        )
        await session.execute(
            update(AuditEntry)
            .where(AuditEntry.request_id.in_(ids))
            .values(actor_aad_id=None, actor_name=None, comment=None)
        )
        # Who invited whom, who filed a claim, and everybody's words about it.
        await session.execute(
            update(Invitation)
            .where(Invitation.request_id.in_(ids))
            .values(invited_by=None, invited_by_name=None)
        )
        await session.execute(
            update(FeeClaim).where(FeeClaim.request_id.in_(ids)).values(filed_by_name=None)
        )
        await session.execute(
            update(Evaluation)
            .where(Evaluation.request_id.in_(ids))
            .values(impact=None, comment=None)
        )
        # The card's list of who said yes (counts stay).
        for request in await session.scalars(select(Request).where(Request.id.in_(ids))):
            request.match_summary = _nameless(request.match_summary)
    payees = await purge_payees(session, now=now)
    deliveries = await session.execute(delete(Delivery).where(Delivery.created_at < cutoff))
    short = await purge_short_lived(session, now=now)
    return PurgeResult(
        len(ids),
        dialog_states=short.dialog_states,
        outbox_rows=short.outbox_rows,
        deliveries=rowcount(deliveries),
        posted_cards=short.posted_cards,
        payees=payees,
    )


def _nameless(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    return {
        **summary,
        "accepted": [ANONYMOUS for _ in summary.get("accepted", [])],
        "unsigned": [],
    }


async def purge_payees(session: AsyncSession, *, now: datetime) -> int:
    """The name and contact of a person paid, kept with fee claims (and with
    invitations waiting for one) of people who left the pool, once bookkeeping
    law no longer asks for them; the figures stay for the yearly report."""
    # Paid (or sent) in a year that ended more than BOOKKEEPING_YEARS ago
    # (bokføringsloven § 13: five years after the end of the accounting year).
    first_kept = datetime(now.year - BOOKKEEPING_YEARS, 1, 1, tzinfo=UTC)
    paid_in = func.coalesce(FeeClaim.paid_at, FeeClaim.sent_at, FeeClaim.updated_at)
    claims = await session.execute(
        update(FeeClaim)
        .where(
            FeeClaim.payee_name.is_not(None) | FeeClaim.payee_contact.is_not(None),
            paid_in < first_kept,
        )
        .values(payee_name=None, payee_contact=None, filed_by_name=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Invitation)
        .where(
            Invitation.payee_name.is_not(None) | Invitation.payee_contact.is_not(None),
            func.coalesce(Invitation.answered_at, Invitation.created_at) < first_kept,
        )
        .values(payee_name=None, payee_contact=None)
        .execution_options(synchronize_session=False)
    )
    return rowcount(claims)


async def record_read(
    session: AsyncSession, *, reader: str, what: str, via: str, now: datetime
) -> None:
    """Note that `reader` read `what` (a kind and a reference, never content)."""
    session.add(ReadEntry(at=now, reader=reader[:300], what=what[:200], via=via))


# Built once: "<kind> <reference>" of a request, read by id, in the INSERT itself.
_REQUEST_READ_INSERT = insert(cast(Table, ReadEntry.__table__)).from_select(
    ["at", "reader", "what", "via"],
    select(
        bindparam("at", type_=ReadEntry.__table__.c.at.type),
        bindparam("reader", type_=String()),
        func.substr(bindparam("kind", type_=String()) + " " + Request.reference, 1, 200),
        bindparam("via", type_=String()),
    ).where(Request.id == bindparam("request_id")),
)


def reading_request(
    db: Database,
    request_id: int,
    read: AnySelect,
    params: dict[str, Any],
    *,
    kind: str,
    reader: str,
    via: str,
    now: datetime,
    fixed_plan: bool = False,
) -> AbstractAsyncContextManager[tuple[AsyncSession, Result[*tuple[Any, ...]]]]:
    """A reading session and the result of `read` (a statement about request
    `request_id`, with `params`), the read noted: `reader` read "<kind> <the
    request's reference>". The note is committed before the result is handed
    over (on PostgreSQL by the same statement), so nothing read is shown
    before it is noted; nothing is noted for a request that does not exist.
    `fixed_plan`: as `Database.reading`."""
    noted = {"at": now, "reader": reader[:300], "kind": kind, "via": via, "request_id": request_id}
    return db.reading_noted(_REQUEST_READ_INSERT, noted, read, params, fixed_plan=fixed_plan)


async def reads(session: AsyncSession, *, reader: str | None = None) -> list[ReadEntry]:
    stmt = select(ReadEntry).order_by(ReadEntry.id)
    if reader is not None:
        stmt = stmt.where(ReadEntry.reader == reader)
    return list(await session.scalars(stmt))


async def history(session: AsyncSession, reference: str) -> list[AuditEntry]:
    request = await session.scalar(select(Request).where(Request.reference == reference))
    if request is None:
        raise LookupError(reference)
    return list(
        await session.scalars(
            select(AuditEntry).where(AuditEntry.request_id == request.id).order_by(AuditEntry.id)
        )
    )
