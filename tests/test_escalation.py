"""Escalation over HTTP on both databases: a request unclaimed for
MEDVIRK_STALE_CLAIM_DAYS working days, or claimed and not matched by its
needed-by date, is named under its card the same day, once a day at most, in
working hours; Norway's public holidays are not working days; the digest
counts them."""

from __future__ import annotations

from datetime import date, datetime

from bot import jobs
from storage.requests.escalation import is_working_day, working_days_after
from tests.support.cards import assert_valid_card
from tests.support.channel import MEMBERS, card_of, fetch, seed_request, setup_channel
from tests.support.env import OSLO


def test_working_days_leave_out_weekends_and_public_holidays() -> None:
    assert working_days_after(date(2026, 11, 23), date(2026, 11, 25)) == 2  # Mon → Wed
    assert working_days_after(date(2026, 11, 27), date(2026, 11, 30)) == 1  # Fri → Mon
    # Easter 2026: Maundy Thursday, Good Friday and Easter Monday are holidays.
    assert working_days_after(date(2026, 4, 1), date(2026, 4, 7)) == 1
    assert not is_working_day(date(2026, 5, 17)) and not is_working_day(date(2026, 12, 25))
    assert is_working_day(date(2026, 12, 28))


def named(bot, request) -> list[str]:
    return [s.text or "" for s in bot.connector.to(request.channel_conversation_id) if s.text]


async def _tick(bot, clock, when: datetime) -> None:
    clock.set(when)
    await jobs.escalate_overdue(bot.services)
    await bot.drain()


async def test_an_unclaimed_request_is_named_once_a_day_in_working_hours(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)  # Monday 23 November, 10:00
    await bot.drain()
    request = await fetch(bot.db, request_id)
    await _tick(bot, clock, datetime(2026, 11, 24, 10, 0, tzinfo=OSLO))
    assert named(bot, request) == []  # one working day
    await _tick(bot, clock, datetime(2026, 11, 25, 9, 0, tzinfo=OSLO))
    (said,) = named(bot, request)
    assert "BM-2026-0001" in said and "2 arbeidsdager uten å bli tatt" in said
    # Again the same day, ten minutes later or in the afternoon: not twice.
    await _tick(bot, clock, datetime(2026, 11, 25, 9, 11, tzinfo=OSLO))
    await _tick(bot, clock, datetime(2026, 11, 25, 15, 30, tzinfo=OSLO))
    assert len(named(bot, request)) == 1
    # Not in the evening, nor before the working day starts.
    await _tick(bot, clock, datetime(2026, 11, 25, 18, 0, tzinfo=OSLO))
    await _tick(bot, clock, datetime(2026, 11, 26, 7, 0, tzinfo=OSLO))
    assert len(named(bot, request)) == 1
    await _tick(bot, clock, datetime(2026, 11, 26, 8, 15, tzinfo=OSLO))
    assert len(named(bot, request)) == 2 and "3 arbeidsdager" in named(bot, request)[-1]

    # The digest counts it.
    reply = await bot.teams.user(MEMBERS[2][1], MEMBERS[2][0]).say_in_channel("oversikt")
    (digest,) = reply.cards
    assert_valid_card(digest)
    assert "Forfalt: 1 ikke tatt etter 2 arbeidsdager, 0 ikke funnet" in str(digest)

    # Queued, then claimed before it went out: nothing is said.
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=OSLO))
    await jobs.escalate_overdue(bot.services)
    owner = bot.teams.user(MEMBERS[1][1], MEMBERS[1][0])
    card_of(await owner.invoke("claim", {"request_id": request_id}))
    await bot.drain()
    assert len(named(bot, request)) == 2


async def test_a_claimed_request_not_matched_by_its_date_is_named(start_bot, clock) -> None:
    bot = await start_bot(MEDVIRK_STALE_CLAIM_DAYS="5")
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock, needed_by="2026-11-27")
    await bot.drain()
    owner = bot.teams.user(MEMBERS[1][1], MEMBERS[1][0])
    card_of(await owner.invoke("claim", {"request_id": request_id}))
    await bot.drain()
    request = await fetch(bot.db, request_id)
    await _tick(bot, clock, datetime(2026, 11, 27, 10, 0, tzinfo=OSLO))
    assert named(bot, request) == []  # due today: not late yet
    await _tick(bot, clock, datetime(2026, 11, 30, 10, 0, tzinfo=OSLO))
    (said,) = named(bot, request)
    assert "trengte brukermedvirker innen 27.11.2026" in said and MEMBERS[1][1] in said
    # Unclaimed ones wait five working days with this setting.
    other = await seed_request(bot.db, clock)
    await bot.drain()
    await _tick(bot, clock, datetime(2026, 12, 4, 10, 0, tzinfo=OSLO))
    assert named(bot, await fetch(bot.db, other)) == []
    await _tick(bot, clock, datetime(2026, 12, 7, 10, 0, tzinfo=OSLO))
    assert len(named(bot, await fetch(bot.db, other))) == 1
