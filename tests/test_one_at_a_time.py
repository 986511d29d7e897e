"""bot.features.requests.OneAtATime: moves on one request in a process queue; others do not."""

from __future__ import annotations

import asyncio

from bot.framework.card_state import OneAtATime
from storage.db.models import Request


async def test_one_request_queues_and_others_do_not() -> None:
    queue = OneAtATime()
    inside: list[int] = []
    most = {1: 0, 2: 0}

    async def move(request_id: int) -> None:
        async with queue.hold(request_id):
            inside.append(request_id)
            most[request_id] = max(most[request_id], inside.count(request_id))
            await asyncio.sleep(0.01)
            inside.remove(request_id)

    started = asyncio.get_running_loop().time()
    await asyncio.gather(*(move(1) for _ in range(5)), move(2))
    assert most == {1: 1, 2: 1}
    # Request 2 did not wait behind the five moves on request 1.
    assert asyncio.get_running_loop().time() - started >= 0.05
    assert not queue._entries  # nothing kept once idle


async def test_a_failed_move_releases_the_queue() -> None:
    queue = OneAtATime()

    async def fail() -> None:
        async with queue.hold(7):
            raise RuntimeError("boom")

    for _ in range(2):
        try:
            await fail()
        except RuntimeError:
            pass
    async with queue.hold(7):
        pass
    assert not queue._entries


async def test_the_press_behind_a_move_finds_the_request_as_it_was_left() -> None:
    queue = OneAtATime()
    request = Request(id=7, reference="BM-7")
    seen: list[Request | None] = []

    async def first() -> None:
        async with queue.hold(7) as held:
            assert held.latest is None
            await asyncio.sleep(0.01)
            held.moved(request)

    async def behind() -> None:
        async with queue.hold(7) as held:
            seen.append(held.latest)

    async def silent() -> None:
        async with queue.hold(7):
            pass  # changed it, perhaps, and did not say

    await asyncio.gather(first(), behind(), silent(), behind())
    # The one behind the move gets it; after a press that did not say, nobody does.
    assert seen == [request, None]
    async with queue.hold(7) as held:
        assert held.latest is None  # not kept once nobody waited
