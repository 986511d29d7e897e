"""Filing and confirming a fee claim each take one write transaction, and
nothing reads again what that transaction wrote or returned: the card and the
page are drawn from the use case's result. Counted on the Teams verbs and the
participant's page as a person uses them, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import aiohttp

from bot.out.person_links import claim_url
from storage import fee_claims as claims
from storage.db.models import Participant
from storage.fee_claims import Confirmer
from tests.support.cards import assert_valid_card
from tests.support.channel import card_of
from tests.support.fee_claim_builders import completed_request, filed_claim
from tests.support.participants import PER_AAD, form_token, local
from tests.support.statements import Counted, counted

# What a fee claim is made of: none is read again once the claim is written.
RELATED = ("fee_claims", "requests", "participants", "invitations")
PAYROLL = "lonn@example.com"


def requester(bot):
    return bot.teams.user("Rita Rekvirent", "aad-requester")


def assert_one_write_and_no_reread(work: Counted, *, at_most: int) -> None:
    shown = work.summary()
    assert (work.write_transactions, work.commits) == (1, 1), shown
    reread = [s for s in work.after_first_write() if any(s.reads(t) for t in RELATED)]
    assert reread == [], shown
    assert len(work.statements) <= at_most, shown


async def test_filing_a_claim_in_teams_is_one_write_transaction_and_no_reread(
    start_bot, clock
) -> None:
    bot = await start_bot(MEDVIRK_PAYROLL_EMAIL=PAYROLL)
    request_id, (per,) = await completed_request(bot.db, clock, "Per Pasient")
    data = {"request_id": request_id, "participant_id": per, "meetings": "2", "hours": "3"}
    with counted(bot.db) as filing:
        card = card_of(await requester(bot).invoke("confirm_participation", data, in_channel=False))
    assert "Sendt til Per Pasient for bekreftelse" in str(card)
    assert_valid_card(card)
    # The request locked with the participant's acceptance, the claim locked,
    # the claim written, the participant's card queued.
    assert_one_write_and_no_reread(filing, at_most=4)

    # A correction is the same: one transaction, a new revision, nothing read again.
    clock.advance(timedelta(minutes=5))
    with counted(bot.db) as refiling:
        card = card_of(
            await requester(bot).invoke(
                "confirm_participation", {**data, "hours": "4"}, in_channel=False
            )
        )
    assert "Sendt til Per Pasient for bekreftelse" in str(card)
    assert_one_write_and_no_reread(refiling, at_most=4)


async def test_confirming_a_claim_in_teams_is_one_write_transaction_and_no_reread(
    start_bot, clock
) -> None:
    bot = await start_bot(MEDVIRK_PAYROLL_EMAIL=PAYROLL)
    request_id, (per,) = await completed_request(
        bot.db, clock, "Per Pasient", aad_object_id=PER_AAD
    )
    claim = await filed_claim(bot.db, clock, request_id, per)
    clock.advance(timedelta(hours=1))  # their activity is noted: one more row written
    with counted(bot.db) as confirming:
        card = card_of(
            await bot.teams.user("Per Pasient", PER_AAD).invoke(
                "confirm_claim", {"claim_id": claim.id, "revision": 1}, in_channel=False
            )
        )
    assert "Honoraret er bekreftet" in str(card) and "confirm_claim" not in str(card)
    # The claim locked with its participant and request, the claim and the
    # participant written, payroll's PDF queued.
    assert_one_write_and_no_reread(confirming, at_most=4)


async def test_confirming_a_claim_on_the_page_is_one_write_transaction_and_no_reread(
    start_bot, clock
) -> None:
    bot = await start_bot(MEDVIRK_PAYROLL_EMAIL=PAYROLL)
    request_id, (per,) = await completed_request(bot.db, clock, "Per Pasient")
    claim = await filed_claim(bot.db, clock, request_id, per)
    async with bot.db.sessions() as session:
        participant = await session.get_one(Participant, per)
    url = claim_url(await bot.services.links.get(), participant, claim, "email", now=clock.now())
    clock.advance(timedelta(hours=1))
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, url)) as resp:
            token = form_token(await resp.text())
        with counted(bot.db) as confirming:
            form = {"form": token, "answer": "yes", "revision": "1"}
            async with http.post(local(bot, url), data=form) as resp:
                assert resp.status == 200 and "Honoraret er bekreftet" in await resp.text()
    # The link's participant (read before: who is asking), then as in Teams.
    assert_one_write_and_no_reread(confirming, at_most=5)


async def test_marking_a_claim_paid_is_one_write_transaction_and_no_reread(db, clock) -> None:
    """`medvirk claims paid ID` prints from what the use case returns."""
    request_id, (per,) = await completed_request(db, clock, "Per Pasient")
    claim = await filed_claim(db, clock, request_id, per)
    await claims.confirm(
        db, Confirmer.on_page(per), claim.id, 1, payroll_email=PAYROLL, now=clock.now()
    )
    with counted(db) as paying:
        paid = await claims.mark_paid(db, claim.id, now=clock.now())
    assert (paid.status, paid.total_ore) == ("paid", claim.total_ore)
    # The claim locked, then written.
    assert_one_write_and_no_reread(paying, at_most=2)
