"""What the channel's card actions keep in memory: answers and in-flight moves."""

from __future__ import annotations

import asyncio
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from bot.messages import JsonText, card_answer
from dialogs.cards.channel import RequestView, age_in_days, request_card
from storage.models import Request

CHANNEL_LOCALE = "nb"


def view_of(request: Request) -> RequestView:
    summary = request.match_summary or {}
    return RequestView(
        id=request.id,
        reference=request.reference,
        title=request.title or "",
        unit=request.unit or "",
        assignment_type=request.assignment_type,
        level=request.level,
        participant_profile=request.participant_profile,
        participant_count=request.participant_count,
        start_date=request.start_date,
        end_date=request.end_date,
        needed_by=request.needed_by,
        meeting_format=request.meeting_format,
        workload=request.workload or "",
        requester_name=request.requester_name or "",
        status=request.status,
        owner_name=request.owner_name,
        decline_reason=request.decline_reason,
        created_at=request.created_at,
        invited=int(summary.get("invited", 0)),
        waiting=int(summary.get("waiting", 0)),
        accepted=tuple(str(n) for n in summary.get("accepted", [])),
    )


class CardAnswers:
    """A card action's answer, rendered and serialised once per distinct card.

    When twenty people press "Claim" at once, nineteen get the very same
    "already taken by …" card; rendering and serialising it was a fifth of
    such a press's work. The key is everything the card shows (the request as
    viewed, the notice, the picker's members, the age in days), so any change
    renders anew.
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._answers: OrderedDict[tuple[Any, ...], JsonText] = OrderedDict()

    def answer(
        self,
        view: RequestView,
        *,
        now: datetime,
        notice: str | None,
        members: list[tuple[str, str]] | None,
    ) -> JsonText:
        key = (view, notice, tuple(members) if members else None, age_in_days(view, now))
        text = self._answers.get(key)
        if text is None:
            card = request_card(CHANNEL_LOCALE, view, now=now, notice=notice, members=members)
            text = card_answer(card).json_text()
            self._answers[key] = text
            if len(self._answers) > self._size:
                self._answers.popitem(last=False)
        else:
            self._answers.move_to_end(key)
        return text


class OneAtATime:
    """Moves on one request go one at a time in this process.

    The conditional UPDATE decides races across processes; this keeps twenty
    presses in one process from each taking a connection and queueing on the
    same row lock in the database. They queue here instead, and all but the
    first then find the request taken with a single read.
    """

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: Counter[int] = Counter()

    @asynccontextmanager
    async def hold(self, request_id: int) -> AsyncIterator[None]:
        lock = self._locks.setdefault(request_id, asyncio.Lock())
        self._holders[request_id] += 1
        try:
            async with lock:
                yield
        finally:
            self._holders[request_id] -= 1
            if not self._holders[request_id]:
                del self._holders[request_id], self._locks[request_id]
