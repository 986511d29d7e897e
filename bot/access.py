"""Who may do what: administrators and members of the priority team.

The router asks these when it enforces a handler's guards; the answer is kept
on the turn, so a handler asking again (e.g. for `Actor.is_admin`) costs nothing.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from bot.ports import Turn
from bot.settings import Settings
from storage import priority_channel
from storage.db import Database
from storage.models import PriorityChannel

MEMBER_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Refusal:
    """A guard said no: the code an invoke answers with, the catalog key of the
    text, and the status."""

    code: str
    key: str
    status: int = 403


class TeamMembership:
    """Is this person in the registered team? Asked of Teams; a yes is kept for a
    few minutes (at most `size` of them, oldest out first), a no is never kept:
    someone just added to the team is let in at their next press."""

    def __init__(self, size: int = 5000) -> None:
        self._size = size
        self._members: OrderedDict[tuple[str, str], float] = OrderedDict()

    async def is_member(self, turn: Turn, team_id: str, aad_object_id: str) -> bool:
        key = (team_id, aad_object_id)
        until = self._members.get(key)
        if until is not None and until > time.monotonic():
            self._members.move_to_end(key)
            return True
        self._members.pop(key, None)
        if await turn.directory.team_member(team_id, aad_object_id) is None:
            return False
        self._members[key] = time.monotonic() + MEMBER_CACHE_SECONDS
        while len(self._members) > self._size:
            self._members.popitem(last=False)
        return True


class ChannelCache:
    """The registered channel, read at most every few seconds (it rarely moves)."""

    TTL_SECONDS = 10.0

    def __init__(self, db: Database) -> None:
        self._db = db
        self._value: tuple[float, PriorityChannel | None] | None = None

    async def get(self) -> PriorityChannel | None:
        if self._value is not None and self._value[0] > time.monotonic():
            return self._value[1]
        async with self._db.sessions() as session:
            channel = await priority_channel.current(session)
        self._value = (time.monotonic() + self.TTL_SECONDS, channel)
        return channel

    def forget(self) -> None:
        self._value = None


class Access:
    def __init__(self, settings: Settings, channel: ChannelCache) -> None:
        self._settings = settings
        self._channel = channel
        self.membership = TeamMembership()

    async def is_admin(self, turn: Turn) -> bool:
        """Listed in MEDVIRK_ADMINS by AAD object id, channel user id, or e-mail/UPN
        (looked up in Teams only when the list holds e-mail addresses)."""
        known = turn.memo.get("admin")
        if known is None:
            known = turn.memo["admin"] = await self._is_admin(turn)
        return known

    async def _is_admin(self, turn: Turn) -> bool:
        settings, person = self._settings, turn.person
        if not person.user_id:
            return False
        if settings.is_admin(person.aad_object_id, person.user_id):
            return True
        if not any("@" in a for a in settings.admins):
            return False
        member = await turn.directory.member(person.user_id)
        if member is None:
            return False
        return settings.is_admin(member.email, member.user_principal_name)

    async def priority_channel_refusal(self, turn: Turn) -> Refusal | None:
        """None if the turn is in the registered priority channel."""
        channel = await self._channel.get()
        if channel is None:
            return Refusal("no_channel", "channel.error.no_channel", 400)
        if turn.channel_id != channel.channel_id:
            return Refusal("not_priority_channel", "channel.error.not_priority_channel", 403)
        return None

    async def team_member_refusal(self, turn: Turn) -> Refusal | None:
        """None if the person may act as a member of the priority team."""
        channel = await self._channel.get()
        if channel is None:
            return Refusal("no_channel", "channel.error.no_channel", 400)
        if await self.is_admin(turn):
            return None
        aad = turn.person.aad_object_id
        if not (aad and await self.membership.is_member(turn, channel.team_id, aad)):
            return Refusal("forbidden", "channel.error.not_member", 403)
        return None
