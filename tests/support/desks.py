"""Two desks: the priority team's (the default desk, in the priority team's
channel) and Alrek's resource centre in a channel of its own team."""

from __future__ import annotations

from sqlalchemy import select

from storage.db.models import Desk
from tests.support.channel import setup_channel
from tests.support.cli import medvirk

ALREK_TEAM = "19:team-alrek@thread.tacv2"
ALREK_CHANNEL = "19:alrek-mottak@thread.tacv2"
ALREK_MEMBER = ("aad-alrek-01", "Alrek Medlem")


async def two_desks(bot) -> int:
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


def alrek_member(bot):
    return bot.teams.user(ALREK_MEMBER[1], ALREK_MEMBER[0])
