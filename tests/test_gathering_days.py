"""A day at a gathering: who came is ticked on the desk's attendance card, a
participant of the pool who came is paid for the day (the rates' `[gathering]
day`) plus the travel they give as they confirm, and payroll gets the PDF; a
staff contact who came gets nothing; a tick taken back takes back a draft."""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import urlsplit

import aiohttp
from sqlalchemy import select

from dialogs.reports import sections as annual_sections
from storage import pool
from storage import reminders as store
from storage.db.models import Contact, FeeClaim, Registration
from storage.domain.fee_claims import ClaimStatus
from storage.reminders import gathering_evaluations, open_registration, registrations
from storage.reports.annual import annual
from tests.support.cards import assert_valid_card, inputs_of
from tests.support.channel import card_of
from tests.support.cli import medvirk
from tests.support.env import OSLO
from tests.support.participants import PAYROLL, PER_AAD, form_token
from tests.support.pdfs import pdf_text
from tests.support.reminders import add_gathering, cards_to, run_round, subscribe
from tests.support.smtp import parts

ADMIN = ("Anne Admin", "admin-aad")
IDENTITY = "15076500565"


async def _in_the_pool(bot, clock, name: str, aad: str) -> int:
    values = pool.validate(
        {"name": name, "aad_object_id": aad, "roles": "patient", "formats": "physical"}, areas=[]
    )
    async with bot.db.transaction() as session:
        participant = await pool.add(session, values, added_by="test", now=clock.now())
        await pool.consent(session, participant, channel="teams", now=clock.now())
        return participant.id


async def _claims(bot) -> list[FeeClaim]:
    async with bot.db.sessions() as session:
        return list(await session.scalars(select(FeeClaim).order_by(FeeClaim.id)))


async def test_who_came_is_ticked_and_a_participant_is_paid_for_the_day(
    start_bot, clock, smtp, database_url
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, MEDVIRK_PAYROLL_EMAIL=PAYROLL)
    per_id = await _in_the_pool(bot, clock, "Per Pasient", PER_AAD)
    per = await subscribe(bot, "Per Pasient", PER_AAD, ["participants"])
    kari = await subscribe(bot, "Kari Kontakt", "aad-kari", ["participants"])
    gathering_id = await add_gathering(
        bot, clock, capacity=10, questions=["attend_mode"], groups=["participants"]
    )
    for user in (per, kari):
        data = {"gathering_id": gathering_id, "attend_mode": "in_person"}
        await user.invoke("register", data, in_channel=False)

    admin = bot.teams.user(*ADMIN)
    # Not an admin: the command is not theirs, no list.
    refused = await kari.say(f"oppmøte {gathering_id}")
    assert not refused.cards and "Kari" not in str(refused.texts)
    listed = (await admin.say(f"oppmøte {gathering_id}")).card
    assert_valid_card(listed)
    toggles = {
        i["title"]: i["id"] for i in inputs_of(listed).values() if i["type"] == "Input.Toggle"
    }
    assert sorted(name.split(" (")[0] for name in toggles) == ["Kari Kontakt", "Per Pasient"]

    ticked = {field: "true" for field in toggles.values()}
    saved = card_of(
        await admin.invoke("check_in", {"gathering_id": gathering_id, **ticked}, in_channel=False)
    )
    assert_valid_card(saved)
    assert "2 av 2 påmeldte har kommet" in str(saved)
    assert "1 brukermedvirkere får honorarkrav" in str(saved)
    (claim,) = await _claims(bot)
    assert (claim.gathering_id, claim.request_id, claim.participant_id) == (
        gathering_id,
        None,
        per_id,
    )
    assert claim.status == ClaimStatus.DRAFT and claim.fee_ore == 150_000
    # Saved again (a double press): no second claim.
    await admin.invoke("check_in", {"gathering_id": gathering_id, **ticked}, in_channel=False)
    assert len(await _claims(bot)) == 1

    # Per confirms on their card, with their travel.
    await bot.drain()
    sent = bot.connector.to(per.personal_conversation)
    (confirm,) = [c for s in sent for c in s.cards if "confirm_claim" in str(c)]
    assert_valid_card(confirm)
    assert "travel_nok" in inputs_of(confirm)
    assert "SAMLING" not in str(confirm) or "Årlig fellessamling" in str(confirm)
    action = next(a for a in confirm["actions"] if a.get("verb") == "confirm_claim")
    done = card_of(
        await per.invoke("confirm_claim", {**action["data"], "travel_nok": "320"}, in_channel=False)
    )
    assert "Bekreftet" in str(done) or "bekreftet" in str(done)
    (claim,) = await _claims(bot)
    assert claim.status == ClaimStatus.CONFIRMED
    assert (claim.travel_nok, claim.total_ore) == (320, 150_000 + 32_000)
    await bot.drain()
    (payroll,) = [m for m in smtp.inbox.messages if PAYROLL in m["To"]]
    assert "SAMLING" in payroll["Subject"] and "Per" not in payroll["Subject"]
    # The CLI lists and shows a day's claim as it does a request's.
    listed = medvirk(database_url, "claims", "list")
    assert listed.returncode == 0 and f"SAMLING-{gathering_id}" in listed.stdout
    shown = medvirk(database_url, "claims", "show", str(claim.id))
    assert shown.returncode == 0 and f"gathering: SAMLING-{gathering_id}" in shown.stdout
    (pdf,) = [p for p in payroll.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename().startswith(f"honorarkrav-SAMLING-{gathering_id}-")
    text = pdf_text(pdf.get_content())
    assert "Per Pasient" in text and "1 500,00" in text and "320,00" in text

    # Kari's tick taken back: not come; Per's confirmed claim stays payroll's.
    kari_field = next(f for name, f in toggles.items() if name.startswith("Kari"))
    undone = card_of(
        await admin.invoke(
            "check_in",
            {"gathering_id": gathering_id, **ticked, kari_field: "false"},
            in_channel=False,
        )
    )
    assert "1 av 2 påmeldte har kommet" in str(undone)
    assert len(await _claims(bot)) == 1
    shown = json.loads(
        medvirk(database_url, "gathering", "show", str(gathering_id), "--json").stdout
    )
    assert (shown["registered"], shown["attended"]) == (2, 1)
    async with bot.db.sessions() as session:
        counted = await registrations.counts(session, gathering_id, started=True)
    assert (counted["attended"], counted["no_shows"]) == (1, 1)
    assert parts(payroll)  # the mail is whole


async def test_a_tick_taken_back_takes_back_a_draft_claim(start_bot, clock) -> None:
    bot = await start_bot()
    await _in_the_pool(bot, clock, "Per Pasient", PER_AAD)
    per = await subscribe(bot, "Per Pasient", PER_AAD, ["participants"])
    gathering_id = await add_gathering(bot, clock, capacity=5, groups=["participants"])
    await per.invoke("register", {"gathering_id": gathering_id}, in_channel=False)
    admin = bot.teams.user(*ADMIN)
    listed = (await admin.say(f"oppmøte {gathering_id}")).card
    (field,) = [i["id"] for i in inputs_of(listed).values() if i["type"] == "Input.Toggle"]
    await admin.invoke("check_in", {"gathering_id": gathering_id, field: "true"}, in_channel=False)
    assert len(await _claims(bot)) == 1
    await admin.invoke("check_in", {"gathering_id": gathering_id, field: "false"}, in_channel=False)
    assert await _claims(bot) == []
    # Not a number, or a gathering that takes no registrations: asked which.
    asked = await admin.say("oppmøte")
    assert "Hvilken samling" in str(asked.texts)


def _asked(bot, user) -> list[dict]:
    """The evaluation cards this person got."""
    sent = bot.connector.to(user.personal_conversation)
    return [c for m in sent for c in m.cards if "evaluate_gathering" in json.dumps(c)]


def _mailed_links(smtp, to: str, path: str) -> list[str]:
    found = []
    for message in smtp.inbox.messages:
        if message["To"].endswith(f"<{to}>"):
            found += re.findall(rf"https?://\S+{path}[^\s\"<]+", parts(message)["text/plain"])
    return found


def _here(bot, url: str) -> str:
    return bot.url + urlsplit(url).path


async def _post(http, url: str, **form: str) -> tuple[int, str]:
    async with http.get(url) as resp:
        page = await resp.text()
        assert resp.status == 200, page
    async with http.post(url, data={"form": form_token(page), **form}) as resp:
        return resp.status, await resp.text()


async def test_anyone_with_the_open_link_registers_after_confirming_their_address(
    start_bot, smtp, clock, database_url
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, MEDVIRK_ORDER_RATE="3")
    gathering_id = await add_gathering(
        bot, clock, capacity=1, questions=["attend_mode"], open_registration=True,
        meeting_url="https://teams.microsoft.com/l/meetup-join/abc",
    )  # fmt: skip
    linked = medvirk(database_url, "gathering", "link", str(gathering_id))
    assert linked.returncode == 0, linked.stderr
    (link,) = re.findall(r"https?://\S+/g/open/\S+", linked.stdout)
    async with aiohttp.ClientSession() as http:
        # A name with an identity number, a bad address: said, nothing kept or sent.
        status, page = await _post(
            http, _here(bot, link), name=f"Ola {IDENTITY}", email="ola@example.org"
        )
        assert status == 400 and IDENTITY not in page and 'aria-invalid="true"' in page
        status, page = await _post(http, _here(bot, link), name="Ola", email="ikke en adresse")
        assert status == 400 and "e-post" in page.lower()
        async with bot.db.sessions() as session:
            assert not list(await session.scalars(select(Contact)))
        status, page = await _post(
            http, _here(bot, link), name="Ola Ukjent", email="ola@example.org"
        )
        assert status == 200 and "Sjekk e-posten din" in page
        await bot.drain()
        (mail,) = [m for m in smtp.inbox.messages if m["To"].endswith("<ola@example.org>")]
        assert mail["Subject"] == "Lenken til påmeldingen din"
        (own,) = _mailed_links(smtp, "ola@example.org", "/g/")
        status, page = await _post(http, _here(bot, own), action="register", attend_mode="digital")
        assert status == 200 and 'class="door-code"' in page
        # Digital: the Teams meeting's link on their page.
        assert "teams.microsoft.com/l/meetup-join/abc" in page
        # The rate: 3 posts an hour from one place (refused ones not counted).
        statuses = [
            (await _post(http, _here(bot, link), name="Ola Ukjent", email="ola@example.org"))[0]
            for _ in range(3)
        ]
        assert statuses == [200, 200, 429]
        async with http.get(_here(bot, link)[:-4] + "abcd") as resp:
            assert resp.status == 404
    async with bot.db.sessions() as session:
        (contact,) = list(await session.scalars(select(Contact)))
        assert (contact.only_for_gathering_id, contact.groups) == (gathering_id, [])

    # Weeks after the day: the name and address go, the registration stays counted.
    clock.set(datetime(2027, 6, 1, 12, 0, tzinfo=OSLO))
    async with bot.db.transaction() as session:
        assert await open_registration.forget_after(session, now=clock.now()) == 1
    async with bot.db.sessions() as session:
        (contact,) = list(await session.scalars(select(Contact)))
        assert (contact.name, contact.email) == (None, None)
        counted = await registrations.counts(session, gathering_id)
    assert counted["registered"] == 1


async def test_the_meeting_link_goes_only_to_those_attending_digitally(bot, clock) -> None:
    digital = await subscribe(bot, "Dina Digital", "aad-dina", ["participants"])
    there = await subscribe(bot, "Frida Fysisk", "aad-frida", ["participants"])
    gathering_id = await add_gathering(
        bot, clock, capacity=5, questions=["attend_mode"], groups=["participants"],
        meeting_url="https://teams.microsoft.com/l/meetup-join/xyz",
    )  # fmt: skip
    for user, mode in ((digital, "digital"), (there, "in_person")):
        data = {"gathering_id": gathering_id, "attend_mode": mode}
        seat = card_of(await user.invoke("register", data, in_channel=False))
        assert_valid_card(seat)
        assert ("meetup-join/xyz" in json.dumps(seat)) is (mode == "digital")
    # The start's reminder, 14 days before: the link on the digital one's card only.
    bot.connector.clear()
    clock.set(datetime(2027, 3, 12, 9, 15, tzinfo=OSLO))
    await run_round(bot)
    cards = {u.name: json.dumps(cards_to(bot, u)) for u in (digital, there)}
    assert "meetup-join/xyz" in cards["Dina Digital"]
    assert "meetup-join/xyz" not in cards["Frida Fysisk"] and "Frida" not in cards["Dina Digital"]


async def test_registration_reopens_until_a_new_deadline(bot, clock, database_url) -> None:
    late = await subscribe(bot, "Lise Sen", "aad-lise", ["participants"])
    gathering_id = await add_gathering(bot, clock, capacity=5, groups=["participants"])
    clock.set(datetime(2027, 3, 9, 12, 0, tzinfo=OSLO))
    closed = card_of(
        await late.invoke("register", {"gathering_id": gathering_id}, in_channel=False)
    )
    assert "Påmeldingen er stengt" in str(closed)
    wrong = medvirk(
        database_url, "gathering", "reopen", str(gathering_id), "--register-by", "2027-04-01T00:00"
    )
    assert wrong.returncode == 2 and "after the start" in wrong.stderr
    opened = medvirk(
        database_url, "gathering", "reopen", str(gathering_id), "--register-by", "2027-03-20T00:00"
    )
    assert opened.returncode == 0, opened.stderr
    seat = card_of(await late.invoke("register", {"gathering_id": gathering_id}, in_channel=False))
    assert "Du er påmeldt" in str(seat)


async def test_those_who_came_are_asked_how_the_day_was(start_bot, smtp, clock) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    users = [await subscribe(bot, f"Deltaker {n}", f"aad-d{n}", ["participants"]) for n in range(6)]
    async with bot.db.transaction() as session:
        await store.upsert_contact(
            session, key="mail:eva@example.org", aad_object_id=None, name="Eva Epost",
            locale="nb", now=clock.now(), groups=["participants"], email="eva@example.org",
        )  # fmt: skip
        eva = await store.find_contact(session, "mail:eva@example.org")
        assert eva is not None
    gathering_id = await add_gathering(bot, clock, capacity=20, groups=["participants"])
    for user in users:
        await user.invoke("register", {"gathering_id": gathering_id}, in_channel=False)
    async with bot.db.transaction() as session:
        await registrations.register(session, gathering_id, eva, {}, now=clock.now())
        rows = list(await session.scalars(select(Registration).order_by(Registration.id)))
        # All came but the last Teams one.
        codes = [r.door_code for r in rows if r.contact_id != rows[5].contact_id]
        await registrations.check_in(session, gathering_id, codes, now=clock.now())

    # Not before the day has ended; then once.
    clock.set(datetime(2027, 3, 26, 15, 0, tzinfo=OSLO))
    await bot.tick()
    assert not [c for u in users for c in _asked(bot, u)]
    clock.set(datetime(2027, 3, 26, 16, 30, tzinfo=OSLO))
    await bot.tick()
    await bot.tick()
    await bot.drain()
    asked = {u.name: _asked(bot, u) for u in users}
    assert [len(asked[u.name]) for u in users] == [1, 1, 1, 1, 1, 0]
    (mail,) = [m for m in smtp.inbox.messages if m["Subject"] == "Hvordan var samlingen?"]
    assert "Årlig fellessamling" not in mail["Subject"]

    first = asked[users[0].name][0]
    assert_valid_card(first)
    action = next(a for a in first["actions"] if a.get("verb") == "evaluate_gathering")
    bad = card_of(
        await users[0].invoke(
            "evaluate_gathering", {**action["data"], "rating": "9"}, in_channel=False
        )
    )
    assert "Velg hvor godt" in str(bad)
    # Someone else's registration: refused, nothing kept.
    other = await users[1].invoke(
        "evaluate_gathering", {**action["data"], "rating": "5"}, in_channel=False
    )
    assert other.status == 200 and "403" in json.dumps(other.body)
    for n, user in enumerate(users[:4]):
        card = _asked(bot, user)[0]
        data = next(a for a in card["actions"] if a.get("verb") == "evaluate_gathering")["data"]
        comment = "Fin dag" if n == 0 else f"Bra {IDENTITY}" if n == 1 else ""
        done = card_of(
            await user.invoke(
                "evaluate_gathering", {**data, "rating": str(5 - n % 2), "comment": comment},
                in_channel=False,
            )
        )  # fmt: skip
        if n == 1:
            assert IDENTITY not in json.dumps(done)
            await user.invoke(
                "evaluate_gathering", {**data, "rating": "4", "comment": "Bra"}, in_channel=False
            )
    async with bot.db.sessions() as session:
        summary = await gathering_evaluations.summary(session, gathering_id)
    # Four answers: under five, no figures.
    assert (summary["answered"], summary["average"]) == (4, None)
    # Eva answers on her page.
    (url,) = _mailed_links(smtp, "eva@example.org", "/ge/")
    async with aiohttp.ClientSession() as http:
        status, page = await _post(http, _here(bot, url), rating="4", comment="Lærerikt")
        assert status == 200 and "Takk! Svaret ditt er lagret." in page
    async with bot.db.sessions() as session:
        summary = await gathering_evaluations.summary(session, gathering_id)
    assert (summary["answered"], summary["average"]) == (5, 4.4)
    assert sorted(summary["comments"]) == ["Bra", "Fin dag", "Lærerikt"]
    assert not any(IDENTITY in c for c in summary["comments"])

    # The year's report: the gathering's figures, each under five hidden.
    async with bot.db.sessions() as session:
        figures = await annual(session, 2027, zone=OSLO, now=clock.now())
        sections = annual_sections(figures, "nb")
    (registered,) = figures.registered
    # One did not come: under five, and so is hidden, and those who came with
    # it (registered less those who came would tell it).
    assert (registered.registered, registered.attended, registered.no_shows) == (7, None, None)
    assert registered.rating == 4.4
    (row,) = next(s for s in sections if s.title == "Samlinger med påmelding").rows
    assert row[1] == "7 / færre enn 5 / færre enn 5 / færre enn 5 / færre enn 5 · 4.4"

    # Ticked the morning after (the paper list): asked too, once.
    async with bot.db.transaction() as session:
        late = rows[5].door_code
        await registrations.check_in(session, gathering_id, [late], now=clock.now())
    clock.set(datetime(2027, 3, 27, 9, 0, tzinfo=OSLO))
    await bot.tick()
    await bot.tick()
    await bot.drain()
    assert [len(_asked(bot, u)) for u in users] == [1, 1, 1, 1, 1, 1]
