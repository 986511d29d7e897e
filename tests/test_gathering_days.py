"""A day at a gathering: who came is ticked on the desk's attendance card, a
participant of the pool who came is paid for the day (the rates' `[gathering]
day`) plus the travel they give as they confirm, and payroll gets the PDF; a
staff contact who came gets nothing; a tick taken back takes back a draft."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage import pool
from storage.db.models import FeeClaim
from storage.domain.fee_claims import ClaimStatus
from storage.reminders import registrations
from tests.support.cards import assert_valid_card, inputs_of
from tests.support.channel import card_of
from tests.support.cli import medvirk
from tests.support.participants import PAYROLL, PER_AAD
from tests.support.pdfs import pdf_text
from tests.support.reminders import add_gathering, subscribe
from tests.support.smtp import parts

ADMIN = ("Anne Admin", "admin-aad")


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
