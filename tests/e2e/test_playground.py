"""End to end: the real bot behind Microsoft's Agents Playground, driven in Chromium."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import uuid

import pytest

from dialogs.i18n import t
from storage import outbox
from storage.clock import SystemClock
from storage.conversations import CHANNEL, PERSONAL
from storage.db import Database
from tests.e2e.conftest import PlaygroundPage, Stack

pytestmark = pytest.mark.e2e
# The welcome, in whichever language the install event carries.
WELCOME = re.compile("boten for brukermedvirkning|the user-involvement bot")


def _enqueue(stack: Stack, target_kind: str, target_key: str, text: str) -> None:
    """A proactive message, queued as a feature would: the scheduler's tick delivers it."""

    async def run() -> None:
        db = Database(stack.database_url)
        try:
            async with db.transaction() as session:
                await outbox.enqueue(
                    session,
                    now=SystemClock().now(),
                    target_kind=target_kind,
                    target_key=target_key,
                    payload={"activity": {"text": text}},
                    dedupe_key=f"e2e-{uuid.uuid4()}",
                )
        finally:
            await db.dispose()

    # Playwright's sync API holds this thread's event loop: use a thread of our own.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


def test_welcome_and_help_in_the_personal_chat(playground: PlaygroundPage) -> None:
    # Installing the app greets the user. The Playground 0.2.28 always sends locale en-US,
    # so replies are in English; the bokmål command words work all the same.
    playground.expect_text(WELCOME)
    playground.say("hjelp")
    playground.expect_text(t("en", "help.title"))
    playground.expect_text("unsubscribe")
    playground.screenshot("help")


def test_proactive_message_reaches_the_personal_chat(
    stack: Stack, playground: PlaygroundPage
) -> None:
    # The install saved the conversation reference; the outbox sender uses it.
    playground.expect_text(WELCOME)
    marker = f"E2E personlig {uuid.uuid4().hex[:8]}"
    _enqueue(stack, PERSONAL, stack.world.current_user.aad_object_id, marker)
    playground.expect_text(marker, timeout=20_000)
    playground.screenshot("proactive")


def test_registered_channel_receives_posts(stack: Stack, playground: PlaygroundPage) -> None:
    # The Playground's team channel is the priority channel (as `medvirk try` sets it up).
    marker = f"E2E kanal {uuid.uuid4().hex[:8]}"
    _enqueue(stack, CHANNEL, "priority", marker)
    playground.open_chat(stack.world.channel_name)
    playground.expect_text(marker, timeout=20_000)
    playground.screenshot("channel")
