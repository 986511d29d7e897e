"""A participant's lifecycle in the pool (SPEC: `pending` → `active` ↔ `paused`;
withdrawing makes them `left`, their personal fields erased).

A `pending` person who says no, or is forgotten, is erased (a delete, not a
move); only someone who consented withdraws.
"""

from __future__ import annotations

from enum import StrEnum

from storage.domain.lifecycle import Lifecycle


class ParticipantStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


P = ParticipantStatus
PARTICIPANTS: Lifecycle[ParticipantStatus] = Lifecycle(
    "participant",
    {
        P.PENDING: frozenset({P.ACTIVE}),
        P.ACTIVE: frozenset({P.PAUSED, P.LEFT}),
        P.PAUSED: frozenset({P.ACTIVE, P.LEFT}),
        P.LEFT: frozenset(),
    },
    refusal="participant.error.not_now",
)
# In the pool and may change their own data, be paused or resumed.
IN_POOL = frozenset({P.ACTIVE, P.PAUSED})
