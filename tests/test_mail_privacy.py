"""E-mail to participants says only what kind of message it is (SPEC,
"Reaching people"): over a real SMTP server, one request from invitation to
payroll, every mail to a participant is checked for the assignment's title,
unit, description and cost centre. Payroll's PDF names the reference, not the
assignment; its mail keeps one Message-ID per claim and revision, so a resend
after a crash is known as one; mail written to the folder never marks a claim
sent."""

from __future__ import annotations

import aiohttp
from sqlalchemy import select, update

from storage import outbox
from storage.db.models import FeeClaim, OutboxMessage
from tests.support.cards import actions_of
from tests.support.channel import card_of, requester, setup_channel
from tests.support.cli import medvirk
from tests.support.participants import (
    PAYROLL,
    add_by_card,
    claim_links,
    coordinator,
    local,
    open_and_answer,
)
from tests.support.pdfs import pdf_text
from tests.support.smtp import attachments, parts
from tests.test_documents import documents_links
from tests.test_evaluation import evaluation_forms
from tests.test_invitations import active, claimed_request, invitation_links

# What the seeded request says (tests.support.order), and its cost centre.
DETAILS = ("Brukerpanel", "poliklinikk", "Hjerteklinikken", "Fire møter", "pasientforløp", "K-4711")
KINDS = {
    "Invitasjon til et oppdrag som brukermedvirker",
    "Invitasjonen gjelder ikke lenger",
    "Avtale og taushetserklæring å signere",
    "Honorar til bekreftelse",
    "Hvordan var det å delta?",
    "Dette endret innspillet ditt",
}
IMPACT = "Ventetidsbrevet ble kortere."


async def _confirmed_claim(start_bot, clock, smtp, **settings):
    """Per is invited with Ola (one place: Ola's invitation ends), says yes,
    signs, the request is completed, the requester files Per's claim and Per
    confirms it on his page. The payroll row is written, not yet sent."""
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, **settings)
    request_id = await claimed_request(bot, clock, participant_count=1, cost_centre="K-4711")
    per = await active(bot, clock, "Per Pasient")
    ola = await active(bot, clock, "Ola Pasient")
    for participant_id in (per, ola):
        await coordinator(bot).invoke(
            "invite", {"request_id": request_id, "participant_id": participant_id}
        )
    await bot.drain()
    async with aiohttp.ClientSession() as http:
        (link,) = invitation_links(smtp, "per@example.com")
        assert (await open_and_answer(http, local(bot, link), answer="yes"))[0] == 200
        await bot.drain()
        (link,) = documents_links(smtp, "per@example.com")
        assert (await open_and_answer(http, local(bot, link), answer="signed"))[0] == 200
        await bot.drain()
        card_of(
            await coordinator(bot).invoke(
                "set_status", {"request_id": request_id, "status": "completed"}
            )
        )
        await bot.drain()
        filed = {"request_id": request_id, "participant_id": per, "meetings": "2", "hours": "3"}
        card_of(await requester(bot).invoke("confirm_participation", filed, in_channel=False))
        await bot.drain()
        (link,) = claim_links(smtp, "per@example.com")
        status, page = await open_and_answer(http, local(bot, link), answer="yes", revision="1")
        assert status == 200 and "Honoraret er bekreftet" in page
    async with bot.db.sessions() as session:
        (claim,) = await session.scalars(select(FeeClaim))
    assert claim.status == "confirmed"
    return bot, request_id, claim


async def test_every_mail_to_a_participant_says_only_its_kind(
    start_bot, clock, smtp, database_url
) -> None:
    bot, _request_id, claim = await _confirmed_claim(
        start_bot, clock, smtp, MEDVIRK_PAYROLL_EMAIL=PAYROLL
    )
    await bot.drain()  # to payroll
    (form,) = evaluation_forms(bot, requester(bot).personal_conversation)
    (send,) = [a for a in actions_of(form) if a.get("verb") == "evaluate"]
    answer = {**send["data"], "rating": "5", "impact": IMPACT, "would_use_again": "yes"}
    card_of(await requester(bot).invoke("evaluate", answer, in_channel=False))
    await bot.drain()

    to_participants = [m for m in smtp.inbox.messages if PAYROLL not in m["To"]]
    assert {m["Subject"] for m in to_participants} == KINDS
    assert {m["To"].addresses[0].addr_spec for m in to_participants} == {
        "per@example.com",
        "ola@example.com",
    }
    for message in to_participants:
        bodies = parts(message)
        said = message["Subject"] + bodies["text/plain"] + bodies["text/html"]
        for detail in DETAILS:
            assert detail not in said, (message["Subject"], detail)
        # The first line is the kind, the same as the subject.
        assert bodies["text/plain"].splitlines()[0] == message["Subject"]

    # Payroll: the claim's id in the subject and its Message-ID; the reference
    # and cost centre in the PDF, never what the assignment was.
    (payroll,) = [m for m in smtp.inbox.messages if PAYROLL in m["To"]]
    assert payroll["Subject"] == f"Honorarkrav BM-2026-0001, krav {claim.id}"
    assert payroll["Message-ID"] == f"<medvirk.claim-{claim.id}-r1@localhost>"
    (pdf,) = attachments(payroll).values()
    text = pdf_text(pdf)
    assert "BM-2026-0001" in text and "K-4711" in text and "Per Pasient" in text
    for detail in ("Brukerpanel", "poliklinikk", "Fire møter"):
        assert detail not in text
    assert "Brukerpanel" not in parts(payroll)["text/plain"]


async def test_a_payroll_mail_sent_again_after_a_crash_is_the_same_message(
    start_bot, clock, smtp
) -> None:
    bot, _request_id, claim = await _confirmed_claim(
        start_bot, clock, smtp, MEDVIRK_PAYROLL_EMAIL=PAYROLL
    )
    await bot.drain()
    # The process died after the server took the mail and before the row was
    # marked: the row and the claim are as they were before the send.
    async with bot.db.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.payload["render"].as_string() == outbox.Render.CLAIM_PAYROLL)
            .values(state="pending", next_attempt_at=clock.now(), sent_at=None)
        )
        await session.execute(
            update(FeeClaim).where(FeeClaim.id == claim.id).values(status="confirmed", sent_at=None)
        )
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, MEDVIRK_PAYROLL_EMAIL=PAYROLL)
    await bot.drain()
    first, again = [m for m in smtp.inbox.messages if PAYROLL in m["To"]]
    assert first["Message-ID"] == again["Message-ID"] == f"<medvirk.claim-{claim.id}-r1@localhost>"
    assert first["Subject"] == again["Subject"] and str(claim.id) in again["Subject"]
    async with bot.db.sessions() as session:
        assert (await session.get_one(FeeClaim, claim.id)).status == "sent"


async def test_payroll_mail_written_to_the_folder_leaves_the_claim_confirmed(
    start_bot, clock, smtp, tmp_path, database_url
) -> None:
    _bot, _request_id, claim = await _confirmed_claim(
        start_bot, clock, smtp, MEDVIRK_PAYROLL_EMAIL=PAYROLL
    )
    folder = tmp_path / "dev-mail"
    bot = await start_bot(MEDVIRK_MAIL_DIR=str(folder), MEDVIRK_PAYROLL_EMAIL=PAYROLL)
    await bot.drain()
    (eml,) = folder.glob("*.eml")
    assert f"krav {claim.id}".encode() in eml.read_bytes()
    async with bot.db.sessions() as session:
        assert (await session.get_one(FeeClaim, claim.id)).status == "confirmed"
        (row,) = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.payload["render"].as_string() == outbox.Render.CLAIM_PAYROLL
            )
        )
    assert (row.state, row.last_error) == ("sent", outbox.FOLDER_NOTE)
    shown = medvirk(database_url, "claims", "show", str(claim.id))
    assert shown.stdout.splitlines()[0] == f"fee claim {claim.id}: confirmed (revision 1)"


async def test_the_consent_request_names_no_experience_area(start_bot, smtp) -> None:
    """The first mail a person gets says it asks for consent; what the team
    wrote about them (role, areas) is on the page the link opens."""
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await setup_channel(bot)
    await add_by_card(bot, areas="mental_health", roles="next_of_kin")
    await bot.drain()
    (message,) = smtp.inbox.messages
    bodies = parts(message)
    assert message["Subject"] == "Vil du være brukermedvirker?"
    assert bodies["text/plain"].splitlines()[0] == message["Subject"]
    said = message["Subject"] + bodies["text/plain"] + bodies["text/html"]
    for detail in ("Psykisk helse", "psykisk", "pårørende", "Pårørende", "912"):
        assert detail not in said, detail
