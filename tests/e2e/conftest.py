"""End-to-end fixtures: `medvirk serve` and Microsoft's Agents Playground, driven in Chromium.

Skipped with a reason where Chromium, Node.js/npm or the pinned Playground package are
missing on a developer's machine; under CI=true a missing piece is a failure.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.try_local import (
    PlaygroundWorld,
    bot_environment,
    free_port,
    playground_bin,
    register_priority_channel,
    start_bot,
    start_playground,
    stop,
    wait_for_http,
)

E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_pieces() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} on PATH")
    if not playground_bin(E2E_DIR).exists():
        missing.append("the Agents Playground package (run `npm ci` in tests/e2e)")
    return missing


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    missing = missing_pieces()
    if not missing or IN_CI:
        return  # under CI a missing piece fails in the fixtures, never skips
    reason = "end-to-end tests need " + ", ".join(missing)
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@dataclass
class Stack:
    world: PlaygroundWorld
    bot_url: str
    playground_url: str
    database_url: str


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    missing = missing_pieces()
    if missing:
        message = "end-to-end tests need " + ", ".join(missing)
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    workdir = tmp_path_factory.mktemp("playground")
    world = PlaygroundWorld()
    world.write_config(workdir)
    bot_port, playground_port = free_port(), free_port()
    database_url = f"sqlite:///{workdir / 'e2e.db'}"
    asyncio.run(register_priority_channel(database_url, world, playground_port))
    ARTIFACTS.mkdir(exist_ok=True)
    bot_log = (ARTIFACTS / "e2e-bot.log").open("w")
    playground_log = (ARTIFACTS / "e2e-playground.log").open("w")
    env = bot_environment(world, database_url=database_url, port=bot_port)
    bot = start_bot(env, ROOT, bot_log)
    playground = start_playground(
        playground_bin(E2E_DIR),
        bot_port=bot_port,
        port=playground_port,
        workdir=workdir,
        log_file=playground_log,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{bot_port}/healthz", 60, bot)
        wait_for_http(f"http://127.0.0.1:{playground_port}/", 60, playground)
        yield Stack(
            world,
            f"http://127.0.0.1:{bot_port}",
            f"http://127.0.0.1:{playground_port}/",
            database_url,
        )
    finally:
        stop(playground)
        stop(bot)
        bot_log.close()
        playground_log.close()


# Module scope: Playwright's sync API holds an event loop in this thread while it runs,
# which the asyncio tests collected after these must not find.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if missing_pieces():
        pytest.skip("end-to-end tests need Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PlaygroundPage:
    """The Playground's page, as a person would use it."""

    def __init__(self, page: Any, name: str) -> None:
        self.page = page
        self.name = name

    def screenshot(self, moment: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{moment}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def open_chat(self, label: str) -> None:
        self.page.get_by_text(label, exact=True).first.click()

    def say(self, text: str) -> None:
        box = self.page.locator('[data-lexical-editor="true"]').first
        box.click()
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def expect_text(self, text: str | re.Pattern[str], timeout: float = 15_000) -> Any:
        from playwright.sync_api import expect

        locator = self.page.get_by_text(text).last
        expect(locator).to_be_visible(timeout=timeout)
        return locator


@pytest.fixture
def playground(
    stack: Stack, browser: Any, request: pytest.FixtureRequest
) -> Iterator[PlaygroundPage]:
    context = browser.new_context(locale="nb-NO", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(stack.playground_url, wait_until="networkidle")
    # The log panel repeats message texts; hide it so only the conversation is searched.
    page.get_by_role("button", name="Hide log panel").click()
    name = request.node.name.replace("/", "_")
    wrapper = PlaygroundPage(page, name)
    try:
        yield wrapper
    finally:
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            wrapper.screenshot("failure")
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
