"""The priority channel over HTTP: register, post, claim, move, notify."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage import desks
from storage.db.models import OutboxMessage
from tests.support.cards import actions_of, assert_valid_card
from tests.support.channel import MEMBERS, audit_rows, card_of, fetch, seed_request, setup_channel
from tests.support.teams import CHANNEL_ID


def verbs(card) -> set[str]:
    return {a.get("verb") for a in actions_of(card) if a["type"] == "Action.Execute"} - {None}


async def test_only_admins_register_the_channel(bot) -> None:
    reply = await bot.teams.user("Ola", "aad-ola").say_in_channel("register channel")
    assert "administrator" in reply.texts[-1]
    async with bot.db.sessions() as session:
        assert (await desks.known(session, "default")).channel_id is None
    await setup_channel(bot)
    async with bot.db.sessions() as session:
        channel = await desks.known(session, "default")
    assert channel.channel_id == CHANNEL_ID and channel.service_url == bot.connector.url


async def test_submitted_request_is_posted_and_claimed(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    await bot.drain()
    (post,) = [s for s in bot.connector.sent if s.method == "create"]
    assert post.conversation_id == CHANNEL_ID
    card = post.card
    assert_valid_card(card)
    assert "BM-2026-0001" in str(card) and "Hjerteklinikken" in str(card)
    assert "Rita Rekvirent" in str(card)
    assert verbs(card) == {"claim", "refresh"}
    stored = await fetch(bot.db, request_id)
    assert stored.channel_activity_id == post.activity_id

    member = bot.teams.user("Medlem 03", MEMBERS[3][0])
    reply = await member.invoke("claim", {"request_id": request_id})
    card = card_of(reply)
    assert_valid_card(card)
    assert "Medlem 03" in str(card)
    assert "release" in verbs(card) and "claim" not in verbs(card)

    bot.connector.clear()
    await bot.drain()
    updates = [s for s in bot.connector.sent if s.method == "update"]
    assert len(updates) == 1 and updates[0].activity_id == post.activity_id
    assert "Medlem 03" in str(updates[0].card)
    notices = bot.connector.to("a:personal-aad-requester")
    assert len(notices) == 1 and "tatt av Medlem 03" in notices[0].text
    assert await audit_rows(bot.db, request_id) == [
        (None, "submitted", None),
        ("submitted", "claimed", None),
    ]


async def test_full_lifecycle_with_every_move(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    owner = bot.teams.user("Medlem 01", MEMBERS[1][0])
    await owner.invoke("claim", {"request_id": request_id})
    for target in ("in_progress", "matched", "agreement_signed", "completed"):
        reply = await owner.invoke("set_status", {"request_id": request_id, "status": target})
        card = card_of(reply)
        assert_valid_card(card)
        assert (await fetch(bot.db, request_id)).status == target
    assert verbs(card) == {"refresh"}  # completed: no more moves
    await bot.drain()
    texts = [s.text for s in bot.connector.to("a:personal-aad-requester")]
    assert any("funnet brukermedvirker" in x for x in texts)
    assert any("Avtalen" in x for x in texts)
    assert any("fullført" in x for x in texts)
    moves = [(f, t) for f, t, _ in await audit_rows(bot.db, request_id)]
    assert moves[-4:] == [
        ("claimed", "in_progress"),
        ("in_progress", "matched"),
        ("matched", "agreement_signed"),
        ("agreement_signed", "completed"),
    ]


async def test_decline_needs_a_reason(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    owner = bot.teams.user("Medlem 01", MEMBERS[1][0])
    await owner.invoke("claim", {"request_id": request_id})
    reply = await owner.invoke(
        "set_status", {"request_id": request_id, "status": "declined", "comment": " "}
    )
    assert "begrunnelse" in str(card_of(reply)).lower()
    assert (await fetch(bot.db, request_id)).status == "claimed"
    reply = await owner.invoke(
        "set_status",
        {"request_id": request_id, "status": "declined", "comment": "Ingen passende kandidat"},
    )
    stored = await fetch(bot.db, request_id)
    assert stored.status == "declined" and stored.decline_reason == "Ingen passende kandidat"
    await bot.drain()
    assert any(
        "Ingen passende kandidat" in s.text for s in bot.connector.to("a:personal-aad-requester")
    )


async def test_illegal_moves_are_refused(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    reply = await member.invoke("set_status", {"request_id": request_id, "status": "completed"})
    assert "ikke lov" in str(card_of(reply))
    await member.invoke("claim", {"request_id": request_id})
    reply = await member.invoke("set_status", {"request_id": request_id, "status": "completed"})
    assert "ikke lov" in str(card_of(reply))
    reply = await member.invoke("set_status", {"request_id": request_id, "status": "bogus"})
    assert reply.status == 200
    assert (await fetch(bot.db, request_id)).status == "claimed"


async def test_release_and_assign(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    first = bot.teams.user("Medlem 01", MEMBERS[1][0])
    other = bot.teams.user("Medlem 02", MEMBERS[2][0])
    await first.invoke("claim", {"request_id": request_id})
    reply = await other.invoke("release", {"request_id": request_id})
    assert "Bare den ansvarlige" in str(card_of(reply))
    reply = await first.invoke("assign", {"request_id": request_id})
    picker = card_of(reply)
    assert_valid_card(picker)
    assert "Medlem 19" in str(picker)
    reply = await first.invoke("assign", {"request_id": request_id, "assignee": MEMBERS[2][0]})
    assert "tildelt Medlem 02" in str(card_of(reply))
    stored = await fetch(bot.db, request_id)
    assert (stored.owner_aad_id, stored.owner_name) == (MEMBERS[2][0], "Medlem 02")
    reply = await first.invoke("assign", {"request_id": request_id, "assignee": "aad-stranger"})
    assert (await fetch(bot.db, request_id)).owner_aad_id == MEMBERS[2][0]
    reply = await other.invoke("release", {"request_id": request_id})
    stored = await fetch(bot.db, request_id)
    assert stored.status == "submitted" and stored.owner_aad_id is None
    await bot.drain()
    assert any(
        "tilbake til fordeling" in s.text for s in bot.connector.to("a:personal-aad-requester")
    )


async def test_non_members_are_refused(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    stranger = bot.teams.user("Sara Stranger", "aad-stranger")
    reply = await stranger.invoke("claim", {"request_id": request_id})
    assert reply.status == 200
    assert reply.body["statusCode"] == 403
    assert "medlemmer" in reply.body["value"]["message"]
    assert (await fetch(bot.db, request_id)).status == "submitted"


@pytest.mark.parametrize(
    ("verb", "data", "code"),
    [
        ("claim", {"request_id": "abc"}, 400),
        ("claim", {"request_id": 999999}, 404),
        ("claim", {}, 400),
        ("claim", {"request_id": True}, 400),
        ("claim", {"request_id": [1]}, 400),
        ("frobnicate", {"request_id": 1}, 400),
    ],
)
async def test_forged_invokes_get_clear_errors(bot, clock, verb, data, code) -> None:
    await setup_channel(bot)
    await seed_request(bot.db, clock)
    reply = await bot.teams.user("Medlem 01", MEMBERS[1][0]).invoke(verb, data)
    assert reply.status == 200
    assert reply.body["statusCode"] == code
    assert reply.body["type"] == "application/vnd.microsoft.error"


async def test_requester_cancels_before_matched(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    await bot.drain()
    requester = bot.teams.user("Rita Rekvirent", "aad-requester")
    other = bot.teams.user("Ola", "aad-ola")
    reply = await other.submit({"action": "cancel_request", "request_id": request_id})
    # Someone else's request answers as one that is not there.
    missing = await other.submit({"action": "cancel_request", "request_id": request_id + 100})
    assert reply.texts[-1] == missing.texts[-1] == "Fant ingen slik bestilling."
    mine = await requester.say("mine")
    assert "cancel_request" in str(mine.card)
    reply = await requester.submit({"action": "cancel_request", "request_id": request_id})
    assert "er avbrutt" in reply.texts[-1]
    assert (await fetch(bot.db, request_id)).status == "cancelled"
    bot.connector.clear()
    await bot.drain()
    (update,) = [s for s in bot.connector.sent if s.method == "update"]
    assert "Avbrutt" in str(update.card)


async def test_requester_cannot_cancel_after_matched(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    owner = bot.teams.user("Medlem 01", MEMBERS[1][0])
    await owner.invoke("claim", {"request_id": request_id})
    await owner.invoke("set_status", {"request_id": request_id, "status": "matched"})
    requester = bot.teams.user("Rita Rekvirent", "aad-requester")
    reply = await requester.submit({"action": "cancel_request", "request_id": request_id})
    assert "kan ikke avbrytes" in reply.texts[-1]
    assert (await fetch(bot.db, request_id)).status == "matched"


async def test_refresh_returns_the_current_card(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    await member.invoke("claim", {"request_id": request_id})
    card = card_of(
        await bot.teams.user("Medlem 02", MEMBERS[2][0]).invoke(
            "refresh", {"request_id": request_id}
        )
    )
    assert "Medlem 01" in str(card) and card["refresh"]["action"]["verb"] == "refresh"


@pytest.mark.parametrize("round_", range(20))
async def test_claim_race_has_one_winner(bot, clock, round_) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    users = [bot.teams.user(name, aad) for aad, name in MEMBERS]
    # Warm the membership cache so the race is on the claim itself.
    replies = await asyncio.gather(*(u.invoke("claim", {"request_id": request_id}) for u in users))
    assert all(r.status == 200 and r.body["statusCode"] == 200 for r in replies)
    stored = await fetch(bot.db, request_id)
    winners = [r for r in replies if "Du har tatt bestillingen" in str(r.body)]
    assert len(winners) == 1
    losers = [r for r in replies if "var først" in str(r.body)]
    assert len(losers) == 19
    assert stored.owner_name in str(winners[0].body)
    claims = [row for row in await audit_rows(bot.db, request_id) if row[1] == "claimed"]
    assert len(claims) == 1


async def test_registering_again_moves_the_channel_and_posts_open_requests(bot, clock) -> None:
    request_id = await seed_request(bot.db, clock)  # before any channel exists
    await setup_channel(bot)
    await bot.drain()
    assert [s.method for s in bot.connector.sent if s.conversation_id == CHANNEL_ID] == ["create"]
    async with bot.db.sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    assert all(r.state == "sent" for r in rows)
    assert (await fetch(bot.db, request_id)).channel_activity_id


async def test_stale_requests_in_overview(bot, clock) -> None:
    await setup_channel(bot)
    old = await seed_request(bot.db, clock, title="Gammel bestilling")
    await bot.teams.user("Medlem 01", MEMBERS[1][0]).invoke("claim", {"request_id": old})
    clock.advance(timedelta(days=15))
    await seed_request(bot.db, clock, title="Ny bestilling")
    reply = await bot.teams.user("Medlem 01", MEMBERS[1][0]).say_in_channel("oversikt")
    card = reply.card
    assert_valid_card(card)
    text = str(card)
    assert "Ikke tatt (1)" in text and "Ny bestilling" in text
    assert "Ingen endring på 14 dager (1)" in text and "Gammel bestilling" in text
