"""The desk scope (storage/db/scope.py): set once, applied to every ORM statement
on desk data, an error where nobody chose one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from storage.db import scope
from storage.db.models import Base, Desk, DeskScoped, Participant, Request
from storage.desks import NewDesk, add
from storage.domain.refusal import Refused
from tests.support.channel import seed_request

ROOT = Path(__file__).resolve().parents[1]


# Tables that name a desk without being its rows, and why.
NAMES_A_DESK = {
    # A unit names the desk its requests go to; anyone orders from any unit.
    "units",
    # A participant's consent to another desk: read through the participant.
    "participant_desks",
}


def test_every_table_with_a_desk_is_scoped_by_it() -> None:
    with_desk = {t.name for t in Base.metadata.tables.values() if "desk_id" in t.c} - NAMES_A_DESK
    scoped = {
        m.class_.__tablename__ for m in Base.registry.mappers if issubclass(m.class_, DeskScoped)
    }
    assert with_desk == scoped
    assert {"requests", "participants", "invitations", "fee_claims", "evaluations"} <= scoped


async def _two(db, clock) -> tuple[int, int, int]:
    async with db.transaction() as session:
        alrek = (await add(session, NewDesk("alrek", "Alrek"), now=clock.now())).id
    ours = await seed_request(db, clock)
    theirs = await seed_request(db, clock, desk_id=alrek)
    return alrek, ours, theirs


async def test_a_statement_on_desk_data_with_no_scope_is_an_error(db, clock) -> None:
    await _two(db, clock)
    token = scope._scope.set(None)
    try:
        async with db.sessions() as session:
            with pytest.raises(scope.ScopeError):
                await session.scalar(select(func.count()).select_from(Request))
            # Rows of no desk need none.
            assert await session.scalar(select(func.count()).select_from(Desk)) == 2
    finally:
        scope._scope.reset(token)


async def test_reads_and_writes_see_only_the_desks_in_scope(db, clock) -> None:
    alrek, ours, theirs = await _two(db, clock)
    with scope.within({alrek}):
        async with db.transaction() as session:
            assert [r.id for r in await session.scalars(select(Request))] == [theirs]
            assert await session.scalar(select(func.count()).select_from(Request)) == 1
            assert await session.get(Request, ours) is None
            changed = await session.execute(update(Request).values(workload="x"))
            assert changed.rowcount == 1
            await session.execute(delete(Participant))
            # A new row takes the one desk in scope.
            session.add(
                Participant(
                    status="pending",
                    link_nonce="n",
                    name="Ny",
                    created_at=clock.now(),
                    updated_at=clock.now(),
                    last_active_at=clock.now(),
                )
            )
            await session.flush()
            added = await session.scalar(select(Participant))
            assert added is not None and added.desk_id == alrek
    with scope.within(scope.ALL_DESKS):
        async with db.sessions() as session:
            workloads = dict((await session.execute(select(Request.id, Request.workload))).all())
    assert workloads[theirs] == "x" and workloads[ours] != "x"


async def test_an_id_of_another_desk_is_refused_as_such(db, clock) -> None:
    alrek, ours, theirs = await _two(db, clock)
    with scope.within({alrek}):
        async with db.sessions() as session:
            assert (await scope.get(session, Request, theirs)) is not None
            assert await scope.get(session, Request, 9999) is None
            with pytest.raises(Refused) as refused:
                await scope.get(session, Request, ours)
    assert refused.value.key == scope.OTHER_DESK


async def test_a_new_row_for_a_desk_outside_the_scope_is_an_error(db, clock) -> None:
    alrek, _, _ = await _two(db, clock)
    with scope.within({alrek}), pytest.raises(scope.ScopeError):
        async with db.transaction() as session:
            session.add(
                Participant(
                    desk_id=1,
                    status="pending",
                    link_nonce="n",
                    created_at=clock.now(),
                    updated_at=clock.now(),
                    last_active_at=clock.now(),
                )
            )


SCOPED_TABLES = {"requests", "participants", "invitations", "fee_claims", "evaluations"}
SCOPED_TABLES |= {"gatherings", "surveys"}
SCOPED_CLASSES = {"Request", "Participant", "Invitation", "FeeClaim", "Evaluation"}
SCOPED_CLASSES |= {"Gathering", "Survey"}
SQL_ON_A_SCOPED_TABLE = re.compile(
    rf"\b(from|into|update|join)\s+({'|'.join(SCOPED_TABLES)})\b(?!\.)", re.IGNORECASE
)


def test_no_hand_written_statement_escapes_the_scope() -> None:
    """Core statements on a scoped table (`Request.__table__`, SQL text naming
    one) bypass `with_loader_criteria`: none in the product."""
    found = []
    for path in [*ROOT.glob("storage/**/*.py"), *ROOT.glob("bot/**/*.py")]:
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "__table__"
                and isinstance(node.value, ast.Name)
                and node.value.id in SCOPED_CLASSES
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if SQL_ON_A_SCOPED_TABLE.search(node.value):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
