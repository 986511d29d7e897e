"""The Teams activity handler: turns each activity into a `Turn` and hands it to
the router; keeps conversation references and dialog state."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from botbuilder.core import BotFrameworkAdapter, ConversationState, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.dialogs import DialogSet
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.framework.messages import error_answer, new_correlation_id
from bot.framework.ports import ConversationKind, Event, Turn
from bot.framework.router import Router
from bot.teams.state_storage import PERSON_OF_TURN
from bot.teams.turn import build_turn, json_object, turn_of
from bot.teams.wire import to_invoke_response
from dialogs.i18n import resolve_locale, t
from storage.db.state_store import EtagConflict
from storage.outbox.conversations import PERSONAL, forget_reference, save_reference

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

INVOKE_RESPONSE_KEY = BotFrameworkAdapter._INVOKE_RESPONSE_KEY
KNOWN_REF_TTL = timedelta(minutes=1)
KNOWN_REFS_MAX = 10_000
# A turn answers within this many seconds: past it (a database that hangs), the
# person gets the apology and the turn's work is cancelled in the background,
# where its connection may take longer to give up. Teams waits 15 s for an
# invoke; a person at the keyboard should not wait even that.
TURN_DEADLINE_SECONDS = 4.0


class TeamsBot(TeamsActivityHandler):
    """Routes every turn through the router; nothing here decides what to answer."""

    def __init__(
        self, router: Router, services: Services, conversation_state: ConversationState
    ) -> None:
        self.router = router
        self.services = services
        self.conversation_state = conversation_state
        self.dialog_set = DialogSet(conversation_state.create_property("DialogState"))
        for factory in router.dialogs:
            self.dialog_set.add(factory(services, turn_of))
        # References saved lately, to skip rewriting unchanged ones every turn. Kept
        # a minute only: another process, or `medvirk forget`, may have changed
        # the row since, and the next turn after that must save it again.
        self._known_refs: OrderedDict[str, tuple[tuple[str, str, str], datetime]] = OrderedDict()
        self._overdue: set[asyncio.Future[None]] = set()

    def turn(self, context: TurnContext) -> Turn:
        return build_turn(context, self.dialog_set, self.services.outbox.pace_reply)

    # -- the turn ---------------------------------------------------------

    async def on_turn(self, turn_context: TurnContext) -> None:
        work = asyncio.ensure_future(self._on_turn(turn_context))
        done, _ = await asyncio.wait({work}, timeout=TURN_DEADLINE_SECONDS)
        if work in done:
            return work.result()
        work.cancel()
        # The cancelled work still unwinds (rolls back, closes its connection);
        # keep it referenced until then and log how it ended.
        self._overdue.add(work)
        work.add_done_callback(self._overdue_done)
        correlation_id = new_correlation_id()
        activity = turn_context.activity
        log.warning(
            "turn passed its %.0f s deadline [%s] activity=%s",
            TURN_DEADLINE_SECONDS,
            correlation_id,
            activity.type,
        )
        message = t(resolve_locale(activity.locale), "error.slow", correlation_id=correlation_id)
        if activity.type == ActivityTypes.invoke:
            turn_context.turn_state[INVOKE_RESPONSE_KEY] = Activity(
                value=to_invoke_response(error_answer("unavailable", message, status=503)),
                type=ActivityTypes.invoke_response,
            )
        elif activity.type == ActivityTypes.message:
            try:
                await turn_context.send_activity(message)
            except Exception as error:
                log.warning(
                    "could not send the apology [%s]: %s", correlation_id, type(error).__name__
                )

    def _overdue_done(self, work: asyncio.Future[None]) -> None:
        self._overdue.discard(work)
        if not work.cancelled() and work.exception() is not None:
            log.info("an overdue turn ended with %s", type(work.exception()).__name__)

    async def _on_turn(self, turn_context: TurnContext) -> None:
        turn = self.turn(turn_context)
        PERSON_OF_TURN.set(turn.person.key if turn.kind is ConversationKind.PERSONAL else None)
        if turn_context.activity.type == ActivityTypes.invoke:
            # Hand the invoke response to the adapter directly: the stock path
            # sends it as an activity, deep-copying the whole card on the way.
            response = await self._invoke(turn_context)
            turn_context.turn_state[INVOKE_RESPONSE_KEY] = Activity(
                value=response, type=ActivityTypes.invoke_response
            )
            return
        try:
            await super().on_turn(turn_context)
        finally:
            try:
                await self.conversation_state.save_changes(turn_context)
            except EtagConflict:
                log.info("dialog state conflict in %s", _conversation_id(turn_context))
                if turn_context.activity.type == ActivityTypes.message:
                    await turn_context.send_activity(
                        t(resolve_locale(turn_context.activity.locale), "error.conflict")
                    )

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        turn = self.turn(turn_context)
        if turn.kind is ConversationKind.PERSONAL:
            await self._remember_personal(turn_context)
        await self.router.on_message(turn, self.services)

    async def _invoke(self, turn_context: TurnContext) -> InvokeResponse:
        # Answered here, not through ActivityHandler.on_adaptive_card_invoke:
        # botbuilder 4.17.1 would serialise the body twice and answer 500.
        activity = turn_context.activity
        if activity.name == "application/search":
            # An Input.ChoiceSet searched as the person types (`choices.data`).
            query = json_object(activity.value)
            text = query.get("queryText")
            dataset = query.get("dataset")
            answer = await self.router.on_search(
                self.turn(turn_context),
                self.services,
                dataset if isinstance(dataset, str) else None,
                text if isinstance(text, str) else "",
            )
            return to_invoke_response(answer)
        if activity.name != "adaptiveCard/action":
            # Invokes this bot does not offer (message extensions, tasks, ...).
            return InvokeResponse(status=400, body={"error": "unsupported_invoke"})
        action = json_object(json_object(activity.value).get("action"))
        data = json_object(action.get("data"))
        verb = action.get("verb")
        answer = await self.router.on_verb(
            self.turn(turn_context), self.services, verb if isinstance(verb, str) else None, data
        )
        return to_invoke_response(answer)

    # -- installation and membership ---------------------------------------

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        turn = self.turn(turn_context)
        if turn.kind is ConversationKind.PERSONAL:
            await self._remember_personal(turn_context)
        await self.router.on_event(Event.INSTALLED, turn, self.services)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        turn = self.turn(turn_context)
        await self.router.on_event(Event.UNINSTALLED, turn, self.services)
        if turn.kind is ConversationKind.PERSONAL:
            key = turn.person.key
            self._known_refs.pop(key, None)
            async with self.services.db.transaction() as session:
                await forget_reference(session, kind=PERSONAL, key=key)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        recipient = turn_context.activity.recipient
        if not any(m.id == recipient.id for m in members_added):
            return
        turn = self.turn(turn_context)
        if turn.kind is ConversationKind.PERSONAL:
            await self._remember_personal(turn_context)
        await self.router.on_event(Event.BOT_ADDED, turn, self.services)

    async def on_teams_members_added(
        self, teams_members_added: list[Any], team_info: Any, turn_context: TurnContext
    ) -> None:
        await self.on_members_added_activity(teams_members_added, turn_context)

    # -- conversation references -------------------------------------------

    async def _remember_personal(self, ctx: TurnContext) -> None:
        """Keep the latest reference to this person's chat, for proactive messages."""
        activity = ctx.activity
        turn = self.turn(ctx)
        key = turn.person.key
        if not key or not activity.service_url or activity.conversation is None:
            return
        fingerprint = (activity.service_url, activity.conversation.id, turn.locale)
        now = self.services.clock.now()
        known = self._known_refs.get(key)
        if known is not None and known[0] == fingerprint and now - known[1] < KNOWN_REF_TTL:
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
                now=now,
                aad_object_id=turn.person.aad_object_id,
                name=turn.person.name,
                locale=turn.locale,
                # channelData's tenant: botbuilder-python reads the conversation's
                # as `tenantID`, which Teams does not send (it sends `tenantId`).
                tenant_id=turn.tenant_id,
            )
        self._known_refs[key] = (fingerprint, now)
        self._known_refs.move_to_end(key)
        while len(self._known_refs) > KNOWN_REFS_MAX:
            self._known_refs.popitem(last=False)


def _conversation_id(ctx: TurnContext) -> str:
    conversation = ctx.activity.conversation
    return conversation.id if conversation is not None else "?"
