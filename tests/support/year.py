"""A year of user involvement, built through the domain (never rows inserted
behind it): requests submitted through the year, claimed by members, some
declined, most matched (some by participants saying yes to an invitation),
documents signed, completed, fee claims filed and confirmed, evaluations
answered, a gathering with answers. For the annual report's test and
`bench/report.py`."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import evaluations, invitations, pool
from storage import fee_claims as claims
from storage.db import Database
from storage.db.models import Evaluation, Request
from storage.domain.fees import Rates, load_rates
from storage.domain.fields import ASSIGNMENT_TYPES, LEVELS, MEETING_FORMATS
from storage.domain.refusal import Refused
from storage.domain.requests import Status
from storage.invitations import agreements
from storage.reminders import add_gathering, record_rsvp, upsert_contact
from storage.requests import Requester, completion, moves, submit_request
from storage.requests.moves import Actor

UNITS = (
    "Hjerteklinikken",
    "Lungeklinikken",
    "Kirurgisk klinikk",
    "Medisinsk klinikk",
    "Barne- og ungdomsklinikken",
    "Kvinneklinikken",
    "Psykiatrisk klinikk",
    "Avdeling for rusmedisin",
    "Øyeavdelingen",
    "Øre-nese-hals-avdelingen",
    "Nevrologisk avdeling",
    "Kreftklinikken",
    "Hudavdelingen",
    "Revmatologisk avdeling",
    "Ortopedisk klinikk",
    "Nyreavdelingen",
    "Geriatrisk avdeling",
    "Smerteklinikken",
    "Rehabiliteringsklinikken",
    "Akuttklinikken",
)
MEMBERS = tuple((f"aad-member-{i:02d}", f"Medlem {i:02d}") for i in range(12))
BATCH = 100


@dataclass
class Year:
    requests: int = 0
    claimed: int = 0
    matched: int = 0
    completed: int = 0
    claims: int = 0
    evaluations: int = 0


async def _pool(db: Database, size: int, start: datetime, rng: random.Random) -> list[int]:
    roles = pool.ROLES
    ids = []
    async with db.transaction() as session:
        for i in range(size):
            joined = start + timedelta(days=rng.randint(-400, 300))
            values = pool.validate(
                {
                    "name": f"Deltaker {i:03d}",
                    "email": f"deltaker{i:03d}@example.com",
                    "roles": roles[i % len(roles)],
                    "formats": "physical,digital",
                },
                areas=(),
            )
            participant = await pool.add(session, values, added_by="generator", now=joined)
            await pool.consent(session, participant, channel="email", now=joined)
            ids.append(participant.id)
    return ids


async def _with_participant(
    session: AsyncSession, request_id: int, participant_id: int, owner: Actor, at: datetime
) -> datetime | None:
    """Invite one participant, who says yes (the request is matched by itself),
    signs the documents; returns when, or None if the invitation was refused."""
    try:
        invited = await invitations.invite(
            session,
            request_id,
            participant_id,
            owner,
            now=at,
            days=14,
        )
        at += timedelta(days=2)
        await invitations.answer_invitation(
            session,
            invitations.Answerer(participant_id=participant_id),
            invited.invitation.id,
            accept=True,
            via="page",
            now=at,
        )
    except Refused:
        return None
    at += timedelta(days=3)
    await agreements.sign(session, request_id, participant_id, via="page", now=at)
    return at


async def generate_year(
    db: Database,
    *,
    year: int,
    count: int,
    zone: ZoneInfo,
    seed: int = 7,
    participants: int = 80,
) -> Year:
    rng = random.Random(seed)
    start = datetime(year, 1, 2, 8, 0, tzinfo=zone)
    span = timedelta(days=330)
    people = await _pool(db, participants, start, rng)
    rates = load_rates()
    made = Year()
    for first in range(0, count, BATCH):
        async with db.transaction() as session:
            for i in range(first, min(count, first + BATCH)):
                at = start + span * (i / count)
                requester = Requester(
                    user_id=f"29:aad-requester-{i % 300}",
                    aad_object_id=f"aad-requester-{i % 300}",
                    name=f"Bestiller {i % 300}",
                    email=None,
                    locale="nb",
                )
                invited = rng.random() < 0.1
                answers = {
                    "title": f"Oppdrag {i}",
                    "description": "Generert for årsrapporten.",
                    "assignment_type": rng.choice(ASSIGNMENT_TYPES),
                    "level": rng.choice(LEVELS),
                    "participant_profile": "any",
                    "participant_count": 1 if invited else rng.randint(1, 3),
                    "start_date": (at + timedelta(days=40)).date().isoformat(),
                    "end_date": None,
                    "meeting_format": rng.choice(MEETING_FORMATS),
                    "workload": "2 møter",
                    "unit": UNITS[min(len(UNITS) - 1, int(rng.paretovariate(1.2)) - 1)],
                    "honorarium_ack": True,
                    "cost_centre": f"K{1000 + i % 50}",
                    "needed_by": (at + timedelta(days=30)).date().isoformat(),
                }
                request = await submit_request(session, answers, requester, now=at)
                made.requests += 1
                roll = rng.random()
                if roll < 0.06:
                    continue  # still waiting
                aad, name = MEMBERS[i % len(MEMBERS)]
                owner = Actor(aad, name)
                at += timedelta(hours=rng.expovariate(1 / 40))
                await moves.claim(session, request.id, owner, now=at)
                # The claim is one UPDATE: the session's copy is read again.
                await session.refresh(request)
                made.claimed += 1
                at += timedelta(days=rng.expovariate(1 / 6))
                if roll < 0.12:
                    await completion.set_status(
                        session, request.id, owner, Status.DECLINED, now=at, comment="Ikke aktuelt"
                    )
                    continue
                if roll < 0.2:
                    continue  # being worked on
                matched_at = (
                    await _with_participant(session, request.id, rng.choice(people), owner, at)
                    if invited
                    else None
                )
                if matched_at is None:
                    for step in (Status.IN_PROGRESS, Status.MATCHED):
                        await completion.set_status(session, request.id, owner, step, now=at)
                    at += timedelta(days=2)
                    await completion.set_status(
                        session, request.id, owner, Status.AGREEMENT_SIGNED, now=at
                    )
                else:
                    at = matched_at
                made.matched += 1
                if roll > 0.75 and not invited:
                    continue  # still under way
                at += timedelta(days=rng.randint(10, 60))
                await completion.set_status(session, request.id, owner, Status.COMPLETED, now=at)
                made.completed += 1
                if invited:
                    await _claim_and_evaluate(session, request.id, rates, rng, at)
                    made.claims += 1
                    made.evaluations += 2
    async with db.transaction() as session:
        await _gathering(session, year, zone, rng)
    return made


async def _claim_and_evaluate(
    session: AsyncSession, request_id: int, rates: Rates, rng: random.Random, at: datetime
) -> None:
    """The requester files the fee, the participant confirms it, both evaluate."""
    asked = {
        e.respondent: e
        for e in await session.scalars(
            select(Evaluation).where(Evaluation.request_id == request_id)
        )
    }
    (respondent,) = [k for k in asked if k != evaluations.REQUESTER]
    participant_id = asked[respondent].participant_id
    assert participant_id is not None
    request = await session.get_one(Request, request_id)
    filed = await claims.file_in(
        session,
        Actor(request.requester_aad_id or "", "Bestiller"),
        request_id,
        participant_id,
        {"meetings": rng.randint(1, 4), "hours": f"{rng.randint(2, 16) / 2}", "travel_nok": "120"},
        rates=rates,
        now=at + timedelta(days=1),
    )
    await claims.confirm_in(
        session,
        claims.Confirmer.on_page(participant_id),
        filed.claim.id,
        filed.claim.revision,
        payroll_email="",
        now=at + timedelta(days=2),
    )
    await evaluations.answer(
        session,
        asked[evaluations.REQUESTER].id,
        {"rating": str(rng.randint(3, 5)), "impact": "Nyttig.", "would_use_again": "yes"},
        participant_id=None,
        via="teams",
        now=at + timedelta(days=3),
    )
    await evaluations.answer(
        session,
        asked[respondent].id,
        {"rating": str(rng.randint(2, 5)), "fee_info_clear": rng.choice(("yes", "no"))},
        participant_id=participant_id,
        via="page",
        now=at + timedelta(days=3),
    )


async def _gathering(session: AsyncSession, year: int, zone: ZoneInfo, rng: random.Random) -> None:
    """The annual gathering, added two months before, and 40 contacts' answers."""
    when = datetime(year, 10, 15, 10, 0, tzinfo=zone)
    gathering = await add_gathering(
        session,
        title=f"Årlig fellessamling {year}",
        starts_at=when,
        ends_at=None,
        place="Auditoriet",
        register_url=None,
        register_by=None,
        groups=None,
        remind=[],
        remind_register=[],
        zone=zone,
        now=when - timedelta(days=60),
    )
    for i in range(40):
        contact = await upsert_contact(
            session,
            key=f"aad-contact-{i}",
            aad_object_id=f"aad-contact-{i}",
            name=f"Kontakt {i}",
            locale="nb",
            now=when - timedelta(days=30),
        )
        await session.flush()
        await record_rsvp(
            session, gathering.id, contact, rng.random() < 0.7, now=when - timedelta(days=7)
        )
