"""What every SMS gateway shares: the message, the answers, the failure."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class Sms:
    to: str  # E.164, e.g. "+4791234567"
    text: str
    sender: str  # MEDVIRK_SMS_SENDER: alphanumeric <= 11 characters, or a number
    reference: str  # our key (an outbox row id as text): no personal data


@dataclass(frozen=True)
class Submitted:
    message_id: str  # the gateway's id (of the first part where a long SMS is split)
    segments: int


class SmsFailed(Exception):
    """A send that did not happen. `reason` is short and carries no personal
    data ("smpp 0x58 throttled", "http 503"); `permanent` means give up;
    `retry_after` is set where the gateway throttled us."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class Receipt:
    message_id: str
    state: Literal["delivered", "failed", "unknown"]
    reason: str | None  # e.g. "UNDELIV err:001", "EXPIRED"; None when delivered


@dataclass(frozen=True)
class Inbound:
    sender: str  # E.164 of the phone that wrote
    to: str  # our number / short code as the gateway gave it
    text: str


OnReceipt = Callable[[Receipt], Awaitable[None]]
OnInbound = Callable[[Inbound], Awaitable[None]]


class SmsGateway(Protocol):
    # Does an SMS reach a phone (True), or only a folder on this machine?
    delivers: bool

    async def start(self, on_receipt: OnReceipt, on_inbound: OnInbound) -> None:
        """Connect and bind where the gateway keeps a connection (SMPP: returns
        once bound or after the first failed try, and keeps reconnecting in the
        background); nothing for the others."""
        ...

    async def send(self, sms: Sms) -> Submitted:
        """Hand it to the gateway. Raises `SmsFailed`."""
        ...

    async def close(self) -> None: ...

    def describe(self) -> str:
        """Where SMS go, for a log line (never the password)."""
        ...


_ALPHANUMERIC_SENDER = re.compile(r"[A-Za-z0-9 .\-_&+]{1,11}")
_NUMBER_SENDER = re.compile(r"\+?[0-9]{3,15}")


def valid_sender(sender: str) -> bool:
    """Whether MEDVIRK_SMS_SENDER can be an SMS's sender: up to 11 letters,
    digits and a little punctuation (ASCII: an SMSC takes nothing else), or a
    number (international with '+', a short code without)."""
    return bool(_NUMBER_SENDER.fullmatch(sender) or _ALPHANUMERIC_SENDER.fullmatch(sender))


def is_numeric_sender(sender: str) -> bool:
    return bool(_NUMBER_SENDER.fullmatch(sender))


def check_message(sms: Sms) -> None:
    """The same refusals from every gateway, so a laptop's folder finds what
    the operator would: a number not in E.164 form, a sender id that cannot be."""
    to = sms.to
    if not (to.startswith("+") and to[1:].isdigit() and 8 <= len(to) <= 16):
        raise SmsFailed("sms number not in E.164 form", permanent=True)
    if not valid_sender(sms.sender):
        raise SmsFailed("sms sender id not valid", permanent=True)
