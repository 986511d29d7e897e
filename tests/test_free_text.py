"""Free text outside the order dialog follows the order's rules: an identity
number, however it is written, is refused with a translated message, nothing is
stored or logged; lengths are checked on the server, not only by the card."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from storage import reminders as store
from storage.db.models import AuditEntry, Gathering, OutboxMessage
from tests.support.channel import MEMBERS, card_of, fetch, seed_request, setup_channel
from tests.support.env import OSLO

# On SQLite only: the checks on what a person types; its storage runs on both in test_order_flow.
pytestmark = pytest.mark.sqlite_only

SPLIT = [
    "15076500565",
    "150765 005 65",
    "15.07.65 00565",
    "1507\u200b65\u206000565",
    "150765\u201300565",
    "150765  00565",
    "150765/00565",
]


async def _claimed(bot, clock) -> tuple[int, object]:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    owner = bot.teams.user("Medlem 01", MEMBERS[1][0])
    await owner.invoke("claim", {"request_id": request_id})
    await bot.drain()
    return request_id, owner


async def _audit_count(db) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count(AuditEntry.id))) or 0)


@pytest.mark.parametrize("written", SPLIT)
async def test_a_decline_reason_with_an_identity_number_is_refused(
    bot, clock, caplog, written
) -> None:
    caplog.set_level(logging.DEBUG)
    request_id, owner = await _claimed(bot, clock)
    audits, sends = await _audit_count(bot.db), len(bot.connector.sent)
    reply = await owner.invoke(
        "set_status",
        {
            "request_id": request_id,
            "status": "declined",
            "comment": f"Pasient {written} passer ikke",
        },
    )
    assert reply.status == 200
    card = str(card_of(reply))
    assert "fødselsnummer" in card.lower() and written not in card
    stored = await fetch(bot.db, request_id)
    assert stored.status == "claimed" and stored.decline_reason is None
    assert await _audit_count(bot.db) == audits
    await bot.drain()
    assert len(bot.connector.sent) == sends  # nobody was told anything
    assert "00565" not in caplog.text and "005 65" not in caplog.text


async def test_a_200000_character_comment_is_refused_by_the_server(bot, clock) -> None:
    request_id, owner = await _claimed(bot, clock)
    reply = await owner.invoke(
        "set_status", {"request_id": request_id, "status": "declined", "comment": "x" * 200_000}
    )
    assert reply.status == 200 and "1000" in str(card_of(reply))
    assert (await fetch(bot.db, request_id)).status == "claimed"
    async with bot.db.sessions() as session:
        assert not await session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.state == "pending")
        )


@pytest.mark.parametrize("field", ["title", "place"])
async def test_the_gathering_form_refuses_identity_numbers(bot, clock, field) -> None:
    admin = bot.teams.user("Anne Admin", "admin-aad")
    values = {
        "action": "create_gathering",
        "title": "Årlig fellessamling",
        "starts_date": "2027-03-25",
        "starts_time": "09:00",
        "place": "Store auditorium",
        "remind": "14d",
    }
    values[field] = f"Sal {SPLIT[3]}"
    reply = await admin.submit(values)
    assert "fødselsnummer" in reply.texts[-1] or "identity" in reply.texts[-1]
    async with bot.db.sessions() as session:
        assert await session.scalar(select(func.count(Gathering.id))) == 0


async def test_places_and_urls_longer_than_their_columns_are_refused(db, clock) -> None:
    starts = datetime(2027, 3, 25, 9, 0, tzinfo=OSLO)
    common = dict(
        title="Nettverkssamling",
        starts_at=starts,
        ends_at=None,
        register_by=None,
        groups=None,
        remind=[],
        remind_register=[],
        zone=OSLO,
        now=clock.now(),
    )
    for field, value, problem in [
        ("place", "p" * 301, "--place: at most 300"),
        ("register_url", "https://x.no/" + "u" * 1000, "--register-url: at most 1000"),
    ]:
        kwargs = {"place": None, "register_url": None, field: value}
        async with db.transaction() as session:
            with pytest.raises(store.ReminderInputError, match=problem):
                await store.add_gathering(session, **common, **kwargs)
    async with db.transaction() as session:
        gathering = await store.add_gathering(
            session, **common, place="  Sal 3  ", register_url=None
        )
        assert gathering.place == "Sal 3"
    assert starts - clock.now() > timedelta(0)


async def test_survey_titles_refuse_split_identity_numbers(db, clock) -> None:
    async with db.transaction() as session:
        with pytest.raises(store.ReminderInputError, match="identity number") as err:
            await store.add_survey(
                session,
                title=f"Undersøkelse {SPLIT[1]}",
                url="https://survey.example/1",
                closes_at=datetime(2027, 3, 25, tzinfo=OSLO),
                opens_at=None,
                groups=None,
                remind=[],
                zone=OSLO,
                now=clock.now(),
            )
    assert "005" not in str(err.value)
