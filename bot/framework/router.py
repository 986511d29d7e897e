"""One router for everything the bot answers, sends and runs.

Features are modules of plain `async def` handlers registered with decorators
on a `Router` of their own (`bot/routing.py` merges them into one):

    router = Router()

    @router.personal_command("order")
    async def order(turn: Turn, services: Services, argument: str) -> None: ...

    @router.verb("claim", guards=(Guard.TEAM_MEMBER,))
    async def claim(turn: Turn, services: Services, data: dict) -> InvokeAnswer: ...

Guards are declared with the handler (or, for commands, in the command table:
`admin_only`), or once for a whole feature (`Router(guards=...)`, as errbot
applies a plugin's filters to each of its commands and bolt's `app.use` runs
before every listener), and enforced here, in `_refusal`, before any handler
runs. A handler that needs less than its feature says so where it is
registered: `waive=(Guard.PRIORITY_CHANNEL,)`.

A `Refused` a handler lets escape is answered here, once, in the turn's
language: a reply to a command or submit, an error answer to a verb.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web

from bot.framework.access import Refusal
from bot.framework.messages import (
    InvokeAnswer,
    error_answer,
    new_correlation_id,
    search_answer,
)
from bot.framework.notifications import GoneHook, Notification
from bot.framework.ports import ConversationKind, Event, Turn
from dialogs.commands import COMMANDS, Command, Scope, match_command
from dialogs.i18n import t
from dialogs.refusals import refusal_text
from storage import privacy
from storage.db import scope
from storage.domain.refusal import Refused

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings

log = logging.getLogger(__name__)

# Longest text a turn reads; anything longer is refused before parsing.
MAX_TEXT = 8000


def _scope_of(turn: Turn) -> AbstractContextManager[None]:
    """What the handler may see: the desks its guards chose, or every desk where
    none did (a requester's own chat sees their own requests wherever they are)."""
    return scope.within(scope.ALL_DESKS if turn.desks is None else turn.desks)


async def _note_other_desk(turn: Turn, services: Services, refused: Refused) -> None:
    """An id from a card named another desk's row: refused, and on the read audit."""
    async with services.db.transaction() as session:
        await privacy.record_read(
            session,
            reader=turn.person.key,
            what=f"refused: another desk's {refused.params.get('kind')} {refused.params.get('id')}",
            via="teams",
            now=services.clock.now(),
        )


class Guard(StrEnum):
    ADMIN = "admin"
    # A member of a desk's team: of the desk whose channel it is, or in their own
    # chat of any (admins pass too). The turn then sees those desks alone.
    TEAM_MEMBER = "team_member"
    # Said in a desk's registered channel (the turn then sees that desk alone).
    PRIORITY_CHANNEL = "priority_channel"
    # In a desk's channel, or in the presser's own chat with the bot (read by
    # them alone); never another channel or a group chat.
    PRIORITY_CHANNEL_OR_PERSONAL = "priority_channel_or_personal"
    PERSONAL = "personal"


# Said in a desk's channel by a member of its team (or an admin):
# where the pool and the requests are shown, and nowhere else.
PRIORITY_TEAM = (Guard.PRIORITY_CHANNEL, Guard.TEAM_MEMBER)


CommandHandler = Callable[[Turn, "Services", str], Awaitable[None]]
SubmitHandler = Callable[[Turn, "Services", dict[str, Any]], Awaitable[None]]
VerbHandler = Callable[[Turn, "Services", dict[str, Any]], Awaitable[InvokeAnswer]]
# Answers a typeahead search: the typed text to (title, value) results.
SearchHandler = Callable[[Turn, "Services", str], Awaitable[list[tuple[str, str]]]]
EventHandler = Callable[[Turn, "Services"], Awaitable[None]]
WebHandler = Callable[[web.Request, "Services"], Awaitable[web.StreamResponse]]
Job = Callable[["Services"], Awaitable[None]]
# Builds a dialog for the conversation's dialog set; `turn_of` gives the Turn of
# the SDK context a dialog step holds.
DialogFactory = Callable[["Services", Callable[[Any], Turn]], Any]

H = TypeVar("H")


@dataclass(frozen=True)
class Route:
    handler: Any
    guards: tuple[Guard, ...]
    name: str


@dataclass(frozen=True)
class TickJob:
    name: str
    job: Job
    first: bool = False


@dataclass(frozen=True)
class CronJob:
    name: str
    job: Job
    # The weekly schedule (`mon 08:00`) from the settings; None: the job is off.
    schedule: Callable[[Settings], str | None]


@dataclass(frozen=True)
class WebRoute:
    method: str
    path: str
    handler: WebHandler


def _command(name: str, scope: Scope) -> Command:
    for command in COMMANDS:
        if command.name == name and command.scope is scope:
            return command
    raise ValueError(f"no {scope} command {name!r} in dialogs/commands.py")


@dataclass
class Router:
    # The feature's guards: every command, submit and verb registered here has them.
    guards: tuple[Guard, ...] = ()
    personal: dict[str, Route] = field(default_factory=dict)
    channel: dict[str, Route] = field(default_factory=dict)
    submits: dict[str, Route] = field(default_factory=dict)
    verbs: dict[str, Route] = field(default_factory=dict)
    # Typeahead searches (`application/search`), by the card's dataset.
    searches: dict[str, Route] = field(default_factory=dict)
    events: dict[Event, list[EventHandler]] = field(default_factory=dict)
    web: list[WebRoute] = field(default_factory=list)
    # Every kind of outbox row, by `payload.render`.
    notifications: dict[str, Notification] = field(default_factory=dict)
    gone: dict[str, GoneHook] = field(default_factory=dict)
    ticks: list[TickJob] = field(default_factory=list)
    crons: list[CronJob] = field(default_factory=list)
    dialogs: list[DialogFactory] = field(default_factory=list)

    # -- registration ------------------------------------------------------------------------

    @staticmethod
    def _add(table: dict[str, Route], key: str, route: Route) -> None:
        if key in table:
            raise ValueError(f"{key!r} is registered twice")
        table[key] = route

    def _guards(
        self, name: str, declared: Iterable[Guard], waive: Iterable[Guard]
    ) -> tuple[Guard, ...]:
        """The feature's guards but those waived, then the handler's own."""
        waived = tuple(waive)
        stray = [g for g in waived if g not in self.guards]
        if stray:
            raise ValueError(f"{name!r} waives {stray}, which its feature does not have")
        chosen = [g for g in self.guards if g not in waived]
        chosen += [g for g in declared if g not in chosen]
        return tuple(chosen)

    def _command_route(
        self,
        table: dict[str, Route],
        name: str,
        scope: Scope,
        guards: Iterable[Guard],
        waive: Iterable[Guard],
    ) -> Callable[[CommandHandler], CommandHandler]:
        command = _command(name, scope)
        declared = self._guards(
            name, ((Guard.ADMIN,) if command.admin_only else ()) + tuple(guards), waive
        )

        def register(handler: CommandHandler) -> CommandHandler:
            self._add(table, name, Route(handler, declared, name))
            return handler

        return register

    def personal_command(
        self, name: str, *, guards: Iterable[Guard] = (), waive: Iterable[Guard] = ()
    ) -> Callable[[CommandHandler], CommandHandler]:
        """A command of personal chat (its words and `admin_only` come from the command table)."""
        return self._command_route(self.personal, name, Scope.PERSONAL, guards, waive)

    def channel_command(
        self, name: str, *, guards: Iterable[Guard] = (), waive: Iterable[Guard] = ()
    ) -> Callable[[CommandHandler], CommandHandler]:
        """A command after @medvirk in a team's channel."""
        return self._command_route(self.channel, name, Scope.TEAM, guards, waive)

    def submit(
        self, action: str, *, guards: Iterable[Guard] = (), waive: Iterable[Guard] = ()
    ) -> Callable[[SubmitHandler], SubmitHandler]:
        """An Action.Submit outside any dialog, by its `data.action`."""
        declared = self._guards(action, guards, waive)

        def register(handler: SubmitHandler) -> SubmitHandler:
            self._add(self.submits, action, Route(handler, declared, action))
            return handler

        return register

    def verb(
        self, verb: str, *, guards: Iterable[Guard] = (), waive: Iterable[Guard] = ()
    ) -> Callable[[VerbHandler], VerbHandler]:
        """A Universal Action (Action.Execute) by its verb."""
        declared = self._guards(verb, guards, waive)

        def register(handler: VerbHandler) -> VerbHandler:
            self._add(self.verbs, verb, Route(handler, declared, verb))
            return handler

        return register

    def search(
        self, dataset: str, *, guards: Iterable[Guard] = (), waive: Iterable[Guard] = ()
    ) -> Callable[[SearchHandler], SearchHandler]:
        """A card's `Input.ChoiceSet` searched as the person types (`choices.data`
        of type `Data.Query` with this dataset)."""
        declared = self._guards(dataset, guards, waive)

        def register(handler: SearchHandler) -> SearchHandler:
            self._add(self.searches, dataset, Route(handler, declared, dataset))
            return handler

        return register

    def on(self, event: Event) -> Callable[[EventHandler], EventHandler]:
        def register(handler: EventHandler) -> EventHandler:
            self.events.setdefault(event, []).append(handler)
            return handler

        return register

    def get(self, path: str) -> Callable[[WebHandler], WebHandler]:
        """A web page or file (`GET`), outside the Bot Framework protocol."""

        def register(handler: WebHandler) -> WebHandler:
            self.web.append(WebRoute("GET", path, handler))
            return handler

        return register

    def post(self, path: str) -> Callable[[WebHandler], WebHandler]:
        """A form a web page sends (`POST`), outside the Bot Framework protocol."""

        def register(handler: WebHandler) -> WebHandler:
            self.web.append(WebRoute("POST", path, handler))
            return handler

        return register

    def notify(self, *notifications: Notification) -> None:
        """The feature's kinds of outbox rows (a kind twice is an error)."""
        for notification in notifications:
            if notification.kind in self.notifications:
                raise ValueError(f"notification {notification.kind!r} is registered twice")
            self.notifications[notification.kind] = notification

    def on_gone(self, target_kind: str) -> Callable[[GoneHook], GoneHook]:
        """Runs when Teams says a target of this kind is gone for good (403/404)."""

        def register(handler: GoneHook) -> GoneHook:
            if target_kind in self.gone:
                raise ValueError(f"gone hook for {target_kind!r} is registered twice")
            self.gone[target_kind] = handler
            return handler

        return register

    def tick(self, name: str, *, first: bool = False) -> Callable[[Job], Job]:
        """A job of every scheduler tick (`first`: before the others)."""

        def register(job: Job) -> Job:
            self.ticks.append(TickJob(name, job, first))
            return job

        return register

    def cron(self, name: str, schedule: Callable[[Settings], str | None]) -> Callable[[Job], Job]:
        """A weekly job at the time the settings give (None: off)."""

        def register(job: Job) -> Job:
            self.crons.append(CronJob(name, job, schedule))
            return job

        return register

    def dialog(self, factory: DialogFactory) -> DialogFactory:
        self.dialogs.append(factory)
        return factory

    def include(self, other: Router) -> None:
        """Take every registration of a feature's router (twice is an error)."""
        for mine, theirs in (
            (self.personal, other.personal),
            (self.channel, other.channel),
            (self.submits, other.submits),
            (self.verbs, other.verbs),
            (self.searches, other.searches),
        ):
            for key, route in theirs.items():
                self._add(mine, key, route)
        for event, handlers in other.events.items():
            self.events.setdefault(event, []).extend(handlers)
        self.notify(*other.notifications.values())
        for target_kind, hook in other.gone.items():
            if target_kind in self.gone:
                raise ValueError(f"gone hook for {target_kind!r} is registered twice")
            self.gone[target_kind] = hook
        self.web.extend(other.web)
        self.ticks.extend(other.ticks)
        self.crons.extend(other.crons)
        self.dialogs.extend(other.dialogs)

    def missing_commands(self) -> list[str]:
        """Commands of the command table that nothing answers (help and manifest list them)."""
        tables = {Scope.PERSONAL: self.personal, Scope.TEAM: self.channel}
        return [f"{c.scope}:{c.name}" for c in COMMANDS if c.name not in tables[c.scope]]

    def ordered_ticks(self) -> list[TickJob]:
        return [j for j in self.ticks if j.first] + [j for j in self.ticks if not j.first]

    # -- dispatch ----------------------------------------------------------------------------

    async def _refusal(self, route: Route, turn: Turn, services: Services) -> Refusal | None:
        """The one place guards are enforced."""
        for guard in route.guards:
            if guard is Guard.PERSONAL and turn.kind is not ConversationKind.PERSONAL:
                return Refusal("personal_only", "error.personal_only", 400)
            if guard is Guard.ADMIN and not await services.access.is_admin(turn):
                return Refusal("forbidden", "error.not_admin")
            if guard is Guard.TEAM_MEMBER:
                refusal = await services.access.team_member_refusal(turn)
                if refusal is not None:
                    return refusal
            if guard is Guard.PRIORITY_CHANNEL or (
                guard is Guard.PRIORITY_CHANNEL_OR_PERSONAL
                and turn.kind is not ConversationKind.PERSONAL
            ):
                refusal = await services.access.priority_channel_refusal(turn)
                if refusal is not None:
                    return refusal
        return None

    async def on_message(self, turn: Turn, services: Services) -> None:
        if len(turn.text) > MAX_TEXT:
            await turn.reply(t(turn.locale, "error.text_too_long", length=len(turn.text)))
            return
        if turn.kind is ConversationKind.PERSONAL:
            await self._personal_message(turn, services)
        else:
            await self._channel_message(turn, services)

    async def _run_guarded(self, route: Route, turn: Turn, services: Services, *args: Any) -> None:
        refusal = await self._refusal(route, turn, services)
        if refusal is not None:
            log.info("%s refused by a guard (%s)", route.name, refusal.code)
            await turn.reply(t(turn.locale, refusal.key))
            return
        try:
            with _scope_of(turn):
                await route.handler(turn, services, *args)
        except Refused as refused:
            log.info("%s refused (%s)", route.name, refused.key)
            if refused.key == scope.OTHER_DESK:
                await _note_other_desk(turn, services, refused)
            await turn.reply(refusal_text(turn.locale, refused))

    async def _personal_message(self, turn: Turn, services: Services) -> None:
        match = (
            match_command(turn.text, Scope.PERSONAL) if turn.text and turn.value is None else None
        )
        if match is not None and match.command.name in self.personal:
            await self._run_guarded(
                self.personal[match.command.name], turn, services, match.argument
            )
            return
        if await turn.dialogs.is_active():
            await turn.dialogs.continue_active()
            return
        action = turn.value.get("action") if turn.value else None
        if isinstance(action, str) and action in self.submits:
            assert turn.value is not None
            await self._run_guarded(self.submits[action], turn, services, turn.value)
            return
        if turn.value is not None:
            await turn.reply(t(turn.locale, "error.bad_card_data"))
            return
        await turn.reply(t(turn.locale, "unknown_command"))

    async def _channel_message(self, turn: Turn, services: Services) -> None:
        match = match_command(turn.text, Scope.TEAM)
        if match is not None and match.command.name in self.channel:
            await self._run_guarded(
                self.channel[match.command.name], turn, services, match.argument
            )
            return
        await turn.reply(t(turn.locale, "unknown_command"))

    async def on_verb(
        self, turn: Turn, services: Services, verb: str | None, data: dict[str, Any]
    ) -> InvokeAnswer:
        route = self.verbs.get(verb) if isinstance(verb, str) else None
        if route is None:
            return error_answer("unknown_verb", t(turn.locale, "error.bad_card_data"))

        async def run() -> InvokeAnswer:
            answer: InvokeAnswer = await route.handler(turn, services, data)
            return answer

        return await self._invoke(f"verb {verb}", route, turn, services, run)

    async def on_search(
        self, turn: Turn, services: Services, dataset: str | None, text: str
    ) -> InvokeAnswer:
        route = self.searches.get(dataset) if isinstance(dataset, str) else None
        if route is None:
            return error_answer("unknown_dataset", t(turn.locale, "error.bad_card_data"))

        async def run() -> InvokeAnswer:
            return search_answer(await route.handler(turn, services, text[:MAX_TEXT]))

        return await self._invoke(f"search {dataset}", route, turn, services, run)

    async def _invoke(
        self,
        what: str,
        route: Route,
        turn: Turn,
        services: Services,
        run: Callable[[], Awaitable[InvokeAnswer]],
    ) -> InvokeAnswer:
        """An invoke's guards, desk scope and errors, the same for every kind."""
        try:
            refusal = await self._refusal(route, turn, services)
            if refusal is not None:
                log.info("%s refused by a guard (%s)", what, refusal.code)
                return error_answer(refusal.code, t(turn.locale, refusal.key), refusal.status)
            with _scope_of(turn):
                return await run()
        except Refused as refused:
            log.info("%s refused (%s)", what, refused.key)
            if refused.key == scope.OTHER_DESK:
                await _note_other_desk(turn, services, refused)
                return error_answer("other_desk", refusal_text(turn.locale, refused), 403)
            return error_answer("refused", refusal_text(turn.locale, refused))
        except Exception:
            correlation_id = new_correlation_id()
            log.exception("%s failed [%s]", what, correlation_id)
            return error_answer(
                "internal", t(turn.locale, "error.internal", correlation_id=correlation_id), 500
            )

    async def on_event(self, event: Event, turn: Turn, services: Services) -> None:
        for handler in self.events.get(event, []):
            await handler(turn, services)
