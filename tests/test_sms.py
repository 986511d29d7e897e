"""SMS both ways, through a real SMPP server on loopback (tests/support/fake_smpp.py)
and the HTTPS inbound endpoint: a person with only a phone is asked for
consent by SMS and consents on the page its short link opens; invited, they
answer `ja 4821` and the request is matched; a failed delivery receipt shows
with its reason; nothing leaves in the quiet hours; STOPP switches them to
e-mail; bad inbound gets 4xx or a polite answer and changes nothing."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import aiohttp
from sqlalchemy import select

from bot.out.person_links import own_data_url
from storage import reminders as store
from storage.db.models import Invitation, OutboxMessage, Participant, SmsSent
from tests.support.cards import assert_valid_card
from tests.support.channel import card_of, fetch, setup_channel
from tests.support.cli import medvirk
from tests.support.env import OSLO
from tests.support.participants import add_by_card, coordinator, open_and_answer, participant_named
from tests.support.reminders import add_gathering, run_round
from tests.test_invitations import active, claimed_request

PHONE = "+4791234567"
IDENTITY = "15076500565"


def _sms_to(fake_smpp, phone: str = PHONE) -> list[str]:
    return [m.text for m in fake_smpp.messages if m.to == phone.lstrip("+")]


def _short_link(text: str) -> str:
    (link,) = re.findall(r"https?://\S+/s/[A-Za-z0-9]+", text)
    return link


async def _follow(bot, http: aiohttp.ClientSession, link: str) -> str:
    """The page a short link leads to, on the test server."""
    async with http.get(bot.url + urlsplit(link).path, allow_redirects=False) as resp:
        assert resp.status == 302 and resp.headers["Cache-Control"] == "no-store"
        target = resp.headers["Location"]
    return bot.url + urlsplit(target).path


async def _inbound(bot, http, text: str, *, sender: str = PHONE, **headers: str) -> int:
    async with http.post(
        f"{bot.url}/sms/inbound", json={"from": sender, "to": "2222", "text": text}, headers=headers
    ) as resp:
        return resp.status


async def test_a_phone_only_person_consents_and_answers_an_invitation_by_sms(
    start_bot, clock, fake_smpp
) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url, MEDVIRK_SMS_SENDER="HelseBergen")
    await setup_channel(bot)
    answer = await add_by_card(bot, email="")
    assert "på SMS" in str(answer)
    await bot.drain()
    (consent,) = _sms_to(fake_smpp)
    message = fake_smpp.messages[0]
    assert message.sender == "HelseBergen" and message.data_coding == 0  # GSM-7: æøå fit
    assert consent.startswith("Prioriteringsteamet: Vil du være brukermedvirker?")
    assert "Per" not in consent and len(consent) <= 160
    async with aiohttp.ClientSession() as http:
        page = await _follow(bot, http, _short_link(consent))
        status, done = await open_and_answer(http, page, answer="yes")
        assert status == 200 and "Du er nå med i utvalget" in done
        # An unknown short link: 404, translated.
        async with http.get(f"{bot.url}/s/nosuchcode1") as resp:
            assert resp.status == 404
    participant = await participant_named(bot.db, "Per Pasient")
    assert participant is not None and participant.status == "active"
    # The consent is recorded as given through the SMS's link.
    assert participant.consent_channel == "sms"

    # Invited: the SMS carries the code; "ja 4821" answers it, and the
    # request (one participant) is matched.
    request_id = await claimed_request(bot, clock, participant_count=1)
    invited = card_of(
        await coordinator(bot).invoke(
            "invite", {"request_id": request_id, "participant_id": participant.id}
        )
    )
    assert_valid_card(invited)
    await bot.drain()
    async with bot.db.sessions() as session:
        invitation = await session.scalar(select(Invitation))
    assert invitation is not None and invitation.sms_code is not None
    code = invitation.sms_code
    text = _sms_to(fake_smpp)[-1]
    assert f"JA {code} eller NEI {code}" in text and "Invitasjon" in text
    other = "0000" if code != "0000" else "1111"
    async with aiohttp.ClientSession() as http:
        assert await _inbound(bot, http, f"ja {other}") == 200
        assert await _inbound(bot, http, f"  ja {code} ") == 200
    await bot.drain()
    texts = _sms_to(fake_smpp)
    assert any(f"ingen invitasjon med koden {other}" in text for text in texts)
    assert any(text.startswith("Takk for ja") for text in texts)
    # Matched: the agreement to sign follows by SMS too.
    assert any("Avtale og taushetserklæring" in text for text in texts)
    assert (await fetch(bot.db, request_id)).status == "matched"
    async with bot.db.sessions() as session:
        invitation = await session.get_one(Invitation, invitation.id)
        assert (invitation.status, invitation.answered_via) == ("accepted", "sms")
        # No number and no text in the table of SMS sent.
        rows = list(await session.scalars(select(SmsSent)))
    assert rows and all(PHONE not in (r.number_key + (r.gateway_id or "")) for r in rows)

    # A failed delivery receipt: the row is failed, with the reason.
    await fake_smpp.deliver_receipt(rows[0].gateway_id or "", stat="UNDELIV", err="001")
    await fake_smpp.wait_until(lambda: True)
    for _ in range(100):
        async with bot.db.sessions() as session:
            sent = await session.get_one(SmsSent, rows[0].id)
            row = await session.get_one(OutboxMessage, sent.outbox_id)
        if sent.state == "failed":
            break
        await asyncio.sleep(0.02)
    assert sent.state == "failed" and "UNDELIV" in (sent.reason or "")
    assert row.state == "failed" and "UNDELIV" in (row.last_error or "")


async def test_stopp_switches_a_person_to_e_mail_and_help_says_who_writes(
    start_bot, clock, fake_smpp, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url, MEDVIRK_SMTP_URL=smtp.url)
    per = await active(bot, clock, "Per Pasient", phone=PHONE)
    async with bot.db.transaction() as session:
        participant = await session.get_one(Participant, per)
        participant.prefers_sms = True
    request_id = await claimed_request(bot, clock, participant_count=2)
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    assert len(_sms_to(fake_smpp)) == 1 and not smtp.inbox.messages
    async with aiohttp.ClientSession() as http:
        assert await _inbound(bot, http, "hjelp") == 200
        assert await _inbound(bot, http, "STOPP") == 200
    await bot.drain()
    answers = _sms_to(fake_smpp)[-2:]
    (help_text,) = [a for a in answers if a.startswith("Dette er")]
    assert "Prioriteringsteamet" in help_text and "STOPP" in help_text
    assert any("ikke flere SMS" in a for a in answers)
    # The next message goes by e-mail.
    kari = await active(bot, clock, "Kari Pasient")
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": kari})
    other = await claimed_request(bot, clock, participant_count=1)
    await coordinator(bot).invoke("invite", {"request_id": other, "participant_id": per})
    await bot.drain()
    assert len(_sms_to(fake_smpp)) == 3
    assert any(m["To"].endswith("<per@example.com>") for m in smtp.inbox.messages)


async def test_quiet_hours_and_the_daily_cap_hold_sms_back(start_bot, clock, fake_smpp) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url, MEDVIRK_SMS_PER_DAY="2")
    per = await active(bot, clock, "Per Pasient", phone=PHONE, email="")
    clock.set(datetime(2027, 3, 1, 21, 30, tzinfo=OSLO))
    requests = [await claimed_request(bot, clock, participant_count=1) for _ in range(3)]
    for request_id in requests:
        await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    assert _sms_to(fake_smpp) == []
    async with bot.db.sessions() as session:
        rows = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.target_key == f"participant:{per}")
            )
        )
    assert {r.next_attempt_at.astimezone(OSLO) for r in rows} == {
        datetime(2027, 3, 2, 8, 0, tzinfo=OSLO)
    }
    clock.set(datetime(2027, 3, 2, 8, 0, tzinfo=OSLO))
    await bot.drain()
    # Two a day: the third waits for tomorrow morning.
    assert len(_sms_to(fake_smpp)) == 2
    clock.set(datetime(2027, 3, 3, 8, 0, 1, tzinfo=OSLO))
    await bot.drain()
    assert len(_sms_to(fake_smpp)) == 3


async def test_bad_inbound_is_refused_or_answered_politely_and_stores_nothing(
    start_bot, clock, fake_smpp
) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url, MEDVIRK_SMS_INBOUND_SECRET="s" * 32)
    per = await active(bot, clock, "Per Pasient", phone=PHONE, email="")
    bearer = {"Authorization": "Bearer " + "s" * 32}
    async with aiohttp.ClientSession() as http:
        assert await _inbound(bot, http, "STOPP") == 401
        assert await _inbound(bot, http, "STOPP", Authorization="Bearer wrong") == 401
        assert await _inbound(bot, http, "x" * 10_000, **bearer) == 413
        async with http.post(f"{bot.url}/sms/inbound", data=b"{", headers=bearer) as resp:
            assert resp.status == 400
        assert await _inbound(bot, http, "hei", sender="not a number", **bearer) == 400
        # An identity number: not acted on, not kept, and the answer says why.
        assert await _inbound(bot, http, f"STOPP {IDENTITY}", **bearer) == 200
        # Not understood: answered once a day.
        assert await _inbound(bot, http, "hva er dette?", **bearer) == 200
        assert await _inbound(bot, http, "hallo?", **bearer) == 200
        # A number nobody has: a polite answer, nothing else.
        assert await _inbound(bot, http, "JA 1234", sender="+4799999999", **bearer) == 200
    await bot.drain()
    texts = _sms_to(fake_smpp)
    assert len(texts) == 2 and "personnummer" in texts[0] and "forstod ikke" in texts[1]
    assert all(IDENTITY not in t for t in texts)
    assert _sms_to(fake_smpp, "+4799999999")[0].startswith("Dette nummeret")
    async with bot.db.sessions() as session:
        participant = await session.get_one(Participant, per)
        assert not participant.sms_off
        stored = " ".join(
            str(r.payload) + str(r.last_error) for r in await session.scalars(select(OutboxMessage))
        )
    assert IDENTITY not in stored and "hva er dette" not in stored


async def _invite_phone_only(bot, clock, count: int) -> None:
    """`count` participants with a phone only (+47912345nn), each invited to
    one request that wants them all."""
    people = [
        await active(bot, clock, f"Person {n}", phone=f"+47912345{n:02d}", email="")
        for n in range(count)
    ]
    request_id = await claimed_request(bot, clock, participant_count=count)
    for person in people:
        await coordinator(bot).invoke(
            "invite", {"request_id": request_id, "participant_id": person}
        )


async def test_the_gateway_drops_the_connection_mid_round_and_nothing_is_lost_or_sent_twice(
    start_bot, clock, fake_smpp
) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url, MEDVIRK_SMS_PER_DAY="100")
    fake_smpp.drop_after = 7
    await _invite_phone_only(bot, clock, 20)
    for _ in range(30):
        await bot.drain()
        if len(fake_smpp.messages) >= 20:
            break
        clock.advance(timedelta(seconds=30))
        await asyncio.sleep(0.1)
    receivers = sorted(m.to for m in fake_smpp.messages)
    # Each person's invitation exactly once.
    assert receivers == sorted(f"47912345{n:02d}" for n in range(20))


async def test_a_desks_monthly_budget_warns_at_80_and_stops_at_100_percent(
    start_bot, clock, fake_smpp
) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url, MEDVIRK_SMS_BUDGET="5")
    await _invite_phone_only(bot, clock, 6)
    await bot.drain()
    await bot.drain()
    assert len(fake_smpp.messages) == 5
    async with bot.db.sessions() as session:
        failed = [
            r
            for r in await session.scalars(select(OutboxMessage))
            if r.state == "failed" and r.target_key.startswith("participant:")
        ]
    (spent,) = failed
    assert spent.last_error == "sms: the desk's budget for the month is spent"
    said = " ".join(s.text or "" for s in bot.connector.sent if s.text)
    assert "brukt 80 % av SMS-budsjettet" in said and "brukt hele SMS-budsjettet" in said


async def test_a_person_chooses_sms_on_their_page_and_turns_it_on_again_after_stopp(
    start_bot, clock, fake_smpp, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url, MEDVIRK_SMTP_URL=smtp.url)
    per = await active(bot, clock, "Per Pasient", phone=PHONE)
    async with bot.db.transaction() as session:
        participant = await session.get_one(Participant, per)
        links = await bot.services.links.get()
        page = own_data_url(links, participant, "email", now=clock.now())
    async with aiohttp.ClientSession() as http:
        status, shown = await open_and_answer(
            http, bot.url + urlsplit(page).path, answer="update", name="Per Pasient",
            email="per@example.com", phone=PHONE, formats="physical", sms="prefer",
        )  # fmt: skip
        assert status == 200, shown
        async with bot.db.sessions() as session:
            assert (await session.get_one(Participant, per)).prefers_sms
        assert await _inbound(bot, http, "stopp") == 200
        async with bot.db.sessions() as session:
            assert (await session.get_one(Participant, per)).sms_off
        async with http.get(bot.url + urlsplit(page).path) as resp:
            assert "Slå på SMS igjen" in await resp.text()
        status, shown = await open_and_answer(
            http, bot.url + urlsplit(page).path, answer="update", name="Per Pasient",
            email="per@example.com", phone=PHONE, formats="physical", sms=["prefer", "on"],
        )  # fmt: skip
        assert status == 200, shown
    async with bot.db.sessions() as session:
        participant = await session.get_one(Participant, per)
    assert participant.prefers_sms and not participant.sms_off


async def test_contacts_import_takes_phones_and_says_how_each_is_reached(
    start_bot, fake_smpp, database_url, tmp_path
) -> None:
    csv = tmp_path / "contacts.csv"
    csv.write_text(
        "name,email,phone,groups\n"
        "Eva Epost,eva@example.org,,contacts\n"
        "Finn Fon,,+47 912 34 567,contacts\n"
        "Gro Begge,gro@example.org,91234568,contacts\n",
        encoding="utf-8",
    )
    done = medvirk(database_url, "contacts", "import", str(csv))
    assert done.returncode == 0, done.stderr
    assert "3 contacts imported: 0 reachable in Teams, 2 by e-mail, 1 by SMS, 0 not" in done.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("name,phone,groups\nHans,12,contacts\n", encoding="utf-8")
    refused = medvirk(database_url, "contacts", "import", str(bad))
    assert refused.returncode == 2 and "line 2: not a phone number" in refused.stderr


async def test_a_reminder_due_at_half_past_nine_in_the_evening_goes_at_eight(
    start_bot, clock, fake_smpp
) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url)
    async with bot.db.transaction() as session:
        await store.upsert_contact(
            session, key=f"phone:{PHONE}", aad_object_id=None, name="Finn Fon", locale="nb",
            now=clock.now(), groups=["participants"], phone=PHONE,
        )  # fmt: skip
    await add_gathering(
        bot, clock, starts_at=datetime(2027, 3, 27, 21, 30, tzinfo=OSLO),
        ends_at=None, remind=store.parse_offsets("1d", "--remind"), remind_register=[],
        register_by=None, register_url=None,
    )  # fmt: skip
    clock.set(datetime(2027, 3, 26, 21, 30, tzinfo=OSLO))
    await run_round(bot)
    assert _sms_to(fake_smpp) == []
    clock.set(datetime(2027, 3, 27, 7, 59, tzinfo=OSLO))
    await bot.drain()
    assert _sms_to(fake_smpp) == []
    clock.set(datetime(2027, 3, 27, 8, 0, tzinfo=OSLO))
    await bot.drain()
    (reminder,) = _sms_to(fake_smpp)
    assert reminder.startswith("Prioriteringsteamet: Påminnelse")


def test_every_text_an_sms_is_made_of_keeps_to_the_gsm_alphabet() -> None:
    """An SMS is a subject and the SMS texts: one character outside GSM-7 (a
    dash, a curly quote) would make each three times as dear."""
    from bot.out.sms import segments
    from dialogs.i18n import CATALOG

    made_of = [
        (key, locale, text)
        for key, texts in CATALOG.items()
        if key.endswith("subject") or key.startswith("sms.")
        for locale, text in texts.items()
    ]
    assert len(made_of) > 60
    assert [m for m in made_of if segments(m[2]).encoding != "gsm7"] == []


async def test_stopp_holds_for_the_number_whoever_has_it_later(start_bot, clock, fake_smpp) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url)
    await active(bot, clock, "Per Pasient", phone=PHONE, email="")
    async with aiohttp.ClientSession() as http:
        assert await _inbound(bot, http, "STOP") == 200
        # Through a proxy on this machine: not this machine's own request.
        assert await _inbound(bot, http, "JA 1234", **{"X-Forwarded-For": "203.0.113.9"}) == 401
        # A receipt for no SMS of ours (yet): the gateway is asked to offer it again.
        async with http.post(
            f"{bot.url}/sms/inbound", json={"id": "M999", "status": "delivered"}
        ) as resp:
            assert resp.status == 503
    await bot.drain()
    # Someone added later with the same number: no SMS, reported unreachable.
    later = await active(bot, clock, "Pål Samme", phone=PHONE, email="")
    request_id = await claimed_request(bot, clock, participant_count=1)
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": later})
    await bot.drain()
    assert [t for t in _sms_to(fake_smpp) if "Invitasjon" in t] == []
    async with bot.db.sessions() as session:
        (row,) = [
            r
            for r in await session.scalars(select(OutboxMessage))
            if r.target_key == f"participant:{later}"
        ]
    assert row.state == "failed" and "answered STOPP" in (row.last_error or "")


async def test_replies_to_one_number_are_capped_at_ten_a_day(start_bot, clock, fake_smpp) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url)
    await active(bot, clock, "Per Pasient", phone=PHONE, email="")
    async with aiohttp.ClientSession() as http:
        for _ in range(14):
            assert await _inbound(bot, http, "HJELP") == 200
            await bot.drain()
    assert len(_sms_to(fake_smpp)) == 10


async def test_in_production_the_inbound_endpoint_needs_its_secret(start_bot, fake_smpp) -> None:
    bot = await start_bot(
        MEDVIRK_SMS_URL=fake_smpp.url,
        MicrosoftAppId="00000000-0000-0000-0000-000000000001",
        MicrosoftAppPassword="x",
        MicrosoftAppTenantId="11111111-1111-1111-1111-111111111111",
    )
    async with aiohttp.ClientSession() as http:
        assert await _inbound(bot, http, "STOPP") == 401


async def test_a_phone_only_contact_is_forgotten_by_their_number(
    start_bot, clock, fake_smpp, database_url
) -> None:
    bot = await start_bot(MEDVIRK_SMS_URL=fake_smpp.url)
    async with bot.db.transaction() as session:
        await store.upsert_contact(
            session, key=f"phone:{PHONE}", aad_object_id=None, name="Finn Fon", locale="nb",
            now=clock.now(), groups=["participants"], phone=PHONE,
        )  # fmt: skip
    async with aiohttp.ClientSession() as http:
        assert await _inbound(bot, http, "HJELP") == 200
    forgotten = medvirk(database_url, "forget", PHONE)
    assert forgotten.returncode == 0, forgotten.stderr
    async with bot.db.sessions() as session:
        assert await store.find_contact(session, f"phone:{PHONE}") is None
        rows = list(await session.scalars(select(OutboxMessage)))
    assert all(PHONE not in r.target_key for r in rows)
