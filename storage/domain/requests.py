"""The request lifecycle as a pure, table-driven state machine.

Two tables: `TRANSITIONS` says which status may follow which; `MOVES` says who
may make which move from which status to which. The storage layer executes a
move only through `authorise()`, and its prebuilt statements are built from
`MOVES` (tests/test_moves_table.py proves they agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storage.domain.lifecycle import TransitionRefused
from storage.domain.refusal import Refused


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
    # Back to in_progress: an accepted participant left (storage/invitations/__init__.py `leave`).
    S.MATCHED: frozenset({S.AGREEMENT_SIGNED, S.DECLINED, S.IN_PROGRESS}),
    S.AGREEMENT_SIGNED: frozenset({S.COMPLETED, S.IN_PROGRESS}),
    S.COMPLETED: frozenset(),
    S.DECLINED: frozenset(),
    S.CANCELLED: frozenset(),
}

FINAL_STATUSES = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
OPEN_STATUSES = frozenset(Status) - FINAL_STATUSES


class Move(StrEnum):
    """What a person does to a request (the channel card's verbs, the requester's cancel)."""

    CLAIM = "claim"
    RELEASE = "release"
    ASSIGN = "assign"
    SET_STATUS = "set_status"
    CANCEL = "cancel"
    # Enough participants said yes: the request is matched by itself.
    MATCH = "match"
    # Every accepted participant signed both documents: agreement_signed by itself.
    SIGN = "sign"
    # An accepted participant left the pool before the work was done: open for one more.
    REOPEN = "reopen"
    # To another desk, unclaimed there (storage/requests/moves.py `transfer`).
    TRANSFER = "transfer"


class Role(StrEnum):
    """What a person is to a request."""

    MEMBER = "member"  # of the priority team (the router's guard checks it)
    OWNER = "owner"  # who claimed it, or was assigned it; admins act as owners
    REQUESTER = "requester"  # who ordered it
    SYSTEM = "system"  # medvirk itself, on the participants' answers


@dataclass(frozen=True)
class MoveRule:
    move: Move
    role: Role
    from_status: Status
    # The status after the move; the same status for `assign` (a new owner).
    to_status: Status


def _rules(move: Move, role: Role, moves: dict[Status, tuple[Status, ...]]) -> list[MoveRule]:
    return [MoveRule(move, role, f, to) for f, targets in moves.items() for to in targets]


# Who may make which move from which status. Every (from, to) pair that changes
# the status is also in TRANSITIONS (a test proves it).
MOVES: tuple[MoveRule, ...] = tuple(
    _rules(Move.CLAIM, Role.MEMBER, {S.SUBMITTED: (S.CLAIMED,)})
    + _rules(Move.RELEASE, Role.OWNER, {S.CLAIMED: (S.SUBMITTED,), S.IN_PROGRESS: (S.SUBMITTED,)})
    + _rules(
        Move.ASSIGN,
        Role.OWNER,
        {s: (s,) for s in (S.CLAIMED, S.IN_PROGRESS, S.MATCHED, S.AGREEMENT_SIGNED)},
    )
    + _rules(
        Move.SET_STATUS,
        Role.OWNER,
        {
            # Unclaimed, only an admin may decline it (it has no owner yet);
            # anyone else claims it first, so the decline has a name on it.
            S.SUBMITTED: (S.DECLINED,),
            S.CLAIMED: (S.IN_PROGRESS, S.MATCHED, S.DECLINED),
            S.IN_PROGRESS: (S.MATCHED, S.DECLINED),
            S.MATCHED: (S.AGREEMENT_SIGNED, S.DECLINED),
            S.AGREEMENT_SIGNED: (S.COMPLETED,),
        },
    )
    + _rules(
        Move.CANCEL,
        Role.REQUESTER,
        {s: (S.CANCELLED,) for s in (S.SUBMITTED, S.CLAIMED, S.IN_PROGRESS)},
    )
    + _rules(Move.MATCH, Role.SYSTEM, {S.CLAIMED: (S.MATCHED,), S.IN_PROGRESS: (S.MATCHED,)})
    + _rules(Move.SIGN, Role.SYSTEM, {S.MATCHED: (S.AGREEMENT_SIGNED,)})
    # Before anyone is invited from this desk's pool; an unclaimed one by an admin.
    + _rules(
        Move.TRANSFER,
        Role.OWNER,
        {S.SUBMITTED: (S.SUBMITTED,), S.CLAIMED: (S.SUBMITTED,), S.IN_PROGRESS: (S.SUBMITTED,)},
    )
    + _rules(
        Move.REOPEN,
        Role.SYSTEM,
        {S.MATCHED: (S.IN_PROGRESS,), S.AGREEMENT_SIGNED: (S.IN_PROGRESS,)},
    )
)


def from_statuses(move: Move) -> frozenset[Status]:
    """The statuses `move` can be made from, by anyone."""
    return frozenset(r.from_status for r in MOVES if r.move is move)


def targets(move: Move, current: Status, roles: frozenset[Role] | None = None) -> list[Status]:
    """Where `move` may take a request in `current` (for these roles), in lifecycle order."""
    found = {
        r.to_status
        for r in MOVES
        if r.move is move and r.from_status is current and (roles is None or r.role in roles)
    }
    return [s for s in Status if s in found]


CANCELLABLE = from_statuses(Move.CANCEL)


# The catalog keys of a refusal, per move: the status is wrong / the role is wrong.
_REFUSALS: dict[Move, tuple[str, str]] = {
    Move.CLAIM: ("channel.error.not_claimable", "channel.error.not_member"),
    Move.RELEASE: ("error.transition.illegal", "channel.error.not_owner"),
    Move.ASSIGN: ("channel.error.not_assignable", "channel.error.not_owner"),
    Move.SET_STATUS: ("error.transition.illegal", "channel.error.not_owner"),
    Move.CANCEL: ("channel.error.not_cancellable", "channel.error.not_requester"),
    Move.MATCH: ("error.transition.illegal", "channel.error.not_owner"),
    Move.SIGN: ("error.transition.illegal", "channel.error.not_owner"),
    Move.REOPEN: ("error.transition.illegal", "channel.error.not_owner"),
    Move.TRANSFER: ("desks.error.not_transferable", "channel.error.not_owner"),
}


def authorise(move: Move, current: Status, target: Status, roles: frozenset[Role]) -> MoveRule:
    """The rule that lets these roles make `move` from `current` to `target`, or
    `Refused` (its `because` parameter: the status or the role was wrong). A requester learns nothing of a request that is not theirs:
    for a cancel the role is checked before the status."""
    rules = [
        r for r in MOVES if r.move is move and r.from_status is current and r.to_status is target
    ]
    status_code, role_code = _REFUSALS[move]
    if move is Move.CANCEL and not any(r.role in roles for r in MOVES if r.move is move):
        raise Refused(role_code, because="role")
    if not rules:
        raise Refused(status_code, because="status")
    for rule in rules:
        if rule.role in roles:
            return rule
    raise Refused(role_code, because="role")


@dataclass(frozen=True)
class Transition:
    from_status: Status
    to_status: Status
    comment: str | None


def transition(current: Status, target: Status, *, comment: str | None = None) -> Transition:
    """Validate a move; raise `TransitionRefused` if the lifecycle forbids it."""
    current, target = Status(current), Status(target)
    if target not in TRANSITIONS[current]:
        raise TransitionRefused("error.transition.illegal", current, target)
    comment = (comment or "").strip() or None
    if target is Status.DECLINED and not comment:
        raise TransitionRefused("error.transition.reason_required", current, target)
    return Transition(current, target, comment)


def next_owner_statuses(current: Status) -> list[Status]:
    """The statuses an owner may move a request to next from the card, in lifecycle order."""
    return targets(Move.SET_STATUS, Status(current), frozenset({Role.OWNER}))
