"""Every lifecycle is one table in the domain (storage/domain/), and the storage
layer does what the table says: every (from, to) pair of each lifecycle, the
moves executed on the real database from every status, and no bare status
string outside the domain."""

from __future__ import annotations

import re
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from storage import fee_claims as claims
from storage import invitations, pool
from storage.db.models import FeeClaim, Invitation, Participant
from storage.domain import evaluations, fee_claims, outbox, reminders, requests
from storage.domain import invitations as domain_invitations
from storage.domain import participants as domain_participants
from storage.domain.evaluations import EVALUATIONS, EvaluationStatus
from storage.domain.fee_claims import FEE_CLAIMS, ClaimStatus
from storage.domain.invitations import (
    DOCUMENTS,
    INVITATIONS,
    DocumentStatus,
    InvitationStatus,
    document,
)
from storage.domain.lifecycle import Lifecycle, TransitionRefused
from storage.domain.outbox import OUTBOX, OutboxState
from storage.domain.participants import PARTICIPANTS, ParticipantStatus
from storage.domain.refusal import Refused
from storage.domain.reminders import ROUNDS, SUBJECTS, RoundState, SubjectStatus
from storage.privacy import erasure
from tests.support.channel import seed_request

ROOT = Path(__file__).resolve().parents[1]

LIFECYCLES: list[Lifecycle[Any]] = [
    PARTICIPANTS,
    INVITATIONS,
    DOCUMENTS,
    FEE_CLAIMS,
    EVALUATIONS,
    SUBJECTS,
    ROUNDS,
    OUTBOX,
]
# What each table says, written out once more by hand: a change to a table
# has to change this too.
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "participant": {
        ("pending", "active"),
        ("active", "paused"),
        ("paused", "active"),
        ("active", "left"),
        ("paused", "left"),
    },
    "invitation": {
        ("invited", "accepted"),
        ("invited", "declined"),
        ("invited", "expired"),
        ("invited", "withdrawn"),
        ("accepted", "left"),
    },
    "document": {("unsigned", "signed")},
    # SPEC: draft → confirmed → sent → paid; paid also straight from confirmed
    # (no payroll address: payroll had the PDF from `claims pdf`).
    "fee claim": {
        ("draft", "confirmed"),
        ("confirmed", "sent"),
        ("sent", "paid"),
        ("confirmed", "paid"),
    },
    "evaluation": {("asked", "answered")},
    "reminder subject": {("active", "cancelled")},
    "reminder round": {("planned", "sent"), ("planned", "dropped")},
    "outbox row": {
        ("pending", "sent"),
        ("pending", "failed"),
        ("pending", "skipped"),
        ("failed", "pending"),
    },
}


def _enum(lifecycle: Lifecycle[Any]) -> type[StrEnum]:
    return type(next(iter(lifecycle.table)))


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=lambda c: c.name)
def test_every_pair_is_allowed_exactly_when_the_table_says(lifecycle: Lifecycle[Any]) -> None:
    enum = _enum(lifecycle)
    assert set(lifecycle.table) == set(enum), "every status has a row"
    allowed = set()
    for here in enum:
        for there in enum:
            if lifecycle.may(here, there):
                allowed.add((here.value, there.value))
                assert lifecycle.transition(here, there) is there
                assert lifecycle.transition(here.value, there.value) is there
                assert here in lifecycle.sources(there)
            else:
                with pytest.raises(TransitionRefused) as refused:
                    lifecycle.transition(here, there)
                assert isinstance(refused.value, Refused)
                assert refused.value.key == lifecycle.refusal.format(current=here.value)
                assert (refused.value.current, refused.value.target) == (here, there)
                assert here not in lifecycle.sources(there)
    assert allowed == EXPECTED[lifecycle.name]
    assert lifecycle.final == {s for s in enum if not lifecycle.table[s]}
    assert lifecycle.open == set(enum) - lifecycle.final


def test_some_facts_of_the_lifecycles() -> None:
    # A pending person is erased, never withdrawn: only someone who consented leaves.
    assert not PARTICIPANTS.may(ParticipantStatus.PENDING, ParticipantStatus.LEFT)
    assert PARTICIPANTS.final == {ParticipantStatus.LEFT}
    # An invitation is answered only while nobody has answered it.
    assert INVITATIONS.sources(InvitationStatus.ACCEPTED) == {InvitationStatus.INVITED}
    assert INVITATIONS.sources(InvitationStatus.DECLINED) == {InvitationStatus.INVITED}
    assert INVITATIONS.open == {InvitationStatus.INVITED, InvitationStatus.ACCEPTED}
    # The refusal of an answer says what became of the invitation.
    with pytest.raises(TransitionRefused) as refused:
        INVITATIONS.transition(InvitationStatus.EXPIRED, InvitationStatus.ACCEPTED)
    assert refused.value.key == "participant.error.invitation_expired"
    # A claim is confirmed once, from a draft; payroll's payment never precedes the confirmation.
    assert FEE_CLAIMS.sources(ClaimStatus.CONFIRMED) == {ClaimStatus.DRAFT}
    assert FEE_CLAIMS.sources(ClaimStatus.PAID) == {ClaimStatus.CONFIRMED, ClaimStatus.SENT}
    assert FEE_CLAIMS.refusal == "claim.error.not_confirmed"
    assert EVALUATIONS.final == {EvaluationStatus.ANSWERED}
    assert SUBJECTS.final == {SubjectStatus.CANCELLED}
    assert ROUNDS.sources(RoundState.DROPPED) == {RoundState.PLANNED}
    assert OUTBOX.sources(OutboxState.PENDING) == {OutboxState.FAILED}
    assert document(None) is DocumentStatus.UNSIGNED
    assert DOCUMENTS.final == {DocumentStatus.SIGNED}


def test_a_table_naming_an_unknown_status_is_refused_when_written() -> None:
    with pytest.raises(ValueError, match="unknown"):
        Lifecycle("broken", {ClaimStatus.DRAFT: frozenset({ClaimStatus.PAID})})


# -- The storage layer does what the tables say, from every status ------------------------

PERSON = {"name": "Per Pasient", "email": "per@example.com", "roles": ["patient"]}


async def _participant(db, clock, status: ParticipantStatus) -> int:
    async with db.transaction() as session:
        participant = await pool.add(session, PERSON, added_by="test", now=clock.now())
        participant.status = status
        await session.flush()
        return participant.id


async def _status_of(db, model: Any, row_id: int) -> StrEnum:
    async with db.sessions() as session:
        row = await session.get(model, row_id)
        assert row is not None
        status = row.status
        assert isinstance(status, StrEnum), "the column gives the enum back"
        return status


@pytest.mark.parametrize("start", list(ParticipantStatus))
@pytest.mark.parametrize(
    "target", [ParticipantStatus.PAUSED, ParticipantStatus.ACTIVE, ParticipantStatus.LEFT]
)
async def test_pausing_resuming_and_withdrawing_follow_the_participant_table(
    db, clock, start: ParticipantStatus, target: ParticipantStatus
) -> None:
    participant_id = await _participant(db, clock, start)

    async def move() -> None:
        async with db.transaction() as session:
            participant = await session.get_one(Participant, participant_id)
            if target is ParticipantStatus.LEFT:
                await erasure.withdraw(session, participant, now=clock.now())
            else:
                await pool.set_paused(
                    session, participant, target is ParticipantStatus.PAUSED, now=clock.now()
                )

    if start is target or PARTICIPANTS.may(start, target):
        await move()
        assert await _status_of(db, Participant, participant_id) is target
    else:
        with pytest.raises(Refused) as refused:
            await move()
        assert (refused.value.key, refused.value.params) == (
            "participant.error.not_now",
            {"status": start.value},
        )
        assert await _status_of(db, Participant, participant_id) is start


async def _claim(db, clock, status: ClaimStatus) -> tuple[int, int]:
    request_id = await seed_request(db, clock)
    participant_id = await _participant(db, clock, ParticipantStatus.ACTIVE)
    now = clock.now()
    async with db.transaction() as session:
        claim = FeeClaim(
            request_id=request_id,
            participant_id=participant_id,
            status=status,
            revision=1,
            meetings=1,
            hours_hundredths=200,
            counted_quarters=8,
            fee_ore=100_000,
            total_ore=100_000,
            rates_name="test",
            created_at=now,
            updated_at=now,
        )
        session.add(claim)
        await session.flush()
        return claim.id, participant_id


@pytest.mark.parametrize("start", list(ClaimStatus))
async def test_confirming_sending_and_paying_follow_the_fee_claim_table(
    db, clock, start: ClaimStatus
) -> None:
    # confirm: its conditional UPDATE's WHERE is FEE_CLAIMS.sources(CONFIRMED).
    claim_id, participant_id = await _claim(db, clock, start)
    confirmed = await claims.confirm(
        db,
        claims.Confirmer.on_page(participant_id),
        claim_id,
        1,
        payroll_email="",
        now=clock.now(),
    )
    allowed = FEE_CLAIMS.may(start, ClaimStatus.CONFIRMED)
    assert confirmed.repeated is not allowed
    assert await _status_of(db, FeeClaim, claim_id) is (ClaimStatus.CONFIRMED if allowed else start)

    claim_id, _ = await _claim(db, clock, start)
    async with db.transaction() as session:
        await claims.mark_sent(session, claim_id, now=clock.now())
    sent = FEE_CLAIMS.may(start, ClaimStatus.SENT)
    assert await _status_of(db, FeeClaim, claim_id) is (ClaimStatus.SENT if sent else start)

    claim_id, _ = await _claim(db, clock, start)
    if start is ClaimStatus.PAID or FEE_CLAIMS.may(start, ClaimStatus.PAID):
        await claims.mark_paid(db, claim_id, now=clock.now())
        assert await _status_of(db, FeeClaim, claim_id) is ClaimStatus.PAID
    else:
        with pytest.raises(Refused) as refused:
            await claims.mark_paid(db, claim_id, now=clock.now())
        assert refused.value.key == "claim.error.not_confirmed"
        assert await _status_of(db, FeeClaim, claim_id) is start


@pytest.mark.parametrize("start", list(InvitationStatus))
async def test_an_answer_follows_the_invitation_table(db, clock, start: InvitationStatus) -> None:
    """`answer`'s conditional UPDATE's WHERE is INVITATIONS.sources(ACCEPTED)."""
    request_id = await seed_request(db, clock)
    participant_id = await _participant(db, clock, ParticipantStatus.ACTIVE)
    now = clock.now()
    async with db.transaction() as session:
        invitation = Invitation(
            request_id=request_id,
            participant_id=participant_id,
            status=start,
            created_at=now,
            expires_at=now + timedelta(days=7),
        )
        session.add(invitation)
        await session.flush()
        invitation_id = invitation.id
    if start is InvitationStatus.ACCEPTED or INVITATIONS.may(start, InvitationStatus.ACCEPTED):
        async with db.transaction() as session:
            answered = await invitations.answer_invitation(
                session,
                invitations.Answerer(participant_id=participant_id),
                invitation_id,
                accept=True,
                via="page",
                now=now,
            )
        assert answered.repeated is (start is InvitationStatus.ACCEPTED)
        assert await _status_of(db, Invitation, invitation_id) is InvitationStatus.ACCEPTED
    else:
        with pytest.raises(Refused) as refused:
            async with db.transaction() as session:
                await invitations.answer_invitation(
                    session,
                    invitations.Answerer(participant_id=participant_id),
                    invitation_id,
                    accept=True,
                    via="page",
                    now=now,
                )
        assert refused.value.key == f"participant.error.invitation_{start.value}"
        assert await _status_of(db, Invitation, invitation_id) is start


async def test_status_columns_stay_plain_strings_in_the_database(db, clock) -> None:
    participant_id = await _participant(db, clock, ParticipantStatus.PAUSED)
    async with db.sessions() as session:
        raw = await session.scalar(
            text("SELECT status FROM participants WHERE id = :id"), {"id": participant_id}
        )
    assert type(raw) is str and raw == "paused"


# -- No bare status string outside the domain ---------------------------------------------

ENUMS: list[type[StrEnum]] = [
    requests.Status,
    domain_participants.ParticipantStatus,
    domain_invitations.InvitationStatus,
    domain_invitations.DocumentStatus,
    fee_claims.ClaimStatus,
    evaluations.EvaluationStatus,
    reminders.SubjectStatus,
    reminders.RoundState,
    outbox.OutboxState,
]
_VALUES = "|".join(sorted({m.value for e in ENUMS for m in e}, key=len, reverse=True))
_QUOTED = rf"""["'](?:{_VALUES})["']"""
_STATUS = r"\b(?:status|state|to_status|from_status|event)\b"
BARE = [
    # x.status == "active", status="draft", state != 'sent', SQL: status = 'sent'
    re.compile(rf"{_STATUS}\s*(?:==|!=|=|<>)\s*{_QUOTED}"),
    re.compile(rf"{_QUOTED}\s*(?:==|!=)\s*[\w.]*{_STATUS}"),
    # status in ("a", "b"), .status.in_(("a",)), SQL: state IN ('a')
    re.compile(rf"{_STATUS}(?:\.in_\(|\s+(?:not\s+)?in\s+)\s*[\(\[\{{]\s*{_QUOTED}", re.I),
    # a literal collection of two or more statuses: ("confirmed", "sent", "paid")
    re.compile(rf"[\(\[\{{]\s*{_QUOTED}\s*,\s*{_QUOTED}"),
]


def _bare_statuses() -> list[str]:
    found = []
    for package in ("bot", "dialogs", "storage"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative.parts[:2] in (("storage", "domain"), ("storage", "migrations")):
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in BARE:
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    found.append(f"{relative}:{line}: {match.group(0)!r}")
    return found


def test_no_bare_status_string_outside_the_domain() -> None:
    """A status is compared, assigned and filtered by its enum member (mypy
    checks those); a bare string escapes it. Catalog keys and texts that
    happen to contain a status word are not comparisons, and are not found."""
    assert _bare_statuses() == []


@pytest.mark.parametrize(
    "line",
    [
        'if gathering.status != "active":',
        "x.status=='draft'",
        'cancelled = request.status in ("declined", "cancelled")',
        'or event not in ("accepted", "declined")',
        '.where(Reminder.state == "planned")',
        'COUNTED = ("confirmed", "sent", "paid")',
        "text(\"UPDATE outbox SET state = 'sent' WHERE state IN ('pending')\")",
        '"answered" == evaluation.status',
    ],
)
def test_the_bare_status_check_finds_what_it_is_for(line: str) -> None:
    assert any(pattern.search(line) for pattern in BARE)


@pytest.mark.parametrize(
    "line",
    [
        '"participant.error.invitation_accepted": {',
        'said = "person.paused"',
        '@router.verb("answered")',
        'axes.set_title(title, loc="left")',
        'return "failed", channel',
        "status=InvitationStatus.INVITED,",
    ],
)
def test_the_bare_status_check_leaves_other_words_alone(line: str) -> None:
    assert not any(pattern.search(line) for pattern in BARE)
