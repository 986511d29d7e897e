"""The router on its own: guards enforced once, registration refused when wrong,
errors never escaping as tracebacks. No Teams, no SDK: a Turn of plain parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.framework.access import Refusal
from bot.framework.messages import InvokeAnswer, Message, card_answer
from bot.framework.ports import ConversationKind, Member, Person, Turn
from bot.framework.router import PRIORITY_TEAM, Guard, Router
from dialogs.i18n import t


@dataclass
class Said:
    messages: list[Message] = field(default_factory=list)

    async def send(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def texts(self) -> list[str]:
        return [m.text or "" for m in self.messages]


class NoDialogs:
    async def is_active(self) -> bool:
        return False

    async def begin(self, dialog_id: str, options: dict[str, Any]) -> None: ...

    async def continue_active(self) -> None: ...

    async def reprompt(self) -> None: ...

    async def cancel_all(self) -> None: ...


class NoDirectory:
    async def member(self, user_id: str) -> Member | None:
        return None

    async def team_member(self, team_id: str, aad_object_id: str) -> Member | None:
        return None

    async def team_roster(self, team_id: str) -> list[Member]:
        return []


@dataclass
class FixedAccess:
    """Who is admin and who is in the team, decided by the test."""

    admins: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)
    channel: bool = True
    channel_id: str = "19:priority"

    async def is_admin(self, turn: Turn) -> bool:
        return turn.person.key in self.admins

    async def priority_channel_refusal(self, turn: Turn) -> Refusal | None:
        if not self.channel:
            return Refusal("no_channel", "channel.error.no_channel", 400)
        if turn.channel_id != self.channel_id:
            return Refusal("not_priority_channel", "channel.error.not_priority_channel", 403)
        return None

    async def team_member_refusal(self, turn: Turn) -> Refusal | None:
        if not self.channel:
            return Refusal("no_channel", "channel.error.no_channel", 400)
        if turn.person.key in self.admins | self.members:
            return None
        return Refusal("forbidden", "channel.error.not_member", 403)


@dataclass
class FakeServices:
    access: FixedAccess


def make_turn(
    text: str = "",
    *,
    who: str = "aad-ola",
    kind: ConversationKind = ConversationKind.PERSONAL,
    value: dict[str, Any] | None = None,
    channel_id: str | None = None,
) -> tuple[Turn, Said]:
    said = Said()
    turn = Turn(
        person=Person(user_id=f"29:{who}", aad_object_id=who, name="Ola"),
        locale="nb",
        kind=kind,
        conversation_id="a:1",
        service_url="http://127.0.0.1:1",
        tenant_id="tenant",
        text=text,
        value=value,
        team_id=None if channel_id is None else "19:team",
        channel_id=channel_id,
        dialogs=NoDialogs(),
        directory=NoDirectory(),
        replies=said,
    )
    return turn, said


def a_router(calls: list[str]) -> Router:
    router = Router()

    @router.personal_command("new_gathering")  # admin_only in the command table
    async def new_gathering(turn: Turn, services: Any, argument: str) -> None:
        calls.append("new_gathering")

    @router.channel_command("overview", guards=(Guard.TEAM_MEMBER,))
    async def overview(turn: Turn, services: Any, argument: str) -> None:
        calls.append("overview")

    @router.submit("set_groups", guards=(Guard.PERSONAL,))
    async def set_groups(turn: Turn, services: Any, value: dict[str, Any]) -> None:
        calls.append("set_groups")

    @router.verb("claim", guards=(Guard.TEAM_MEMBER,))
    async def claim(turn: Turn, services: Any, data: dict[str, Any]) -> InvokeAnswer:
        calls.append("claim")
        return card_answer({"type": "AdaptiveCard"})

    @router.verb("boom")
    async def boom(turn: Turn, services: Any, data: dict[str, Any]) -> InvokeAnswer:
        raise RuntimeError("secret detail 15076500565")

    return router


async def test_admin_only_from_the_command_table_is_enforced() -> None:
    calls: list[str] = []
    router = a_router(calls)
    services = FakeServices(FixedAccess(admins={"aad-admin"}))
    turn, said = make_turn("ny samling")
    await router.on_message(turn, services)  # type: ignore[arg-type]
    assert calls == [] and said.texts == [t("nb", "error.not_admin")]
    turn, said = make_turn("ny samling", who="aad-admin")
    await router.on_message(turn, services)  # type: ignore[arg-type]
    assert calls == ["new_gathering"]


async def test_team_member_guard_on_commands_and_verbs() -> None:
    calls: list[str] = []
    router = a_router(calls)
    access = FixedAccess(members={"aad-member"})
    services = FakeServices(access)
    turn, said = make_turn("oversikt", kind=ConversationKind.CHANNEL)
    await router.on_message(turn, services)  # type: ignore[arg-type]
    assert said.texts == [t("nb", "channel.error.not_member")]
    answer = await router.on_verb(turn, services, "claim", {})  # type: ignore[arg-type]
    assert answer.body["value"]["code"] == "forbidden"  # type: ignore[index]
    assert answer.body["statusCode"] == 403  # type: ignore[index]
    member, _ = make_turn("oversikt", who="aad-member", kind=ConversationKind.CHANNEL)
    await router.on_message(member, services)  # type: ignore[arg-type]
    await router.on_verb(member, services, "claim", {})  # type: ignore[arg-type]
    assert calls == ["overview", "claim"]
    access.channel = False
    answer = await router.on_verb(member, services, "claim", {})  # type: ignore[arg-type]
    assert answer.body["value"]["code"] == "no_channel"  # type: ignore[index]
    assert calls == ["overview", "claim"]


async def test_personal_guard_and_unknown_input() -> None:
    calls: list[str] = []
    router = a_router(calls)
    services = FakeServices(FixedAccess())
    turn, said = make_turn(value={"action": "set_groups", "groups": "youth"})
    await router.on_message(turn, services)  # type: ignore[arg-type]
    assert calls == ["set_groups"]
    turn, said = make_turn(value={"action": "no_such_action"})
    await router.on_message(turn, services)  # type: ignore[arg-type]
    assert said.texts == [t("nb", "error.bad_card_data")]
    turn, said = make_turn("hva er dette")
    await router.on_message(turn, services)  # type: ignore[arg-type]
    assert said.texts == [t("nb", "unknown_command")]
    answer = await router.on_verb(turn, services, "no_such_verb", {})  # type: ignore[arg-type]
    assert answer.body["value"]["code"] == "unknown_verb"  # type: ignore[index]


async def test_a_failing_verb_answers_with_a_correlation_id_not_the_error() -> None:
    router = a_router([])
    turn, _ = make_turn()
    answer = await router.on_verb(turn, FakeServices(FixedAccess()), "boom", {})  # type: ignore[arg-type]
    text = answer.json_text()
    assert '"statusCode":500' in text
    assert "secret" not in text and "15076500565" not in text and "Traceback" not in text


async def test_too_long_text_is_refused_before_routing() -> None:
    calls: list[str] = []
    router = a_router(calls)
    turn, said = make_turn("ny samling " + "x" * 9000, who="aad-admin")
    await router.on_message(turn, FakeServices(FixedAccess(admins={"aad-admin"})))  # type: ignore[arg-type]
    assert calls == [] and "9011" in said.texts[0]


def test_registration_is_refused_when_wrong() -> None:
    router = Router()
    with pytest.raises(ValueError, match="no personal command"):
        router.personal_command("overview")  # a channel command
    with pytest.raises(ValueError, match="no team command"):
        router.channel_command("order")

    async def handler(turn: Turn, services: Any, argument: str) -> None: ...

    router.personal_command("order")(handler)
    with pytest.raises(ValueError, match="twice"):
        router.personal_command("order")(handler)
    other = Router()
    other.personal_command("order")(handler)
    with pytest.raises(ValueError, match="twice"):
        router.include(other)
    assert "personal:order" not in router.missing_commands()
    assert "team:overview" in router.missing_commands()


def a_feature(calls: list[str]) -> Router:
    """A feature whose handlers all answer in the priority channel, to its team,
    but one that says it needs less."""
    router = Router(guards=PRIORITY_TEAM)

    @router.channel_command("participants")
    async def participants(turn: Turn, services: Any, argument: str) -> None:
        calls.append("participants")

    @router.verb("suggest")
    async def suggest(turn: Turn, services: Any, data: dict[str, Any]) -> InvokeAnswer:
        calls.append("suggest")
        return card_answer({"type": "AdaptiveCard"})

    @router.channel_command("register_channel", waive=PRIORITY_TEAM)
    async def register(turn: Turn, services: Any, argument: str) -> None:
        calls.append("register_channel")

    return router


async def test_a_features_guards_hold_for_each_of_its_handlers() -> None:
    calls: list[str] = []
    router = Router()
    router.include(a_feature(calls))
    services = FakeServices(FixedAccess(admins={"aad-admin"}, members={"aad-member"}))
    for who in ("aad-member", "aad-admin"):
        # Elsewhere: refused before the handler, whoever asks.
        turn, said = make_turn(
            "brukermedvirkere", who=who, kind=ConversationKind.CHANNEL, channel_id="19:general"
        )
        await router.on_message(turn, services)  # type: ignore[arg-type]
        assert said.texts == [t("nb", "channel.error.not_priority_channel")]
        answer = await router.on_verb(turn, services, "suggest", {})  # type: ignore[arg-type]
        assert answer.body["value"]["code"] == "not_priority_channel"  # type: ignore[index]
    assert calls == []
    # In the channel, an outsider is still refused; a member is let through.
    turn, said = make_turn(
        "brukermedvirkere", who="aad-ola", kind=ConversationKind.CHANNEL, channel_id="19:priority"
    )
    await router.on_message(turn, services)  # type: ignore[arg-type]
    assert said.texts == [t("nb", "channel.error.not_member")] and calls == []
    turn, said = make_turn(
        "brukermedvirkere",
        who="aad-member",
        kind=ConversationKind.CHANNEL,
        channel_id="19:priority",
    )
    await router.on_message(turn, services)  # type: ignore[arg-type]
    await router.on_verb(turn, services, "suggest", {})  # type: ignore[arg-type]
    assert calls == ["participants", "suggest"]
    # The one that waives the feature's guards says so, and only it runs anywhere.
    assert router.channel["register_channel"].guards == (Guard.ADMIN,)
    turn, said = make_turn(
        "registrer kanal", who="aad-admin", kind=ConversationKind.CHANNEL, channel_id="19:general"
    )
    await router.on_message(turn, services)  # type: ignore[arg-type]
    assert calls[-1] == "register_channel"


async def test_the_priority_channel_or_the_pressers_own_chat() -> None:
    calls: list[str] = []
    router = Router(guards=(Guard.PRIORITY_CHANNEL_OR_PERSONAL,))

    @router.verb("invite")
    async def invite(turn: Turn, services: Any, data: dict[str, Any]) -> InvokeAnswer:
        calls.append(turn.channel_id or "personal")
        return card_answer({"type": "AdaptiveCard"})

    services = FakeServices(FixedAccess())
    for kind, channel_id in (
        (ConversationKind.PERSONAL, None),
        (ConversationKind.CHANNEL, "19:priority"),
        (ConversationKind.CHANNEL, "19:general"),
        (ConversationKind.GROUP_CHAT, None),
    ):
        turn, _ = make_turn(kind=kind, channel_id=channel_id)
        await router.on_verb(turn, services, "invite", {})  # type: ignore[arg-type]
    assert calls == ["personal", "19:priority"]


def test_a_handler_cannot_waive_a_guard_its_feature_lacks() -> None:
    router = Router(guards=(Guard.TEAM_MEMBER,))
    with pytest.raises(ValueError, match="waives"):
        router.verb("claim", waive=(Guard.PERSONAL,))


def test_every_handler_showing_the_pool_or_a_request_is_bound_to_the_priority_channel() -> None:
    from bot.routing import build_router

    router = build_router()
    for table, names in (
        (router.channel, ("participants", "new_participant", "overview", "statistics")),
        (
            router.verbs,
            (
                "add_participant",
                "suggest",
                "invite",
                "documents_received",
                "claim",
                "release",
                "assign",
                "set_status",
                "refresh",
            ),
        ),
    ):
        for name in names:
            guards = table[name].guards
            # The presser's own chat is read by them alone: suggestions may go there.
            places = {Guard.PRIORITY_CHANNEL, Guard.PRIORITY_CHANNEL_OR_PERSONAL}
            assert places & set(guards) and Guard.TEAM_MEMBER in guards, name


def test_ticks_marked_first_run_first() -> None:
    router = Router()

    async def job(services: Any) -> None: ...

    router.tick("outbox")(job)
    router.tick("reminders", first=True)(job)
    assert [j.name for j in router.ordered_ticks()] == ["reminders", "outbox"]


def test_the_app_router_answers_every_command_and_renderer() -> None:
    from bot.routing import build_router
    from storage.outbox import Render

    router = build_router()
    assert router.missing_commands() == []
    assert set(router.notifications) == {r.value for r in Render}
