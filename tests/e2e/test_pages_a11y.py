"""Every page the public can open passes axe-core (WCAG 2.1 A and AA) in
headless Debian Chromium at 320 px and at desktop width, with no sideways
scrolling, in bokmål, nynorsk and English.

The pages are reached the way a person reaches them: the app is driven
through its real HTTP interfaces (the channel's cards, the pages' forms), the
links are taken from the e-mails it sends to a real SMTP server on loopback,
and the browser presses the pages' own buttons. Links are read from the mails
and never built here (their format is the app's business; `_own_data_link`
is the one place that knows how a person comes to the page with their data),
except where no mail carries one: a bad link is a mailed one with its token
altered. A screenshot of each page at 320 px goes to test-artifacts/a11y/.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.app import SENDER, SERVICES, create_app
from bot.cli.try_local import free_port
from bot.features.reminders.gathering_evaluation import evaluation_url
from bot.features.reminders.open_registration import open_link
from storage import desks
from storage import reminders as store
from storage.db.models import Gathering, Participant
from storage.domain.clock import FixedClock
from storage.reminders import registrations
from tests.support.channel import card_of, seed_request, setup_channel
from tests.support.env import IN_CI, OSLO
from tests.support.fake_connector import FakeConnector
from tests.support.harness import Harness, make_settings
from tests.support.participants import coordinator, form_token, open_and_answer
from tests.support.reminders import add_gathering, add_survey
from tests.support.smtp import SmtpServer, parts
from tests.support.teams import TeamsClient

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "a11y"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCALES = ("nb", "nn", "en")
ACCEPT_LANGUAGE = {"nb": "nb-NO,nb;q=0.9", "nn": "nn-NO,nn;q=0.9", "en": "en-GB,en;q=0.9"}
# WCAG 2.1's reflow criterion (1.4.10) at 320 CSS px, and a desktop.
WIDTHS = (320, 1280)
HEIGHT = 800
START = datetime(2026, 11, 23, 10, 0, tzinfo=OSLO)
INVITATION_DAYS = 7
GATHERING = "Nettverkssamling for brukermedvirkere og kontakter"
SURVEY = "Årlig spørreundersøkelse om brukermedvirkning"
REGISTERING = "Fagdag om brukermedvirkning i tjenesteutvikling, med påmelding"
# Passes both mod-11 checks: the evaluation page refuses it in a comment.
IDENTITY_NUMBER = "15076500565"
TITLE = "Brukerpanel for ny poliklinikk for hjertesvikt og hjerterehabiliteringsforløp"
PAYROLL = "lonn@example.com"
# "Send me a link to my data", on any of a person's pages (dialogs/templates/_base.html).
DATA_LINK_FORM = "section.data-link form"
DATA_LINK_FORM_HTML = (
    r'<section class="data-link"[^>]*>[\s\S]*?<form method="post" action="([^"]+)"'
)


def _long_person(locale: str) -> dict[str, Any]:
    """Someone whose name, address and areas are as long as real ones get."""
    tag = "" if locale == "nb" else f".{locale}"
    return {
        "name": "Anne-Marie Kristiansen-Haugland Solheim-Bergersen",
        "email": f"anne-marie.kristiansen-haugland{tag}@helse-bergen-samarbeidspartner.example.no",
        "phone": {"nb": "+47 912 34 567", "nn": "+47 912 34 568", "en": "+44 20 7946 0958"}[locale],
        "roles": "patient,next_of_kin,user_organisation",
        "areas": "cancer,mental_health,substance_use,children_youth,elderly,"
        "chronic_illness,rehabilitation",
        "formats": "physical,digital,hybrid",
        # Their page speaks the first of their languages in the order nb, nn, en.
        "languages": {"nb": "nb,nn,en", "nn": "nn,en", "en": "en"}[locale],
        "organisation": "Landsforeningen for hjerte- og lungesyke, Vestland fylkeslag",
        "municipality": "Kristiansund",
        "availability": "Ettermiddager og kvelder, helst digitalt; ikke i skoleferiene",
    }


# -- the app, the mail and the browser --------------------------------------------------------


@dataclass
class World:
    bot: Harness
    clock: FixedClock
    smtp: SmtpServer
    http: aiohttp.ClientSession
    # (what, locale) → the link a person has, from their mail
    links: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.bot.url

    def mails_since(self, seen: int, to: str) -> list[tuple[str, list[str]]]:
        """The mails to `to` after the first `seen`: each one's text and the
        app's links in it, in the order they stand (the link a mail is about
        comes first; a calendar file is not a page)."""
        found = []
        for message in self.smtp.inbox.messages[seen:]:
            if not (message["To"] == to or message["To"].endswith(f"<{to}>")):
                continue
            text = parts(message)["text/plain"]
            links = [
                link
                for link in re.findall(r"https?://[^\s\"<>]+", text)
                if link.startswith(self.base) and "/calendar/" not in link
            ]
            found.append((text, links))
        return found

    async def step(self, to: str, action: Awaitable[Any] | None = None) -> str:
        """Do `action`, let the outbox send, and give the link of the mail to `to`."""
        seen = len(self.smtp.inbox.messages)
        if action is not None:
            await action
        await self.bot.app[SENDER].drain()
        mailed = [links[0] for _, links in self.mails_since(seen, to) if links]
        assert len(mailed) == 1, f"{len(mailed)} mails with a link to {to}"
        return mailed[0]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core is not installed (npm ci in tests/e2e)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    problem = _missing()
    if problem:
        if IN_CI:
            pytest.fail(f"the accessibility tests must run in CI: {problem}")
        pytest.skip(problem)
    smtp = SmtpServer().start()
    connector = FakeConnector()
    await connector.start()
    clock = FixedClock(START)
    port = free_port()
    folder = tmp_path_factory.mktemp("a11y")
    settings = make_settings(
        f"sqlite+aiosqlite:///{folder / 'medvirk.db'}",
        MEDVIRK_SMTP_URL=smtp.url,
        MEDVIRK_MAIL_FROM="brukermedvirkning@example.org",
        MEDVIRK_PUBLIC_URL=f"http://127.0.0.1:{port}",
        MEDVIRK_PAYROLL_EMAIL=PAYROLL,
        MEDVIRK_INVITATION_DAYS=INVITATION_DAYS,
        # The server on loopback takes mail as fast as it comes.
        MEDVIRK_SMTP_RATE=1000,
    )
    app = create_app(settings, clock=clock, run_scheduler=False)
    server = TestServer(app, port=port)
    await server.start_server()
    http = aiohttp.ClientSession()
    bot = Harness(app, server, TeamsClient(http, str(server.make_url("")).rstrip("/"), connector))
    try:
        world = World(bot, clock, smtp, http)
        await _people_and_their_links(world)
        yield world
    finally:
        await http.close()
        await server.close()
        await connector.close()
        smtp.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser(world: World) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await chromium.new_page(viewport={"width": WIDTHS[0], "height": HEIGHT})
        # Room for a loaded 2-core machine: a page answers in well under a second alone.
        page.set_default_timeout(60_000)
        # Into every document the tab opens (the pages' CSP allows no script of ours).
        await page.add_init_script(path=AXE)
        try:
            yield page
        finally:
            await chromium.close()


# -- making the people, the way the team and the people themselves do ------------------------


def _address(what: str, locale: str) -> str:
    return f"{what}.{locale}@example.com"


async def _card(reply: Awaitable[Any]) -> None:
    card_of(await reply)


async def _add(world: World, what: str, locale: str, **fields: Any) -> tuple[str, str]:
    """A coordinator adds someone with the channel's form: their address and
    the link of the consent request mailed to them."""
    person = {
        "name": f"{what.capitalize()} Pasient",
        "email": _address(what, locale),
        "roles": "patient",
        "areas": "cancer",
        "formats": "physical,digital",
        "languages": locale,
        **fields,
    }
    added = coordinator(world.bot).invoke("add_participant", person)
    return person["email"], await world.step(person["email"], _card(added))


async def _said_on_page(world: World, link: str, **form: str) -> None:
    """Open the page and send its form with these fields, as a browser would."""
    status, page = await open_and_answer(world.http, link, **form)
    assert status == 200, page


async def _own_data_link(world: World, email: str, consent_link: str) -> str:
    """The link that opens the page with a person's data: "send me a link to
    my data" pressed on their consent page once they have said yes, and read
    from the mail. (On main before the links branch, h-links, there is no such
    button: the consent link itself opens that page.)"""
    async with world.http.get(consent_link) as resp:
        assert resp.status == 200, await resp.text()
        page = await resp.text()
    ask = re.search(DATA_LINK_FORM_HTML, page)
    if ask is None:
        return consent_link
    sent = world.http.post(f"{world.base}{ask.group(1)}", data={"form": form_token(page)})
    return await world.step(email, _posted(sent))


async def _with_own_data_link(
    world: World, what: str, locale: str, **fields: Any
) -> tuple[str, str]:
    """Added, said yes, and asked for the link to their data: their consent
    link and that link."""
    email, consent = await _add(world, what, locale, **fields)
    await _said_on_page(world, consent, answer="yes")
    return consent, await _own_data_link(world, email, consent)


async def _posted(sending: Any) -> None:
    async with sending as resp:
        assert resp.status == 200, await resp.text()


async def _consented(world: World, what: str, locale: str, **fields: Any) -> tuple[int, str]:
    """Added, and said yes on the consent page: their id and their address."""
    email, link = await _add(world, what, locale, **fields)
    await _said_on_page(world, link, answer="yes")
    async with world.bot.db.sessions() as session:
        participant = await session.scalar(select(Participant).where(Participant.email == email))
    assert participant is not None and participant.status == "active"
    return participant.id, email


async def _invited(world: World, request_id: int, participant: tuple[int, str]) -> str:
    """The coordinator presses "invite": the invitation link mailed."""
    participant_id, email = participant
    invite = coordinator(world.bot).invoke(
        "invite", {"request_id": request_id, "participant_id": participant_id}
    )
    return await world.step(email, _card(invite))


async def _claimed(world: World, participant_count: int) -> int:
    request_id = await seed_request(
        world.bot.db, world.clock, title=TITLE, participant_count=participant_count
    )
    await world.bot.app[SENDER].drain()
    card_of(await coordinator(world.bot).invoke("claim", {"request_id": request_id}))
    return request_id


async def _matched(world: World, participant: tuple[int, str]) -> tuple[int, str]:
    """Invited to a request for one, and said yes: the request, and the link
    of the documents to sign mailed after the match."""
    request_id = await _claimed(world, participant_count=1)
    invitation = await _invited(world, request_id, participant)
    said_yes = _said_on_page(world, invitation, answer="yes")
    return request_id, await world.step(participant[1], said_yes)


async def _people_and_their_links(world: World) -> None:
    bot, links = world.bot, world.links
    await setup_channel(bot)
    # A desk that takes orders from outside: the web order form's.
    async with bot.db.transaction() as session:
        await desks.add(
            session,
            desks.NewDesk(
                "alrek", "Alrek ressurssenter for brukermedvirkning", outside_orders=True
            ),
            now=world.clock.now(),
        )
    await coordinator(bot).say("hjelp")  # the owner's chat, for their notices
    requester = bot.teams.user("Rita Rekvirent", "aad-requester")
    for_many = await _claimed(world, participant_count=20)
    for locale in LOCALES:
        _, links["consent", locale] = await _add(world, "consent", locale)
        _, links["declines", locale] = await _add(world, "declines", locale)
        links["consented", locale], links["own", locale] = await _with_own_data_link(
            world, "own", locale, **_long_person(locale)
        )
        _, links["withdraws", locale] = await _with_own_data_link(world, "withdraws", locale)
        links["invitation", locale] = await _invited(
            world, for_many, await _consented(world, "invited", locale)
        )
        links["answers", locale] = await _invited(
            world, for_many, await _consented(world, "answers", locale)
        )
        _, links["documents", locale] = await _matched(
            world, await _consented(world, "signs", locale)
        )

        # Matched, signed and completed: the evaluation and the fee claim.
        works = await _consented(world, "works", locale)
        done, documents = await _matched(world, works)
        await _said_on_page(world, documents, answer="signed")
        complete = coordinator(bot).invoke(
            "set_status", {"request_id": done, "status": "completed"}
        )
        links["evaluation", locale] = await world.step(works[1], _card(complete))
        claim = requester.invoke(
            "confirm_participation",
            {
                "request_id": done,
                "participant_id": works[0],
                "meetings": "4",
                "hours": "8.5",
                "travel_nok": "640",
            },
            in_channel=False,
        )
        links["claim", locale] = await world.step(works[1], _card(claim))

    # Reminders by e-mail, with links for "coming", "not coming", "I have answered",
    # to contacts with only an address (as an admin's `contacts import` makes them).
    for locale in LOCALES:
        async with bot.db.transaction() as session:
            await store.upsert_contact(
                session,
                key=f"mail:{_address('contact', locale)}",
                aad_object_id=None,
                name=f"Kontakt {locale}",
                locale=locale,
                now=world.clock.now(),
                groups=["participants"],
                email=_address("contact", locale),
            )
    now = world.clock.now()
    seen = len(world.smtp.inbox.messages)
    await add_gathering(
        bot,
        world.clock,
        title=GATHERING,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=6),
        register_by=None,
        register_url=None,
        remind=store.parse_offsets("3d", "--remind"),
        remind_register=(),
    )
    # A gathering taking registrations in medvirk (its registration reminder is due now).
    registering = await add_gathering(
        bot,
        world.clock,
        title=REGISTERING,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=6),
        register_by=now + timedelta(days=2),
        register_url=None,
        remind=[],
        remind_register=store.parse_offsets("2d", "--remind-register"),
        questions=["attend_mode", "diet", "access", "travel"],
        open_registration=True,
    )
    await add_survey(
        bot,
        world.clock,
        title=SURVEY,
        closes_at=now + timedelta(days=2),
        remind=store.parse_offsets("2d", "--remind"),
    )
    await bot.tick()
    await bot.app[SENDER].drain()
    for locale in LOCALES:
        mailed = world.mails_since(seen, _address("contact", locale))
        (gathering,) = [found for text, found in mailed if GATHERING in text]
        (survey,) = [found for text, found in mailed if SURVEY in text]
        links["coming", locale], links["not_coming", locale] = gathering[:2]
        links["answered", locale] = survey[0]
        (registering_mail,) = [found for text, found in mailed if REGISTERING in text]
        (links["registration", locale],) = [u for u in registering_mail if "/g/" in u]
    await _gathering_day_links(world, registering)


async def _gathering_day_links(world: World, gathering_id: int) -> None:
    """The open registration link, and for each locale's contact an evaluation
    link of a day they came to (registered and checked in)."""
    links = await world.bot.app[SERVICES].links.get()
    now = world.clock.now()
    async with world.bot.db.transaction() as session:
        gathering = await session.get_one(Gathering, gathering_id)
        for locale in LOCALES:
            world.links["open_registration", locale] = open_link(links, gathering)
            address = f"came-{locale}@example.org"
            contact = await store.upsert_contact(
                session, key=f"mail:{address}", aad_object_id=None, name="Kari Kom",
                locale=locale, now=now, email=address,
            )  # fmt: skip
            registration = await registrations.register(session, gathering_id, contact, {
                "attend_mode": "in_person"
            }, now=now)  # fmt: skip
            registration.attended_at = now
            world.links["gathering_evaluation", locale] = evaluation_url(
                links, gathering, registration
            )


# -- the pages, and what a person does on them ------------------------------------------------

Visit = Callable[[Any, World, str], AsyncIterator[str]]
VISITS: dict[str, Visit] = {}


def visit(function: Visit) -> Visit:
    """A page (and what follows from its buttons): yields the name of each
    state the browser is in, to be checked."""
    VISITS[function.__name__] = function
    return function


async def _open(page: Any, url: str, status: int = 200) -> None:
    response = await page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)


async def _press(page: Any, selector: str, status: int = 200) -> None:
    """Press a form's button; the page the answer comes back as."""
    async with page.expect_navigation() as navigation:
        await page.locator(selector).click()
    response = await navigation.value
    assert response.status == status, (selector, response.status, await page.content())


def _answer(value: str) -> str:
    return f'button[name="answer"][value="{value}"]'


@visit
async def consent(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["consent", locale])
    yield "consent"


@visit
async def consent_declined(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["declines", locale])
    await _press(page, _answer("no"))
    yield "consent-declined"


@visit
async def own_data(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["own", locale])
    yield "own-data"
    save = 'form:has(input[name="answer"][value="update"]) button[type="submit"]'
    phone = page.locator('input[name="phone"]')
    kept = await phone.input_value()
    await phone.fill("12")
    await _press(page, save, status=400)
    yield "own-data-refused"
    await page.locator('input[name="phone"]').fill(kept)
    await _press(page, save)
    yield "own-data-saved"
    await _press(page, _answer("pause"))
    yield "own-data-paused"


@visit
async def consent_answered(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    """The consent link once used, and "send me a link to my data" pressed
    on it (where the page offers it: see `_own_data_link`)."""
    await _open(page, world.links["consented", locale])
    yield "consent-answered"
    if await page.locator(DATA_LINK_FORM).count():
        await _press(page, f"{DATA_LINK_FORM} button")
        yield "data-link-sent"


@visit
async def withdrawn(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["withdraws", locale])
    await _press(page, _answer("withdraw"))
    yield "withdrawn"


@visit
async def invitation(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["invitation", locale])
    yield "invitation-open"
    with _at(world, START + timedelta(days=INVITATION_DAYS, hours=1)):
        await _open(page, world.links["invitation", locale])
    assert await page.locator(_answer("yes")).count() == 0, "still open"
    yield "invitation-expired"


@visit
async def invitation_answered(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["answers", locale])
    await _press(page, _answer("yes"))
    yield "invitation-accepted"


@visit
async def documents(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["documents", locale])
    yield "documents"
    await _press(page, _answer("signed"))
    yield "documents-signed"


@visit
async def fee_claim(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["claim", locale])
    yield "fee-claim"
    await _press(page, _answer("yes"))
    yield "fee-claim-confirmed"


@visit
async def evaluation(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["evaluation", locale])
    yield "evaluation"
    await page.locator('input[name="rating"][value="4"]').check()
    await page.locator('input[name="fee_info_clear"][value="yes"]').check()
    await page.locator('textarea[name="comment"]').fill(f"Mitt nummer er {IDENTITY_NUMBER}")
    await _press(page, _answer("evaluate"), status=400)
    yield "evaluation-refused"
    await page.locator('input[name="rating"][value="4"]').check()
    await page.locator('input[name="fee_info_clear"][value="yes"]').check()
    await page.locator('textarea[name="comment"]').fill("Jeg ble godt tatt imot.")
    await _press(page, _answer("evaluate"))
    yield "evaluation-answered"


@visit
async def registration(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["registration", locale])
    yield "registration"
    await _press(page, 'button[name="action"][value="register"]', status=400)
    yield "registration-errors"
    await page.check('input[name="attend_mode"][value="in_person"]')
    await page.fill("#f-diet", "Vegetar, ingen nøtter")
    await _press(page, 'button[name="action"][value="register"]')
    assert "door-code" in await page.content()
    yield "registration-registered"
    await _press(page, 'button[name="action"][value="cancel"]')
    yield "registration-cancelled"


@visit
async def open_registration(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["open_registration", locale])
    yield "open-registration"
    await page.fill("#f-name", "Ola Ukjent")
    await _press(page, 'form button[type="submit"]', status=400)
    yield "open-registration-errors"


@visit
async def gathering_evaluation(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["gathering_evaluation", locale])
    yield "gathering-evaluation"
    await page.check('input[name="rating"][value="4"]')
    await page.fill("#f-comment", "En lærerik dag.")
    await _press(page, 'form button[type="submit"]')
    yield "gathering-evaluation-answered"


@visit
async def reminder_coming(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["coming", locale])
    yield "reminder-coming"
    await _press(page, 'form button[type="submit"]')
    yield "reminder-coming-noted"


@visit
async def reminder_not_coming(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["not_coming", locale])
    yield "reminder-not-coming"


@visit
async def reminder_answered(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["answered", locale])
    yield "reminder-answered"
    await _press(page, 'form button[type="submit"]')
    yield "reminder-answered-noted"


@visit
async def bad_link(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    # No mail carries a broken link: a mailed one with its token altered.
    link = world.links["consent", locale]
    token = max(link.split("/"), key=len)
    await _open(page, link.replace(token, token[:-2] + "xx"), status=404)
    yield "bad-link"


@visit
async def expired_link(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    with _at(world, START + timedelta(days=400)):
        await _open(page, world.links["consent", locale], status=410)
    yield "expired-link"


@visit
async def stale_form(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    await _open(page, world.links["consent", locale])
    # A form whose proof no longer fits (sent after an hour, or from another page).
    proof = page.locator(f'form:has({_answer("yes")}) input[name="form"]')
    await proof.evaluate("input => { input.value = 'stale'; }")
    await _press(page, _answer("yes"), status=400)
    yield "stale-form"


def _orderer(locale: str) -> str:
    return f"bestiller.{locale}@example.org"


async def _order_link(page: Any, world: World, locale: str, want: str) -> AsyncIterator[str]:
    """The web order form's first page, then its link asked for as a person does."""
    await _open(page, f"{world.base}/order")
    yield "order-start"
    await _press(page, f'button[name="want"][value="{want}"]', status=400)
    yield "order-start-errors"
    seen = len(world.smtp.inbox.messages)
    await page.fill("#f-email", _orderer(locale))
    await _press(page, f'button[name="want"][value="{want}"]')
    yield "order-link-sent"
    await world.bot.app[SENDER].drain()
    ((_, (world.links["order", locale], *_)),) = world.mails_since(seen, _orderer(locale))


async def _fill_order(page: Any, *, start: str, count: str, description: str, org: str) -> None:
    later = (START + timedelta(days=60)).date().isoformat()
    for name, value in {
        "title": "Brukerråd for ny plan for hjemmetjenester i bydelen",
        "description": description,
        "participant_count": count,
        "start_date": start,
        "end_date": later,
        "workload": "Tre møter à to timer",
        "unit_other": "Etat for hjemmetjenester, Bergenhus og Årstad",
        "needed_by": (START + timedelta(days=14)).date().isoformat(),
        "name": "Kari Planlegger",
        "org_name": "Bergen kommune",
        "org_number": org,
        "invoice_email": "faktura@bergen.kommune.no",
    }.items():
        await page.fill(f"#f-{name}", value)
    for name, value in {
        "assignment_type": "planning",
        "level": "service",
        "participant_profile": "next_of_kin",
        "meeting_format": "hybrid",
    }.items():
        await page.select_option(f"#f-{name}", value)
    await page.check("#f-honorarium_ack")


@visit
async def web_order(page: Any, world: World, locale: str) -> AsyncIterator[str]:
    async for state in _order_link(page, world, locale, "form"):
        yield state
    await _open(page, world.links["order", locale])
    yield "order-form"
    # One mistake of each kind: a past date, 0 participants, an identity number
    # in the description, an organisation number that fails mod 11.
    await _fill_order(
        page,
        start=(START - timedelta(days=1)).date().isoformat(),
        count="0",
        description=f"Gjelder pasient {IDENTITY_NUMBER}",
        org="964338532",
    )
    await _press(page, 'button[name="action"][value="review"]', status=400)
    assert IDENTITY_NUMBER not in await page.content()
    yield "order-form-errors"
    await _fill_order(
        page,
        start=(START + timedelta(days=30)).date().isoformat(),
        count="2",
        description="Vi lager en plan for hjemmetjenester og vil høre pårørende.",
        org="964 338 531",
    )
    await _press(page, 'button[name="action"][value="review"]')
    yield "order-summary"
    await _press(page, 'button[name="edit"][value="workload"]')
    yield "order-edit"
    await _press(page, 'button[name="action"][value="review"]')
    await _press(page, 'button[name="action"][value="send"]')
    assert re.search(r"BM-\d{4}-\d{4}", await page.content())
    yield "order-receipt"
    async with page.expect_navigation():
        await page.locator("a.button").click()
    yield "order-mine"


@contextmanager
def _at(world: World, moment: datetime) -> Iterator[None]:
    """The app's clock at `moment` while the page loads."""
    kept = world.clock.now()
    world.clock.set(moment)
    try:
        yield
    finally:
        world.clock.set(kept)


# -- the checks ------------------------------------------------------------------------------

AXE_RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))})))"""
# The widest of what sticks out when the page is wider than the window: boxes
# past its edge, and boxes whose content (a long word) is wider than they are.
WIDEST = r"""() => [...document.querySelectorAll("body *")]
  .map(e => ({e, right: e.getBoundingClientRect().right, inner: e.scrollWidth - e.clientWidth}))
  .filter(({e, right, inner}) => right > window.innerWidth + 0.5 || inner > 0.5
    && getComputedStyle(e).display !== "inline" && !["INPUT", "TEXTAREA"].includes(e.tagName))
  .sort((a, b) => Math.max(b.right, b.e.scrollWidth) - Math.max(a.right, a.e.scrollWidth))
  .slice(0, 3).map(({e, right}) => `${e.tagName.toLowerCase()} ${Math.round(right)}/${e.scrollWidth} px: `
    + e.textContent.replace(/\s+/g, " ").trim().slice(0, 60))"""


async def _check(page: Any, state: str, locale: str) -> list[str]:
    problems = []
    lang = await page.evaluate("document.documentElement.lang")
    if lang != locale:
        problems.append(f'{state} [{locale}]: <html lang="{lang}">, not "{locale}"')
    for width in WIDTHS:
        where = f"{state} [{locale}, {width} px]"
        await page.set_viewport_size({"width": width, "height": HEIGHT})
        if width == WIDTHS[0]:
            await page.screenshot(path=str(ARTIFACTS / f"{state}-{locale}.png"), full_page=True)
        for violation in await page.evaluate(AXE_RUN, AXE_TAGS):
            problems.append(
                f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
            )
            for node in violation["nodes"][:5]:
                summary = node["summary"].replace("\n", "\n        ")
                problems.append(f"    {node['target']}\n        {summary}")
        # The window less a vertical scroll bar, if it has one (innerWidth counts it).
        wide, window = await page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if wide > window:
            widest = "; ".join(await page.evaluate(WIDEST))
            problems.append(f"{where}: scrolls sideways, {wide} px wide: {widest}")
    return problems


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", sorted(VISITS))
async def test_the_page_passes_axe_and_fits_the_width(
    world: World, browser: Any, name: str, locale: str
) -> None:
    page = browser
    await page.set_extra_http_headers({"Accept-Language": ACCEPT_LANGUAGE[locale]})
    await page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
    states, problems = [], []
    async for state in VISITS[name](page, world, locale):
        states.append(state)
        problems += await _check(page, state, locale)
    assert states
    assert not problems, "\n" + "\n".join(problems)
