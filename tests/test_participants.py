"""The participant pool over HTTP: a coordinator adds someone from the channel,
the consent e-mail reaches a real SMTP server on loopback, the person says yes
on the page its link opens; refusals change nothing."""

from __future__ import annotations

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.out.sms import read_sms_file
from storage.db.models import Participant, ReadEntry
from tests.support.cards import assert_valid_card, inputs_of
from tests.support.channel import setup_channel
from tests.support.participants import (
    PER_AAD,
    PERSON,
    add_by_card,
    coordinator,
    form_token,
    local,
    open_and_answer,
    participant_named,
    person_links,
)
from tests.support.smtp import parts


async def _count(db) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Participant)) or 0)


async def test_the_form_card_has_the_field_names_as_inputs(bot) -> None:
    await setup_channel(bot)
    reply = await coordinator(bot).say_in_channel("ny brukermedvirker")
    card = reply.cards[-1]
    assert_valid_card(card)
    assert set(inputs_of(card)) == {
        "name",
        "email",
        "phone",
        "aad_object_id",
        "roles",
        "areas",
        "organisation",
        "municipality",
        "formats",
        "languages",
        "availability",
    }
    english = await coordinator(bot).say_in_channel("new participant")
    assert inputs_of(english.cards[-1]).keys() == inputs_of(card).keys()


async def test_added_by_card_asked_by_email_consents_on_the_page(start_bot, smtp, clock) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await setup_channel(bot)
    answer = await add_by_card(bot)
    assert_valid_card(answer)
    assert "Per Pasient er lagt til" in str(answer) and "på e-post" in str(answer)
    participant = await participant_named(bot.db, "Per Pasient")
    assert participant is not None and participant.status == "pending"
    assert participant.phone == "+4791234567"  # E.164
    assert participant.roles == ["patient"] and participant.formats == ["physical", "digital"]

    await bot.drain()
    (message,) = smtp.inbox.messages
    assert message["Subject"] == "Vil du være brukermedvirker?"
    assert smtp.inbox.envelopes[0][1] == ["per.pasient@example.com"]
    (link,) = {u for u in person_links(message)}
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, link)) as resp:
            page = await resp.text()
        assert resp.status == 200
        # What is stored, why, who sees it and for how long, before the yes.
        for heading in ("Hva vi lagrer", "Hvorfor", "Hvem som ser det", "Hvor lenge"):
            assert heading in page
        assert "helseopplysninger" in page and "36 måneder" in page
        # And what payroll receives if they are paid a fee (consent text v2), and
        # who sees it: the desk that added them, by name (v3).
        assert "Hvis du får honorar" in page and "ikke hva oppdraget gjaldt" in page
        assert "Bare Prioriteringsteamet, som la deg til" in page
        assert '<html lang="nb">' in page and "<script" not in page
        status, done = await open_and_answer(http, local(bot, link), answer="yes")
    assert status == 200 and "Du er nå med i utvalget" in done
    participant = await participant_named(bot.db, "Per Pasient")
    assert participant is not None and participant.status == "active"
    assert participant.consent_at == clock.now()
    assert (participant.consent_channel, participant.consent_version) == ("email", "3")


async def test_no_to_the_consent_erases_them(start_bot, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await setup_channel(bot)
    await add_by_card(bot)
    await bot.drain()
    (link,) = set(person_links(smtp.inbox.messages[0]))
    async with aiohttp.ClientSession() as http:
        status, page = await open_and_answer(http, local(bot, link), answer="no")
        assert status == 200 and "slettet" in page
        async with http.get(local(bot, link)) as resp:
            assert resp.status == 404  # the link names nobody now
    assert await _count(bot.db) == 0


async def test_a_page_form_without_its_proof_or_from_another_link_changes_nothing(
    start_bot, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await setup_channel(bot)
    await add_by_card(bot)
    await add_by_card(
        bot, name="Kari Pårørende", email="kari@example.com", phone="", roles="next_of_kin"
    )
    await bot.drain()
    per, kari = (set(person_links(m)).pop() for m in smtp.inbox.messages)
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, per)) as resp:
            page = await resp.text()
        async with http.post(local(bot, per), data={"answer": "yes"}) as resp:
            assert resp.status == 400  # no proof: another site's form
        async with http.post(
            local(bot, kari), data={"answer": "yes", "form": form_token(page)}
        ) as resp:
            assert resp.status == 400  # Per's page's proof on Kari's link
        async with http.get(local(bot, per)[:-3] + "abc") as resp:
            assert resp.status == 404 and "Lenken virker ikke" in await resp.text()
    async with bot.db.sessions() as session:
        statuses = set(await session.scalars(select(Participant.status)))
    assert statuses == {"pending"}


@pytest.mark.parametrize(
    "field,value,said",
    [
        ("name", "", "må besvares"),
        ("email", "not-an-address", "gyldig e-postadresse"),
        ("phone", "12", "gyldig telefonnummer"),
        ("roles", "doctor", None),
        ("formats", "", "må besvares"),
        ("areas", "diabetes_type_2", None),
        ("aad_object_id", "aad-per", "AAD objekt-ID"),
        ("aad_object_id", "0b9f3c1e-7d2a-4c5b-9e8f-1a2b3c4d5e0", "AAD objekt-ID"),
        ("aad_object_id", "{0b9f3c1e-7d2a-4c5b-9e8f-1a2b3c4d5e01}", "AAD objekt-ID"),
    ],
)
async def test_bad_input_on_the_form_is_refused_and_nothing_is_stored(
    bot, field, value, said
) -> None:
    await setup_channel(bot)
    answer = await add_by_card(bot, **{field: value})
    assert_valid_card(answer)
    text = str(answer)
    assert "er lagt til" not in text
    if said:
        assert said in text
    assert await _count(bot.db) == 0
    # The form comes back with what was right, without what was wrong.
    assert inputs_of(answer)[field].get("value", "") in ("", None)


@pytest.mark.parametrize(
    "field", ["name", "email", "phone", "organisation", "availability", "municipality"]
)
async def test_an_identity_number_in_any_field_is_refused_and_never_stored(bot, field) -> None:
    await setup_channel(bot)
    number = "01019012345"
    from storage.domain.identity import is_identity_number

    if not is_identity_number(number):
        number = next(
            f"010190{n:05d}" for n in range(100000) if is_identity_number(f"010190{n:05d}")
        )
    value = {"email": f"{number}@example.com", "phone": number}.get(field, f"Tekst {number}")
    answer = await add_by_card(bot, **{field: value})
    assert "fødselsnummer" in str(answer).lower()
    assert number not in str(answer)
    assert await _count(bot.db) == 0


# Written the ways the detector knows, so that the form cannot show it back.
IDENTITY_NUMBERS = ("15076500565", "150765 00565", "15.07.1965 00565", "150765_00565")


@pytest.mark.parametrize("number", IDENTITY_NUMBERS)
async def test_an_identity_number_is_never_shown_back_when_another_field_fails(bot, number) -> None:
    """The e-mail is checked first and fails: the refilled form keeps what was
    right, but not the organisation, which holds an identity number."""
    await setup_channel(bot)
    answer = await add_by_card(
        bot, email="not-an-address", organisation=f"Foreningen {number}", availability=number
    )
    assert "gyldig e-postadresse" in str(answer)
    assert number not in str(answer) and "00565" not in str(answer)
    assert inputs_of(answer)["name"]["value"] == "Per Pasient"
    assert not inputs_of(answer)["organisation"].get("value")
    assert await _count(bot.db) == 0


async def test_an_aad_object_id_is_kept_as_teams_writes_it(bot) -> None:
    await setup_channel(bot)
    await add_by_card(bot, email="", aad_object_id=f"  {PER_AAD.upper()} ")
    stored = await participant_named(bot.db, "Per Pasient")
    assert stored is not None and stored.aad_object_id == PER_AAD


@pytest.mark.parametrize("number", IDENTITY_NUMBERS)
async def test_the_pool_filter_does_not_repeat_what_it_does_not_know(bot, number) -> None:
    await setup_channel(bot)
    reply = await coordinator(bot).say_in_channel(f"brukermedvirkere aktiv {number}")
    assert reply.texts == [
        "Kjenner ikke filteret. Bruk status (aktiv, pause, venter), rolle eller område."
    ]
    assert "00565" not in str(reply.sent)
    reply = await coordinator(bot).say_in_channel("brukermedvirkere [her](https://evil.example)")
    assert "evil" not in str(reply.sent)


async def test_nobody_outside_the_team_adds_or_lists(bot) -> None:
    await setup_channel(bot)
    stranger = bot.teams.user("Sara Fremmed", "aad-stranger")
    reply = await stranger.invoke("add_participant", PERSON)
    assert reply.status == 200 and reply.body["statusCode"] == 403
    listed = await stranger.say_in_channel("brukermedvirkere")
    assert "Per Pasient" not in str(listed.texts) and not listed.cards
    assert await _count(bot.db) == 0


async def test_the_same_person_twice_is_refused(bot) -> None:
    await setup_channel(bot)
    await add_by_card(bot)
    again = await add_by_card(bot, name="Per P.")
    assert "allerede i utvalget" in str(again)
    assert await _count(bot.db) == 1


async def test_the_list_filters_and_every_look_is_audited(bot) -> None:
    await setup_channel(bot)
    await add_by_card(bot)
    await add_by_card(
        bot,
        name="Kari Pårørende",
        email="kari@example.com",
        phone="",
        roles="next_of_kin",
        areas="mental_health",
    )
    everyone = await coordinator(bot).say_in_channel("brukermedvirkere")
    assert "Per Pasient" in str(everyone.cards) and "Kari" in str(everyone.cards)
    kin = await coordinator(bot).say_in_channel("brukermedvirkere pårørende")
    assert "Kari" in str(kin.cards) and "Per Pasient" not in str(kin.cards)
    cancer = await coordinator(bot).say_in_channel("participants pending cancer")
    assert "Per Pasient" in str(cancer.cards) and "Kari" not in str(cancer.cards)
    active = await coordinator(bot).say_in_channel("brukermedvirkere aktiv")
    assert "Per Pasient" not in str(active.cards)
    bad = await coordinator(bot).say_in_channel("brukermedvirkere diagnose")
    assert "Kjenner ikke filteret" in bad.texts[-1]
    async with bot.db.sessions() as session:
        reads = list(await session.scalars(select(ReadEntry.what)))
    assert reads.count("participants") == 4


async def test_a_participant_with_phone_only_is_asked_by_sms(start_bot, tmp_path) -> None:
    bot = await start_bot(MEDVIRK_SMS_DIR=str(tmp_path / "sms"))
    await setup_channel(bot)
    answer = await add_by_card(bot, email="")
    assert "på SMS" in str(answer) and "ring dem" not in str(answer)
    assert await bot.drain() == 1
    (written,) = (tmp_path / "sms").glob("*.txt")
    to, text = read_sms_file(written)
    assert to == "+4791234567" and text.startswith("Prioriteringsteamet: Vil du være")


async def test_consent_mail_in_english_for_an_english_speaker(start_bot, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await setup_channel(bot)
    await add_by_card(bot, languages="en")
    await bot.drain()
    message = smtp.inbox.messages[0]
    assert message["Subject"] == "Would you like to take part as a user representative?"
    assert '<html lang="en">' in parts(message)["text/html"]


async def test_a_participant_with_a_teams_chat_is_asked_there(bot, clock) -> None:
    await setup_channel(bot)
    per = bot.teams.user("Per Pasient", PER_AAD)
    await per.say("hjelp")  # he has a chat with the bot
    await add_by_card(bot, email="", phone="", aad_object_id=PER_AAD)
    await bot.drain()
    (asked,) = [
        s
        for s in bot.connector.to(per.personal_conversation)
        if s.card and "Vil du være brukermedvirker" in str(s.card)
    ]
    assert_valid_card(asked.card)
    (open_page,) = [a for a in asked.card["actions"] if a["type"] == "Action.OpenUrl"]
    async with aiohttp.ClientSession() as http:
        status, _ = await open_and_answer(http, local(bot, open_page["url"]), answer="yes")
    assert status == 200
    participant = await participant_named(bot.db, "Per Pasient")
    assert (participant.status, participant.consent_channel) == ("active", "teams")
