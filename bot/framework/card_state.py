"""What the channel's card actions keep in memory: answers and in-flight moves."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from bot.framework.messages import JsonText, card_answer
from dialogs.cards.requests import RequestView, age_in_days, request_card
from storage.db import scope
from storage.db.models import Request

CHANNEL_LOCALE = "nb"


def view_of(request: Request, *, transfer_to: tuple[tuple[str, str], ...] = ()) -> RequestView:
    summary = request.match_summary or {}
    return RequestView(
        transfer_to=transfer_to,
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
        outside=request.payer == "commissioner",
        status=request.status,
        owner_name=request.owner_name,
        decline_reason=request.decline_reason,
        created_at=request.created_at,
        invited=int(summary.get("invited", 0)),
        waiting=int(summary.get("waiting", 0)),
        accepted=tuple(str(n) for n in summary.get("accepted", [])),
        left=int(summary.get("left", 0)),
        unsigned=tuple(
            (int(pid), str(name), tuple(str(m) for m in missing))
            for pid, name, missing in summary.get("unsigned", [])
        ),
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


class Held:
    """One press's turn at a request. The move made in it leaves the request as
    committed for the presses queued behind it (`latest`), so twenty presses of
    a race cost one read and one write, not twenty reads one after another."""

    def __init__(self, entry: _Entry) -> None:
        self._entry = entry
        self.told = False

    @property
    def latest(self) -> Request | None:
        """The request as the last move before this one in this process left
        it, committed (None: no move made while this press waited, or the
        request is another desk's than this press may see)."""
        latest = self._entry.latest
        if latest is None:
            return None
        desks = scope.desk_ids()
        return latest if desks is None or latest.desk_id in desks else None

    def moved(self, request: Request) -> None:
        """Say how this press left the request (committed). A press that does
        not say leaves nothing for the next: it may have changed it."""
        self._entry.latest = request
        self.told = True


class _Entry:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.holders = 0
        self.latest: Request | None = None


class OneAtATime:
    """Moves on one request go one at a time in this process.

    The conditional UPDATE decides races across processes; this keeps twenty
    presses in one process from each taking a connection and queueing on the
    same row lock in the database. They queue here instead, and all but the
    first then find the request as the first left it, without a read.
    """

    def __init__(self) -> None:
        self._entries: dict[int, _Entry] = {}

    @asynccontextmanager
    async def hold(self, request_id: int) -> AsyncIterator[Held]:
        entry = self._entries.setdefault(request_id, _Entry())
        entry.holders += 1
        try:
            async with entry.lock:
                held = Held(entry)
                try:
                    yield held
                finally:
                    if not held.told:
                        entry.latest = None
        finally:
            entry.holders -= 1
            if not entry.holders:
                # Nobody waits: what the last move left is not kept (it ages).
                del self._entries[request_id]
