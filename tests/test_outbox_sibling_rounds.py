"""Two delivery rounds of one process at once (the scheduler's tick drains
the outbox while a wake-up round is still going: bot/jobs.py `drain_outbox`,
bot/out/sender.py `wake`) must not send one row twice when a round's lease
runs out under it (the database stalled for longer than half a lease).

Found by bench/registration.py (1,000 register, 100 cancel on SQLite: up to
50 of the 100 seat offers delivered twice, after a stall of the database
of ~5 s). Both rounds lease as the same worker, so when the stalled round
gives back the row it lost ("the heartbeat was late; the row is given back
unsent"), `mark_retry`'s guard (`locked_by == worker`) matches the lease its
sibling has just taken: the row is due again while the sibling sends it, and
it is sent by the sibling and once more by the next lease. Each round now
leases as a worker of its own (bot/out/sender.py `_Window`)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from storage.db.models import OutboxMessage
from tests.support.outbox import put


async def test_a_round_that_lost_its_lease_does_not_free_the_row_its_sibling_took(
    start_bot, clock
) -> None:
    from storage import outbox

    bot = await start_bot()
    await bot.teams.user("Kari", "aad-kari").say("hjelp")  # her chat with the bot
    sender = bot.services.outbox
    budget = sender.budget
    first_round: asyncio.Task[int] | None = None
    second_round: asyncio.Task[int] | None = None
    gave_back = asyncio.Event()

    class Stalls:
        """The first round stalls between taking the row and its slot, long
        enough for its lease to run out; meanwhile the tick's round starts."""

        calls = 0

        async def acquire(self) -> int:
            nonlocal second_round
            self.calls += 1
            if self.calls == 1:  # the first round, its row taken
                clock.advance(timedelta(seconds=10))
                second_round = asyncio.create_task(sender.drain())
                while self.calls < 2 and not second_round.done():
                    await asyncio.sleep(0.01)  # the tick's round has taken the row
            elif self.calls == 2:  # the tick's round, the row taken again
                # Held until the first round has given its row back (and, with
                # the bug, taken it a third time), or has ended.
                assert first_round is not None
                waiting = asyncio.create_task(gave_back.wait())
                await asyncio.wait({waiting, first_round}, return_when=asyncio.FIRST_COMPLETED)
                waiting.cancel()
            else:
                gave_back.set()
            return await budget.acquire()

    async with bot.db.transaction() as session:
        put(
            session,
            now=clock.now(),
            target_kind=outbox.TargetKind.PERSONAL,
            target_key="aad-kari",
            payload={"message": {"text": "Påminnelse"}},
        )
    bot.connector.clear()
    sender.budget = Stalls()
    first_round = asyncio.create_task(sender.drain())
    await first_round
    assert second_round is not None
    await second_round
    await bot.drain()  # anything left due goes now
    async with bot.db.sessions() as session:
        row = await session.scalar(select(OutboxMessage))
    assert row is not None and row.state == "sent"
    assert [s.text for s in bot.connector.sent] == ["Påminnelse"], "sent once"
