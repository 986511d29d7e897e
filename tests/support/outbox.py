"""Outbox rows no event makes (a fixed message, a broken payload), for the
sender's own tests; the product writes rows only through `storage.notifications`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import OUTBOX_WRITTEN
from storage.db.models import OutboxMessage
from storage.domain.outbox import OutboxState
from storage.outbox import Operation


def put(
    session: AsyncSession,
    *,
    now: datetime,
    target_kind: str,
    target_key: str,
    payload: dict[str, Any],
) -> None:
    """One pending row, due now, in the caller's transaction."""
    session.add(
        OutboxMessage(
            operation=Operation.SEND.value,
            target_kind=target_kind,
            target_key=target_key,
            payload=payload,
            state=OutboxState.PENDING.value,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )
    session.info[OUTBOX_WRITTEN] = True
