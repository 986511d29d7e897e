"""Messages the bot posted in the channel that show participants (a
suggestions card, a pool list), so that none outlives a person's withdrawal,
erasure or its own short time there: each is then replaced in place by a
neutral card (through the outbox, like every update of a posted card) and its
record deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import notifications
from storage.db.models import PostedCard, Request
from storage.notifications import CardChanged, CardRemoved

SUGGESTIONS = "suggestions"
POOL_LIST = "pool_list"
# A list shown in the channel is for the work of the day: after this it is
# replaced by the neutral card (the nightly housekeeping), whoever is in it.
SHOWN_FOR = timedelta(days=14)

_TABLE = cast(Table, PostedCard.__table__)


async def record(
    session: AsyncSession,
    *,
    conversation_id: str,
    activity_id: str,
    kind: str,
    participant_ids: Iterable[int],
    now: datetime,
) -> None:
    """Note that this posted message shows these participants (once each; a
    card answered anew in place adds whoever it shows now)."""
    rows = [
        {
            "conversation_id": conversation_id[:300],
            "activity_id": activity_id[:200],
            "kind": kind,
            "participant_id": participant_id,
            "posted_at": now,
        }
        for participant_id in sorted(set(participant_ids))
    ]
    if not rows:
        return
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert(_TABLE) if dialect == "postgresql" else sqlite_insert(_TABLE)
    await session.execute(
        insert.values(rows).on_conflict_do_nothing(
            index_elements=["conversation_id", "activity_id", "participant_id"]
        )
    )


async def retract(
    session: AsyncSession,
    *,
    now: datetime,
    participant_ids: Iterable[int] | None = None,
    posted_before: datetime | None = None,
) -> int:
    """Every posted message showing one of `participant_ids` (or posted before
    `posted_before`): replaced by the neutral card, its records deleted.
    Returns how many messages."""
    stmt = select(PostedCard.conversation_id, PostedCard.activity_id).distinct()
    if participant_ids is not None:
        stmt = stmt.where(PostedCard.participant_id.in_(list(participant_ids)))
    if posted_before is not None:
        stmt = stmt.where(PostedCard.posted_at < posted_before)
    messages = [(c, a) for c, a in (await session.execute(stmt)).all()]
    if not messages:
        return 0
    # Suggestions shown in a request card's place (Teams throttled the post):
    # that message becomes the request card again.
    request_cards = dict(
        (
            await session.execute(
                select(Request.channel_activity_id, Request.id).where(
                    Request.channel_activity_id.in_([a for _, a in messages])
                )
            )
        ).all()
    )
    await notifications.record(
        session,
        *(
            CardChanged(request_cards[a], c, a) if a in request_cards else CardRemoved(c, a)
            for c, a in messages
        ),
        now=now,
    )
    await session.execute(
        delete(PostedCard).where(
            tuple_(PostedCard.conversation_id, PostedCard.activity_id).in_(messages)
        )
    )
    return len(messages)
