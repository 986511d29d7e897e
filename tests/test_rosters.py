"""Team rosters: one fetch shared by every concurrent press, the last known
roster when Teams throttles, a new fetch for someone not on it (at most every
few seconds), and a clear refusal when no roster was ever known."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from bot.framework.access import Access, RosterUnavailable, TeamRosters
from bot.framework.ports import ConversationKind, Member, TeamsCallFailed
from bot.settings import Settings
from tests.support.channel import MEMBERS, seed_request, setup_channel
from tests.test_router import NoDirectory, make_turn

# On SQLite only: the roster cache; the claim's SQL runs on both in test_channel.
pytestmark = pytest.mark.sqlite_only


class RosterDirectory(NoDirectory):
    """Teams' roster of one team, with e-mail and UPN; can be told to throttle."""

    def __init__(self, members: set[str]) -> None:
        self.members = set(members)
        self.emails: dict[str, str] = {}
        self.fetches = 0
        self.lookups = 0
        self.person_lookups = 0
        self.throttled = False

    def _member(self, aad: str) -> Member:
        return Member(aad, aad, self.emails.get(aad), f"{aad}@x.org")

    async def member(self, user_id: str) -> Member | None:
        self.person_lookups += 1
        aad = user_id.removeprefix("29:")
        return self._member(aad) if aad in self.members else None

    async def team_member(self, team_id: str, aad_object_id: str) -> Member | None:
        self.lookups += 1
        if self.throttled:
            raise TeamsCallFailed(429, retry_after=5)
        return self._member(aad_object_id) if aad_object_id in self.members else None

    async def team_roster(self, team_id: str) -> list[Member]:
        self.fetches += 1
        await asyncio.sleep(0.05)  # a round trip: concurrent presses overlap it
        if self.throttled:
            raise TeamsCallFailed(429, retry_after=5)
        return [self._member(aad) for aad in sorted(self.members)]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def turn_with(directory: RosterDirectory):
    turn, _ = make_turn()
    return replace(turn, directory=directory)


async def test_concurrent_presses_share_one_fetch() -> None:
    directory = RosterDirectory({f"aad-{i}" for i in range(20)})
    rosters = TeamRosters()
    answers = await asyncio.gather(
        *(rosters.is_member(turn_with(directory), "team", f"aad-{i}") for i in range(20)),
        rosters.is_member(turn_with(directory), "team", "aad-stranger"),
    )
    assert answers == [True] * 20 + [False]
    assert directory.fetches == 1


async def test_someone_just_added_gets_in_at_their_next_press() -> None:
    clock = Clock()
    directory = RosterDirectory({"aad-1"})
    rosters = TeamRosters(clock)
    assert await rosters.is_member(turn_with(directory), "team", "aad-1")
    assert not await rosters.is_member(turn_with(directory), "team", "aad-new")
    directory.members.add("aad-new")
    # Right after a fetch, an unknown person is looked up alone, not the team.
    assert await rosters.is_member(turn_with(directory), "team", "aad-new")
    assert (directory.fetches, directory.lookups) == (1, 2)
    # And is on the roster from then on.
    assert await rosters.is_member(turn_with(directory), "team", "aad-new")
    assert (directory.fetches, directory.lookups) == (1, 2)
    # Later, an unknown person makes a new fetch of the whole team.
    clock.now += TeamRosters.RECHECK_SECONDS
    assert not await rosters.is_member(turn_with(directory), "team", "aad-stranger")
    assert (directory.fetches, directory.lookups) == (2, 2)
    # A known member is answered from the roster while it is fresh.
    clock.now += 60
    assert await rosters.is_member(turn_with(directory), "team", "aad-1")
    assert directory.fetches == 2


async def test_a_throttled_refresh_falls_back_to_the_last_known_roster() -> None:
    clock = Clock()
    directory = RosterDirectory({"aad-1"})
    rosters = TeamRosters(clock)
    assert await rosters.is_member(turn_with(directory), "team", "aad-1")
    clock.now += TeamRosters.FRESH_SECONDS + 1
    directory.throttled = True
    assert await rosters.is_member(turn_with(directory), "team", "aad-1")
    assert not await rosters.is_member(turn_with(directory), "team", "aad-2")


async def test_no_roster_ever_known_and_teams_throttling_is_a_clear_refusal() -> None:
    directory = RosterDirectory({"aad-1"})
    directory.throttled = True
    with pytest.raises(RosterUnavailable):
        await TeamRosters().is_member(turn_with(directory), "team", "aad-1")


async def test_a_press_that_gives_up_does_not_cancel_the_fetch_for_the_others() -> None:
    directory = RosterDirectory({"aad-1", "aad-2"})
    rosters = TeamRosters()
    impatient = asyncio.ensure_future(rosters.is_member(turn_with(directory), "team", "aad-1"))
    patient = asyncio.ensure_future(rosters.is_member(turn_with(directory), "team", "aad-2"))
    await asyncio.sleep(0.01)
    impatient.cancel()
    assert await patient
    assert directory.fetches == 1


# -- admins listed by e-mail (MEDVIRK_ADMINS takes AAD object ids or e-mails) ---------


async def test_a_claim_race_with_admins_by_email_reads_only_the_roster(start_bot, clock) -> None:
    """Admins by e-mail are known from the roster the membership check reads:
    twenty presses on a cold process cost Teams one roster read, and not one
    look-up of a person (which 20 presses at once took over the conversation's
    7 a second: 27 answered 429, each press waited a second)."""
    bot = await start_bot(MEDVIRK_ADMINS="admin-aad,Sjef@Example.org,medlem-07@example.org")
    await setup_channel(bot)
    bot.connector.add_member("aad-sjef", "Sara Sjef", email="sjef@example.org")
    request_id = await seed_request(bot.db, clock)
    bot.services.access.rosters = TeamRosters()  # a cold process
    bot.connector.enforce_limits()
    lookups, pages = bot.connector.lookups, bot.connector.roster_pages
    pressers = [bot.teams.user(name, aad) for aad, name in MEMBERS[1:]]
    pressers.append(bot.teams.user("Sara Sjef", "aad-sjef"))
    replies = await asyncio.gather(
        *(u.invoke("claim", {"request_id": request_id}) for u in pressers)
    )

    assert [r.body["statusCode"] for r in replies] == [200] * 20
    assert sum("Du har tatt bestillingen" in str(r.body) for r in replies) == 1
    assert (bot.connector.lookups - lookups, bot.connector.roster_pages - pages) == (1, 1)
    assert bot.connector.violations == 0


class NoDesks:
    """The desks, none of them with admins of their own."""

    async def of_channel(self, channel_id: str | None) -> None:
        return None


async def test_admins_by_email_or_upn_are_read_from_the_roster_in_a_channel() -> None:
    directory = RosterDirectory({"aad-sjef", "aad-ola"})
    directory.emails = {"aad-sjef": "Sjef@Example.org"}
    settings = Settings(_env_file=None, MEDVIRK_ADMINS="sjef@example.org,aad-ola@x.org")
    access = Access(settings, NoDesks())  # type: ignore[arg-type]  # no desk's own admins
    answers = []
    for aad in ("aad-sjef", "aad-ola", "aad-stranger"):
        turn, _ = make_turn(who=aad, kind=ConversationKind.CHANNEL)
        turn = replace(turn, directory=directory, team_id="team", channel_id="channel")
        answers.append(await access.is_admin(turn))
    assert answers == [True, True, False]
    assert (directory.fetches, directory.person_lookups) == (1, 0)
    # In a personal chat there is no roster to ask: the person alone.
    turn, _ = make_turn(who="aad-sjef")
    assert await access.is_admin(replace(turn, directory=directory))
    assert directory.person_lookups == 1


async def test_an_admin_by_upn_registers_the_channel_and_others_may_not(start_bot) -> None:
    bot = await start_bot(MEDVIRK_ADMINS="boss-aad@example.org")
    bot.connector.add_member("boss-aad", "Bo Boss")
    bot.connector.add_member("aad-ola", "Ola")
    reply = await bot.teams.user("Ola", "aad-ola").say_in_channel("registrer kanal")
    assert "administratorer" in reply.texts[-1]
    reply = await bot.teams.user("Bo Boss", "boss-aad").say_in_channel("registrer kanal")
    assert "prioriteringsteamet" in reply.texts[-1].lower()
    # In a personal chat there is no roster: the person is looked up alone.
    lookups, pages = bot.connector.lookups, bot.connector.roster_pages
    reply = await bot.teams.user("Bo Boss", "boss-aad").say("leveranser")
    assert "administratorer" not in " ".join(reply.texts)
    assert (bot.connector.lookups - lookups, bot.connector.roster_pages - pages) == (1, 0)
