"""Who may do what: administrators and members of a desk's team.

The router asks these when it enforces a handler's guards; the answer is kept
on the turn, so a handler asking again (e.g. for `Actor.is_admin`) costs nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.ports import Member, TeamsCallFailed, Turn
from bot.settings import Settings
from storage import desks
from storage.db import Database
from storage.db.models import Desk
from storage.requests.moves import Actor

log = logging.getLogger(__name__)

# A person's e-mail and UPN from Teams, kept for matching MEDVIRK_ADMINS.
PERSON_CACHE_SECONDS = 300.0
PERSON_CACHE_SIZE = 5000


@dataclass(frozen=True)
class Refusal:
    """A guard said no: the code an invoke answers with, the catalog key of the
    text, and the status."""

    code: str
    key: str
    status: int = 403


class RosterUnavailable(Exception):
    """Teams did not give the roster and none is known yet (throttled, down)."""


@dataclass(frozen=True)
class _Roster:
    # AAD object id -> the member, with the e-mail and UPN Teams gives.
    members: dict[str, Member]
    fetched_at: float


class TeamRosters:
    """Who is in each team, from the team's roster.

    One paged fetch gives everybody, with their e-mail and UPN, so twenty
    people pressing a card on a cold morning cost Teams one call, not twenty
    look-ups against the conversation's limit (7 in 1 s), whether the question
    is "a member?" or "an admin by e-mail?". Concurrent presses share the fetch in flight. A roster is
    used for `FRESH_SECONDS`. Someone not on it may just have been added: they
    make a new fetch, or, within `RECHECK_SECONDS` of the last one, a look-up of
    themselves alone. When Teams throttles or
    fails, the last known roster answers; with none known, `RosterUnavailable`.
    """

    FRESH_SECONDS = 300.0
    RECHECK_SECONDS = 10.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._rosters: dict[str, _Roster] = {}
        self._fetching: dict[str, asyncio.Future[_Roster]] = {}
        self.fetches = 0

    async def is_member(self, turn: Turn, team_id: str, aad_object_id: str) -> bool:
        return await self.member(turn, team_id, aad_object_id) is not None

    async def member(self, turn: Turn, team_id: str, aad_object_id: str) -> Member | None:
        """The person as a member of the team, None if they are not in it."""
        known = self._rosters.get(team_id)
        now = self._clock()
        if known is not None:
            age = now - known.fetched_at
            if age < self.FRESH_SECONDS and aad_object_id in known.members:
                return known.members[aad_object_id]
            if age < self.RECHECK_SECONDS:
                # Not on a roster this new: they may have been added since.
                # Ask for this one person rather than the whole team again.
                return await self._one(turn, team_id, aad_object_id, known)
        try:
            roster = await self._refresh(turn, team_id)
        except (TeamsCallFailed, OSError, TimeoutError) as error:
            if known is None:
                raise RosterUnavailable() from error
            log.warning(
                "team roster: Teams did not answer (%s); using the one from %.0f s ago",
                error,
                now - known.fetched_at,
            )
            return known.members.get(aad_object_id)
        return roster.members.get(aad_object_id)

    async def _one(
        self, turn: Turn, team_id: str, aad_object_id: str, known: _Roster
    ) -> Member | None:
        try:
            member = await turn.directory.team_member(team_id, aad_object_id)
        except (TeamsCallFailed, OSError, TimeoutError) as error:
            log.warning("team member look-up: Teams did not answer (%s)", error)
            return None
        if member is None:
            return None
        current = self._rosters.get(team_id, known)
        self._rosters[team_id] = _Roster(
            {**current.members, aad_object_id: member}, current.fetched_at
        )
        return member

    def _refresh(self, turn: Turn, team_id: str) -> asyncio.Future[_Roster]:
        """The fetch in flight for this team, or a new one: shielded, so a press
        that gives up does not cancel it for the others."""
        fetching = self._fetching.get(team_id)
        if fetching is None:
            fetching = asyncio.ensure_future(self._fetch(turn, team_id))
            self._fetching[team_id] = fetching
            fetching.add_done_callback(lambda _: self._fetching.pop(team_id, None))
        return asyncio.shield(fetching)

    async def _fetch(self, turn: Turn, team_id: str) -> _Roster:
        self.fetches += 1
        members = await turn.directory.team_roster(team_id)
        roster = _Roster({m.aad_object_id: m for m in members if m.aad_object_id}, self._clock())
        self._rosters[team_id] = roster
        return roster


class DeskCache:
    """The desks and their channels, read at most every few seconds (they rarely
    change): every guarded turn asks which desk its channel is."""

    TTL_SECONDS = 10.0

    def __init__(self, db: Database) -> None:
        self._db = db
        self._value: tuple[float, list[Desk]] | None = None

    async def all(self, session: AsyncSession | None = None) -> list[Desk]:
        """The desks; read again when stale, through `session` where the caller
        holds one (SQLite's one connection is then already theirs)."""
        if self._value is not None and self._value[0] > time.monotonic():
            return self._value[1]
        if session is not None:
            found = await desks.every(session)
        else:
            async with self._db.reading() as reading:
                found = await desks.every(reading)
        self._value = (time.monotonic() + self.TTL_SECONDS, found)
        return found

    async def with_channels(self) -> list[Desk]:
        return [d for d in await self.all() if d.channel_id and d.team_id]

    async def of_channel(self, channel_id: str | None) -> Desk | None:
        if not channel_id:
            return None
        return next((d for d in await self.all() if d.channel_id == channel_id), None)

    async def by_id(self, desk_id: int, session: AsyncSession | None = None) -> Desk | None:
        return next((d for d in await self.all(session) if d.id == desk_id), None)

    async def name(
        self, desk_id: int | None, locale: str, session: AsyncSession | None = None
    ) -> str | None:
        """The desk's name in `locale` (its pages, e-mails and PDFs say who
        writes); None for a row of no desk."""
        desk = await self.by_id(desk_id, session) if desk_id is not None else None
        return desk.name(locale) if desk is not None else None

    def known(self) -> list[Desk]:
        """The desks as last read (a guard of this turn read them, at most
        `TTL_SECONDS` ago); none before the first read."""
        return self._value[1] if self._value is not None else []

    def others(self, desk_id: int, locale: str) -> tuple[tuple[str, str], ...]:
        """The desks with a channel a request of `desk_id` may be sent to (code, name)."""
        return desks.elsewhere(self.known(), desk_id, locale)

    def forget(self) -> None:
        self._value = None


class Access:
    def __init__(self, settings: Settings, desks: DeskCache) -> None:
        self._settings = settings
        self._desks = desks
        self.rosters = TeamRosters()
        # user id -> (member or None, until): e-mail look-ups for MEDVIRK_ADMINS.
        self._people: OrderedDict[str, tuple[Member | None, float]] = OrderedDict()

    async def is_admin(self, turn: Turn) -> bool:
        """Listed in MEDVIRK_ADMINS by AAD object id, channel user id, or e-mail/UPN
        (asked of Teams only when the list holds e-mail addresses: in a team's
        channel from the team's roster, elsewhere by a look-up of the person)."""
        known = turn.memo.get("admin")
        if known is None:
            known = turn.memo["admin"] = await self._is_admin(turn)
        return known

    async def actor(self, turn: Turn) -> Actor:
        """Who presses, as a use case sees them (an admin acts as every request's owner)."""
        return Actor(turn.person.aad_object_id or "", turn.person.name, await self.is_admin(turn))

    async def _is_admin(self, turn: Turn) -> bool:
        """MEDVIRK_ADMINS anywhere; a desk's own admins in its channel."""
        settings, person = self._settings, turn.person
        if not person.user_id:
            return False
        desk = await self._desks.of_channel(turn.channel_id)
        own = frozenset(desk.admins if desk else ())
        if settings.is_admin(person.aad_object_id, person.user_id, also=own):
            return True
        if not any("@" in a for a in settings.admins | own):
            return False
        member = await self._profile(turn)
        if member is None:
            return False
        return settings.is_admin(member.email, member.user_principal_name, also=own)

    async def _profile(self, turn: Turn) -> Member | None:
        """The person's e-mail and UPN. In a team's channel the roster has them:
        the same one fetch that answers "a member?" for a whole claim race."""
        aad = turn.person.aad_object_id
        if turn.team_id and aad:
            try:
                return await self.rosters.member(turn, turn.team_id, aad)
            except RosterUnavailable:
                pass  # no roster known and Teams busy: ask for this person alone
        return await self._member(turn, turn.person.user_id)

    async def _member(self, turn: Turn, user_id: str) -> Member | None:
        """The person's Teams profile, asked once per few minutes: a race of
        presses must not spend the conversation's limit on the same question.
        A throttled or failed look-up counts as "not known" (not an admin by
        e-mail) and is not kept."""
        cached = self._people.get(user_id)
        if cached is not None and cached[1] > time.monotonic():
            self._people.move_to_end(user_id)
            return cached[0]
        try:
            member = await turn.directory.member(user_id)
        except (TeamsCallFailed, OSError, TimeoutError) as error:
            log.warning("admin check: Teams did not answer (%s)", error)
            return None
        self._people[user_id] = (member, time.monotonic() + PERSON_CACHE_SECONDS)
        while len(self._people) > PERSON_CACHE_SIZE:
            self._people.popitem(last=False)
        return member

    async def priority_channel_refusal(self, turn: Turn) -> Refusal | None:
        """None if the turn is in a desk's channel; the turn's scope is then that desk."""
        desk = await self._desks.of_channel(turn.channel_id)
        if desk is None:
            if not await self._desks.with_channels():
                return Refusal("no_channel", "channel.error.no_channel", 400)
            return Refusal("not_priority_channel", "channel.error.not_priority_channel", 403)
        turn.narrow_to({desk.id})
        return None

    async def team_member_refusal(self, turn: Turn) -> Refusal | None:
        """None if the person may act as a member of a desk's team: in a desk's
        channel, of that desk's team; in their own chat, of any desk's team (the
        turn's scope is then every desk they are a member of: a member of two
        desks sees both, each request on its own card)."""
        in_channel = await self._desks.of_channel(turn.channel_id)
        candidates = [in_channel] if in_channel else await self._desks.with_channels()
        if not candidates:
            return Refusal("no_channel", "channel.error.no_channel", 400)
        if await self.is_admin(turn):
            turn.narrow_to({d.id for d in candidates})
            return None
        aad = turn.person.aad_object_id
        if not aad:
            return Refusal("forbidden", "channel.error.not_member", 403)
        member_of: set[int] = set()
        for desk in candidates:
            assert desk.team_id is not None
            try:
                if await self.rosters.is_member(turn, desk.team_id, aad):
                    member_of.add(desk.id)
            except RosterUnavailable:
                return Refusal("teams_busy", "channel.error.teams_busy", 503)
        if not member_of:
            return Refusal("forbidden", "channel.error.not_member", 403)
        turn.narrow_to(member_of)
        return None

    async def desk_of_turn(self, turn: Turn) -> Desk | None:
        """The desk whose channel the turn is in."""
        return await self._desks.of_channel(turn.channel_id)
