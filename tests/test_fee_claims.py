"""The fee claim over HTTP on both databases, restarting the bot between every
step: the owner completes the request, the requester files each participant's
meetings, hours and travel, the participant confirms on their page (or their
card in Teams), and payroll gets the PDF by e-mail; `medvirk claims paid`
closes it. Every refusal changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp
import pypdfium2
from sqlalchemy import func, select

from storage.db.models import FeeClaim
from tests.support.builders import completed_request
from tests.support.cards import actions_of, assert_valid_card
from tests.support.channel import card_of, requester
from tests.support.cli import medvirk
from tests.support.participants import (
    PAYROLL,
    PER_AAD,
    claim_links,
    coordinator,
    form_token,
    local,
    person_links,
)
from tests.support.smtp import attachments
from tests.test_invitations import accepted_in_teams, active, claimed_request, sent_card

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def claim_forms(bot) -> dict[int, dict]:
    """Participant id → the latest form card in the requester's chat."""
    found = {}
    for sent in bot.connector.to(requester(bot).personal_conversation):
        for action in actions_of(sent.card or {}):
            if action.get("verb") == "confirm_participation":
                found[action["data"]["participant_id"]] = sent.card
    return found


async def claims_in(bot) -> list[FeeClaim]:
    async with bot.db.sessions() as session:
        return list(await session.scalars(select(FeeClaim).order_by(FeeClaim.id)))


async def _completed(start_bot, clock, smtp, names: list[str], **settings):
    """The bot started, and a request completed with `names` (built on the domain)."""
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, **settings)
    return await completed_request(bot, clock, names)


async def test_a_claim_goes_from_the_requester_to_payroll_across_restarts(
    start_bot, clock, smtp, database_url
) -> None:
    settings = {"MEDVIRK_SMTP_URL": smtp.url, "MEDVIRK_PAYROLL_EMAIL": PAYROLL}
    request_id, ids = await _completed(
        start_bot, clock, smtp, ["Per Pasient", "Kari Pasient"], MEDVIRK_PAYROLL_EMAIL=PAYROLL
    )
    per, kari = ids["Per Pasient"], ids["Kari Pasient"]
    bot = await start_bot(**settings)
    forms = claim_forms(bot)
    assert set(forms) == {per, kari}
    assert_valid_card(forms[per])
    assert "Honorar for Per Pasient (BM-2026-0001)" in str(forms[per])
    data = {"request_id": request_id, "participant_id": per}

    # Someone else than the requester: refused, nothing written.
    other = await coordinator(bot).invoke(
        "confirm_participation",
        {**data, "meetings": "2", "hours": "3"},
        in_channel=False,
    )
    assert other.body["statusCode"] == 403
    # Hours out of range, a fraction of a meeting, a forged participant: the card
    # says why, nothing is written.
    for bad, said in (
        ({"meetings": "2", "hours": "600"}, "Skriv timene som et tall fra 0 til 500"),
        ({"meetings": "2", "hours": "1,125"}, "høyst to desimaler"),
        ({"meetings": "1,5", "hours": "2"}, "helt tall fra 0 til 100"),
        ({"meetings": "2", "hours": "2", "travel_nok": "-5"}, "hele kroner"),
        ({"meetings": "0", "hours": "0"}, "kan ikke begge være 0"),
    ):
        answer = card_of(
            await requester(bot).invoke("confirm_participation", {**data, **bad}, in_channel=False)
        )
        assert_valid_card(answer)
        assert said in str(answer), bad
    # A participant who is not there, and one of the pool who did not take part:
    # the very answer someone else gets, naming nobody.
    outsider = await active(bot, clock, "Ola Utenfor")
    for participant_id in (999999, outsider):
        forged = await requester(bot).invoke(
            "confirm_participation",
            {
                "request_id": request_id,
                "participant_id": participant_id,
                "meetings": "1",
                "hours": "1",
            },
            in_channel=False,
        )
        assert forged.body == other.body
        assert "Ola" not in str(forged.body) and "Per" not in str(forged.body)
    assert await claims_in(bot) == []

    filed = card_of(
        await requester(bot).invoke(
            "confirm_participation",
            {**data, "meetings": "2", "hours": "3,1", "travel_nok": "250"},
            in_channel=False,
        )
    )
    assert_valid_card(filed)
    assert "Sendt til Per Pasient for bekreftelse" in str(filed)
    assert "regnet som 3,25" in str(filed)
    (claim,) = await claims_in(bot)
    assert (claim.status, claim.revision, claim.counted_quarters) == ("draft", 1, 13)
    assert (claim.meetings, claim.hours_hundredths, claim.travel_nok) == (2, 310, 250)
    assert claim.total_ore == claim.fee_ore + 25_000

    bot = await start_bot(**settings)
    await bot.drain()
    (first_link,) = claim_links(smtp, "per@example.com")
    # The requester corrects the figures before Per has confirmed: a new revision.
    card_of(
        await requester(bot).invoke(
            "confirm_participation", {**data, "meetings": "2", "hours": "3"}, in_channel=False
        )
    )
    await bot.drain()
    assert len(claim_links(smtp, "per@example.com")) == 2
    (claim,) = await claims_in(bot)
    assert claim.revision == 2

    bot = await start_bot(**settings)
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, first_link)) as resp:
            page = await resp.text()
        assert resp.status == 200 and 'name="revision" value="2"' in page
        assert "fødselsnummer og kontonummer" in page
        token = form_token(page)
        # The figures Per saw first are not the ones there now: refused.
        stale = {"form": token, "answer": "yes", "revision": "1"}
        async with http.post(local(bot, first_link), data=stale) as resp:
            assert resp.status == 409 and "endret siden" in await resp.text()
        # Kari's own link cannot open or confirm Per's claim.
        (kari_mail,) = [m for m in smtp.inbox.messages if m["To"].endswith("<kari@example.com>")]
        kari_link = re.sub(r"/[a-z]+/\d+$", f"/c/{claim.id}", person_links(kari_mail)[0])
        async with http.get(local(bot, kari_link)) as resp:
            assert resp.status == 404
            kari_page = await resp.text()
        assert "3,00" not in kari_page and "Per Pasient" not in kari_page
        async with http.post(
            local(bot, kari_link), data={"form": token, "answer": "yes", "revision": "2"}
        ) as resp:
            assert resp.status in (400, 404)
        assert (await claims_in(bot))[0].status == "draft"

        bot = await start_bot(**settings)
        form = {"form": token, "answer": "yes", "revision": "2"}
        async with http.post(local(bot, first_link), data=form) as resp:
            assert resp.status == 200 and "Honoraret er bekreftet" in await resp.text()
        # Said again (a replayed form): nothing more happens.
        async with http.post(local(bot, first_link), data=form) as resp:
            assert resp.status == 200 and 'value="yes"' not in await resp.text()
    (claim,) = await claims_in(bot)
    assert (claim.status, claim.confirmed_via) == ("confirmed", "page")
    # Confirmed: the requester can no longer change it.
    late = card_of(
        await requester(bot).invoke(
            "confirm_participation", {**data, "meetings": "9", "hours": "9"}, in_channel=False
        )
    )
    assert "alt bekreftet" in str(late)

    bot = await start_bot(**settings)
    await bot.drain()
    (mail,) = [m for m in smtp.inbox.messages if PAYROLL in m["To"]]
    assert mail["Subject"] == f"Honorarkrav BM-2026-0001, krav {claim.id}"
    (name, pdf), *_ = attachments(mail).items()
    assert name == f"honorarkrav-BM-2026-0001-{claim.id}.pdf"
    text = _pdf_text(pdf, ARTIFACTS / "fee-claim.png")
    for expected in (
        "Honorarkrav for brukermedvirkning BM-2026-0001",
        "Per Pasient",
        "per@example.com",
        "Koststed",
        "EKSEMPELSATSER",
        "fødselsnummer og kontonummer direkte fra personen",
        "Bekreftet av brukermedvirkeren",
        "på nettsiden sin",
        "Til utbetaling",
    ):
        assert expected in text, expected
    (claim,) = await claims_in(bot)
    assert claim.status == "sent" and claim.sent_at is not None
    # One mail to payroll, never two, however often the outbox runs.
    await bot.drain()
    assert len([m for m in smtp.inbox.messages if PAYROLL in m["To"]]) == 1

    done = medvirk(database_url, "claims", "paid", str(claim.id))
    assert done.returncode == 0, done.stderr
    assert f"fee claim {claim.id}: paid" in done.stdout
    listed = medvirk(database_url, "claims", "list", "--status", "paid")
    assert listed.returncode == 0 and "BM-2026-0001" in listed.stdout
    shown = medvirk(database_url, "claims", "show", str(claim.id))
    assert "Til utbetaling" in shown.stdout and "paid" in shown.stdout
    unknown = medvirk(database_url, "claims", "paid", "999999")
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr


def _pdf_text(data: bytes, image: Path) -> str:
    """The PDF's text, and its first page as a PNG a person can look at."""
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        ARTIFACTS.mkdir(exist_ok=True)
        page.render(scale=1.5).to_pil().save(image)
        return "\n".join(p.get_textpage().get_text_range() for p in document)
    finally:
        document.close()


async def test_a_participant_in_teams_confirms_on_the_card_and_the_pdf_waits(
    bot, clock, database_url, tmp_path
) -> None:
    request_id = await claimed_request(bot, clock, participant_count=1)
    per, per_user = await accepted_in_teams(bot, clock, request_id, "Per Pasient", PER_AAD)
    documents = sent_card(bot, per_user, "documents_signed")
    (signed,) = [a for a in actions_of(documents) if a.get("verb") == "documents_signed"]
    await per_user.invoke("documents_signed", signed["data"], in_channel=False)
    await coordinator(bot).invoke("set_status", {"request_id": request_id, "status": "completed"})
    await bot.drain()
    card_of(
        await requester(bot).invoke(
            "confirm_participation",
            {"request_id": request_id, "participant_id": per, "meetings": 1, "hours": 2.5},
            in_channel=False,
        )
    )
    await bot.drain()
    sent = sent_card(bot, per_user, "confirm_claim")
    assert_valid_card(sent)
    (confirm,) = [a for a in actions_of(sent) if a.get("verb") == "confirm_claim"]
    # Another account pressing it, a claim that is not there: refused.
    other = await bot.teams.user("Ola", "aad-ola").invoke(
        "confirm_claim", confirm["data"], in_channel=False
    )
    assert other.body["statusCode"] == 403
    forged = await per_user.invoke(
        "confirm_claim", {"claim_id": 999999, "revision": 1}, in_channel=False
    )
    assert forged.body == other.body
    assert (await claims_in(bot))[0].status == "draft"
    answered = card_of(await per_user.invoke("confirm_claim", confirm["data"], in_channel=False))
    assert_valid_card(answered)
    assert "Honoraret er bekreftet" in str(answered)
    assert "confirm_claim" not in str(answered)
    (claim,) = await claims_in(bot)
    # No payroll address: it stays confirmed, and the CLI writes its PDF.
    assert (claim.status, claim.confirmed_via) == ("confirmed", "teams")
    await bot.drain()
    assert (await claims_in(bot))[0].status == "confirmed"
    out = tmp_path / "claim.pdf"
    written = medvirk(database_url, "claims", "pdf", str(claim.id), "--out", str(out))
    assert written.returncode == 0, written.stderr
    text = _pdf_text(out.read_bytes(), ARTIFACTS / "fee-claim-teams.png")
    assert "i Teams" in text and "2,5 timer" in text
    async with bot.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(FeeClaim)) == 1


HELSE_BERGEN_RATES = """
name = "Helse Bergen (test)"
hourly = 500
rounding = "half_hour_nearest"
min_hours_in_person = 1
travel = "cheapest_fare"
lost_earnings = "documented"
lost_earnings_day_max = 1500
"""


async def test_by_helse_bergens_rules_in_person_and_lost_earnings_and_a_declined_fee(
    start_bot, clock, smtp, database_url, tmp_path
) -> None:
    """The requester ticks "in person" and fills in lost earnings; the
    participant declines the fee on their page; payroll's PDF says so, and
    pays travel at the cheapest fare and lost earnings against documentation."""
    rates = tmp_path / "helse-bergen.toml"
    rates.write_text(HELSE_BERGEN_RATES, encoding="utf-8")
    settings = {
        "MEDVIRK_SMTP_URL": smtp.url,
        "MEDVIRK_PAYROLL_EMAIL": PAYROLL,
        "MEDVIRK_FEE_RATES": str(rates),
    }
    request_id, ids = await _completed(
        start_bot,
        clock,
        smtp,
        ["Per Pasient"],
        MEDVIRK_PAYROLL_EMAIL=PAYROLL,
        MEDVIRK_FEE_RATES=str(rates),
    )
    per = ids["Per Pasient"]
    bot = await start_bot(**settings)
    form = claim_forms(bot)[per]
    inputs = {i["id"]: i for i in form["body"] if i.get("type", "").startswith("Input.")}
    assert {"in_person", "lost_earnings_nok", "fee_declined"} <= set(inputs)
    assert inputs["in_person"]["type"] == "Input.Toggle"
    data = {"request_id": request_id, "participant_id": per}

    # 40 minutes in person counts the hour's minimum; lost earnings above the
    # day maximum are reimbursed up to it.
    filed = card_of(
        await requester(bot).invoke(
            "confirm_participation",
            {
                **data,
                "meetings": "1",
                "hours": "0,67",
                "travel_nok": "340",
                "in_person": "true",
                "lost_earnings_nok": "1800",
                "fee_declined": "false",
            },
            in_channel=False,
        )
    )
    assert_valid_card(filed)
    text = str(filed)
    assert "regnet som 1: minst 1 timer per møte med fysisk oppmøte" in text
    assert "Reiseutgifter (billigste reisemåte)" in text
    assert "1 800,00 kr ført, høyst 1 500,00 kr per møtedag" in text.replace("\\xa0", " ")
    (claim,) = await claims_in(bot)
    assert (claim.counted_quarters, claim.in_person, claim.rounding) == (
        4,
        True,
        "half_hour_nearest",
    )
    assert (claim.fee_ore, claim.lost_earnings_ore, claim.total_ore) == (
        50_000,
        150_000,
        50_000 + 34_000 + 150_000,
    )

    await bot.drain()
    (link,) = claim_links(smtp, "per@example.com")
    # The rates file changes before Per confirms: the claim keeps its own.
    rates.write_text("hourly = 900", encoding="utf-8")
    bot = await start_bot(**settings)
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, link)) as resp:
            page = await resp.text()
        assert 'name="fee_declined"' in page and "Jeg takker nei til honoraret" in page
        answer = {"form": form_token(page), "answer": "yes", "revision": "1"}
        async with http.post(local(bot, link), data={**answer, "fee_declined": "yes"}) as resp:
            assert resp.status == 200
            confirmed = await resp.text()
    assert "Du har takket nei til honoraret" in confirmed
    assert "Honoraret er frasagt av brukermedvirkeren" in confirmed
    (claim,) = await claims_in(bot)
    assert (claim.status, claim.fee_declined) == ("confirmed", True)
    assert (claim.fee_ore, claim.total_ore) == (0, 34_000 + 150_000)

    await bot.drain()
    (mail,) = [m for m in smtp.inbox.messages if PAYROLL in m["To"]]
    (_, pdf), *_ = attachments(mail).items()
    text = " ".join(_pdf_text(pdf, ARTIFACTS / "fee-claim-declined.png").split())
    for expected in (
        "takket nei til honoraret",
        "billigste reisemåte",
        "Tapt arbeidsinntekt dekkes mot dokumentasjon",
        "Fysisk oppmøte",
    ):
        assert expected in text, expected
    shown = medvirk(database_url, "claims", "show", str(claim.id))
    assert "Honoraret er frasagt av brukermedvirkeren" in shown.stdout


async def test_lost_earnings_are_refused_where_the_rates_do_not_reimburse_them(
    start_bot, clock, smtp
) -> None:
    request_id, ids = await _completed(start_bot, clock, smtp, ["Per Pasient"])
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    per = ids["Per Pasient"]
    form = claim_forms(bot)[per]
    # The shipped rates have no in-person minimum and no lost earnings: not asked.
    assert "in_person" not in str(form) and "lost_earnings_nok" not in str(form)
    assert "fee_declined" in str(form)
    data = {"request_id": request_id, "participant_id": per, "meetings": "1", "hours": "2"}
    answer = card_of(
        await requester(bot).invoke(
            "confirm_participation", {**data, "lost_earnings_nok": "500"}, in_channel=False
        )
    )
    assert_valid_card(answer)
    assert "Satsene dekker ikke tapt arbeidsinntekt" in str(answer)
    assert await claims_in(bot) == []


async def test_a_participant_in_teams_declines_the_fee_or_takes_back_the_requesters_decline(
    bot, clock
) -> None:
    request_id = await claimed_request(bot, clock, participant_count=1)
    per, per_user = await accepted_in_teams(bot, clock, request_id, "Per Pasient", PER_AAD)
    documents = sent_card(bot, per_user, "documents_signed")
    (signed,) = [a for a in actions_of(documents) if a.get("verb") == "documents_signed"]
    await per_user.invoke("documents_signed", signed["data"], in_channel=False)
    await coordinator(bot).invoke("set_status", {"request_id": request_id, "status": "completed"})
    await bot.drain()
    # The requester records that Per declines (Per said so on the phone).
    filed = card_of(
        await requester(bot).invoke(
            "confirm_participation",
            {
                "request_id": request_id,
                "participant_id": per,
                "meetings": 1,
                "hours": 2,
                "travel_nok": 100,
                "fee_declined": "true",
            },
            in_channel=False,
        )
    )
    assert "Honoraret er frasagt av brukermedvirkeren" in str(filed)
    (claim,) = await claims_in(bot)
    assert (claim.fee_declined, claim.fee_ore, claim.total_ore) == (True, 0, 10_000)
    await bot.drain()
    sent = sent_card(bot, per_user, "confirm_claim")
    assert_valid_card(sent)
    toggle = [i for i in sent["body"] if i.get("id") == "fee_declined"]
    assert toggle and toggle[0]["value"] == "true"
    (confirm,) = [a for a in actions_of(sent) if a.get("verb") == "confirm_claim"]
    # Per unticks it as they confirm: theirs is the last word, and the fee is
    # computed again from the claim's own rates.
    answered = card_of(
        await per_user.invoke(
            "confirm_claim", {**confirm["data"], "fee_declined": "false"}, in_channel=False
        )
    )
    assert "Honoraret er bekreftet" in str(answered)
    (claim,) = await claims_in(bot)
    assert (claim.status, claim.fee_declined) == ("confirmed", False)
    assert claim.fee_ore == claim.counted_quarters * claim.hourly_ore // 4
    assert claim.total_ore == claim.fee_ore + 10_000
