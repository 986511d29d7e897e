"""Gatherings people register for in medvirk: seats that hold, a waiting list
in arrival order, a freed seat offered for a while and then to the next, the
deadline, and the start's reminders to those registered alone."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timedelta

import aiohttp
from sqlalchemy import select

from bot.jobs import expire_seat_offers
from storage import reminders as store
from storage.db.models import Gathering, Registration
from storage.reminders import registrations
from tests.support.cards import actions_of, assert_valid_card
from tests.support.channel import card_of
from tests.support.cli import medvirk
from tests.support.env import OSLO
from tests.support.participants import form_token
from tests.support.reminders import add_gathering, cards_to, run_round, subscribe
from tests.support.smtp import parts

IDENTITY = "15076500565"
ANSWERS = {"attend_mode": "in_person", "diet": "Vegetar"}


async def _gathering(bot, clock, **overrides) -> int:
    values = {"capacity": 2, "questions": ["diet", "attend_mode"], "groups": ["contacts"]}
    return await add_gathering(bot, clock, **{**values, **overrides})


async def _register(user, gathering_id: int, **answers) -> dict:
    data = {"gathering_id": gathering_id, **(answers or ANSWERS)}
    return card_of(await user.invoke("register", data, in_channel=False))


async def _mine(bot, gathering_id: int) -> dict[str, str]:
    async with bot.db.sessions() as session:
        rows = await session.execute(
            select(Registration.contact_id, Registration.status).where(
                Registration.gathering_id == gathering_id
            )
        )
        return {str(contact): str(status) for contact, status in rows}


def _button(card: dict, verb: str) -> dict:
    (action,) = [a for a in actions_of(card) if a.get("verb") == verb]
    return action


async def test_two_seats_three_people_a_cancel_an_offer_and_the_deadline(bot, clock) -> None:
    kari = await subscribe(bot, "Kari Kontakt", "aad-kari", ["contacts"])
    per = await subscribe(bot, "Per Deltaker", "aad-per", ["contacts"])
    ola = await subscribe(bot, "Ola Venter", "aad-ola", ["contacts"])
    late = await subscribe(bot, "Lise Sen", "aad-lise", ["contacts"])
    gathering_id = await _gathering(bot, clock)

    first = await _register(kari, gathering_id)
    assert_valid_card(first)
    assert "Du er påmeldt" in str(first) and "cancel_registration" in str(first)
    await _register(per, gathering_id)
    waiting = await _register(ola, gathering_id)
    assert "nummer 1 på ventelisten" in str(waiting)
    # Registering again changes nothing but the answers (a double press).
    again = await _register(kari, gathering_id, attend_mode="digital")
    assert "Du er påmeldt" in str(again)
    async with bot.db.sessions() as session:
        gathering = await session.get_one(Gathering, gathering_id)
        assert gathering.seats_taken == 2
        counted = await registrations.counts(session, gathering_id)
    assert (counted["registered"], counted["waitlisted"]) == (2, 1)

    # Per cancels: the seat is offered to Ola, on a card of its own.
    bot.connector.clear()
    cancel = _button(await _register(per, gathering_id), "cancel_registration")
    cancelled = card_of(await per.invoke("cancel_registration", cancel["data"], in_channel=False))
    assert "Du er meldt av" in str(cancelled)
    await bot.drain()
    (offer,) = [c for c in cards_to(bot, ola) if "accept_seat" in str(c)]
    assert_valid_card(offer)
    assert "En plass er ledig til deg" in str(offer)
    take = _button(offer, "accept_seat")
    taken = card_of(await ola.invoke("accept_seat", take["data"], in_channel=False))
    assert "Du er påmeldt" in str(taken)

    # Past the deadline: no new registration.
    async with bot.db.sessions() as session:
        register_by = (await session.get_one(Gathering, gathering_id)).register_by
    assert register_by is not None
    clock.set(register_by + timedelta(minutes=1))
    closed = await _register(late, gathering_id)
    assert "Påmeldingen er stengt" in str(closed) and "Meld meg på" not in str(closed)
    statuses = sorted((await _mine(bot, gathering_id)).values())
    assert statuses == ["cancelled", "registered", "registered"]

    # The start's reminder (14 days before) goes to the two with a seat alone.
    bot.connector.clear()
    clock.set(datetime(2027, 3, 12, 9, 15, tzinfo=OSLO))
    await run_round(bot)
    reminded = {u.name for u in (kari, per, ola, late) if cards_to(bot, u)}
    assert reminded == {"Kari Kontakt", "Ola Venter"}


async def test_an_offer_nobody_answers_passes_to_the_next(bot, clock) -> None:
    anne = await subscribe(bot, "Anne", "aad-anne", ["contacts"])
    bo = await subscribe(bot, "Bo", "aad-bo", ["contacts"])
    cy = await subscribe(bot, "Cy", "aad-cy", ["contacts"])
    gathering_id = await _gathering(bot, clock, capacity=1, offer_hours=24)
    await _register(anne, gathering_id)
    await _register(bo, gathering_id)
    await _register(cy, gathering_id)
    cancel = _button(await _register(anne, gathering_id), "cancel_registration")
    await anne.invoke("cancel_registration", cancel["data"], in_channel=False)
    async with bot.db.sessions() as session:
        rows = list(await session.scalars(select(Registration).order_by(Registration.arrival)))
    assert [r.status for r in rows] == ["cancelled", "offered", "waitlisted"]
    clock.advance(timedelta(hours=24, seconds=1))
    await expire_seat_offers(bot.services)
    async with bot.db.sessions() as session:
        rows = list(await session.scalars(select(Registration).order_by(Registration.arrival)))
        gathering = await session.get_one(Gathering, gathering_id)
    assert [r.status for r in rows] == ["cancelled", "declined", "offered"]
    assert gathering.seats_taken == 1  # held for Cy
    # Bo's late yes: the offer has gone.
    late = card_of(
        await bo.invoke(
            "accept_seat", {"gathering_id": gathering_id, "registration_id": rows[1].id},
            in_channel=False,
        )
    )  # fmt: skip
    assert "Du takket nei til plassen" in str(late)
    assert cy is not None


async def test_bad_answers_are_refused_and_store_nothing(bot, clock) -> None:
    kari = await subscribe(bot, "Kari Kontakt", "aad-kari", ["contacts"])
    outsider = await subscribe(bot, "Ung Ungdom", "aad-ung", ["youth"])
    gathering_id = await _gathering(bot, clock)
    no_mode = await _register(kari, gathering_id, diet="Vegetar")
    assert "Velg fysisk eller digitalt" in str(no_mode)
    identity = await _register(kari, gathering_id, attend_mode="digital", diet=f"Meg {IDENTITY}")
    assert IDENTITY not in str(identity) and "fødselsnummer" in str(identity)
    assert await _mine(bot, gathering_id) == {}
    # Not invited (another group): the same 404 as no such gathering.
    refused = await outsider.invoke(
        "register", {"gathering_id": gathering_id, **ANSWERS}, in_channel=False
    )
    assert refused.body["statusCode"] == 404
    assert await _mine(bot, gathering_id) == {}


async def test_fifty_press_register_on_the_last_seat_at_once(bot, clock) -> None:
    users = [await subscribe(bot, f"Person {n}", f"aad-{n:02d}", ["contacts"]) for n in range(50)]
    gathering_id = await _gathering(bot, clock, capacity=1, questions=["attend_mode"])
    answers = await asyncio.gather(
        *(
            u.invoke("register", {"gathering_id": gathering_id, "attend_mode": "digital"},
                     in_channel=False)
            for u in users
        )
    )  # fmt: skip
    assert all(a.body["statusCode"] == 200 for a in answers)
    async with bot.db.sessions() as session:
        rows = list(await session.scalars(select(Registration).order_by(Registration.arrival)))
        gathering = await session.get_one(Gathering, gathering_id)
    assert [r.status for r in rows].count("registered") == 1
    assert [r.status for r in rows].count("waitlisted") == 49
    assert gathering.seats_taken == 1
    assert [r.arrival for r in rows] == sorted({r.arrival for r in rows})  # one arrival each
    places = [await _place(bot, r) for r in rows if r.status == "waitlisted"]
    assert places == list(range(1, 50))


async def _place(bot, registration: Registration) -> int | None:
    async with bot.db.sessions() as session:
        return await registrations.place_in_line(session, registration)


async def test_the_cli_makes_shows_and_checks_in(bot, clock, database_url) -> None:
    added = medvirk(
        database_url, "gathering", "add", "--title", "Fagdag", "--starts", "2027-03-26T09:00",
        "--register-by", "2027-03-08T00:00", "--capacity", "1",
        "--questions", "attend_mode,diet", "--offer-hours", "24",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    gathering_id = int(added.stdout.split()[1])
    wrong = medvirk(database_url, "gathering", "add", "--title", "X", "--starts",
                    "2027-03-26T09:00", "--questions", "shoe_size")  # fmt: skip
    assert wrong.returncode == 2 and "shoe_size" in wrong.stderr
    kari = await subscribe(bot, "Kari Kontakt", "aad-kari", ["contacts"])
    per = await subscribe(bot, "Per Deltaker", "aad-per", ["contacts"])
    seat = await _register(kari, gathering_id, attend_mode="in_person", diet="Glutenfri")
    await _register(per, gathering_id)
    code = re.search(r"\*\*([A-Z0-9]{6})\*\*", str(seat))
    assert code is not None

    shown = json.loads(
        medvirk(database_url, "gathering", "show", str(gathering_id), "--json").stdout
    )
    assert (shown["capacity"], shown["registered"], shown["waitlisted"]) == (1, 1, 1)
    assert shown["answers"]["attend_mode"] == {"in_person": 1}
    assert shown["answers"]["diet"] == ["Glutenfri"]  # the waiting one's not yet
    listed = medvirk(database_url, "gathering", "attendance", str(gathering_id))
    assert f"[ ] {code.group(1)}  Kari Kontakt" in listed.stdout and "Per" not in listed.stdout
    checked = medvirk(
        database_url, "gathering", "attendance", str(gathering_id), "--check",
        code.group(1).lower(), "NOSUCH",
    )  # fmt: skip
    assert checked.returncode == 2 and "NOSUCH" in checked.stderr
    assert f"[x] {code.group(1)}  Kari Kontakt" in checked.stdout
    shown = json.loads(
        medvirk(database_url, "gathering", "show", str(gathering_id), "--json").stdout
    )
    assert shown["attended"] == 1


async def test_the_programme_goes_to_those_registered_and_to_later_ones(
    bot, clock, database_url, tmp_path
) -> None:
    kari = await subscribe(bot, "Kari Kontakt", "aad-kari", ["contacts"])
    per = await subscribe(bot, "Per Deltaker", "aad-per", ["contacts"])
    ola = await subscribe(bot, "Ola Venter", "aad-ola", ["contacts"])
    nils = await subscribe(bot, "Nils Nei", "aad-nils", ["contacts"])
    gathering_id = await _gathering(bot, clock)
    for user in (kari, per, ola):
        await _register(user, gathering_id)
    pdf = tmp_path / "program.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% Program for fagdagen\n%%EOF\n")
    not_pdf = tmp_path / "program.txt"
    not_pdf.write_bytes(b"hello")
    args = ("gathering", "programme", str(gathering_id), "--send-at", "2027-03-14T09:00")
    refused = medvirk(database_url, *args, "--file", str(not_pdf))
    assert refused.returncode == 2 and "PDF" in refused.stderr
    done = medvirk(database_url, *args, "--file", str(pdf), "--text", "09:00 Velkommen")
    assert done.returncode == 0, done.stderr

    bot.connector.clear()
    clock.set(datetime(2027, 3, 14, 8, 59, tzinfo=OSLO))
    await run_round(bot)
    assert not any("Programmet" in str(c) for u in (kari, per) for c in cards_to(bot, u))
    clock.set(datetime(2027, 3, 14, 9, 0, tzinfo=OSLO))
    await run_round(bot)
    await run_round(bot)  # once
    got = {
        u.name: [c for c in cards_to(bot, u) if "Programmet" in str(c)]
        for u in (kari, per, ola, nils)
    }
    assert [len(got[n]) for n in ("Kari Kontakt", "Per Deltaker", "Ola Venter", "Nils Nei")] == [
        1,
        1,
        0,
        0,
    ]
    card = got["Kari Kontakt"][0]
    assert_valid_card(card)
    assert "09:00 Velkommen" in str(card)
    (url,) = [a["url"] for a in actions_of(card) if a["type"] == "Action.OpenUrl"]
    async with (
        aiohttp.ClientSession() as http,
        http.get(bot.url + url[url.index("/calendar/") :]) as resp,
    ):
        assert resp.status == 200 and (await resp.read()).startswith(b"%PDF-")

    # Per gives up the seat; Ola takes it and gets the programme then.
    cancel = _button(await _register(per, gathering_id), "cancel_registration")
    await per.invoke("cancel_registration", cancel["data"], in_channel=False)
    await bot.drain()
    (offer,) = [c for c in cards_to(bot, ola) if "accept_seat" in str(c)]
    await ola.invoke("accept_seat", _button(offer, "accept_seat")["data"], in_channel=False)
    await bot.drain()
    assert len([c for c in cards_to(bot, ola) if "Programmet" in str(c)]) == 1


async def _by_mail(bot, clock, name: str, email: str) -> None:
    async with bot.db.transaction() as session:
        await store.upsert_contact(
            session, key=f"mail:{email}", aad_object_id=None, name=name, locale="nb",
            now=clock.now(), groups=["contacts"], email=email,
        )  # fmt: skip


def _links_to(smtp, to: str) -> list[str]:
    found = []
    for message in smtp.inbox.messages:
        if message["To"].endswith(f"<{to}>"):
            found += re.findall(r"https?://\S+/g/[^\s\"<]+", parts(message)["text/plain"])
    return found


async def _press(http, url: str, **form: str) -> tuple[int, str]:
    async with http.get(url) as resp:
        page = await resp.text()
        assert resp.status == 200, page
    async with http.post(url, data={"form": form_token(page), **form}) as resp:
        return resp.status, await resp.text()


async def test_people_by_e_mail_register_on_their_page(start_bot, smtp, clock) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await _by_mail(bot, clock, "Eva Epost", "eva@example.org")
    await _by_mail(bot, clock, "Finn Epost", "finn@example.org")
    await _gathering(bot, clock, capacity=1, questions=["attend_mode", "access"])
    # The registration reminder (7 days before the deadline) by e-mail: the page's link.
    clock.set(datetime(2027, 3, 1, 0, 0, tzinfo=OSLO))
    await run_round(bot)
    (eva,) = set(_links_to(smtp, "eva@example.org"))
    (finn,) = set(_links_to(smtp, "finn@example.org"))
    assert "/a/rsvp/" not in str([parts(m)["text/plain"] for m in smtp.inbox.messages])
    local = lambda url: bot.url + url[url.index("/g/") :]  # noqa: E731
    async with aiohttp.ClientSession() as http:
        status, page = await _press(http, local(eva), action="register")
        assert status == 400 and "Velg fysisk eller digitalt" in page
        status, page = await _press(
            http,
            local(eva),
            action="register",
            attend_mode="digital",
            access=f"Rullestol {IDENTITY}",
        )
        assert status == 400 and IDENTITY not in page
        status, page = await _press(
            http, local(eva), action="register", attend_mode="in_person", access="Rullestol"
        )
        assert status == 200 and "Takk, du er påmeldt" in page and 'class="door-code"' in page
        status, page = await _press(http, local(finn), action="register", attend_mode="digital")
        assert status == 200 and "nummer 1 på ventelisten" in page
        # Eva gives her seat up; Finn is offered it by e-mail and takes it on the page.
        status, page = await _press(http, local(eva), action="cancel")
        assert status == 200 and "Du er meldt av" in page
        await bot.drain()
        offers = [m for m in smtp.inbox.messages if m["Subject"] == "En plass er ledig"]
        assert len(offers) == 1 and offers[0]["To"].endswith("<finn@example.org>")
        status, page = await _press(http, local(finn), action="accept")
        assert status == 200 and 'class="door-code"' in page
        async with http.get(local(eva)[:-3] + "xyz") as resp:
            assert resp.status == 404
    async with bot.db.sessions() as session:
        rows = list(await session.scalars(select(Registration).order_by(Registration.arrival)))
    assert [r.status for r in rows] == ["cancelled", "registered"]
