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
    JSON,
    Result,
    Text,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from storage.db import AnySelect
from storage.db.models import Invitation, Participant, ParticipantDesk, Request
from storage.domain.participants import ParticipantStatus
from storage.pool import FORMATS, ROLES, mask

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
        participant.status == ParticipantStatus.ACTIVE
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
    role_mask = _ROLE_MASKS.get(request.participant_profile, 0)
    format_mask = _FORMAT_MASKS.get(request.meeting_format, 0)
    if not role_mask or not format_mask:
        return None
    return _conditions(request.id, request.desk_id, role_mask, format_mask)


def _conditions(
    request_id: int | ColumnElement[int],
    desk_id: int | ColumnElement[int],
    role_mask: int | ColumnElement[int],
    format_mask: int | ColumnElement[int],
    pool: str = "both",
) -> list[ColumnElement[bool]]:
    """The eligibility rule's conditions, for a request's id, desk and masks
    given as values or as SQL (a suggestion works them out from the row it
    reads). Only the request's desk's pool is asked, whatever the turn sees:
    its own participants (`pool` "own"), those of other desks who let it ask
    them too ("consented"), or both."""
    invited = select(Invitation.participant_id).where(Invitation.request_id == request_id)
    consented = select(ParticipantDesk.participant_id).where(ParticipantDesk.desk_id == desk_id)
    whose = {
        "own": Participant.desk_id == desk_id,
        "consented": and_(Participant.id.in_(consented), Participant.desk_id != desk_id),
        # Their own desk's, or one they let ask them too.
        "both": or_(Participant.desk_id == desk_id, Participant.id.in_(consented)),
    }[pool]
    return [
        whose,
        Participant.status == _const(ParticipantStatus.ACTIVE.value),
        Participant.role_mask.op("&")(role_mask) != _const(0),
        Participant.format_mask.op("&")(format_mask) != _const(0),
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
        # From a JSON list (`_JsonRows`) a time comes as ISO 8601 text.
        last_asked_at=_aware(datetime.fromisoformat(last) if isinstance(last, str) else last),
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


# A request's profile and meeting format as the bits of the roles and formats
# they allow, for the statement to work out from the request it reads.
_ROLE_MASKS = {profile: mask(roles, ROLES) for profile, roles in PROFILE_ROLES.items()}
_FORMAT_MASKS = {meeting: mask(formats, FORMATS) for meeting, formats in MEETING_FORMATS.items()}


def _const(value: int | str) -> ColumnElement[Any]:
    """A constant of the rule written into the statement, not sent as a value
    with each run: a suggestion had sixty of them to encode and bind."""
    if isinstance(value, int):
        return literal_column(str(int(value)))
    if not value.replace("_", "").isalnum():
        raise ValueError(f"not a code: {value!r}")
    return literal_column(f"'{value}'")


def _mapped(column: ColumnElement[str], masks: dict[str, int]) -> ColumnElement[int]:
    """`masks[column]`, 0 for a value it does not know, in SQL."""
    return case(*((column == _const(k), _const(v)) for k, v in masks.items()), else_=_const(0))


def _level(
    areas: int,
    shared: int,
    desk_id: ColumnElement[int],
    role_mask: ColumnElement[int],
    format_mask: ColumnElement[int],
) -> list[AnySelect]:
    """Eligible people sharing exactly `shared` of `areas` areas asked for, in
    rotation order: the desk's own (a walk of `ix_participants_rotation` from
    the desk's first entry that stops at `limit`) and, apart, those of other
    desks who let it ask them (a few, by their consents). One condition for
    both (an OR) would make PostgreSQL read and sort the whole table (9 ms
    instead of 0.6 at 10,000 people)."""
    selects = []
    for pool in ("own", "consented"):
        where = _conditions(bindparam("request_id"), desk_id, role_mask, format_mask, pool)
        if areas:
            count = sum(
                (
                    case((_has_area(bindparam(f"area_{i}")), _const(1)), else_=_const(0))
                    for i in range(areas)
                ),
                _const(0),
            )
            # As a CASE: PostgreSQL then reckons half the rows pass (as a
            # comparison, one in two hundred, and with so few to find it
            # would rather read the desk's whole pool and sort it than walk).
            where.append(case((count == _const(shared), true()), else_=false()))
        selects.append(
            select(*_COLUMNS).where(*where).order_by(*_ROTATION).limit(bindparam("limit"))
        )
    return selects


class _JsonRows(FunctionElement[Any]):
    """The rows of a subquery's columns as one JSON list of lists (a list of
    none on every dialect): one value to read instead of a row each."""

    type = JSON()
    inherit_cache = True
    name = "json_rows"


@compiles(_JsonRows, "postgresql")
def _json_rows_postgresql(element: _JsonRows, compiler: Any, **kw: Any) -> str:
    columns = compiler.process(element.clauses, **kw)
    return f"coalesce(json_agg(json_build_array({columns})), '[]')"


@compiles(_JsonRows)
def _json_rows(element: _JsonRows, compiler: Any, **kw: Any) -> str:
    # SQLite: a JSON column is text, taken as JSON by json(); the rest as is.
    columns = ", ".join(
        f"json({compiler.process(c, **kw)})"
        if isinstance(c.type, JSON)
        else compiler.process(c, **kw)
        for c in element.clauses
    )
    return f"json_group_array(json_array({columns}))"


@functools.lru_cache(maxsize=16)
def _statement(areas: int) -> AnySelect:
    """The request by id and, in a column beside it, the eligible people of
    every level of shared areas, each level walking the rotation index to its
    own `limit` (`rank` merges them in Python). One statement, one round trip
    and one row: the request's masks are worked out from the row it reads.
    Built once per number of areas (building and keying a fresh one cost more
    than running it), the values as parameters."""
    wanted = select(Request).where(Request.id == bindparam("request_id")).cte("wanted")
    role_mask = select(_mapped(wanted.c.participant_profile, _ROLE_MASKS)).scalar_subquery()
    format_mask = select(_mapped(wanted.c.meeting_format, _FORMAT_MASKS)).scalar_subquery()
    desk_id = select(wanted.c.desk_id).scalar_subquery()
    levels = [
        part
        for shared in range(areas, -1, -1)
        for part in _level(areas, shared, desk_id, role_mask, format_mask)
    ]
    found = union_all(*(select(*level.subquery().c) for level in levels)).subquery("found")
    people = select(_JsonRows(*found.c)).scalar_subquery()
    return select(aliased(Request, wanted), people)


def suggestion_params(request_id: int, areas: Sequence[str], limit: int) -> dict[str, Any]:
    """The values of `suggestion_statement(...)` (`areas` sorted and unique)."""
    return {
        "request_id": request_id,
        "limit": limit,
        **{f"area_{i}": _area_pattern(code) for i, code in enumerate(sorted(set(areas)))},
    }


def suggestion_statement(areas: Sequence[str]) -> AnySelect:
    """The statement of `suggestions`, for `areas` (with `suggestion_params`).
    Its plan is the same for every value (`Database.reading(fixed_plan=True)`):
    the masks come from the request it reads, each level walks the index."""
    return _statement(len(set(areas)))


def suggestions(
    result: Result[*tuple[Any, ...]], areas: Sequence[str], *, limit: int = SUGGESTIONS
) -> tuple[Request | None, list[Suggestion]]:
    """The request `suggestion_statement` read (None if there is none) and
    the first `limit` of `rank(candidates(...))` for it."""
    row = result.first()
    if row is None:
        return None, []
    request, people = row
    found = [_candidate(values) for values in people or ()]
    return request, rank(found, request, areas)[:limit]


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
    `limit` rows read per level where people are plenty. Its plan is the
    same for every value (`suggestion_statement`)."""
    found = await session.execute(
        suggestion_statement(areas), suggestion_params(request.id, areas, limit)
    )
    return suggestions(found, areas, limit=limit)[1]


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
        .where(Participant.status != ParticipantStatus.LEFT)
        .values(asked_12m=counted, last_invited_at=last)
        .execution_options(synchronize_session=False)
    )
