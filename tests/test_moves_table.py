"""The domain's table of moves is what the storage layer does: every move ×
status × role, executed on the real database, and the prebuilt claim statement."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from storage.db.models import AuditEntry, Request
from storage.domain.refusal import Refused
from storage.domain.requests import MOVES, TRANSITIONS, Move, Role, Status, authorise
from storage.requests import completion, moves
from storage.requests.moves import CLAIM_RULE, CLAIM_STATEMENT, Actor
from tests.support.channel import REQUESTER, seed_request

OWNER = Actor("aad-owner", "Olga Owner")
ACTORS = {
    "member": (Actor("aad-member", "Mona Medlem"), frozenset({Role.MEMBER})),
    "owner": (OWNER, frozenset({Role.MEMBER, Role.OWNER})),
    "admin": (
        Actor("aad-admin", "Anne Admin", is_admin=True),
        frozenset({Role.MEMBER, Role.OWNER}),
    ),
    "requester": (
        Actor(REQUESTER.aad_object_id or "", REQUESTER.name),
        frozenset({Role.REQUESTER}),
    ),
}
# (move, target) pairs a person can ask for from the card or the `mine` card.
ASKED = [
    (Move.CLAIM, Status.CLAIMED),
    (Move.RELEASE, Status.SUBMITTED),
    (Move.ASSIGN, None),  # same status, new owner
    *[(Move.SET_STATUS, s) for s in Status],
    (Move.CANCEL, Status.CANCELLED),
]


def test_every_status_change_in_the_moves_table_is_a_lifecycle_transition() -> None:
    for rule in MOVES:
        if rule.from_status is not rule.to_status:
            assert rule.to_status in TRANSITIONS[rule.from_status], rule


def test_the_prebuilt_claim_statement_is_the_claim_rule() -> None:
    (rule,) = [r for r in MOVES if r.move is Move.CLAIM]
    assert rule == CLAIM_RULE
    where = {
        str(clause.left): clause.right.value
        for clause in CLAIM_STATEMENT.whereclause.clauses  # type: ignore[union-attr]
        if hasattr(clause.right, "value") and clause.right.value is not None
    }
    assert where == {"requests.status": rule.from_status.value}
    values = {
        str(column): getattr(value, "value", value)
        for column, value in CLAIM_STATEMENT._values.items()
    }
    assert values["requests.status"] == rule.to_status.value


def test_some_facts_a_coordinator_relies_on() -> None:
    member, owner, requester = (frozenset({r}) for r in (Role.MEMBER, Role.OWNER, Role.REQUESTER))
    assert authorise(Move.CLAIM, Status.SUBMITTED, Status.CLAIMED, member)
    assert authorise(Move.SET_STATUS, Status.CLAIMED, Status.IN_PROGRESS, owner)
    assert authorise(Move.CANCEL, Status.IN_PROGRESS, Status.CANCELLED, requester)
    refused = [
        (Move.SET_STATUS, Status.CLAIMED, Status.DECLINED, member),  # not the owner's
        (Move.SET_STATUS, Status.SUBMITTED, Status.DECLINED, member),  # claim it first
        (Move.RELEASE, Status.CLAIMED, Status.SUBMITTED, member),
        (Move.CANCEL, Status.MATCHED, Status.CANCELLED, requester),  # too late
        (Move.CANCEL, Status.SUBMITTED, Status.CANCELLED, owner),  # only the requester
        (Move.SET_STATUS, Status.SUBMITTED, Status.MATCHED, owner),  # claim first
    ]
    for move, current, target, roles in refused:
        with pytest.raises(Exception) as err:
            authorise(move, current, target, roles)
        assert type(err.value) is Refused and "because" in err.value.params, (move, current, target)


def _allowed(move: Move, current: Status, target: Status, roles: frozenset[Role]) -> bool:
    return any(
        r.move is move and r.from_status is current and r.to_status is target and r.role in roles
        for r in MOVES
    )


async def _request_in(db, clock, status: Status) -> int:
    request_id = await seed_request(db, clock)
    owned = status is not Status.SUBMITTED
    async with db.transaction() as session:
        await session.execute(
            update(Request)
            .where(Request.id == request_id)
            .values(
                status=status.value,
                owner_aad_id=OWNER.aad_object_id if owned else None,
                owner_name=OWNER.name if owned else None,
            )
        )
    return request_id


async def _make(session, move: Move, request_id: int, actor: Actor, target, now) -> Request:
    if move is Move.CLAIM:
        return await moves.claim(session, request_id, actor, now=now)
    if move is Move.RELEASE:
        return await moves.release(session, request_id, actor, now=now)
    if move is Move.ASSIGN:
        return await moves.assign(
            session, request_id, actor, owner_aad_id="aad-new", owner_name="Nils Ny", now=now
        )
    if move is Move.SET_STATUS:
        return await completion.set_status(
            session, request_id, actor, target, now=now, comment="grunn"
        )
    return await moves.cancel_by_requester(session, request_id, actor.aad_object_id, now=now)


async def test_every_move_status_and_role_does_what_the_table_says(db, clock) -> None:
    checked = 0
    for current in Status:
        for move, asked in ASKED:
            target = current if asked is None else asked
            for name, (actor, roles) in ACTORS.items():
                if move is Move.CANCEL:
                    # From anyone's `mine` card: only the requester is one.
                    roles = frozenset({Role.REQUESTER}) if name == "requester" else frozenset()
                elif name == "requester":
                    continue  # channel moves pass the team-member guard first
                elif name == "owner" and current is Status.SUBMITTED:
                    roles = frozenset({Role.MEMBER})  # nobody owns it yet
                expected = _allowed(move, current, target, roles)
                request_id = await _request_in(db, clock, current)
                try:
                    async with db.transaction() as session:
                        after = await _make(session, move, request_id, actor, target, clock.now())
                        status = Status(after.status)
                except Refused:
                    status = None
                where = f"{move} {current}->{target} by {name}"
                if expected:
                    assert status is target, where
                else:
                    assert status is None, where
                    async with db.sessions() as session:
                        row = await session.get(Request, request_id)
                        audits = await session.scalar(
                            select(func.count(AuditEntry.id)).where(
                                AuditEntry.request_id == request_id
                            )
                        )
                    assert row.status == current.value, where  # nothing written
                    assert audits == 1, where  # only the submission
                checked += 1
    assert checked == len(Status) * (len(ASKED) - 1) * 3 + len(Status) * 4
