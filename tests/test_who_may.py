"""Who may do what, tried over HTTP as a curious colleague or an attacker would."""

from __future__ import annotations

import pytest

from tests.support.channel import MEMBERS, card_of, fetch, seed_request, setup_channel


async def test_a_member_cannot_decline_an_unclaimed_request_with_a_forged_verb(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    reply = await member.invoke(
        "set_status", {"request_id": request_id, "status": "declined", "comment": "Nei takk"}
    )
    assert reply.status == 200 and "Nei takk" not in str(card_of(reply))
    assert (await fetch(bot.db, request_id)).status == "submitted"
    # An admin may: the request has no owner to do it yet.
    admin = bot.teams.user("Anne Admin", "admin-aad")
    await admin.invoke(
        "set_status", {"request_id": request_id, "status": "declined", "comment": "Utenfor mandat"}
    )
    stored = await fetch(bot.db, request_id)
    assert stored.status == "declined" and stored.decline_reason == "Utenfor mandat"


@pytest.mark.parametrize("command", ["oversikt", "statistikk 2026"])
async def test_overview_and_statistics_answer_only_the_team_in_its_channel(
    bot, clock, command
) -> None:
    await setup_channel(bot)
    await seed_request(bot.db, clock, title="Hemmelig prosjekt")
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    elsewhere = await member.say_in_channel(command, channel_id="19:kantina@thread.tacv2")
    assert "prioriteringsteamets kanal" in elsewhere.texts[-1] and not elsewhere.cards
    outsider = bot.teams.user("Ola Utenfor", "aad-outsider")
    reply = await outsider.say_in_channel(command)
    assert not reply.cards and "Hemmelig" not in str(reply.texts)
    reply = await member.say_in_channel(command)
    assert reply.cards


async def test_nothing_is_answered_before_a_channel_is_registered(bot, clock) -> None:
    await seed_request(bot.db, clock, title="Hemmelig prosjekt")
    reply = await bot.teams.user("Ola", "aad-ola").say_in_channel("oversikt")
    assert not reply.cards and "Ingen kanal" in reply.texts[-1]


@pytest.mark.parametrize("year", ["9999", "²⁰²⁶", "1850", "0000"])
async def test_odd_years_get_a_translated_answer(bot, year) -> None:
    await setup_channel(bot)
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    reply = await member.say_in_channel(f"statistikk {year}")
    assert reply.status < 500 and "årstall" in reply.texts[-1]


async def test_someone_just_added_to_the_team_is_let_in_at_the_next_press(bot, clock) -> None:
    """A refusal is not cached: the roster changes, the next press is let through."""
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock)
    newcomer = bot.teams.user("Nina Ny", "aad-nina")
    reply = await newcomer.invoke("claim", {"request_id": request_id})
    assert reply.body["statusCode"] == 403
    bot.connector.add_member("aad-nina", "Nina Ny")
    reply = await newcomer.invoke("claim", {"request_id": request_id})
    assert "Nina Ny" in str(card_of(reply))
    assert (await fetch(bot.db, request_id)).owner_aad_id == "aad-nina"


async def test_markdown_in_a_decline_reason_stays_text_in_the_requesters_notice(bot, clock) -> None:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock, title="Panel *viktig*")
    owner = bot.teams.user("Medlem 01", MEMBERS[1][0])
    await owner.invoke("claim", {"request_id": request_id})
    await owner.invoke(
        "set_status",
        {
            "request_id": request_id,
            "status": "declined",
            "comment": "Se [her](https://evil.example)",
        },
    )
    await bot.drain()
    notices = [s.text for s in bot.connector.to("a:personal-aad-requester") if "Se " in s.text]
    assert notices, "the requester was told"
    assert "[her](https://evil.example)" not in notices[-1]
    assert "\\[her\\]" in notices[-1] and "\\*viktig\\*" in notices[-1]
