"""A lifecycle as a table: which status may follow which, and one `transition()`.

Every lifecycle in the domain (requests, participants, invitations, documents,
fee claims, evaluations, surveys, reminders) is a `Lifecycle` over its own
`StrEnum`; the table is the only place that says what may follow what, and a
test per lifecycle walks every pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from storage.domain.refusal import Refused

E = TypeVar("E", bound=StrEnum)


class TransitionRefused(Refused):
    """A move the lifecycle's table does not allow (nothing was written). The
    catalog text may name the status it was refused from (`{status}`)."""

    def __init__(self, key: str, current: StrEnum, target: StrEnum) -> None:
        super().__init__(key, status=current.value)
        self.current = current
        self.target = target


@dataclass(frozen=True)
class Lifecycle(Generic[E]):
    name: str
    table: Mapping[E, frozenset[E]]
    # The catalog key of a refused move; `{current}` in it becomes the status
    # it was refused from (a key per status, e.g. "invitation_{current}").
    refusal: str = "error.transition.illegal"

    def __post_init__(self) -> None:
        statuses = set(self.table)
        for source, targets in self.table.items():
            stray = set(targets) - statuses
            if stray:
                raise ValueError(f"{self.name}: {source} leads to unknown {sorted(stray)}")

    @property
    def final(self) -> frozenset[E]:
        return frozenset(s for s, targets in self.table.items() if not targets)

    @property
    def open(self) -> frozenset[E]:
        return frozenset(self.table) - self.final

    def may(self, current: E | str, target: E | str) -> bool:
        enum = type(next(iter(self.table)))
        return enum(target) in self.table[enum(current)]

    def sources(self, target: E) -> frozenset[E]:
        """Every status `target` may be reached from (for a conditional UPDATE's WHERE)."""
        return frozenset(s for s, targets in self.table.items() if target in targets)

    def transition(self, current: E | str, target: E | str) -> E:
        """`target` as the enum, or `TransitionRefused` if the table forbids the move."""
        enum = type(next(iter(self.table)))
        here, there = enum(current), enum(target)
        if there not in self.table[here]:
            raise TransitionRefused(self.refusal.format(current=here.value), here, there)
        return there
