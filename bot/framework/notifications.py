"""A notification kind: how the sender renders an outbox row of that kind.

One `Notification` per kind (`payload.render`), registered by the feature
that owns it (`Router.notify`): what it sends in Teams, what it sends by
e-mail to a person the bot cannot reach in Teams, and what its delivery
records. A kind without a Teams form is mail-only (a claim to payroll); one
without a mail form goes to Teams only. Renderers get a `Sending`: what they
need to load and draw a message, not the app's services.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.access import DeskCache
from bot.framework.messages import Mail, Message, Recipient
from bot.out.links import LinkMaker
from bot.settings import Settings
from storage.db import Database
from storage.domain.clock import Clock
from storage.outbox import DeliveryHook, OutboxItem


@dataclass(frozen=True)
class Sending:
    """What renderers and delivery hooks work with."""

    settings: Settings
    clock: Clock
    # Signed links in e-mails (answer pages).
    links: LinkMaker
    # For hooks that run outside the row's session (a person gone for good).
    db: Database
    # The desks' names: who writes, on every e-mail to a person.
    desks: DeskCache

    async def desk_name(
        self, session: AsyncSession, desk_id: int | None, locale: str
    ) -> str | None:
        """The name of the desk that writes, read (when stale) in the renderer's session."""
        return await self.desks.name(desk_id, locale, session)


# Renders an outbox row at send time, in the person's locale; None: nothing to send any more.
TeamsRender = Callable[[AsyncSession, Sending, dict[str, Any], str], Awaitable[Message | None]]
# The same row as an e-mail, for a person the bot cannot reach in Teams.
MailRender = Callable[[AsyncSession, Sending, dict[str, Any], Recipient], Awaitable[Mail | None]]
# The whole text of an SMS (a reply to a number that wrote to us); other
# kinds' SMS are made from their e-mail (its subject and its page's link).
SmsRender = Callable[[AsyncSession, Sending, dict[str, Any], Recipient], Awaitable[str | None]]
# A message could never reach its person (403/404): the feature's clean-up.
GoneHook = Callable[[Sending, OutboxItem, int], Awaitable[None]]


@dataclass(frozen=True)
class Notification:
    """One kind of outbox row (`payload.render == kind`) and how it goes out."""

    kind: str
    teams: TeamsRender | None = None
    mail: MailRender | None = None
    # Runs in the transaction that marks the row sent (not for a file in the mail folder).
    delivered: DeliveryHook | None = None
    sms: SmsRender | None = None

    def __post_init__(self) -> None:
        if self.teams is None and self.mail is None and self.sms is None:
            raise ValueError(f"notification {self.kind!r} renders nothing")
