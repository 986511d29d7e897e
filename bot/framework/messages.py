"""What medvirk says, as values: a message (text and/or a card) and the answer
to a Universal Action. `bot/teams/` turns them into the Bot Framework's wire form."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True)
class Message:
    """A message to a person or a channel: text, an Adaptive Card, or both."""

    text: str | None = None
    card: dict[str, Any] | None = None

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Message:
        text, card = payload.get("text"), payload.get("card")
        return cls(
            text=text if isinstance(text, str) else None,
            card=card if isinstance(card, dict) else None,
        )


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str  # e.g. text/calendar
    data: bytes


@dataclass(frozen=True)
class Mail:
    """A message by e-mail: the same content as its card, as text and HTML."""

    subject: str
    text: str
    html: str
    attachments: tuple[MailAttachment, ...] = ()
    # Names the message for good (its Message-ID), so the same message sent
    # again is known as such (a payroll claim after a crash); None: a new id.
    message_key: str | None = None
    # Where a reply goes (the owner who asked a commissioner a question).
    reply_to: str | None = None
    # The one page the message is about (its button): by SMS, a short link to it.
    link: str | None = None
    # A line only the SMS carries (an invitation's "reply YES 4821 or NO 4821").
    sms_line: str | None = None


@dataclass(frozen=True)
class Recipient:
    """Whom an e-mail goes to (a person without a Teams chat)."""

    # The outbox row's target key (a contact's, or `participant:<id>`).
    key: str
    address: str
    name: str | None
    locale: str
    # How the message reaches them: "email", or "sms" (an SMS made of the
    # e-mail): the links say so, and a consent given through one records it.
    channel: str = "email"


class JsonText(str):
    """A response body already serialised (e.g. a cached card answer)."""


def dumps(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class InvokeAnswer:
    """What a Universal Action answers: an HTTP status and its body.

    The body is the Adaptive Card invoke response (a card or an error); it may
    be `JsonText` already serialised, so a shared answer is serialised once.
    """

    body: dict[str, Any] | JsonText
    status: int = 200

    def json_text(self) -> JsonText:
        return self.body if isinstance(self.body, JsonText) else JsonText(dumps(self.body))


def card_answer(card: dict[str, Any]) -> InvokeAnswer:
    return InvokeAnswer({"statusCode": 200, "type": ADAPTIVE_CARD, "value": card})


def error_answer(code: str, message: str, status: int = 400) -> InvokeAnswer:
    """An error card answer: `status` goes in the body; the HTTP status stays 200,
    as Teams expects of an Adaptive Card invoke."""
    return InvokeAnswer(
        {
            "statusCode": status,
            "type": "application/vnd.microsoft.error",
            "value": {"code": code, "message": message},
        }
    )


SEARCH_RESPONSE = "application/vnd.microsoft.search.searchResponse"


def search_answer(results: list[tuple[str, str]]) -> InvokeAnswer:
    """The answer to an `application/search` invoke (an Adaptive Card's
    `Input.ChoiceSet` searched as the person types): (title, value) each."""
    return InvokeAnswer(
        {
            "type": SEARCH_RESPONSE,
            "value": {"results": [{"title": title, "value": value} for title, value in results]},
        }
    )


def new_correlation_id() -> str:
    return uuid.uuid4().hex[:12]
