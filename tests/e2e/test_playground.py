"""End to end in Microsoft's Agents Playground, driven in headless Debian Chromium.

The Playground hosts a Teams-like page and acts as the Bot Connector, so the
real `medvirk serve` talks to it exactly as to Teams. Screenshots of the key
moments go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import CliError
from bot.try_local import LocalTeams, playground_binary
from dialogs.i18n import t

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TODAY = date.today()
ANSWERS = [
    "Brukerpanel for ny poliklinikk",
    "Fire møter om pasientforløp og informasjonsmateriell.",
    "2",  # service development
    "System level",
    "patient",
    "2",
    (TODAY + timedelta(days=60)).isoformat(),
    "skip",
    "digital",
    "4 meetings of 2 hours",
    "Hjerteklinikken",
    "yes",
    "4410",
    (TODAY + timedelta(days=30)).isoformat(),
]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        playground_binary(install=False)
    except CliError:
        return "the Agents Playground is not installed (npm ci in tests/e2e)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="module")
def teams(tmp_path_factory) -> Iterator[LocalTeams]:
    problem = _missing()
    if problem:
        if IN_CI:
            pytest.fail(f"end-to-end tests must run in CI: {problem}")
        pytest.skip(problem)
    local = LocalTeams(tmp_path_factory.mktemp("playground"))
    local.start()
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture(scope="module")
def page(teams):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(20_000)
        page.goto(teams.playground_url, wait_until="networkidle")
        yield page
        browser.close()


def say(page, text: str) -> None:
    box = page.locator('[data-lexical-editor="true"]').first
    box.click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_order_in_personal_chat(page) -> None:
    page.get_by_text("Personal Chat").first.click()
    page.get_by_text("Hei! Jeg er").first.wait_for()
    say(page, "order")
    for number, answer in enumerate(ANSWERS, start=1):
        page.get_by_text(f"Question {number} of 14").last.wait_for()
        if number == 3:
            shot(page, "order-in-progress")
        say(page, answer)
    page.get_by_text("Check your request").last.wait_for()
    shot(page, "order-summary")
    # The card's button (the composer's send icon is also a "Send" button, without text).
    page.get_by_role("button").filter(has_text=re.compile(r"^Send$")).last.click()
    page.get_by_text("Your request has been sent").last.wait_for()
    reference = page.get_by_text(re.compile(r"BM-\d{4}-\d{4}")).last
    reference.wait_for()
    assert re.search(r"BM-\d{4}-0001", reference.inner_text())
    shot(page, "order-receipt")


def test_claim_in_the_channel(page) -> None:
    page.get_by_text("Bestillinger").first.click()
    page.get_by_role("button", name="Post").wait_for()
    page.locator('[data-lexical-editor="true"]').first.click()
    # In a channel the bot hears only what @mentions it: pick it from the suggestions.
    page.keyboard.type("@medv")
    page.get_by_role("menuitem").filter(has_text="medvirk").first.click()
    page.keyboard.type(" register channel")
    page.get_by_role("button", name="Post").click()
    try:
        page.get_by_text("priority team's channel").last.wait_for()
    finally:
        shot(page, "channel-registered")
    # The open request is posted by the outbox within a tick or two.
    page.get_by_text("Brukerpanel for ny poliklinikk").last.wait_for(timeout=30_000)
    shot(page, "channel-card")
    page.get_by_role("button", name="Ta bestillingen").last.click()
    # The card changes in place: owner, status, and the owner's buttons.
    page.get_by_role("button", name="Slipp").last.wait_for()
    page.get_by_text("Tatt", exact=True).last.wait_for()
    assert page.get_by_role("button", name="Ta bestillingen").count() == 0
    shot(page, "channel-card-claimed")


def test_reminder_arrives(page, teams) -> None:
    # Subscribe explicitly (installing already subscribed): the groups card comes back.
    page.get_by_text("Personal Chat").first.click()
    say(page, "subscribe")
    page.get_by_text(t("en", "subscribe.done")).last.wait_for()
    shot(page, "subscribed")
    starts = (datetime.now(UTC) + timedelta(hours=2, seconds=5)).isoformat()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "gathering",
            "add",
            "--title",
            "Nettverkssamling for kontakter",
            "--starts",
            starts,
            "--place",
            "Auditoriet",
            "--remind",
            "2h",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": teams.database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    page.get_by_text("Personal Chat").first.click()
    page.get_by_text("Reminder: Nettverkssamling for kontakter").last.wait_for(timeout=30_000)
    shot(page, "reminder")
    page.get_by_role("button", name="Coming", exact=True).last.click()
    page.get_by_text(re.compile("noted that you are coming|notert at du kommer")).last.wait_for()
    shot(page, "reminder-rsvp")
