"""An outbox row's lifecycle: pending (leased, retried) until sent, failed
(after its attempts, or for good) or skipped (nothing to send any more); a
failed row may be queued again (`medvirk outbox retry`)."""

from __future__ import annotations

from enum import StrEnum

from storage.domain.lifecycle import Lifecycle


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


S = OutboxState
OUTBOX: Lifecycle[OutboxState] = Lifecycle(
    "outbox row",
    {
        S.PENDING: frozenset({S.SENT, S.FAILED, S.SKIPPED}),
        S.FAILED: frozenset({S.PENDING}),
        S.SENT: frozenset(),
        S.SKIPPED: frozenset(),
    },
)
