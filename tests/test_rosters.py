"""Team rosters: one fetch shared by every concurrent press, the last known
roster when Teams throttles, a new fetch for someone not on it (at most every
few seconds), and a clear refusal when no roster was ever known."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from bot.access import RosterUnavailable, TeamRosters
from bot.ports import Member, TeamsCallFailed
from tests.test_router import NoDirectory, make_turn


class RosterDirectory(NoDirectory):
    """Teams' roster of one team; can be told to throttle."""

    def __init__(self, members: set[str]) -> None:
        self.members = set(members)
        self.fetches = 0
        self.lookups = 0
        self.throttled = False

    async def team_member(self, team_id: str, aad_object_id: str) -> Member | None:
        self.lookups += 1
        if self.throttled:
            raise TeamsCallFailed(429, retry_after=5)
        return Member(aad_object_id, aad_object_id) if aad_object_id in self.members else None

    async def team_roster(self, team_id: str) -> list[Member]:
        self.fetches += 1
        await asyncio.sleep(0.05)  # a round trip: concurrent presses overlap it
        if self.throttled:
            raise TeamsCallFailed(429, retry_after=5)
        return [Member(aad, aad) for aad in sorted(self.members)]


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
