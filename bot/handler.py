"""The Teams activity handler: routes personal chat, channel messages, invokes
and installation events to the features that registered for them."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import (
    BotFrameworkAdapter,
    ConversationState,
    InvokeResponse,
    TurnContext,
)
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.dialogs import DialogContext, DialogSet
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.connector import PooledAuthentication
from bot.settings import Settings
from bot.turns import error_result, locale_of, new_correlation_id
from dialogs.commands import Match, Scope, match_command
from dialogs.i18n import t
from storage.clock import Clock
from storage.conversations import PERSONAL, forget_reference, save_reference
from storage.db import Database
from storage.state_store import EtagConflict

log = logging.getLogger(__name__)

INVOKE_RESPONSE_KEY = BotFrameworkAdapter._INVOKE_RESPONSE_KEY

# Longest text a turn reads; anything longer is refused before parsing.
MAX_TEXT = 8000

CommandHandler = Callable[[TurnContext, DialogContext, Match], Awaitable[None]]
SubmitHandler = Callable[[TurnContext, DialogContext, dict[str, Any]], Awaitable[None]]
InvokeHandler = Callable[[TurnContext, dict[str, Any]], Awaitable[InvokeResponse]]
EventHandler = Callable[[TurnContext], Awaitable[None]]


@dataclass
class Services:
    """What features need to do their work; built once per process."""

    settings: Settings
    db: Database
    clock: Clock
    auth: PooledAuthentication
    conversation_state: ConversationState
    dialogs: DialogSet
    extras: dict[str, Any] = field(default_factory=dict)


class MedvirkBot(TeamsActivityHandler):
    """Routes turns; features fill the routing tables in their `register()`."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.personal_commands: dict[str, CommandHandler] = {}
        self.channel_commands: dict[str, CommandHandler] = {}
        # Action.Submit from a card outside any dialog, by `data.action`.
        self.submit_actions: dict[str, SubmitHandler] = {}
        # Universal Actions (Action.Execute) by verb.
        self.invoke_verbs: dict[str, InvokeHandler] = {}
        self.on_install: list[EventHandler] = []
        self.on_uninstall: list[EventHandler] = []
        self.on_personal_message: list[EventHandler] = []
        # Known conversation references, to skip rewriting unchanged ones.
        self._known_refs: dict[str, tuple[str, str, str]] = {}

    # -- the turn ---------------------------------------------------------

    async def on_turn(self, turn_context: TurnContext) -> None:
        if turn_context.activity.type == ActivityTypes.invoke:
            # Hand the invoke response to the adapter directly: the stock path
            # sends it as an activity, deep-copying the whole card on the way.
            response = await self.on_invoke_activity(turn_context)
            turn_context.turn_state[INVOKE_RESPONSE_KEY] = Activity(
                value=response, type=ActivityTypes.invoke_response
            )
            return
        try:
            await super().on_turn(turn_context)
        finally:
            try:
                await self.services.conversation_state.save_changes(turn_context)
            except EtagConflict:
                log.info("dialog state conflict in %s", _conversation_id(turn_context))
                if turn_context.activity.type == ActivityTypes.message:
                    await turn_context.send_activity(t(locale_of(turn_context), "error.conflict"))

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.text and len(activity.text) > MAX_TEXT:
            await turn_context.send_activity(
                t(locale_of(turn_context), "error.text_too_long", length=len(activity.text))
            )
            return
        if _conversation_type(turn_context) == "personal":
            await self._remember_personal(turn_context)
            for handler in self.on_personal_message:
                await handler(turn_context)
            await self._personal_message(turn_context)
        else:
            await self._channel_message(turn_context)

    async def _personal_message(self, ctx: TurnContext) -> None:
        dc = await self.services.dialogs.create_context(ctx)
        text = ctx.activity.text or ""
        value = ctx.activity.value if isinstance(ctx.activity.value, dict) else None
        match = match_command(text, Scope.PERSONAL) if text and value is None else None
        if match is not None and match.command.name in self.personal_commands:
            await self.personal_commands[match.command.name](ctx, dc, match)
            return
        if dc.active_dialog is not None:
            await dc.continue_dialog()
            return
        action = value.get("action") if value else None
        if isinstance(action, str) and action in self.submit_actions:
            await self.submit_actions[action](ctx, dc, value)
            return
        if value is not None:
            await ctx.send_activity(t(locale_of(ctx), "error.bad_card_data"))
            return
        await ctx.send_activity(t(locale_of(ctx), "unknown_command"))

    async def _channel_message(self, ctx: TurnContext) -> None:
        text = TurnContext.remove_recipient_mention(ctx.activity) or ""
        match = match_command(text, Scope.TEAM)
        if match is not None and match.command.name in self.channel_commands:
            dc = await self.services.dialogs.create_context(ctx)
            await self.channel_commands[match.command.name](ctx, dc, match)
            return
        await ctx.send_activity(t(locale_of(ctx), "unknown_command"))

    # -- invokes ----------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        # Answered here, not through ActivityHandler.on_adaptive_card_invoke:
        # botbuilder 4.17.1 would serialise the body twice and answer 500.
        activity = turn_context.activity
        locale = locale_of(turn_context)
        if activity.name != "adaptiveCard/action":
            # Invokes this bot does not offer (message extensions, tasks, ...).
            return InvokeResponse(status=400, body={"error": "unsupported_invoke"})
        value = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action") if isinstance(value.get("action"), dict) else {}
        verb = action.get("verb")
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        handler = self.invoke_verbs.get(verb) if isinstance(verb, str) else None
        if handler is None:
            return error_result("unknown_verb", t(locale, "error.bad_card_data")).response()
        try:
            return await handler(turn_context, data)
        except Exception:
            correlation_id = new_correlation_id()
            log.exception("invoke %s failed [%s]", verb, correlation_id)
            return error_result(
                "internal", t(locale, "error.internal", correlation_id=correlation_id), 500
            ).response()

    # -- installation and membership ---------------------------------------

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        if _conversation_type(turn_context) == "personal":
            await self._remember_personal(turn_context)
        for handler in self.on_install:
            await handler(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        for handler in self.on_uninstall:
            await handler(turn_context)
        if _conversation_type(turn_context) == "personal":
            key = _person_key(turn_context)
            self._known_refs.pop(key, None)
            async with self.services.db.transaction() as session:
                await forget_reference(session, kind=PERSONAL, key=key)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        recipient = turn_context.activity.recipient
        if not any(m.id == recipient.id for m in members_added):
            return
        if _conversation_type(turn_context) == "personal":
            await self._remember_personal(turn_context)
            await turn_context.send_activity(t(locale_of(turn_context), "welcome"))

    async def on_teams_members_added(  # type: ignore[override]
        self, teams_members_added: list[Any], team_info: Any, turn_context: TurnContext
    ) -> None:
        await self.on_members_added_activity(teams_members_added, turn_context)

    # -- conversation references -------------------------------------------

    async def _remember_personal(self, ctx: TurnContext) -> None:
        """Keep the latest reference to this person's chat, for proactive messages."""
        activity = ctx.activity
        key = _person_key(ctx)
        if not key or not activity.service_url or activity.conversation is None:
            return
        locale = locale_of(ctx)
        fingerprint = (activity.service_url, activity.conversation.id, locale)
        if self._known_refs.get(key) == fingerprint:
            return
        reference = TurnContext.get_conversation_reference(activity).serialize()
        async with self.services.db.transaction() as session:
            await save_reference(
                session,
                kind=PERSONAL,
                key=key,
                reference=reference,
                service_url=activity.service_url,
                conversation_id=activity.conversation.id,
                now=self.services.clock.now(),
                aad_object_id=getattr(activity.from_property, "aad_object_id", None),
                name=getattr(activity.from_property, "name", None),
                locale=locale,
                tenant_id=getattr(activity.conversation, "tenant_id", None),
            )
        self._known_refs[key] = fingerprint


def _conversation_type(ctx: TurnContext) -> str:
    conversation = ctx.activity.conversation
    return (getattr(conversation, "conversation_type", None) or "personal").lower()


def _conversation_id(ctx: TurnContext) -> str:
    conversation = ctx.activity.conversation
    return conversation.id if conversation is not None else "?"


def person_key(activity: Activity) -> str:
    """The stable key of a person: their AAD object id, else their channel user id."""
    user = activity.from_property
    if user is None:
        return ""
    return getattr(user, "aad_object_id", None) or user.id or ""


def _person_key(ctx: TurnContext) -> str:
    return person_key(ctx.activity)
