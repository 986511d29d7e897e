"""Figures for the weekly digest, the annual report and the CSV export."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import AuditEntry, Commissioner, Request
from storage.domain.fields import FIELD_NAMES
from storage.domain.requests import OPEN_STATUSES, Status
from storage.units import current_names, unit_label

STALE_AFTER = timedelta(days=14)


@dataclass
class Digest:
    unclaimed: list[Request]
    stale: list[Request]
    # Every open request by the register's unit (name now; free text otherwise), most first.
    by_unit: list[tuple[str, int]] = field(default_factory=list)


async def digest(session: AsyncSession, *, now: datetime) -> Digest:
    """Unclaimed requests, open requests with no move for 14 days, and the
    open requests by unit."""
    open_ = list(
        await session.scalars(
            select(Request)
            .where(Request.status.in_([s.value for s in OPEN_STATUSES]))
            .order_by(Request.id)
        )
    )
    unclaimed = [r for r in open_ if r.status == Status.SUBMITTED.value]
    stale = [
        r for r in open_ if r.status != Status.SUBMITTED.value and r.updated_at < now - STALE_AFTER
    ]
    names = await current_names(session)
    by_unit = Counter(unit_label(names, r.unit_id, r.unit) for r in open_)
    return Digest(unclaimed, stale, sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass
class YearFigures:
    year: int
    total: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_unit: Counter[str] = field(default_factory=Counter)
    by_level: Counter[str] = field(default_factory=Counter)
    by_outcome: Counter[str] = field(default_factory=Counter)
    # Ordered on the web by a commissioner outside the hospital, by organisation.
    by_commissioner: Counter[str] = field(default_factory=Counter)
    median_days_to_claim: float | None = None
    median_days_to_match: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "total": self.total,
            "by_assignment_type": dict(self.by_type),
            "by_unit": dict(self.by_unit),
            "by_level": dict(self.by_level),
            "by_outcome": dict(self.by_outcome),
            "by_commissioner": dict(self.by_commissioner),
            "median_days_to_claim": self.median_days_to_claim,
            "median_days_to_match": self.median_days_to_match,
        }


def _year_bounds(year: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    return start, end


async def _org_names(session: AsyncSession, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = await session.execute(
        select(Commissioner.id, Commissioner.org_name).where(Commissioner.id.in_(wanted))
    )
    return {row_id: name for row_id, name in rows}


async def year_figures(session: AsyncSession, year: int, *, zone: ZoneInfo) -> YearFigures:
    """Requests created in the year (local time): counts and medians (from the audit log)."""
    start, end = _year_bounds(year, zone)
    requests = list(
        await session.scalars(
            select(Request).where(Request.created_at >= start, Request.created_at < end)
        )
    )
    figures = YearFigures(year, total=len(requests))
    unit_names = await current_names(session) if requests else {}
    ids = [r.id for r in requests]
    first: dict[tuple[int, str], datetime] = {}
    if ids:
        rows = await session.execute(
            select(AuditEntry.request_id, AuditEntry.to_status, AuditEntry.at)
            .where(AuditEntry.request_id.in_(ids))
            .order_by(AuditEntry.at)
        )
        for request_id, to_status, at in rows:
            first.setdefault((request_id, to_status), at)
    to_claim, to_match = [], []
    commissioners = await _org_names(session, {r.commissioner_id for r in requests})
    for r in requests:
        if r.commissioner_id is not None and r.commissioner_id in commissioners:
            figures.by_commissioner[commissioners[r.commissioner_id]] += 1
        figures.by_type[r.assignment_type] += 1
        figures.by_unit[unit_label(unit_names, r.unit_id, r.unit)] += 1
        figures.by_level[r.level] += 1
        figures.by_outcome[r.status] += 1
        if (claimed := first.get((r.id, Status.CLAIMED.value))) is not None:
            to_claim.append((claimed - r.created_at).total_seconds() / 86400)
        if (matched := first.get((r.id, Status.MATCHED.value))) is not None:
            to_match.append((matched - r.created_at).total_seconds() / 86400)
    if to_claim:
        figures.median_days_to_claim = round(statistics.median(to_claim), 1)
    if to_match:
        figures.median_days_to_match = round(statistics.median(to_match), 1)
    return figures


EXPORT_COLUMNS: tuple[str, ...] = (
    "reference",
    *FIELD_NAMES,
    "status",
    "owner",
    "requester",
    "decline_reason",
    "created_at",
    "claimed_at",
    "matched_at",
    "closed_at",
    "updated_at",
)


async def export_csv(
    session: AsyncSession, *, zone: ZoneInfo, since: date | None = None, until: date | None = None
) -> str:
    """CSV of requests created between the dates (inclusive, local), times in local time."""
    stmt = select(Request).order_by(Request.id)
    if since is not None:
        stmt = stmt.where(Request.created_at >= datetime.combine(since, datetime.min.time(), zone))
    if until is not None:
        limit = datetime.combine(until + timedelta(days=1), datetime.min.time(), zone)
        stmt = stmt.where(Request.created_at < limit)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)

    def when(value: datetime | None) -> str:
        return value.astimezone(zone).isoformat(timespec="seconds") if value else ""

    for r in await session.scalars(stmt):
        row: list[object] = [r.reference]
        for name in FIELD_NAMES:
            value = getattr(r, name)
            row.append(
                "" if value is None else value.isoformat() if isinstance(value, date) else value
            )
        row += [
            r.status,
            r.owner_name or "",
            r.requester_name or "",
            r.decline_reason or "",
            when(r.created_at),
            when(r.claimed_at),
            when(r.matched_at),
            when(r.closed_at),
            when(r.updated_at),
        ]
        writer.writerow(_safe_cell(c) for c in row)
    return out.getvalue()


def _safe_cell(value: object) -> object:
    """Spreadsheets run cells starting with = + - @ as formulas: neutralise them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
