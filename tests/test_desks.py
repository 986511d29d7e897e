"""Several desks in one medvirk: each its channel in its team, each sees only its
own, over HTTP through the fake connector (SPEC "Desks, units and commissioners")."""

from __future__ import annotations

from sqlalchemy import select

from storage.db.models import Desk, ReadEntry, Request
from tests.support.channel import MEMBERS, fetch, seed_request, setup_channel
from tests.support.cli import medvirk
from tests.support.teams import CHANNEL_ID, TEAM_ID

ALREK_TEAM = "19:team-alrek@thread.tacv2"
ALREK_CHANNEL = "19:alrek-mottak@thread.tacv2"
ALREK_MEMBER = ("aad-alrek-01", "Alrek Medlem")


async def _two_desks(bot) -> int:
    """The default desk in the priority team's channel; Alrek's resource centre
    in a channel of its own team, whose one member is not in the first team."""
    added = medvirk(
        bot.db.url, "desks", "add", "--code", "alrek", "--name", "Alrek ressurssenter",
        "--name-en", "Alrek resource centre",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    await setup_channel(bot)
    bot.connector.add_member(*ALREK_MEMBER, team=ALREK_TEAM)
    bot.connector.add_member("admin-aad", "Anne Admin", team=ALREK_TEAM)
    admin = bot.teams.user("Anne Admin", "admin-aad")
    reply = await admin.say_in_channel(
        "registrer kanal alrek", channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert "Alrek ressurssenter" in reply.texts[-1]
    async with bot.db.sessions() as session:
        alrek = await session.scalar(select(Desk).where(Desk.code == "alrek"))
    assert alrek is not None and alrek.channel_id == ALREK_CHANNEL
    return alrek.id


def _alrek_member(bot):
    return bot.teams.user(ALREK_MEMBER[1], ALREK_MEMBER[0])


async def test_each_desks_request_is_posted_in_its_own_channel_only(bot, clock) -> None:
    alrek = await _two_desks(bot)
    ours = await seed_request(bot.db, clock)
    theirs = await seed_request(bot.db, clock, title="Kommunal plan", desk_id=alrek)
    await bot.drain()
    posts = {s.conversation_id: s for s in bot.connector.sent if s.method == "create"}
    assert set(posts) == {CHANNEL_ID, ALREK_CHANNEL}
    assert "Kommunal plan" in str(posts[ALREK_CHANNEL].card)
    assert "Kommunal plan" not in str(posts[CHANNEL_ID].card)
    assert (await fetch(bot.db, ours)).channel_activity_id == posts[CHANNEL_ID].activity_id
    assert (await fetch(bot.db, theirs)).channel_activity_id == posts[ALREK_CHANNEL].activity_id


async def test_a_member_of_one_desk_is_refused_on_anothers_request_and_it_is_audited(
    bot, clock
) -> None:
    alrek = await _two_desks(bot)
    ours = await seed_request(bot.db, clock)
    theirs = await seed_request(bot.db, clock, desk_id=alrek)
    member = _alrek_member(bot)
    # A card of Alrek's channel carrying the priority team's request id.
    forged = await member.invoke(
        "claim", {"request_id": ours}, channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert forged.status == 200 and forged.body["statusCode"] == 403
    assert "annet mottak" in forged.body["value"]["message"]
    assert (await fetch(bot.db, ours)).status == "submitted"
    async with bot.db.sessions() as session:
        reads = list(await session.scalars(select(ReadEntry)))
    assert [(r.reader, r.what) for r in reads] == [
        ("aad-alrek-01", f"refused: another desk's requests {ours}")
    ]
    # Their own request, in their own channel: claimed.
    claimed = await member.invoke(
        "claim", {"request_id": theirs}, channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert claimed.body["statusCode"] == 200
    assert (await fetch(bot.db, theirs)).owner_aad_id == "aad-alrek-01"


async def test_a_member_of_one_team_is_not_a_member_in_the_other_desks_channel(bot, clock) -> None:
    alrek = await _two_desks(bot)
    theirs = await seed_request(bot.db, clock, desk_id=alrek)
    priority_member = bot.teams.user(MEMBERS[1][1], MEMBERS[1][0])
    reply = await priority_member.invoke(
        "claim", {"request_id": theirs}, channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert reply.body["statusCode"] == 403
    assert (await fetch(bot.db, theirs)).status == "submitted"
    # And in their own channel, the other desk's request is another desk's.
    reply = await priority_member.invoke("claim", {"request_id": theirs})
    assert reply.body["statusCode"] == 403
    assert (await fetch(bot.db, theirs)).status == "submitted"


async def test_the_overview_shows_only_the_channels_desk(bot, clock) -> None:
    alrek = await _two_desks(bot)
    await seed_request(bot.db, clock, title="Sykehusets panel")
    await seed_request(bot.db, clock, title="Kommunal plan", desk_id=alrek)
    member = _alrek_member(bot)
    theirs = await member.say_in_channel("oversikt", channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM)
    assert "Kommunal plan" in str(theirs.cards) and "Sykehusets panel" not in str(theirs.cards)
    admin = bot.teams.user("Anne Admin", "admin-aad")
    ours = await admin.say_in_channel("oversikt", channel_id=CHANNEL_ID, team_id=TEAM_ID)
    assert "Sykehusets panel" in str(ours.cards) and "Kommunal plan" not in str(ours.cards)


async def test_registering_a_desks_channel_moves_only_that_desks_cards(bot, clock) -> None:
    alrek = await _two_desks(bot)
    await seed_request(bot.db, clock, desk_id=alrek)
    await bot.drain()
    bot.connector.clear()
    admin = bot.teams.user("Anne Admin", "admin-aad")
    await admin.say_in_channel(
        "registrer kanal alrek", channel_id="19:alrek-ny@thread.tacv2", team_id=ALREK_TEAM
    )
    await bot.drain()
    posts = [s.conversation_id for s in bot.connector.sent if s.method == "create"]
    assert posts == ["19:alrek-ny@thread.tacv2"]
    async with bot.db.sessions() as session:
        requests = list(await session.scalars(select(Request)))
    assert all(r.channel_conversation_id.startswith("19:alrek-ny") for r in requests)


async def test_an_unknown_desk_code_is_refused_and_changes_nothing(bot) -> None:
    await setup_channel(bot)
    admin = bot.teams.user("Anne Admin", "admin-aad")
    reply = await admin.say_in_channel(
        "registrer kanal nowhere", channel_id=ALREK_CHANNEL, team_id=ALREK_TEAM
    )
    assert "nowhere" in reply.texts[-1] and "desks list" in reply.texts[-1]
    async with bot.db.sessions() as session:
        assert [d.channel_id for d in await session.scalars(select(Desk))] == [CHANNEL_ID]


def test_desks_add_list_show_and_refusals(database_url) -> None:
    assert medvirk(database_url, "desks", "add", "--code", "x", "--name", "X").returncode == 2
    bad = medvirk(database_url, "desks", "add", "--code", "Alrek!", "--name", "A")
    assert bad.returncode == 2 and "cannot be a code" in bad.stderr
    ok = medvirk(
        database_url, "desks", "add", "--code", "alrek", "--name", "Alrek ressurssenter",
        "--payroll-email", "lonn@alrek.example", "--invoices", "--outside-orders",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    again = medvirk(database_url, "desks", "add", "--code", "alrek", "--name", "Alrek")
    assert again.returncode == 2 and "already a desk" in again.stderr
    listed = medvirk(database_url, "desks", "list").stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["default", "alrek"]
    shown = medvirk(database_url, "desks", "show", "alrek").stdout
    assert "lonn@alrek.example" in shown and "invoices        yes" in shown
    mail = medvirk(
        database_url, "desks", "add", "--code", "b", "--name", "B", "--payroll-email", "x"
    )
    assert mail.returncode == 2 and "--payroll-email" in mail.stderr
