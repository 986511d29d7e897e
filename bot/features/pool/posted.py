"""Cards posted in the channel that show participants: what they showed is
recorded (storage/outbox/posted_cards.py), and a withdrawal, an erasure or their age
replaces them by the neutral card rendered here."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from bot.framework.card_state import CHANNEL_LOCALE
from bot.framework.messages import Message
from bot.framework.notifications import Notification, Sending
from bot.framework.ports import Turn
from bot.framework.router import Router
from dialogs.cards.pool import removed_card
from storage.outbox import Render, posted_cards

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()


async def shown(
    services: Services,
    turn: Turn,
    *,
    activity_id: str | None,
    kind: str,
    participant_ids: Iterable[int],
) -> None:
    """Note that the message `activity_id` in the turn's conversation shows
    these participants (nothing to note when Teams gave no id)."""
    ids = list(participant_ids)
    if not activity_id or not ids:
        return
    async with services.db.transaction() as session:
        await posted_cards.record(
            session,
            conversation_id=turn.conversation_id,
            activity_id=activity_id,
            kind=kind,
            participant_ids=ids,
            now=services.clock.now(),
        )


async def removed_in_channel(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    return Message(card=removed_card(CHANNEL_LOCALE))


router.notify(
    Notification(Render.CARD_REMOVED, teams=removed_in_channel),
)
