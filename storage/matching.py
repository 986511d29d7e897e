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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

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


async def candidates(session: AsyncSession, request: Request, *, now: datetime) -> list[Candidate]:
    """Every eligible participant for `request`, in one query (and one for rotation)."""
    role_mask = mask(allowed_roles(request.participant_profile), ROLES)
    format_mask = mask(usable_formats(request.meeting_format), FORMATS)
    if not role_mask or not format_mask:
        return []
    invited = select(Invitation.participant_id).where(Invitation.request_id == request.id)
    rows = await session.execute(
        select(
            Participant.id,
            Participant.name,
            Participant.roles,
            Participant.areas,
            Participant.formats,
            Participant.elearning_on,
            Participant.confidentiality_on,
        ).where(
            Participant.status == ParticipantStatus.ACTIVE.value,
            Participant.role_mask.op("&")(role_mask) != 0,
            Participant.format_mask.op("&")(format_mask) != 0,
            Participant.id.not_in(invited),
        )
    )
    found = rows.all()
    if not found:
        return []
    asked_rows = await session.execute(
        select(Invitation.participant_id, func.count(), func.max(Invitation.created_at))
        .where(Invitation.created_at >= now - ROTATION_WINDOW)
        .group_by(Invitation.participant_id)
    )
    asked = {pid: (count, last) for pid, count, last in asked_rows.all()}
    result = []
    for pid, name, roles, areas, formats, elearning_on, confidentiality_on in found:
        count, last = asked.get(pid, (0, None))
        if isinstance(last, str):  # SQLite's max() of a datetime column
            last = datetime.fromisoformat(last)
        result.append(
            Candidate(
                participant_id=pid,
                name=name or "",
                roles=tuple(roles or ()),
                areas=tuple(areas or ()),
                formats=tuple(formats or ()),
                asked=count,
                last_asked_at=last,
                onboarded=elearning_on is not None and confidentiality_on is not None,
            )
        )
    return result


async def suggest(
    session: AsyncSession,
    request: Request,
    *,
    areas: Sequence[str] = (),
    now: datetime,
    limit: int = SUGGESTIONS,
) -> list[Suggestion]:
    return rank(await candidates(session, request, now=now), request, areas)[:limit]
