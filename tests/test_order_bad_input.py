"""Every bad answer is refused with a translated message, the same question is
asked again, and nothing is stored. Identity numbers never reach storage or logs."""

import logging

import pytest
from sqlalchemy import text

from tests.support.order import GOOD_TEXT, asked_field, confirm

# On SQLite only: the dialog's checks; a request's SQL runs on both in test_order_flow.
pytestmark = pytest.mark.sqlite_only

FNR = "15076500565"
D_NUMBER = "41018036736"


async def _walk_to(user, field: str):
    reply = await user.say("bestill")
    while asked_field(reply) != field:
        reply = await user.say(GOOD_TEXT[asked_field(reply)])
    return reply


BAD = [
    ("participant_count", "0", "fra 1 til 20"),
    ("participant_count", "21", "fra 1 til 20"),
    ("participant_count", "abc", "helt tall"),
    ("start_date", "2026-11-22", "tilbake i tid"),
    ("start_date", "31.02.2027", "gyldig dato"),
    ("needed_by", "2026-11-01", "tilbake i tid"),
    ("title", "ab", "minst 3"),
    ("title", "x" * 121, "høyst 120"),
    ("description", "y" * 4001, "høyst 4000"),
    ("workload", "z" * 201, "høyst 200"),
    ("honorarium_ack", "nei", "honorar"),
    ("assignment_type", "9", "alternativene"),
    ("level", "galaksenivå", "alternativene"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD)
async def test_bad_answer_is_refused_and_asked_again(bot, field, value, message) -> None:
    user = bot.teams.user("Kari", "aad-kari")
    await _walk_to(user, field)
    reply = await user.say(value)
    assert reply.status in (200, 201)
    assert any(message in t for t in reply.texts), reply.texts
    assert asked_field(reply) == field


async def test_end_before_start_and_deadline_after_start(bot) -> None:
    user = bot.teams.user("Kari", "aad-kari")
    await _walk_to(user, "end_date")
    reply = await user.say("2026-12-01")  # start is 2027-01-22
    assert any("før startdatoen" in t for t in reply.texts)
    assert asked_field(reply) == "end_date"
    reply = await user.say(GOOD_TEXT["end_date"])
    while asked_field(reply) != "needed_by":
        reply = await user.say(GOOD_TEXT[asked_field(reply)])
    reply = await user.say("2027-02-01")
    assert any("etter startdatoen" in t for t in reply.texts)
    assert asked_field(reply) == "needed_by"


async def test_unacknowledged_fee_on_the_card(bot) -> None:
    user = bot.teams.user("Kari", "aad-kari", "en-US")
    await _walk_to(user, "honorarium_ack")
    reply = await user.submit(
        {"action": "answer", "field": "honorarium_ack", "honorarium_ack": "false"}
    )
    assert any("fee" in t for t in reply.texts)
    assert asked_field(reply) == "honorarium_ack"


@pytest.mark.parametrize("locale", ["nb-NO", "nn-NO", "en-US"])
async def test_messages_are_translated(bot, locale) -> None:
    user = bot.teams.user("Kari", f"aad-{locale}", locale)
    reply = await user.say("order" if locale == "en-US" else "bestill")
    reply = await user.say("ab")
    expected = {
        "nb-NO": "skriv minst 3 tegn",
        "nn-NO": "skriv minst 3 teikn",
        "en-US": "at least 3",
    }
    assert any(expected[locale] in t for t in reply.texts)


IDENTITY_FORMS = [FNR, "150765 00565", "150765.00565", "150765-00565", D_NUMBER]


@pytest.mark.parametrize("field", ["title", "description", "workload", "unit", "cost_centre"])
@pytest.mark.parametrize("form", IDENTITY_FORMS)
async def test_identity_numbers_are_refused_and_never_kept(bot, caplog, field, form) -> None:
    caplog.set_level(logging.DEBUG)
    user = bot.teams.user("Kari", "aad-kari")
    await _walk_to(user, field)
    typed = f"Gjelder pasient {form} på post 3" if field != "cost_centre" else form
    reply = await user.say(typed)
    assert any("fødselsnummer" in t for t in reply.texts)
    assert asked_field(reply) == field
    # Finish the order so everything that would be stored is stored.
    reply = await user.say(GOOD_TEXT[field])
    while asked_field(reply) != "summary":
        reply = await user.say(GOOD_TEXT[asked_field(reply)])
    await confirm(user)

    digits = form.replace(" ", "").replace(".", "").replace("-", "")
    async with bot.db.sessions() as session:
        for table in ("requests", "dialog_state", "audit_log", "conversation_refs", "outbox"):
            dump = str((await session.execute(text(f"SELECT * FROM {table}"))).all())
            assert digits not in dump.replace(" ", "").replace(".", "").replace("-", ""), table
    everything_sent = str([s.activity for s in bot.connector.sent])
    assert form not in everything_sent
    assert form not in caplog.text and digits not in caplog.text
