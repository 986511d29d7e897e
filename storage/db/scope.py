"""The desks a piece of work may see, set once per turn, page, job or command.

Every ORM statement that touches a desk's rows (`DeskScoped` classes: requests,
participants, invitations, fee claims, evaluations, gatherings, surveys) is
narrowed here to the desks in scope, by SQLAlchemy's `with_loader_criteria`
on the session's `do_orm_execute` event (its recipe
`examples/extending_query/filter_public.py`; django-scopes is the same idea):
a handler cannot forget the `where`. With no scope set a statement on them
raises `ScopeError`, so a new entry point that forgets to choose fails in its
first test instead of showing every desk's rows. New rows take the one desk in
scope.

Statements written in Core against a table (not an ORM entity) are not seen
here: tests/test_desk_scope.py fails for any such statement on a scoped table
outside the few that say why they need none.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final, TypeVar

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from storage.db.models import DEFAULT_DESK_ID, Base, DeskRows, DeskScoped, Participant
from storage.domain.refusal import Refused

# Refused when an id from a card names another desk's row (a forged or stale
# card): the router answers 403 and notes it in the read audit.
OTHER_DESK = "desks.error.other_desk"

M = TypeVar("M", bound=DeskScoped)


class ScopeError(RuntimeError):
    """A statement on desk data ran with no desk scope chosen."""


class _AllDesks:
    def __repr__(self) -> str:
        return "ALL_DESKS"


# Jobs that serve every desk (the outbox, reminder rounds), the CLI without
# `--desk`, a participant's own pages (a person, not a desk).
ALL_DESKS: Final = _AllDesks()

Scope = frozenset[int] | _AllDesks

_scope: ContextVar[Scope | None] = ContextVar("medvirk_desk_scope", default=None)


def current() -> Scope | None:
    return _scope.get()


def desk_ids() -> frozenset[int] | None:
    """The desks in scope; None for all of them. ScopeError with none chosen."""
    scope = _scope.get()
    if scope is None:
        raise ScopeError("no desk scope chosen")
    return None if isinstance(scope, _AllDesks) else scope


def enter(scope: Scope) -> None:
    """Choose the scope for the rest of this task (and the tasks it starts):
    for a process's entry point (`medvirk` CLI, a test)."""
    _scope.set(scope)


@contextmanager
def within(scope: Scope | Iterable[int]) -> Iterator[None]:
    chosen: Scope = scope if isinstance(scope, _AllDesks) else frozenset(scope)
    token = _scope.set(chosen)
    try:
        yield
    finally:
        _scope.reset(token)


@functools.cache
def _desk_tables() -> frozenset[str]:
    return frozenset(
        str(getattr(m.class_, "__tablename__", ""))
        for m in Base.registry.mappers
        if issubclass(m.class_, DeskScoped)
    )


def _touches_desk_rows(state: ORMExecuteState) -> bool:
    """Any scoped table in the statement, as an entity or only in a FROM."""
    statement: Any = state.statement
    tables = find_tables(statement, include_crud=True, include_joins=True)
    return any(getattr(t, "name", None) in _desk_tables() for t in tables)


@event.listens_for(Session, "do_orm_execute")
def _narrow_to_scope(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        # The criteria of the statement that loaded the object travel with it.
        return
    scope = _scope.get()
    if isinstance(scope, _AllDesks):
        return
    if scope is None:
        if _touches_desk_rows(state):
            raise ScopeError("a statement on desk data ran with no desk scope chosen")
        return
    # Narrowed: the criteria go on every statement (a no-op where no desk data
    # is named), which costs less than looking whether it is.
    ids = tuple(sorted(scope))
    state.statement = state.statement.options(
        with_loader_criteria(DeskRows, lambda cls: cls.desk_id.in_(ids), include_aliases=True),
        # Participants: their own desk's, and those who let these desks ask them.
        with_loader_criteria(Participant, Participant.in_desks(ids), include_aliases=True),
    )


@event.listens_for(Session, "before_flush")
def _new_rows_take_the_desk_in_scope(session: Session, context: Any, instances: Any) -> None:
    scope = _scope.get()
    for row in session.new:
        if not isinstance(row, DeskScoped):
            continue
        desk_id = getattr(row, "desk_id", None)
        if scope is None or isinstance(scope, _AllDesks):
            if desk_id is None:
                row.desk_id = DEFAULT_DESK_ID
            continue
        if desk_id is None:
            if len(scope) != 1:
                raise ScopeError("a new row of desk data needs its desk: several are in scope")
            row.desk_id = next(iter(scope))
        elif desk_id not in scope:
            raise ScopeError("a new row of desk data for a desk outside the scope")


async def get(session: AsyncSession, model: type[M], row_id: int) -> M | None:
    """The row of a desk in scope; None if there is none; `Refused(OTHER_DESK)`
    if it is another desk's (an id from a card someone else's desk made)."""
    row = await session.get(model, row_id)
    if row is not None or isinstance(_scope.get(), _AllDesks):
        return row
    mapped: Any = model
    with within(ALL_DESKS):
        elsewhere = await session.scalar(select(mapped.desk_id).where(mapped.id == row_id))
    if elsewhere is not None:
        raise Refused(OTHER_DESK, kind=mapped.__tablename__, id=row_id)
    return None
