"""Who could take part in a request, and in what order to ask them.

The rule, as `docs/MATCHING.md` tells coordinators:

Eligible: `active`; a role the request's `participant_profile` allows (`any`
allows every role); a format the meeting can use (a `physical` meeting needs
someone who meets in person, a `digital` one someone who meets online, a
`hybrid` one anyone); not invited to this request before.

Ranked by (1) the number of experience areas shared with the areas the
coordinator asks for, most first; (2) how often they were invited in the last
12 months, fewest first (fair rotation: nobody is asked every time);
(3) longest since they were last invited, never first; (4) onboarding done
(the e-learning and the confidentiality declaration) before not; then the
longest in the pool first.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Executable,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Invitation, Participant, Request
from storage.participants import FORMATS, ROLES, ParticipantStatus, mask

# Who a request's `participant_profile` asks for.
PROFILE_ROLES: dict[str, tuple[str, ...]] = {
    "patient": ("patient",),
    "next_of_kin": ("next_of_kin",),
    "youth": ("youth",),
    "user_organisation": ("user_organisation",),
    "any": ROLES,
}
# Which of a participant's formats a meeting can use.
MEETING_FORMATS: dict[str, tuple[str, ...]] = {
    "physical": ("physical",),
    "digital": ("digital",),
    "hybrid": FORMATS,
}
ROTATION_WINDOW = timedelta(days=365)
SUGGESTIONS = 5


@dataclass(frozen=True)
class Candidate:
    """An eligible participant, with what the ranking needs."""

    participant_id: int
    name: str
    roles: tuple[str, ...]
    areas: tuple[str, ...]
    formats: tuple[str, ...]
    # Invitations in the last 12 months, and the last one's time.
    asked: int
    last_asked_at: datetime | None
    onboarded: bool


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    shared_areas: tuple[str, ...]
    # The roles and formats that made them eligible for this request.
    roles: tuple[str, ...]
    formats: tuple[str, ...]


def allowed_roles(profile: str) -> tuple[str, ...]:
    return PROFILE_ROLES.get(profile, ())


def usable_formats(meeting_format: str) -> tuple[str, ...]:
    return MEETING_FORMATS.get(meeting_format, ())


def is_eligible(participant: Participant, request: Request, *, invited: bool) -> bool:
    """The eligibility rule for one participant (the query below is the same rule)."""
    return (
        participant.status == ParticipantStatus.ACTIVE.value
        and bool(set(participant.roles or ()) & set(allowed_roles(request.participant_profile)))
        and bool(set(participant.formats or ()) & set(usable_formats(request.meeting_format)))
        and not invited
    )


def rank(
    candidates: Sequence[Candidate], request: Request, areas: Sequence[str]
) -> list[Suggestion]:
    """Candidates in the order to ask them (pure: the rule above)."""
    wanted = set(areas)
    roles = set(allowed_roles(request.participant_profile))
    formats = set(usable_formats(request.meeting_format))
    never = datetime.min

    def order(s: Suggestion) -> tuple[int, int, datetime, int, int]:
        c = s.candidate
        last = c.last_asked_at.replace(tzinfo=None) if c.last_asked_at else never
        return (-len(s.shared_areas), c.asked, last, 0 if c.onboarded else 1, c.participant_id)

    suggestions = [
        Suggestion(
            candidate=c,
            shared_areas=tuple(a for a in c.areas if a in wanted),
            roles=tuple(r for r in c.roles if r in roles),
            formats=tuple(f for f in c.formats if f in formats),
        )
        for c in candidates
    ]
    return sorted(suggestions, key=order)


def _eligible(request: Request) -> list[ColumnElement[bool]] | None:
    """The eligibility rule as SQL conditions (None: nobody can be eligible)."""
    role_mask = mask(allowed_roles(request.participant_profile), ROLES)
    format_mask = mask(usable_formats(request.meeting_format), FORMATS)
    if not role_mask or not format_mask:
        return None
    invited = select(Invitation.participant_id).where(Invitation.request_id == request.id)
    return [
        Participant.status == ParticipantStatus.ACTIVE.value,
        Participant.role_mask.op("&")(role_mask) != 0,
        Participant.format_mask.op("&")(format_mask) != 0,
        Participant.id.not_in(invited),
    ]


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _candidate(row: Any) -> Candidate:
    pid, name, roles, areas, formats, asked, last, elearning_on, confidentiality_on = row
    return Candidate(
        participant_id=pid,
        name=name or "",
        roles=tuple(roles or ()),
        areas=tuple(areas or ()),
        formats=tuple(formats or ()),
        asked=asked or 0,
        last_asked_at=_aware(last),
        onboarded=elearning_on is not None and confidentiality_on is not None,
    )


_COLUMNS = (
    Participant.id,
    Participant.name,
    Participant.roles,
    Participant.areas,
    Participant.formats,
    Participant.asked_12m,
    Participant.last_invited_at,
    Participant.elearning_on,
    Participant.confidentiality_on,
)


async def candidates(session: AsyncSession, request: Request, *, now: datetime) -> list[Candidate]:
    """Every eligible participant for `request` (unranked)."""
    conditions = _eligible(request)
    if conditions is None:
        return []
    rows = await session.execute(select(*_COLUMNS).where(*conditions))
    return [_candidate(row) for row in rows.all()]


def _area_pattern(code: str) -> str:
    """The LIKE pattern of a JSON list of codes holding `code`: the quoted code
    matched exactly (LIKE's wildcards escaped)."""
    quoted = '"' + code.replace('"', "") + '"'
    escaped = quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _has_area(pattern: ColumnElement[str]) -> ColumnElement[bool]:
    return cast(Participant.areas, Text).like(pattern, escape="\\")


# The ranking after shared areas, as `ix_participants_rotation` holds it.
_ROTATION = (
    Participant.asked_12m,
    Participant.last_invited_at.asc().nulls_first(),
    Participant.onboarding_due,
    Participant.id,
)


@functools.lru_cache(maxsize=64)
def _level(areas: int, shared: int) -> Executable:
    """Eligible people sharing exactly `shared` of `areas` areas asked for, in
    rotation order: one statement per shape, built once (building and keying
    a fresh one cost more than running it), the values as parameters."""
    invited = select(Invitation.participant_id).where(
        Invitation.request_id == bindparam("request_id")
    )
    where = [
        Participant.status == ParticipantStatus.ACTIVE.value,
        Participant.role_mask.op("&")(bindparam("role_mask")) != 0,
        Participant.format_mask.op("&")(bindparam("format_mask")) != 0,
        Participant.id.not_in(invited),
    ]
    if areas:
        count = sum(
            (case((_has_area(bindparam(f"area_{i}")), 1), else_=0) for i in range(areas)),
            literal(0),
        )
        where.append(count == shared)
    return select(*_COLUMNS).where(*where).order_by(*_ROTATION).limit(bindparam("limit"))


@functools.lru_cache(maxsize=16)
def _levels(areas: int) -> Executable:
    """Every level of `_level` in one statement (one round trip): each walks the
    rotation index to its own `limit`; `rank` merges them in Python."""
    if not areas:
        return _level(0, 0)
    parts = [
        select(*_level(areas, shared).subquery().c)  # type: ignore[attr-defined]
        for shared in range(areas, -1, -1)
    ]
    return union_all(*parts)


async def suggest(
    session: AsyncSession,
    request: Request,
    *,
    areas: Sequence[str] = (),
    now: datetime,
    limit: int = SUGGESTIONS,
) -> list[Suggestion]:
    """The first `limit` of `rank(candidates(...))`, ranked by the database.

    Shared areas come first, then the rotation order. Sorting the pool by a
    count that depends on the request would read every eligible row; instead
    each number of shared areas, most first, is one walk of the rotation
    index that stops at the `limit`-th eligible person; all levels go in one
    statement (one round trip) and `rank` merges them. The same order,
    `limit` rows read per level where people are plenty."""
    role_mask = mask(allowed_roles(request.participant_profile), ROLES)
    format_mask = mask(usable_formats(request.meeting_format), FORMATS)
    if not role_mask or not format_mask:
        return []
    wanted = sorted(set(areas))
    params: dict[str, Any] = {
        "request_id": request.id,
        "role_mask": role_mask,
        "format_mask": format_mask,
        **{f"area_{i}": _area_pattern(code) for i, code in enumerate(wanted)},
    }
    # Planned for these values each run on PostgreSQL (`storage.db`: a plan
    # for all values sorted the pool instead of walking the index).
    found = await session.execute(_levels(len(wanted)), {**params, "limit": limit})
    return rank([_candidate(row) for row in found.all()], request, areas)[:limit]


async def recount_rotation(session: AsyncSession, *, now: datetime) -> None:
    """Every participant's invitations in the last 12 months, counted anew
    (every night: an invitation older than that stops counting)."""
    window = now - ROTATION_WINDOW
    counted = (
        select(func.count())
        .where(Invitation.participant_id == Participant.id, Invitation.created_at >= window)
        .scalar_subquery()
    )
    last = (
        select(func.max(Invitation.created_at))
        .where(Invitation.participant_id == Participant.id)
        .scalar_subquery()
    )
    await session.execute(
        update(Participant)
        .where(Participant.status != ParticipantStatus.LEFT.value)
        .values(asked_12m=counted, last_invited_at=last)
        .execution_options(synchronize_session=False)
    )
