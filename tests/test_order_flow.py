"""The order dialog over HTTP, as Teams drives it, on SQLite and PostgreSQL."""

import asyncio
import re

import pytest
from sqlalchemy import select, text

from storage.db.models import AuditEntry, Request
from tests.support.cards import assert_valid_card, inputs_of
from tests.support.channel import setup_channel
from tests.support.order import (
    EXPECTED_STORED,
    GOOD_TEXT,
    asked_field,
    confirm,
    fill_order,
)

# The order dialog's steps and messages: the request it writes goes through the
# insert test_channel runs on both dialects (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

REFERENCE = re.compile(r"BM-2026-\d{4}")


async def _requests(bot) -> list[Request]:
    async with bot.db.sessions() as session:
        return list(await session.scalars(select(Request).order_by(Request.id)))


@pytest.mark.parametrize(
    ("locale", "summary_word", "receipt_word"),
    [
        ("nb-NO", "Send inn", "Referanse"),
        ("nn-NO", "Send inn", "Referanse"),
        ("en-US", "Send", "Reference"),
    ],
)
@pytest.mark.parametrize("via", ["text", "card"])
async def test_whole_order(bot, locale, summary_word, receipt_word, via) -> None:
    user = bot.teams.user("Kari Nordmann", f"aad-kari-{via}", locale)
    reply = await fill_order(user, via=via)
    summary = reply.card
    assert_valid_card(summary)
    assert not inputs_of(summary), "the summary carries no field inputs"
    assert summary_word in str(summary)

    receipt = await confirm(user)
    card = receipt.card
    assert_valid_card(card)
    assert receipt_word in str(card)
    reference = REFERENCE.search(str(card)).group(0)

    (stored,) = await _requests(bot)
    assert stored.reference == reference
    assert stored.status == "submitted"
    for field, value in EXPECTED_STORED.items():
        assert getattr(stored, field) == value, field
    assert stored.requester_name == "Kari Nordmann"
    assert stored.requester_aad_id == f"aad-kari-{via}"
    assert stored.requester_locale == locale[:2]
    async with bot.db.sessions() as session:
        audit = list(await session.scalars(select(AuditEntry)))
    assert [(a.from_status, a.to_status) for a in audit] == [(None, "submitted")]


async def test_references_count_up(bot) -> None:
    refs = []
    for i in range(3):
        user = bot.teams.user(f"User {i}", f"aad-seq-{i}")
        await fill_order(user)
        receipt = await confirm(user)
        refs.append(REFERENCE.search(str(receipt.card)).group(0))
    assert refs == ["BM-2026-0001", "BM-2026-0002", "BM-2026-0003"]


async def test_every_question_card_is_valid_and_named_by_field(bot) -> None:
    user = bot.teams.user("Ola", "aad-ola")
    reply = await user.say("bestill")
    seen = []
    for _ in range(20):
        field = asked_field(reply)
        if field == "summary":
            break
        assert_valid_card(reply.card)
        assert list(inputs_of(reply.card)) == [field]
        seen.append(field)
        reply = await user.say(GOOD_TEXT[field])
    from storage.domain.fields import FIELD_NAMES

    assert seen == list(FIELD_NAMES)


async def test_cancel_mid_dialog_stores_nothing(bot) -> None:
    user = bot.teams.user("Ola", "aad-ola")
    await user.say("bestill")
    await user.say("Et prosjekt")
    reply = await user.say("avbryt")
    assert "Ingenting er lagret" in reply.texts[-1]
    assert await _requests(bot) == []
    reply = await user.say("Et prosjekt til")
    assert "hjelp" in reply.texts[-1]  # no dialog any more: unknown command
    reply = await user.say("cancel")
    assert "bestill" in reply.texts[-1]


async def test_resume_after_restart(start_bot) -> None:
    first = await start_bot()
    user = first.teams.user("Kari", "aad-kari")
    await user.say("bestill")
    await user.say(GOOD_TEXT["title"])
    reply = await user.say(GOOD_TEXT["description"])
    assert asked_field(reply) == "assignment_type"
    await start_bot.stop_all()

    second = await start_bot()
    user = second.teams.user("Kari", "aad-kari")
    reply = await user.say("1")  # answers the same question it was at
    assert asked_field(reply) == "level"


async def test_edit_from_summary(bot) -> None:
    user = bot.teams.user("Kari", "aad-kari")
    await fill_order(user)
    reply = await user.submit({"action": "edit", "field": "participant_count"})
    assert asked_field(reply) == "participant_count"
    assert inputs_of(reply.card)["participant_count"]["value"] == 3
    reply = await user.say("5")
    assert asked_field(reply) == "summary"
    await confirm(user)
    (stored,) = await _requests(bot)
    assert stored.participant_count == 5


@pytest.mark.parametrize(
    ("new_start", "expected"),
    [
        ("2026-12-10", ["needed_by", "summary"]),  # now before the deadline (+30 d)
        ("2027-06-01", ["end_date", "summary"]),  # now after the end (+150 d)
        ("2027-01-15", ["summary"]),  # breaks nothing
    ],
)
async def test_editing_start_date_reasks_what_it_breaks(bot, new_start, expected) -> None:
    user = bot.teams.user("Kari", "aad-kari")
    await fill_order(user)
    await user.submit({"action": "edit", "field": "start_date"})
    reply = await user.say(new_start)
    asked = [asked_field(reply)]
    while asked[-1] != "summary":
        value = {"end_date": "2027-07-01", "needed_by": "2026-12-05"}[asked[-1]]
        reply = await user.say(value)
        asked.append(asked_field(reply))
    assert asked == expected


async def test_my_requests(bot) -> None:
    user = bot.teams.user("Kari", "aad-kari", "en-US")
    reply = await user.say("my requests")
    assert "no requests" in reply.texts[-1]
    await fill_order(user)
    await confirm(user)
    reply = await user.say("My Requests")
    card = reply.card
    assert_valid_card(card)
    assert "BM-2026-0001" in str(card) and "Submitted" in str(card)
    other = bot.teams.user("Ola", "aad-ola", "en-US")
    assert "no requests" in (await other.say("my requests")).texts[-1]


async def test_stale_card_is_not_taken_as_the_answer(bot) -> None:
    user = bot.teams.user("Kari", "aad-kari")
    await user.say("bestill")
    reply = await user.submit({"action": "answer", "field": "unit", "unit": "Klinikk"})
    assert "annet spørsmål" in reply.texts[0]
    assert asked_field(reply) == "title"


async def test_state_is_plain_json(bot) -> None:
    user = bot.teams.user("Kari", "aad-kari")
    await fill_order(user)
    async with bot.db.sessions() as session:
        rows = (await session.execute(text("SELECT data FROM dialog_state"))).all()
    assert rows and "DialogState" in str(rows[0][0])


async def test_two_identical_confirms_at_once_make_one_request(bot) -> None:
    """A double click on "Send", or Teams retrying a slow turn: one request, one card."""
    await setup_channel(bot)
    user = bot.teams.user("Rita Rekvirent", "aad-requester")
    await fill_order(user)
    first, second = await asyncio.gather(confirm(user), confirm(user))
    assert {first.status, second.status} <= {200, 201}
    async with bot.db.sessions() as session:
        rows = list(await session.scalars(select(Request)))
    assert len(rows) == 1
    receipts = [t for r in (first, second) for t in str(r.cards).split() if "BM-" in t]
    assert receipts and all(rows[0].reference in r for r in receipts)
    await bot.drain()
    posted = [s for s in bot.connector.sent if s.method == "create"]
    assert len(posted) == 1
    # A confirm arriving after the dialog ended stores nothing either.
    await confirm(user)
    async with bot.db.sessions() as session:
        assert len(list(await session.scalars(select(Request)))) == 1
