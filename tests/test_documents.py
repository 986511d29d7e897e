"""After the match, over HTTP on both databases: each accepted participant is
sent the agreement and the confidentiality declaration, says they have signed
(their page, or their card in Teams) or the owner records a paper copy; the
card shows who is missing what, and when all have both the request moves to
`agreement_signed` by itself."""

from __future__ import annotations

import re
from datetime import timedelta

import aiohttp
from sqlalchemy import select

from storage import pool
from storage.db.models import AuditEntry, Invitation, Participant
from tests.support.cards import actions_of, assert_valid_card
from tests.support.channel import MEMBERS, card_of, fetch
from tests.support.participants import (
    KARI_AAD,
    PER_AAD,
    coordinator,
    form_token,
    local,
    open_and_answer,
)
from tests.support.smtp import parts
from tests.test_invitations import (
    accepted_in_teams,
    active,
    claimed_request,
    invitation_links,
    sent_card,
)


def documents_links(smtp, to: str) -> list[str]:
    found = []
    for message in smtp.inbox.messages:
        if message["To"].endswith(f"<{to}>") and message["Subject"].startswith("Avtale og"):
            found += re.findall(r"https?://\S+/p/\S+/i/\d+", parts(message)["text/plain"])
    return found


async def _matched_by_mail(bot, clock, smtp, names: list[str]) -> tuple[int, dict[str, int]]:
    request_id = await claimed_request(bot, clock, participant_count=len(names))
    ids = {}
    for name in names:
        ids[name] = await active(bot, clock, name)
        await coordinator(bot).invoke(
            "invite", {"request_id": request_id, "participant_id": ids[name]}
        )
    await bot.drain()
    async with aiohttp.ClientSession() as http:
        for name in names:
            (link,) = invitation_links(smtp, f"{name.split()[0].lower()}@example.com")
            status, _ = await open_and_answer(http, local(bot, link), answer="yes")
            assert status == 200
    await bot.drain()
    assert (await fetch(bot.db, request_id)).status == "matched"
    return request_id, ids


def _last_card(bot) -> dict:
    return [s for s in bot.connector.sent if s.method == "update"][-1].card


async def test_signed_on_the_page_and_on_paper_moves_the_request_on(start_bot, clock, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    request_id, ids = await _matched_by_mail(bot, clock, smtp, ["Per Pasient", "Kari Pasient"])
    card = _last_card(bot)
    assert_valid_card(card)
    assert "Mangler signatur" in str(card)
    assert "Per Pasient (avtale, taushetserklæring)" in str(card)
    (per_link,) = documents_links(smtp, "per@example.com")
    assert documents_links(smtp, "kari@example.com")
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, per_link)) as resp:
            page = await resp.text()
        assert 'value="signed"' in page and "Taushetserklæringen" in page
        form = {"form": form_token(page), "answer": "signed"}
        async with http.post(local(bot, per_link), data=form) as resp:
            assert resp.status == 200 and "begge dokumentene er signert" in await resp.text()
        # Said again (a replayed form): still recorded, nothing changes.
        async with http.post(local(bot, per_link), data=form) as resp:
            assert resp.status == 200 and 'value="signed"' not in await resp.text()
    await bot.drain()
    assert (await fetch(bot.db, request_id)).status == "matched"
    card = _last_card(bot)
    assert "Kari Pasient (avtale, taushetserklæring)" in str(card)
    assert "Per Pasient (" not in str(card)
    (paper,) = [a for a in actions_of(card) if a.get("title") == "Papirkopi mottatt"]
    choices = paper["card"]["body"][0]["choices"]
    assert choices == [{"title": "Kari Pasient", "value": str(ids["Kari Pasient"])}]

    # Only the owner records a paper copy; a forged participant changes nothing.
    other = bot.teams.user(MEMBERS[5][1], MEMBERS[5][0])
    said = card_of(
        await other.invoke(
            "documents_received",
            {"request_id": request_id, "participant_id": str(ids["Kari Pasient"])},
        )
    )
    assert "Bare den ansvarlige" in str(said)
    said = card_of(
        await coordinator(bot).invoke(
            "documents_received", {"request_id": request_id, "participant_id": "999999"}
        )
    )
    assert "Velg en brukermedvirker" in str(said)
    assert (await fetch(bot.db, request_id)).status == "matched"

    said = card_of(
        await coordinator(bot).invoke(
            "documents_received",
            {"request_id": request_id, "participant_id": str(ids["Kari Pasient"])},
        )
    )
    assert "Papirkopi registrert for Kari Pasient" in str(said)
    request = await fetch(bot.db, request_id)
    assert request.status == "agreement_signed"
    await bot.drain()
    async with bot.db.sessions() as session:
        last = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.request_id == request_id)
                .order_by(AuditEntry.id.desc())
            )
        ).first()
        rows = {
            i.participant_id: i.documents_via for i in await session.scalars(select(Invitation))
        }
        kari = await session.get(Participant, ids["Kari Pasient"])
    assert (last.actor_name, last.to_status) == ("medvirk", "agreement_signed")
    assert rows == {ids["Per Pasient"]: "page", ids["Kari Pasient"]: "paper"}
    # The declaration is in her onboarding record for the next assignment.
    assert kari.confidentiality_on == clock.now().date()
    assert "Mangler signatur" not in str(_last_card(bot))
    requester_chat = bot.teams.user("Rita Rekvirent", "aad-requester").personal_conversation
    told = [str(s.activity) for s in bot.connector.to(requester_chat)]
    assert any("Avtalen for BM-2026-0001" in x and "er signert" in x for x in told)


async def test_a_participant_in_teams_confirms_on_the_card(bot, clock) -> None:
    request_id = await claimed_request(bot, clock, participant_count=1)
    _, per_user = await accepted_in_teams(bot, clock, request_id, "Per Pasient", PER_AAD)
    sent = sent_card(bot, per_user, "Avtale og taushetserklæring")
    assert_valid_card(sent)
    (confirm,) = [a for a in actions_of(sent) if a.get("verb") == "documents_signed"]
    # Someone else pressing it is refused; an invitation that is not there too.
    other = await bot.teams.user("Ola", "aad-ola").invoke(
        "documents_signed", confirm["data"], in_channel=False
    )
    assert other.body["statusCode"] == 403
    forged = await per_user.invoke("documents_signed", {"invitation_id": 999999}, in_channel=False)
    assert forged.body == other.body
    assert (await fetch(bot.db, request_id)).status == "matched"
    answered = card_of(await per_user.invoke("documents_signed", confirm["data"], in_channel=False))
    assert_valid_card(answered)
    assert "begge dokumentene er signert" in str(answered)
    assert not [a for a in actions_of(answered) if a.get("verb") == "documents_signed"]
    assert (await fetch(bot.db, request_id)).status == "agreement_signed"


async def test_a_valid_declaration_is_not_asked_for_again(start_bot, clock, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    request_id = await claimed_request(bot, clock, participant_count=1)
    per = await active(bot, clock, "Per Pasient")
    async with bot.db.transaction() as session:
        await pool.record_onboarding(
            session,
            await session.get(Participant, per),
            confidentiality_on=clock.now().date() - timedelta(days=200),
            now=clock.now(),
        )
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    (link,) = invitation_links(smtp, "per@example.com")
    async with aiohttp.ClientSession() as http:
        # Saying "signed" before saying yes is refused and changes nothing.
        async with http.get(local(bot, link)) as resp:
            assert 'value="signed"' not in await resp.text()
        await open_and_answer(http, local(bot, link), answer="yes")
    await bot.drain()
    card = _last_card(bot)
    assert "Per Pasient (avtale)" in str(card)
    async with bot.db.sessions() as session:
        invitation = await session.scalar(select(Invitation))
    assert invitation.documents_via == "onboarding"
    assert invitation.agreement_signed_at is None


async def test_an_invitation_link_answers_the_invitation_and_signs_nothing(
    start_bot, clock, smtp
) -> None:
    """Signing is said on the documents' own link, sent after the match; the
    invitation's link cannot say it (before the match or after)."""
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    request_id = await claimed_request(bot, clock, participant_count=3)
    per = await active(bot, clock, "Per Pasient")
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    (link,) = invitation_links(smtp, "per@example.com")
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, link)) as resp:
            token = form_token(await resp.text())
        async with http.post(local(bot, link), data={"form": token, "answer": "yes"}):
            pass
        async with http.post(local(bot, link), data={"form": token, "answer": "signed"}) as resp:
            status, page = resp.status, await resp.text()
    assert status == 400 and "Avtale" not in page
    async with bot.db.sessions() as session:
        invitation = await session.scalar(select(Invitation))
    assert invitation.status == "accepted" and invitation.agreement_signed_at is None
    # Before the match, signing is refused wherever it is said (here on the card).
    kari, user = await accepted_in_teams(bot, clock, request_id, "Kari Pasient", KARI_AAD)
    async with bot.db.sessions() as session:
        kari_invitation = await session.scalar(
            select(Invitation.id).where(Invitation.participant_id == kari)
        )
    refused = await user.invoke(
        "documents_signed", {"invitation_id": kari_invitation}, in_channel=False
    )
    assert "etter at bestillingen har fått brukermedvirkere" in str(card_of(refused))
