"""People in the tenant who never opened the bot: it installs itself for them
through Microsoft Graph (a fake Graph and login on loopback, over HTTPS, with
msal's client-credentials flow) and sends in that chat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.out.graph import GraphInstaller
from storage import reminders as store
from storage.db.models import OutboxMessage
from storage.outbox.conversations import PERSONAL, find_reference
from tests.support.channel import setup_channel
from tests.support.fake_graph import (
    CATALOG_APP_ID,
    CLIENT_ID,
    CLIENT_SECRET,
    TENANT,
    FakeGraph,
)
from tests.support.reminders import add_gathering, due_times

# On SQLite only: Graph's install flow; the outbox's SQL runs on both in test_outbox.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
async def graph(tmp_path):
    fake = FakeGraph(tmp_path)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


async def _ready(bot, clock, graph: FakeGraph, aad: str) -> None:
    await setup_channel(bot)  # the tenant's service URL comes from the channel
    bot.services.outbox.graph = GraphInstaller(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant_id=TENANT,
        catalog_app_id=CATALOG_APP_ID,
        graph_url=graph.graph_url,
        login_url=graph.base,
        ca_file=str(graph.cert),
    )
    async with bot.db.transaction() as session:
        await store.upsert_contact(
            session,
            key=aad,
            aad_object_id=aad,
            name="Olav Ansatt",
            locale="nb",
            now=clock.now(),
            groups=["employees"],
        )
    await add_gathering(bot, clock, groups=["employees"])
    clock.set((await due_times(bot))[0])


async def _rows(bot) -> list[OutboxMessage]:
    async with bot.db.sessions() as session:
        return [
            r
            for r in await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            if r.target_kind == PERSONAL and (r.dedupe_key or "").startswith("rem:")
        ]


async def test_the_bot_installs_itself_and_sends_in_the_new_chat(bot, clock, graph) -> None:
    graph.users.add("aad-olav")
    await _ready(bot, clock, graph, "aad-olav")
    await bot.tick()
    assert graph.installed == {"aad-olav": "installation-aad-olav"}
    assert [m for m, _ in graph.calls] == ["POST", "GET", "GET"]
    sent = bot.connector.to(graph.chat_id("aad-olav"))
    assert len(sent) == 1 and "Årlig fellessamling" in str(sent[0].card)
    [row] = await _rows(bot)
    assert (row.state, row.channel) == ("sent", "teams")
    async with bot.db.sessions() as session:
        ref = await find_reference(session, kind=PERSONAL, key="aad-olav")
    assert ref is not None and ref.conversation_id == graph.chat_id("aad-olav")
    # The next reminder uses the chat: no second installation.
    calls = len(graph.calls)
    clock.set((await due_times(bot))[-1])
    await bot.tick()
    assert len(graph.calls) == calls
    assert len(bot.connector.to(graph.chat_id("aad-olav"))) == 2
    assert graph.tokens_issued == 1


async def test_graph_throttling_puts_the_message_back_for_retry_after(bot, clock, graph) -> None:
    graph.users.add("aad-olav")
    graph.throttle = 1
    await _ready(bot, clock, graph, "aad-olav")
    await bot.tick()
    [row] = await _rows(bot)
    assert (row.state, row.last_error) == ("pending", "graph 429")
    assert row.next_attempt_at == clock.now() + timedelta(seconds=7)
    clock.advance(timedelta(seconds=7))
    await bot.drain()
    [row] = await _rows(bot)
    assert (row.state, row.channel) == ("sent", "teams")


async def test_someone_graph_does_not_know_is_reported_unreachable(bot, clock, graph) -> None:
    await _ready(bot, clock, graph, "aad-gone")  # no such user (or no Teams licence)
    await bot.tick()
    [row] = await _rows(bot)
    assert row.state == "failed"
    assert row.last_error == "unreachable: graph 404, no e-mail address"
    assert bot.connector.to(graph.chat_id("aad-gone")) == []
