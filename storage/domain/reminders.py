"""The reminders' lifecycles: a gathering or survey (active until cancelled)
and one planned reminder round (sent when due, or dropped: its subject was
cancelled, or its time passed while the bot was down)."""

from __future__ import annotations

from enum import StrEnum

from storage.domain.lifecycle import Lifecycle


class SubjectStatus(StrEnum):
    """A gathering's or a survey's."""

    ACTIVE = "active"
    CANCELLED = "cancelled"


SUBJECTS: Lifecycle[SubjectStatus] = Lifecycle(
    "reminder subject",
    {
        SubjectStatus.ACTIVE: frozenset({SubjectStatus.CANCELLED}),
        SubjectStatus.CANCELLED: frozenset(),
    },
)


class RoundState(StrEnum):
    """A reminder round's (`Reminder.state`)."""

    PLANNED = "planned"
    SENT = "sent"
    DROPPED = "dropped"


ROUNDS: Lifecycle[RoundState] = Lifecycle(
    "reminder round",
    {
        RoundState.PLANNED: frozenset({RoundState.SENT, RoundState.DROPPED}),
        RoundState.SENT: frozenset(),
        RoundState.DROPPED: frozenset(),
    },
)
