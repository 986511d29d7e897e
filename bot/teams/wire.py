"""medvirk's values in the Bot Framework's wire form, and its errors back."""

from __future__ import annotations

from botbuilder.core import InvokeResponse, MessageFactory
from botbuilder.schema import Activity, Attachment

from bot.framework.messages import ADAPTIVE_CARD, InvokeAnswer, Message
from bot.framework.ports import Member, TeamsCallFailed, retry_after_seconds
from storage.domain.fields import NAME_MAX


def to_activity(message: Message) -> Activity:
    """A message activity: text, or an Adaptive Card (with text, when given)."""
    if message.card is None:
        return MessageFactory.text(message.text or "")
    activity = MessageFactory.attachment(
        Attachment(content_type=ADAPTIVE_CARD, content=message.card)
    )
    if message.text:
        activity.text = message.text
    return activity


def to_invoke_response(answer: InvokeAnswer) -> InvokeResponse:
    return InvokeResponse(status=answer.status, body=answer.body)


def http_status(error: Exception) -> int:
    """The HTTP status of a failed connector call (aiohttp or requests response)."""
    response = getattr(error, "response", None)
    if response is None:
        return 0
    return int(getattr(response, "status_code", None) or getattr(response, "status", 0) or 0)


def http_header(error: Exception, name: str) -> str | None:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None) or {}
    value = headers.get(name)
    return value if isinstance(value, str) else None


def call_failed(error: Exception) -> TeamsCallFailed:
    """A connector error as medvirk's `TeamsCallFailed` (status and Retry-After)."""
    return TeamsCallFailed(
        http_status(error),
        retry_after=retry_after_seconds(http_header(error, "Retry-After")),
        detail=type(error).__name__,
    )


def display_name(account: object) -> str | None:
    """An account's display name, shortened to what is kept (longer than any real one)."""
    name = getattr(account, "name", None)
    return str(name)[:NAME_MAX] if name else None


def to_member(account: object) -> Member:
    """A Teams channel account (from a member look-up) as a `Member`."""
    return Member(
        aad_object_id=getattr(account, "aad_object_id", None),
        name=display_name(account),
        email=getattr(account, "email", None),
        user_principal_name=getattr(account, "user_principal_name", None),
    )
