"""The request lifecycle as a pure, table-driven state machine."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"
    CLAIMED = "claimed"
    IN_PROGRESS = "in_progress"
    MATCHED = "matched"
    AGREEMENT_SIGNED = "agreement_signed"
    COMPLETED = "completed"
    DECLINED = "declined"
    CANCELLED = "cancelled"


S = Status
# Allowed targets per status. `released` is the move back to `submitted`.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.SUBMITTED: frozenset({S.CLAIMED, S.DECLINED, S.CANCELLED}),
    S.CLAIMED: frozenset({S.SUBMITTED, S.IN_PROGRESS, S.MATCHED, S.DECLINED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.SUBMITTED, S.MATCHED, S.DECLINED, S.CANCELLED}),
    S.MATCHED: frozenset({S.AGREEMENT_SIGNED, S.DECLINED}),
    S.AGREEMENT_SIGNED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.DECLINED: frozenset(),
    S.CANCELLED: frozenset(),
}

FINAL_STATUSES = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
OPEN_STATUSES = frozenset(Status) - FINAL_STATUSES
# Statuses an owner can set from the channel card (release and cancel are separate verbs).
OWNER_TARGETS = frozenset({S.IN_PROGRESS, S.MATCHED, S.AGREEMENT_SIGNED, S.COMPLETED, S.DECLINED})
CANCELLABLE = frozenset({S.SUBMITTED, S.CLAIMED, S.IN_PROGRESS})


class TransitionError(Exception):
    """A move the lifecycle does not allow. `code` is a message-catalog key."""

    def __init__(self, code: str, current: Status, target: Status) -> None:
        super().__init__(f"{code}: {current} -> {target}")
        self.code = code
        self.current = current
        self.target = target


@dataclass(frozen=True)
class Transition:
    from_status: Status
    to_status: Status
    comment: str | None


def transition(current: Status, target: Status, *, comment: str | None = None) -> Transition:
    """Validate a move; raise `TransitionError` if the lifecycle forbids it."""
    current, target = Status(current), Status(target)
    if target not in TRANSITIONS[current]:
        raise TransitionError("error.transition.illegal", current, target)
    comment = (comment or "").strip() or None
    if target is Status.DECLINED and not comment:
        raise TransitionError("error.transition.reason_required", current, target)
    return Transition(current, target, comment)


def next_owner_statuses(current: Status) -> list[Status]:
    """The statuses an owner may move a request to next, in lifecycle order."""
    allowed = TRANSITIONS[Status(current)] & OWNER_TARGETS
    return [s for s in Status if s in allowed]
