"""A botbuilder `TurnContext` as a medvirk `Turn`, with the protocols features use."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.dialogs import DialogContext, DialogSet
from botbuilder.schema import ActivityTypes
from msrest.exceptions import HttpOperationError

from bot.framework.messages import Message
from bot.framework.ports import ConversationKind, Member, Person, TeamsCallFailed, Turn
from bot.teams.wire import call_failed, display_name, to_activity, to_member
from dialogs.i18n import resolve_locale

TURN_KEY = "medvirk.turn"
# Most members a roster look-up reads (pages of 500).
MAX_ROSTER_PAGES = 20
# Seconds a turn's Teams calls may spend waiting out 429s (honouring Retry-After)
# before they give up: the invoke must answer well inside Teams' 15 s, and
# inside the turn's own deadline.
TEAMS_CALL_BUDGET_SECONDS = 2.0

T = TypeVar("T")


async def within_budget(
    call: Callable[[], Awaitable[T]], *, budget: float = TEAMS_CALL_BUDGET_SECONDS
) -> T:
    """Make a Teams call; on a 429, wait as Teams says and try again while the
    budget lasts. Errors come out as `TeamsCallFailed`."""
    deadline = time.monotonic() + budget
    while True:
        try:
            return await call()
        except HttpOperationError as error:
            failed = call_failed(error)
        if failed.status != 429:
            raise failed
        wait = failed.retry_after if failed.retry_after is not None else 1.0
        if time.monotonic() + wait > deadline:
            raise failed
        await asyncio.sleep(wait)


# Books a reply in a conversation: (conversation id, longest wait) -> seconds.
Pace = Callable[..., float]


class ContextReplies:
    """Replies in the turn's conversation, paced with the outbox's sends there
    and waiting out a 429 within the budget (`TeamsCallFailed` past it)."""

    def __init__(self, context: TurnContext, pace: Pace | None = None) -> None:
        self._context = context
        self._pace = pace

    async def send(self, message: Message) -> str | None:
        activity = to_activity(message)
        conversation = self._context.activity.conversation
        budget = TEAMS_CALL_BUDGET_SECONDS
        if self._pace is not None and conversation is not None and conversation.id:
            wait = self._pace(conversation.id, unless_over=budget)
            if wait > budget:
                # The conversation has no room within the turn: Teams would
                # answer 429, so it is not asked (nothing is booked).
                raise TeamsCallFailed(429, retry_after=wait, detail="paced")
            if wait > 0:
                await asyncio.sleep(wait)
                budget -= wait
        sent = await within_budget(lambda: self._context.send_activity(activity), budget=budget)
        return getattr(sent, "id", None) or None


class ContextDialogs:
    """The dialog stack of the conversation, read from storage on first use."""

    def __init__(self, context: TurnContext, dialog_set: DialogSet) -> None:
        self._context = context
        self._set = dialog_set
        self._dc: DialogContext | None = None

    async def _dialog_context(self) -> DialogContext:
        if self._dc is None:
            self._dc = await self._set.create_context(self._context)
        return self._dc

    async def is_active(self) -> bool:
        return (await self._dialog_context()).active_dialog is not None

    async def begin(self, dialog_id: str, options: dict[str, Any]) -> None:
        await (await self._dialog_context()).begin_dialog(dialog_id, options)

    async def continue_active(self) -> None:
        await (await self._dialog_context()).continue_dialog()

    async def reprompt(self) -> None:
        dc = await self._dialog_context()
        if dc.active_dialog is not None:
            await dc.reprompt_dialog()

    async def cancel_all(self) -> None:
        await (await self._dialog_context()).cancel_all_dialogs()


class ContextDirectory:
    """Teams member look-ups in this turn's conversation; errors as `TeamsCallFailed`."""

    def __init__(self, context: TurnContext) -> None:
        self._context = context

    async def member(self, user_id: str) -> Member | None:
        try:
            found = await within_budget(lambda: TeamsInfo.get_member(self._context, user_id))
        except TeamsCallFailed as failed:
            if failed.status in (403, 404):
                return None
            raise
        return to_member(found)

    async def team_member(self, team_id: str, aad_object_id: str) -> Member | None:
        try:
            found = await within_budget(
                lambda: TeamsInfo.get_team_member(self._context, team_id, aad_object_id)
            )
        except TeamsCallFailed as failed:
            if failed.status in (403, 404):
                return None
            raise
        return to_member(found)

    async def team_roster(self, team_id: str) -> list[Member]:
        """Everybody in the team, in pages of 500 (one budget for all pages)."""
        members: list[Member] = []
        token = None
        deadline = time.monotonic() + TEAMS_CALL_BUDGET_SECONDS
        for _ in range(MAX_ROSTER_PAGES):
            page = await within_budget(
                functools.partial(
                    TeamsInfo.get_paged_team_members, self._context, team_id, token, 500
                ),
                budget=max(0.0, deadline - time.monotonic()),
            )
            members.extend(to_member(m) for m in page.members or [])
            token = page.continuation_token
            if not token:
                break
        return members


def json_object(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def _email_of(user: Any) -> str | None:
    properties = getattr(user, "properties", None) or {}
    for key in ("email", "userPrincipalName"):
        value = properties.get(key) if isinstance(properties, dict) else None
        if isinstance(value, str) and "@" in value:
            return value
    return None


def without_bot_mention(activity: Any) -> str:
    """The message's text without the @mention of the bot.

    botbuilder's `remove_recipient_mention` deletes the bot's name everywhere
    in the text, as a regular expression: with a bot called "medvirk",
    "ny brukermedvirker" became "ny brukerer". Only the mention's own
    `<at>…</at>` text is removed here, once per mention of the bot.
    """
    text: str = activity.text or ""
    recipient = getattr(activity.recipient, "id", None)
    for mention in TurnContext.get_mentions(activity):
        props = mention.additional_properties or {}
        mentioned = props.get("mentioned") or {}
        said = props.get("text")
        if recipient and isinstance(mentioned, dict) and mentioned.get("id") == recipient:
            if isinstance(said, str) and said:
                text = text.replace(said, "", 1)
    return text


def build_turn(context: TurnContext, dialog_set: DialogSet, pace: Pace | None = None) -> Turn:
    """The turn of this context (built once; kept in the context's turn state)."""
    existing = context.turn_state.get(TURN_KEY)
    if isinstance(existing, Turn):
        return existing
    activity = context.activity
    user = activity.from_property
    conversation = activity.conversation
    kind = ConversationKind.of(getattr(conversation, "conversation_type", None))
    data = json_object(activity.channel_data)
    team, channel = json_object(data.get("team")), json_object(data.get("channel"))
    tenant = json_object(data.get("tenant"))
    text = ""
    if activity.type == ActivityTypes.message:
        if kind is ConversationKind.PERSONAL:
            text = activity.text or ""
        else:
            text = without_bot_mention(activity)
    value = activity.value if isinstance(activity.value, dict) else None
    turn = Turn(
        person=Person(
            user_id=(user.id or "") if user is not None else "",
            aad_object_id=getattr(user, "aad_object_id", None) or None,
            name=display_name(user),
            email=_email_of(user),
        ),
        locale=resolve_locale(activity.locale),
        kind=kind,
        conversation_id=conversation.id if conversation is not None else "",
        service_url=activity.service_url or "",
        tenant_id=tenant.get("id") or getattr(conversation, "tenant_id", None),
        text=text,
        value=value if activity.type == ActivityTypes.message else None,
        team_id=team.get("id"),
        channel_id=channel.get("id"),
        dialogs=ContextDialogs(context, dialog_set),
        directory=ContextDirectory(context),
        replies=ContextReplies(context, pace),
        card_activity_id=(activity.reply_to_id or None) if activity.type == "invoke" else None,
    )
    context.turn_state[TURN_KEY] = turn
    return turn


def turn_of(context: Any) -> Turn:
    """The turn a dialog step's context belongs to."""
    turn = context.turn_state.get(TURN_KEY)
    if not isinstance(turn, Turn):
        raise RuntimeError("a dialog ran outside a medvirk turn")
    return turn
