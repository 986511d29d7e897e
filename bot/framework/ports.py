"""What features see of Teams: a `Turn` and a few small protocols.

Nothing here knows the Bot Framework SDK. `bot/teams/` implements these
protocols on botbuilder 4.17; a move to the Microsoft 365 Agents SDK
implements them again there, and no feature changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from bot.framework.messages import Message


class ConversationKind(StrEnum):
    PERSONAL = "personal"
    CHANNEL = "channel"
    GROUP_CHAT = "groupchat"

    @classmethod
    def of(cls, raw: str | None) -> ConversationKind:
        """Teams' `conversationType` (none means a personal chat)."""
        try:
            return cls((raw or "personal").lower())
        except ValueError:
            return cls.GROUP_CHAT


class Event(StrEnum):
    """Things that happen to the bot that are not messages."""

    INSTALLED = "installed"
    UNINSTALLED = "uninstalled"
    BOT_ADDED = "bot_added"


@dataclass(frozen=True)
class Person:
    """Who is on the other side of a turn, as Teams tells it (never asked)."""

    user_id: str
    aad_object_id: str | None = None
    name: str | None = None
    email: str | None = None

    @property
    def key(self) -> str:
        """The stable key of a person: their AAD object id, else their channel user id."""
        return self.aad_object_id or self.user_id


@dataclass(frozen=True)
class Member:
    """A member of a team or chat, from a Teams look-up."""

    aad_object_id: str | None
    name: str | None
    email: str | None = None
    user_principal_name: str | None = None


class TeamsCallFailed(Exception):
    """A call to Teams failed. `status` is the HTTP status (0: no answer)."""

    def __init__(self, status: int, *, retry_after: float | None = None, detail: str = "") -> None:
        super().__init__(f"Teams answered {status or 'nothing'}{': ' + detail if detail else ''}")
        self.status = status
        self.retry_after = retry_after


def retry_after_seconds(value: str | None) -> float | None:
    """An HTTP `Retry-After` in seconds (Teams and Graph send seconds)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class Directory(Protocol):
    """Teams look-ups within a turn. Raise `TeamsCallFailed`, never SDK errors."""

    async def member(self, user_id: str) -> Member | None:
        """The member of this conversation with this channel user id (None if not one)."""
        ...

    async def team_member(self, team_id: str, aad_object_id: str) -> Member | None:
        """This person as a member of the team (None if they are not in it)."""
        ...

    async def team_roster(self, team_id: str) -> list[Member]:
        """Everybody in the team."""
        ...


class Dialogs(Protocol):
    """The conversation's dialog stack (the order dialog lives on it)."""

    async def is_active(self) -> bool: ...

    async def begin(self, dialog_id: str, options: dict[str, Any]) -> None: ...

    async def continue_active(self) -> None: ...

    async def reprompt(self) -> None:
        """Ask the current question again (after help or `mine` mid-dialog)."""
        ...

    async def cancel_all(self) -> None: ...


class Replies(Protocol):
    async def send(self, message: Message) -> str | None:
        """Send it; the id Teams gave the message (None if it gave none)."""
        ...


@dataclass
class Turn:
    """One incoming activity as a feature sees it."""

    person: Person
    locale: str
    kind: ConversationKind
    conversation_id: str
    service_url: str
    tenant_id: str | None
    # Text with any @mention of the bot removed; "" when there is none.
    text: str
    # The data of a card's Action.Submit, when the message came from one.
    value: dict[str, Any] | None
    # Set in a team's channel.
    team_id: str | None
    channel_id: str | None
    dialogs: Dialogs
    directory: Directory
    replies: Replies
    # What the router found out about the person in this turn (admin, member).
    memo: dict[str, bool] = field(default_factory=dict)
    # A card's Universal Action: the id of the message whose card was pressed.
    card_activity_id: str | None = None
    # The desks this turn may see (storage/db/scope.py), chosen by the router's
    # guards; None: not narrowed (a requester's own chat).
    desks: frozenset[int] | None = None

    def narrow_to(self, desk_ids: set[int] | frozenset[int]) -> None:
        """Each guard can only narrow what the turn sees, never widen it."""
        chosen = frozenset(desk_ids)
        self.desks = chosen if self.desks is None else self.desks & chosen

    async def send(self, message: Message) -> str | None:
        return await self.replies.send(message)

    async def reply(self, text: str) -> None:
        await self.replies.send(Message(text=text))

    async def card(self, card: dict[str, Any], text: str | None = None) -> str | None:
        """Post the card; the id Teams gave the message."""
        return await self.replies.send(Message(text=text, card=card))


class Gateway(Protocol):
    """Proactive sends to Teams (the outbox sender's way out)."""

    async def deliver(
        self, target: Target, message: Message, *, update_of: str | None
    ) -> str | None:
        """Send (or, with `update_of`, edit) a message; the activity id Teams gave it.

        Raises `TeamsCallFailed` for an HTTP error, `OSError`/`TimeoutError` for
        the network."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class Target:
    """Where a proactive message goes."""

    service_url: str
    conversation_id: str
    locale: str
    tenant_id: str | None
    # A channel post starts a new thread (create conversation) instead of a reply.
    channel_id: str | None = None


def positive_id(data: dict[str, Any], name: str) -> int | None:
    """A database id from card data: a positive int (or digits), else None."""
    raw = data.get(name)
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw < 2**31 else None
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 10:
        return int(raw) or None
    return None
