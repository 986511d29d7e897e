"""The suggestion rule on a generated pool of a few hundred people (built
through the domain): eligibility exactly as docs/MATCHING.md says, the ranking
and its fair rotation."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from bot.features.pool import suggest
from storage import desks, invitations, pool, privacy
from storage.db import scope
from storage.db.models import Participant, Request
from storage.pool import matching
from storage.requests.moves import Actor
from tests.support.channel import seed_request

AREAS = ("cancer", "mental_health", "elderly", "rehabilitation")
# The rule, written out again independently of storage/pool/matching.py.
WHO = {
    "patient": {"patient"},
    "next_of_kin": {"next_of_kin"},
    "youth": {"youth"},
    "user_organisation": {"user_organisation"},
    "any": {"patient", "next_of_kin", "youth", "user_organisation"},
}
HOW = {
    "physical": {"physical"},
    "digital": {"digital"},
    "hybrid": {"physical", "digital", "hybrid"},
}


async def _person(db, clock, name: str, **fields) -> Participant:
    values = pool.validate(
        {
            "name": name,
            "email": f"{name.replace(' ', '.').lower()}@example.com",
            "roles": "patient",
            "formats": "digital",
            **fields,
        },
        areas=AREAS,
    )
    async with db.transaction() as session:
        p = await pool.add(session, values, added_by="test", now=clock.now())
        await pool.consent(session, p, channel="email", now=clock.now())
        return p


async def _generated_pool(db, clock, size: int = 300) -> list[Participant]:
    rng = random.Random(20261202)
    people = []
    async with db.transaction() as session:
        for n in range(size):
            values = pool.validate(
                {
                    "name": f"Person {n:03d}",
                    "email": f"p{n}@example.com",
                    "roles": ",".join(rng.sample(pool.ROLES, rng.randint(1, 2))),
                    "formats": ",".join(rng.sample(pool.FORMATS, rng.randint(1, 3))),
                    "areas": ",".join(rng.sample(AREAS, rng.randint(0, 2))),
                },
                areas=AREAS,
            )
            p = await pool.add(session, values, added_by="test", now=clock.now())
            state = rng.choice(["pending", "active", "active", "active", "paused"])
            if state != "pending":
                await pool.consent(session, p, channel="email", now=clock.now())
            if state == "paused":
                await pool.set_paused(session, p, True, now=clock.now())
            people.append(p)
    return people


async def _request(db, clock, **fields) -> Request:
    request_id = await seed_request(db, clock, **fields)
    async with db.transaction() as session:
        request = await session.get(Request, request_id)
        request.status = "claimed"
        request.owner_aad_id, request.owner_name = "aad-owner", "Olga"
        return request


@pytest.mark.parametrize("profile", sorted(WHO))
async def test_eligibility_on_a_generated_pool_is_exactly_the_rule(db, clock, profile) -> None:
    people = await _generated_pool(db, clock)
    for meeting_format in sorted(HOW):
        request = await _request(
            db,
            clock,
            participant_profile=profile,
            meeting_format=meeting_format,
            participant_count=20,
        )
        expected = {
            p.id
            for p in people
            if p.status == "active"
            and set(p.roles) & WHO[profile]
            and set(p.formats) & HOW[meeting_format]
        }
        async with db.sessions() as session:
            found = {
                c.participant_id
                for c in await matching.candidates(session, request, now=clock.now())
            }
        assert found == expected, (profile, meeting_format)
        assert expected  # the generated pool has someone for every case
        # Invited once: never suggested for the same request again.
        invited = sorted(expected)[0]
        async with db.transaction() as session:
            await invitations.invite(
                session, request.id, invited, Actor("aad-owner", "Olga"), now=clock.now(), days=7
            )
        async with db.sessions() as session:
            again = {
                c.participant_id
                for c in await matching.candidates(session, request, now=clock.now())
            }
        assert again == expected - {invited}


async def test_someone_asked_last_week_ranks_below_an_equal_match_never_asked(db, clock) -> None:
    asked = await _person(db, clock, "Asked Last Week")
    await _person(db, clock, "Never Asked")
    earlier = await _request(
        db, clock, title="Forrige uke", meeting_format="digital", participant_count=5
    )
    async with db.transaction() as session:
        await invitations.invite(
            session, earlier.id, asked.id, Actor("aad-owner", "Olga"), now=clock.now(), days=7
        )
    clock.advance(timedelta(days=7))
    request = await _request(db, clock, meeting_format="digital")
    async with db.sessions() as session:
        ranked = await matching.suggest(session, request, now=clock.now())
    assert [s.candidate.name for s in ranked] == ["Never Asked", "Asked Last Week"]
    assert [s.candidate.asked for s in ranked] == [0, 1]
    # A year and a day later (and the night's recount) the invitation no longer counts.
    clock.advance(timedelta(days=366))
    async with db.transaction() as session:
        await matching.recount_rotation(session, now=clock.now())
    async with db.sessions() as session:
        ranked = await matching.suggest(session, request, now=clock.now())
    assert {s.candidate.asked for s in ranked} == {0}


async def test_shared_areas_rank_first_then_rotation_then_onboarding(db, clock) -> None:
    plain = await _person(db, clock, "Plain")
    onboarded = await _person(db, clock, "Onboarded")
    expert = await _person(db, clock, "Expert", areas="cancer,elderly")
    async with db.transaction() as session:
        p = await session.get(Participant, onboarded.id)
        await pool.record_onboarding(
            session,
            p,
            elearning_on=date(2026, 1, 5),
            confidentiality_on=date(2026, 1, 6),
            now=clock.now(),
        )
    request = await _request(db, clock, meeting_format="digital")
    async with db.sessions() as session:
        by_area = await matching.suggest(session, request, areas=["cancer"], now=clock.now())
        no_area = await matching.suggest(session, request, now=clock.now())
    assert [s.candidate.participant_id for s in by_area] == [expert.id, onboarded.id, plain.id]
    assert by_area[0].shared_areas == ("cancer",)
    assert [s.candidate.participant_id for s in no_area] == [onboarded.id, plain.id, expert.id]


async def test_at_most_five_are_suggested(db, clock) -> None:
    for n in range(8):
        await _person(db, clock, f"Person {n}")
    request = await _request(db, clock, meeting_format="digital")
    async with db.sessions() as session:
        assert len(await matching.suggest(session, request, now=clock.now())) == 5


async def test_the_quick_suggestion_is_the_first_five_of_the_rule(db, clock) -> None:
    """`suggest` ranks in the database; it must give what `rank` gives on every
    candidate, with and without areas, rotation counted."""
    people = await _generated_pool(db, clock, size=200)
    rng = random.Random(5)
    async with db.transaction() as session:
        for p in rng.sample(people, 80):
            # Some onboarded, some half-way (only one of the two recorded).
            await pool.record_onboarding(
                session,
                await session.get(Participant, p.id),
                elearning_on=date(2026, 1, 5),
                confidentiality_on=date(2026, 1, 6) if rng.random() < 0.7 else None,
                now=clock.now(),
            )
    earlier = await _request(db, clock, participant_profile="any", participant_count=20)
    for pid in rng.sample([p.id for p in people if p.status == "active"], 30):
        async with db.transaction() as session:
            await invitations.invite(
                session,
                earlier.id,
                pid,
                Actor("aad-owner", "Olga"),
                now=clock.now() - timedelta(days=rng.randint(0, 400)),
                days=7,
            )
    for profile in sorted(WHO):
        for meeting_format in sorted(HOW):
            request = await _request(
                db, clock, participant_profile=profile, meeting_format=meeting_format
            )
            for areas in (
                [],
                ["cancer"],
                ["elderly", "rehabilitation"],
                ["cancer", "mental_health", "elderly"],
            ):
                async with db.sessions() as session:
                    quick = await matching.suggest(session, request, areas=areas, now=clock.now())
                    full = matching.rank(
                        await matching.candidates(session, request, now=clock.now()),
                        request,
                        areas,
                    )[:5]
                assert [s.candidate for s in quick] == [s.candidate for s in full], (
                    profile,
                    meeting_format,
                    areas,
                )


async def test_the_suggestion_statement_keeps_one_plan_from_its_first_run(db, clock) -> None:
    """On PostgreSQL a suggestion is read on connections that keep one plan
    for every value (planning it for each of its first runs cost five times the
    run); its answer is the same as on the main pool. SQLite plans nothing."""
    people = await _generated_pool(db, clock, size=60)
    request = await _request(db, clock, participant_profile="any", meeting_format="hybrid")
    await suggest.prepare(db, AREAS, now=clock.now())
    areas = ["cancer", "elderly"]
    for _ in range(3):
        async with db.reading(fixed_plan=True) as session:
            if db.dialect == "postgresql":
                mode = await session.scalar(text("SHOW plan_cache_mode"))
                assert mode == "force_generic_plan"
            result = await session.execute(
                matching.suggestion_statement(areas),
                matching.suggestion_params(request.id, areas, 5),
            )
            read, fixed = matching.suggestions(result, areas)
        async with db.sessions() as session:
            plain = await matching.suggest(session, request, areas=areas, now=clock.now())
        assert read is not None and read.id == request.id
        assert [s.candidate for s in fixed] == [s.candidate for s in plain]
        assert len(fixed) == 5 and {s.candidate.participant_id for s in fixed} <= {
            p.id for p in people
        }
    async with db.reading() as session:
        if db.dialect == "postgresql":
            assert await session.scalar(text("SHOW plan_cache_mode")) != "force_generic_plan"


async def test_an_unknown_request_has_no_suggestions_and_prepare_reads_nothing(db, clock) -> None:
    await _generated_pool(db, clock, size=20)
    await suggest.prepare(db, AREAS, now=clock.now())
    async with db.reading(fixed_plan=True) as session:
        result = await session.execute(
            matching.suggestion_statement(["cancer"]),
            matching.suggestion_params(987654, ["cancer"], 5),
        )
        assert matching.suggestions(result, ["cancer"]) == (None, [])
    async with db.sessions() as session:
        assert await privacy.reads(session) == []


def test_the_rule_s_constants_are_codes_written_into_the_statement() -> None:
    with pytest.raises(ValueError):
        matching._const("x'; DROP TABLE participants; --")
    assert str(matching._const("next_of_kin")) == "'next_of_kin'"
    assert str(matching._const(15)) == "15"


async def test_a_request_is_matched_from_its_own_desks_pool_alone(db, clock) -> None:
    """Whatever the turn may see (a member of two desks sees both), a request's
    suggestions and candidates come from its own desk's pool."""
    async with db.transaction() as session:
        alrek = (await desks.add(session, desks.NewDesk("alrek", "Alrek"), now=clock.now())).id
    ours = [await _person(db, clock, f"Sykehus {n}") for n in range(3)]
    with scope.within({alrek}):
        theirs = [await _person(db, clock, f"Alrek {n}") for n in range(2)]
    assert {p.desk_id for p in ours} == {1} and {p.desk_id for p in theirs} == {alrek}
    request = await _request(db, clock, meeting_format="digital", desk_id=alrek)
    with scope.within({1, alrek}):
        async with db.sessions() as session:
            suggested = await matching.suggest(session, request, now=clock.now())
            candidates = await matching.candidates(session, request, now=clock.now())
    assert {s.candidate.participant_id for s in suggested} == {p.id for p in theirs}
    assert {c.participant_id for c in candidates} == {p.id for p in theirs}
