"""Small helpers every feature's turn code uses."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from botbuilder.core import InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, Attachment
from msrest.exceptions import HttpOperationError

from dialogs.i18n import resolve_locale
from storage.requests import Requester

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


def locale_of(ctx: TurnContext) -> str:
    return resolve_locale(ctx.activity.locale)


def requester_of(ctx: TurnContext) -> Requester:
    user = ctx.activity.from_property
    email = None
    for key in ("email", "userPrincipalName"):
        value = (user.properties or {}).get(key) if user is not None else None
        if isinstance(value, str) and "@" in value:
            email = value
            break
    return Requester(
        user_id=user.id if user is not None else "",
        aad_object_id=getattr(user, "aad_object_id", None),
        name=getattr(user, "name", None),
        email=email,
        locale=locale_of(ctx),
    )


def card_activity(card: dict[str, Any], text: str | None = None) -> Activity:
    activity = MessageFactory.attachment(Attachment(content_type=ADAPTIVE_CARD, content=card))
    if text:
        activity.text = text
    return activity


@dataclass(frozen=True)
class InvokeResult:
    """What a Universal Action returns: a card, a message, or an error."""

    body: dict[str, Any]
    status: int = 200

    def response(self) -> InvokeResponse:
        return InvokeResponse(status=self.status, body=self.body)

    def json_text(self) -> JsonText:
        return JsonText(dumps(self.body))


def card_result(card: dict[str, Any]) -> InvokeResult:
    return InvokeResult({"statusCode": 200, "type": ADAPTIVE_CARD, "value": card})


def error_result(code: str, message: str, status: int = 400) -> InvokeResult:
    return InvokeResult(
        {
            "statusCode": status,
            "type": "application/vnd.microsoft.error",
            "value": {"code": code, "message": message},
        }
    )


async def is_admin(ctx: TurnContext, settings: Any) -> bool:
    """Listed in MEDVIRK_ADMINS by AAD object id, channel user id, or e-mail/UPN
    (looked up in Teams only when the list holds e-mail addresses)."""
    user = ctx.activity.from_property
    if user is None:
        return False
    if settings.is_admin(getattr(user, "aad_object_id", None), user.id):
        return True
    if not any("@" in a for a in settings.admins):
        return False
    try:
        member = await TeamsInfo.get_member(ctx, user.id)
    except HttpOperationError:
        return False
    return settings.is_admin(
        getattr(member, "email", None), getattr(member, "user_principal_name", None)
    )


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


def new_correlation_id() -> str:
    return uuid.uuid4().hex[:12]


class JsonText(str):
    """A response body already serialised (e.g. a cached card answer)."""


def dumps(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
