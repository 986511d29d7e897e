"""The first claim race of a morning: a `medvirk serve` process that has just
started (no member cached, no roster known), twenty presses in one second, and
a Bot Connector that enforces Teams' per-conversation limits on member look-ups
as well as on sends."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from bot.app import SERVICES
from bot.framework.access import TeamRosters
from tests.support.channel import MEMBERS, fetch, seed_request, setup_channel
from tests.support.serve_process import ServeProcess
from tests.support.teams import CHANNEL_ID, TeamsClient


@pytest.mark.timed  # measures time
@pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)
async def test_twenty_presses_on_a_cold_start(
    db, database_url, connector, clock, tmp_path, backend
) -> None:
    for aad, name in MEMBERS:
        connector.add_member(aad, name)
    connector.add_member("admin-aad", "Anne Admin")
    request_id = await seed_request(db, clock)
    # The production tick: the card update must not wait for it.
    env = {"MEDVIRK_TICK_SECONDS": "30"}
    log = tmp_path / "serve.log"
    async with aiohttp.ClientSession() as http:
        first = ServeProcess(database_url, log, **env).start()
        try:
            admin = TeamsClient(http, first.url, connector).user("Anne Admin", "admin-aad")
            await admin.say_in_channel("registrer kanal")  # posts the open request's card
            await connector.wait_for(lambda sent: any(s.method == "create" for s in sent))
        finally:
            assert first.terminate() == 0

        # A new process: cold caches, and Teams counting every call.
        serve = ServeProcess(database_url, log, **env).start()
        try:
            connector.enforce_limits()
            connector.clear()
            lookups_before = connector.lookups
            client = TeamsClient(http, serve.url, connector)
            users = [client.user(name, aad) for aad, name in MEMBERS]
            started = time.monotonic()
            replies = await asyncio.gather(
                *(u.invoke("claim", {"request_id": request_id}) for u in users)
            )
            answered = time.monotonic() - started

            assert [r.status for r in replies] == [200] * 20
            assert [r.body["statusCode"] for r in replies] == [200] * 20, [
                r.body for r in replies if r.body["statusCode"] != 200
            ]
            stored = await fetch(db, request_id)
            winners = [r for r in replies if "Du har tatt bestillingen" in str(r.body)]
            losers = [r for r in replies if f"{stored.owner_name} var først" in str(r.body)]
            assert (len(winners), len(losers)) == (1, 19)
            assert all(stored.owner_name in str(r.body["value"]) for r in replies)
            # One roster fetch served all twenty presses.
            assert connector.lookups - lookups_before == 1
            assert answered < 5

            # Everybody's card names the owner well before the tick, 30 s away
            # (about a second on an idle machine; bounded for a loaded one).
            await connector.wait_for(
                lambda sent: any(
                    s.method == "update" and stored.owner_name in str(s.card) for s in sent
                ),
                timeout=max(0.1, 15.0 - (time.monotonic() - started)),
            )
            updates = [s for s in connector.sent if s.method == "update"]
            assert updates[0].conversation_id.startswith(CHANNEL_ID)
            assert connector.violations == 0
        finally:
            assert serve.terminate() == 0


async def test_a_throttling_teams_with_no_roster_known_is_a_clear_answer(bot, clock) -> None:
    """No roster yet and every look-up answered 429: the press waits what the
    budget allows, then gets a translated error card (HTTP 200), never a 5xx;
    once Teams answers, the same press works."""
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    bot.app[SERVICES].access.rosters = TeamRosters()  # a cold process
    bot.connector.throttle_lookups = 1.5  # within the turn's budget: waited out once
    member = bot.teams.user("Medlem 01", MEMBERS[1][0], locale="en-US")
    started = time.monotonic()
    reply = await member.invoke("claim", {"request_id": request_id})
    # One wait of 1.5 s within the turn's budget (2 s), not one per retry.
    assert time.monotonic() - started < 10
    assert reply.status == 200
    assert reply.body["statusCode"] == 503
    assert reply.body["value"]["message"].startswith("Teams is busy")
    assert (await fetch(bot.db, request_id)).status == "submitted"

    bot.connector.throttle_lookups = None
    reply = await member.invoke("claim", {"request_id": request_id})
    assert "You have claimed" in str(reply.body)
