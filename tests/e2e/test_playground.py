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

from bot.cli.common import CliError
from bot.cli.try_local import LocalTeams, playground_binary
from dialogs.i18n import t
from tests.support.smtp import SmtpServer, parts

# One Playground per module, and its tests follow each other (the order made in
# the first is claimed in the second): .ci/run runs the e2e tier in one process.
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
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback: the participants' e-mails land here."""
    server = SmtpServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def teams(tmp_path_factory, smtp) -> Iterator[LocalTeams]:
    problem = _missing()
    if problem:
        if IN_CI:
            pytest.fail(f"end-to-end tests must run in CI: {problem}")
        pytest.skip(problem)
    local = LocalTeams(
        tmp_path_factory.mktemp("playground"),
        env={"MEDVIRK_SMTP_URL": smtp.url, "MEDVIRK_MAIL_FROM": "brukermedvirkning@example.org"},
    )
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
        page.get_by_text("this is now its channel").last.wait_for()
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


PHONE = {"width": 390, "height": 844}


def _links(smtp: SmtpServer, to: str, pattern: str) -> list[str]:
    found = []
    for message in smtp.inbox.messages:
        if message["To"].endswith(f"<{to}>"):
            found += re.findall(pattern, parts(message)["text/plain"])
    return found


def _wait_for_mail(
    smtp: SmtpServer, to: str, pattern: str, timeout: float = 30, newer_than: str = ""
) -> str:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        links = _links(smtp, to, pattern)
        if links and links[-1] != newer_than:
            return links[-1]
        time.sleep(0.2)
    raise AssertionError(f"no e-mail to {to} with {pattern!r}")


def _cli(teams, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": teams.database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _in_channel(page, text: str) -> None:
    page.get_by_text("Bestillinger").first.click()
    page.get_by_role("button", name="Post").wait_for()
    page.locator('[data-lexical-editor="true"]').first.click()
    page.keyboard.type("@medv")
    page.get_by_role("menuitem").filter(has_text="medvirk").first.click()
    page.keyboard.type(f" {text}")
    page.get_by_role("button", name="Post").click()


def test_a_participant_consents_is_invited_accepts_and_the_request_is_matched(
    page, teams, smtp
) -> None:
    # A coordinator adds Per in the channel; Kari comes from the CLI.
    _in_channel(page, "new participant")
    form = page.get_by_text("New participant", exact=True).last
    form.wait_for()
    page.get_by_label("Name").last.fill("Per Pasient")
    page.get_by_label("E-mail").last.fill("per.pasient@example.com")
    # The card renderer names its checkboxes by aria-label (and labelledby the set).
    page.locator('input[type=checkbox][aria-label="Patient"]').last.check()
    page.locator('input[type=checkbox][aria-label="Online"]').last.check()
    shot(page, "participant-form")
    page.get_by_role("button", name="Add", exact=True).last.click()
    page.get_by_text(re.compile("Per Pasient is added")).last.wait_for()
    _cli(
        teams,
        "participants",
        "add",
        "--name",
        "Kari Pasient",
        "--email",
        "kari@example.com",
        "--roles",
        "patient",
        "--formats",
        "digital,physical",
    )

    browser = page.context.browser
    person = browser.new_page(viewport=PHONE)
    person.set_default_timeout(20_000)
    for address in ("per.pasient@example.com", "kari@example.com"):
        link = _wait_for_mail(smtp, address, r"https?://\S+/p/[^\s/]+")
        person.goto(link)
        person.get_by_role("heading", name="Hva vi lagrer").wait_for()
        if address.startswith("per"):
            person.screenshot(path=str(ARTIFACTS / "consent-page-phone.png"), full_page=True)
        person.get_by_role("button", name="Ja, jeg samtykker").click()
        person.get_by_text("Du er nå med i utvalget").wait_for()
    # The page with her data opens from a link of its own, mailed on request.
    person.get_by_role("button", name=t("nb", "links.data_link_button")).click()
    person.get_by_text(re.compile("60 minutter")).wait_for()
    data_link = _wait_for_mail(smtp, "kari@example.com", r"https?://\S+/p/[^\s/]+", newer_than=link)
    person.goto(data_link)
    person.get_by_role("heading", name="Opplysningene dine").wait_for()
    person.screenshot(path=str(ARTIFACTS / "own-data-page-phone.png"), full_page=True)

    # The coordinator suggests on the claimed request's card and invites both.
    page.get_by_text("Bestillinger").first.click()
    page.get_by_role("button", name="Foreslå").last.click()
    page.get_by_text("Forslag til brukermedvirkere").last.wait_for()
    shot(page, "suggestions")
    for name in ("Per Pasient", "Kari Pasient"):
        page.get_by_role("button", name="Inviter").first.click()
        # The word to the presser is in their language (the Playground's: English).
        page.get_by_text(f"{name} is invited").last.wait_for()
    shot(page, "invited")

    desktop = browser.new_page(viewport={"width": 1200, "height": 900})
    for n, address in enumerate(("per.pasient@example.com", "kari@example.com")):
        link = _wait_for_mail(smtp, address, r"https?://\S+/p/\S+/i/\d+")
        target = person if n == 0 else desktop
        target.goto(link)
        target.get_by_text("Brukerpanel for ny poliklinikk").first.wait_for()
        if n == 0:
            target.screenshot(path=str(ARTIFACTS / "invitation-page-phone.png"), full_page=True)
        else:
            target.screenshot(path=str(ARTIFACTS / "invitation-page.png"), full_page=True)
        target.get_by_role("button", name="Ja, jeg vil delta").click()
        target.get_by_text("Takk for at du vil delta").wait_for()

    # The requester (here the same person) is told who said yes, with details.
    page.get_by_text("Personal Chat").first.click()
    page.get_by_text(re.compile("We have found participants for BM-")).last.wait_for(timeout=30_000)
    told = page.locator(".ac-adaptiveCard").filter(has_text="per.pasient@example.com").last
    told.wait_for()
    told.screenshot(path=str(ARTIFACTS / "requester-told.png"))
    page.get_by_text("Bestillinger").first.click()
    # The request card, changed in place for everyone: matched, and who said yes.
    matched = (
        page.locator(".ac-adaptiveCard")
        .filter(has_text=t("nb", "status.matched"))
        .filter(has_text="Per Pasient, Kari Pasient")
        .last
    )
    matched.wait_for(timeout=30_000)
    matched.scroll_into_view_if_needed()
    matched.screenshot(path=str(ARTIFACTS / "matched-card.png"))
    assert "matched" in _cli(teams, "export")
