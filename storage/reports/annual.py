"""The annual report's figures (`medvirk report YEAR`, the `statistikk` card).

Requests created in the year (local time): by unit, type and level; time from
submitted to claimed and to matched (median, 90th percentile, from the audit
log); the share matched. Participants by role and new this year, counts only:
a group under `SMALLEST_GROUP` is never shown (it could name someone), nor are
fees or evaluation averages of fewer. Hours and fees of the claims confirmed in
the year; evaluation averages; gathering and survey answers (each count under
`SMALLEST_GROUP` hidden too: three who said no to a small gathering are people).

The cost grows with the year's rows: a handful of queries, each one pass.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.commissioners import Payer
from storage.db.models import (
    AuditEntry,
    Commissioner,
    Desk,
    Evaluation,
    FeeClaim,
    Gathering,
    Participant,
    Request,
    Rsvp,
    Survey,
    SurveyAnswer,
)
from storage.domain.evaluations import EvaluationStatus
from storage.domain.fee_claims import ClaimStatus
from storage.domain.invoice_terms import InvoiceTerms
from storage.domain.participants import ParticipantStatus
from storage.domain.requests import Status
from storage.invoices import year_totals
from storage.pool import ROLES
from storage.reminders import gathering_evaluations, registrations
from storage.units import current_names, unit_label

SMALLEST_GROUP = 5
COUNTED_CLAIMS = (ClaimStatus.CONFIRMED, ClaimStatus.SENT, ClaimStatus.PAID)


@dataclass(frozen=True)
class Spread:
    """Days: the median and 90th percentile (nearest rank) of `count` values."""

    count: int
    median: float | None
    p90: float | None


def spread(days: list[float]) -> Spread:
    if not days:
        return Spread(0, None, None)
    ordered = sorted(days)
    rank = max(1, math.ceil(0.9 * len(ordered)))
    return Spread(len(ordered), round(statistics.median(ordered), 1), round(ordered[rank - 1], 1))


def shown(count: int) -> int | None:
    """A count of people, or None when the group is too small to show."""
    return count if count >= SMALLEST_GROUP else None


@dataclass(frozen=True)
class Answers:
    """A gathering's yes and no, or a survey's answers (in `yes`); None when
    fewer than `SMALLEST_GROUP`."""

    title: str
    when: datetime
    yes: int | None
    no: int | None


@dataclass(frozen=True)
class Registered:
    """A gathering that took registrations in medvirk: how many registered
    (held a seat at the end), waited, cancelled, came, did not come, and their
    evaluation's average; each None when fewer than `SMALLEST_GROUP`."""

    title: str
    when: datetime
    registered: int | None
    waitlisted: int | None
    cancelled: int | None
    attended: int | None
    no_shows: int | None
    rating: float | None


@dataclass
class AnnualFigures:
    year: int
    requests: int = 0
    by_unit: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    by_level: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    to_claim: Spread = Spread(0, None, None)
    to_match: Spread = Spread(0, None, None)
    matched: int = 0
    # Participants: in the pool at the end of the year (or now), by role; new this year.
    participants: int | None = None
    by_role: dict[str, int | None] = field(default_factory=dict)
    new_participants: int | None = None
    # Fee claims confirmed in the year (None when fewer than SMALLEST_GROUP).
    claims: int = 0
    hours: float | None = None
    fees_nok: float | None = None
    travel_nok: float | None = None
    # Evaluation averages (None when fewer than SMALLEST_GROUP answers).
    requester_answers: int = 0
    requester_rating: float | None = None
    would_use_again: float | None = None
    participant_answers: int = 0
    participant_rating: float | None = None
    fee_info_clear: float | None = None
    gatherings: list[Answers] = field(default_factory=list)
    registered: list[Registered] = field(default_factory=list)
    surveys: list[Answers] = field(default_factory=list)
    # Ordered from outside the hospital (on the web), by the commissioner's
    # organisation and by type; and what the desks invoiced each, in kroner.
    outside: int = 0
    by_commissioner: Counter[str] = field(default_factory=Counter)
    outside_by_type: Counter[str] = field(default_factory=Counter)
    invoiced: dict[str, float] = field(default_factory=dict)

    @property
    def share_matched(self) -> float | None:
        return round(self.matched / self.requests, 3) if self.requests else None


async def _registered(session: AsyncSession, start: datetime, end: datetime) -> list[Registered]:
    """The year's gatherings that took registrations, with their figures."""
    found = []
    for gathering in await session.scalars(
        select(Gathering)
        .where(
            Gathering.registers.is_(True), Gathering.starts_at >= start, Gathering.starts_at < end
        )
        .order_by(Gathering.starts_at)
    ):
        counted = await registrations.counts(session, gathering.id, started=True)
        evaluated = await gathering_evaluations.summary(session, gathering.id)
        attended, no_shows = shown(counted["attended"]), shown(counted["no_shows"])
        if attended is None or no_shows is None:
            # The registered are those who came and those who did not: with
            # one of the two hidden and the total shown, the other tells it.
            attended = no_shows = None
        found.append(
            Registered(
                gathering.title,
                gathering.starts_at,
                registered=shown(counted["registered"]),
                waitlisted=shown(counted["waitlisted"] + counted["offered"]),
                cancelled=shown(counted["cancelled"] + counted["declined"]),
                attended=attended,
                no_shows=no_shows,
                rating=evaluated["average"],
            )
        )
    return found


def year_bounds(year: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return (
        datetime(year, 1, 1, tzinfo=zone).astimezone(UTC),
        datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC),
    )


def _average(values: list[int]) -> float | None:
    return round(statistics.fmean(values), 2) if len(values) >= SMALLEST_GROUP else None


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if len(values) >= SMALLEST_GROUP else None


async def annual(
    session: AsyncSession,
    year: int,
    *,
    zone: ZoneInfo,
    now: datetime,
    terms_of: Callable[[Desk], InvoiceTerms | None] | None = None,
) -> AnnualFigures:
    """The year's figures; with `terms_of` (a desk's invoicing terms), what
    each commissioner was invoiced too."""
    start, end = year_bounds(year, zone)
    figures = AnnualFigures(year)
    outside = await session.execute(
        select(Commissioner.org_name, Request.assignment_type)
        .join(Commissioner, Commissioner.id == Request.commissioner_id)
        .where(
            Request.created_at >= start,
            Request.created_at < end,
            Request.payer == Payer.COMMISSIONER.value,
        )
    )
    for org_name, kind in outside:
        figures.outside += 1
        figures.by_commissioner[org_name] += 1
        figures.outside_by_type[kind] += 1
    if terms_of is not None:
        totals = await year_totals(session, year, zone=zone, terms_of=terms_of)
        figures.invoiced = {name: float(amount) for name, amount in totals.items()}
    in_year = (Request.created_at >= start, Request.created_at < end)
    created: dict[int, datetime] = {}
    rows = await session.execute(
        select(
            Request.id,
            Request.unit_id,
            Request.unit,
            Request.assignment_type,
            Request.level,
            Request.status,
            Request.created_at,
        ).where(*in_year)
    )
    unit_names = await current_names(session)
    for request_id, unit_id, unit, kind, level, status, at in rows:
        created[request_id] = at
        figures.by_unit[unit_label(unit_names, unit_id, unit)] += 1
        figures.by_type[kind] += 1
        figures.by_level[level] += 1
        figures.by_status[status] += 1
    figures.requests = len(created)

    # The first time each request was claimed and matched (a release and a new
    # claim count from the submission still).
    firsts = await session.execute(
        select(AuditEntry.request_id, AuditEntry.to_status, func.min(AuditEntry.at))
        .join(Request, Request.id == AuditEntry.request_id)
        .where(
            *in_year,
            AuditEntry.to_status.in_([Status.CLAIMED.value, Status.MATCHED.value]),
        )
        .group_by(AuditEntry.request_id, AuditEntry.to_status)
    )
    to_claim: list[float] = []
    to_match: list[float] = []
    for request_id, to_status, at in firsts:
        days = (at - created[request_id]).total_seconds() / 86400
        (to_claim if to_status == Status.CLAIMED.value else to_match).append(days)
    figures.to_claim, figures.to_match = spread(to_claim), spread(to_match)
    figures.matched = len(to_match)

    # The pool at the year's end (or now, for this year): consented, not left.
    until = min(end, now)
    pool = await session.execute(
        select(Participant.role_mask, Participant.consent_at).where(
            Participant.consent_at.is_not(None),
            Participant.consent_at < until,
            Participant.status.in_([ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED]),
        )
    )
    roles: Counter[str] = Counter()
    total = new = 0
    for role_mask, consent_at in pool:
        total += 1
        new += consent_at is not None and consent_at >= start
        for bit, role in enumerate(ROLES):
            if role_mask & (1 << bit):
                roles[role] += 1
    figures.participants = shown(total)
    figures.new_participants = shown(new)
    figures.by_role = {role: shown(roles[role]) for role in ROLES}

    claimed = (
        await session.execute(
            select(
                func.count(FeeClaim.id),
                func.coalesce(func.sum(FeeClaim.counted_quarters), 0),
                func.coalesce(func.sum(FeeClaim.fee_ore), 0),
                func.coalesce(func.sum(FeeClaim.travel_nok), 0),
            ).where(
                FeeClaim.status.in_(COUNTED_CLAIMS),
                FeeClaim.confirmed_at >= start,
                FeeClaim.confirmed_at < end,
            )
        )
    ).one()
    figures.claims = int(claimed[0])
    if figures.claims >= SMALLEST_GROUP:
        figures.hours = int(claimed[1]) / 4
        figures.fees_nok = int(claimed[2]) / 100
        figures.travel_nok = float(claimed[3])

    answered = await session.execute(
        select(
            Evaluation.participant_id.is_(None),
            Evaluation.rating,
            Evaluation.would_use_again,
            Evaluation.fee_info_clear,
        ).where(
            Evaluation.status == EvaluationStatus.ANSWERED,
            Evaluation.answered_at >= start,
            Evaluation.answered_at < end,
        )
    )
    mine: list[int] = []
    again: list[bool] = []
    theirs: list[int] = []
    clear: list[bool] = []
    for is_requester, rating, would, fee_clear in answered:
        if rating is None:
            continue
        if is_requester:
            mine.append(rating)
            if would is not None:
                again.append(would)
        else:
            theirs.append(rating)
            if fee_clear is not None:
                clear.append(fee_clear)
    figures.requester_answers, figures.participant_answers = len(mine), len(theirs)
    figures.requester_rating, figures.would_use_again = _average(mine), _share(again)
    figures.participant_rating, figures.fee_info_clear = _average(theirs), _share(clear)

    coming = await session.execute(
        select(
            Gathering.title,
            Gathering.starts_at,
            func.count(Rsvp.id).filter(Rsvp.coming.is_(True)),
            func.count(Rsvp.id).filter(Rsvp.coming.is_(False)),
        )
        .outerjoin(Rsvp, Rsvp.gathering_id == Gathering.id)
        .where(Gathering.starts_at >= start, Gathering.starts_at < end)
        .group_by(Gathering.id, Gathering.title, Gathering.starts_at)
        .order_by(Gathering.starts_at)
    )
    figures.gatherings = [Answers(t, at, shown(int(y)), shown(int(n))) for t, at, y, n in coming]
    figures.registered = await _registered(session, start, end)
    surveyed = await session.execute(
        select(Survey.title, Survey.closes_at, func.count(SurveyAnswer.id))
        .outerjoin(SurveyAnswer, SurveyAnswer.survey_id == Survey.id)
        .where(Survey.closes_at >= start, Survey.closes_at < end)
        .group_by(Survey.id, Survey.title, Survey.closes_at)
        .order_by(Survey.closes_at)
    )
    figures.surveys = [Answers(t, at, shown(int(n)), None) for t, at, n in surveyed]
    return figures
