"""A commissioner outside the hospital, end to end: in headless Chromium they
open `/order`, confirm their address from the e-mail a loopback SMTP server
received, fill the form with one mistake of each kind and correct them, and
send; the card appears in the outside-orders desk's channel; a member claims
it and invites a participant, who says yes on their page in Chromium; the
commissioner's e-mail names them; the owner files the fee claim, the
participant confirms it, and the month's EHF invoice to the commissioner
validates against UBL 2.1 and the Peppol BIS 3.0 rules. Screenshots of the
form and the summary at phone width go to test-artifacts/web-order/."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.app import SENDER
from storage import fee_claims as claims
from storage import pool
from storage.db.models import Commissioner, Desk, Request
from storage.requests.moves import Actor
from tests.e2e.test_pages_a11y import CHROMIUM, CHROMIUM_ARGS, _missing
from tests.support.channel import card_of
from tests.support.cli import medvirk
from tests.support.desks import ALREK_CHANNEL, ALREK_MEMBER, ALREK_TEAM, alrek_member, two_desks
from tests.support.env import IN_CI
from tests.support.fee_claim_builders import RATES
from tests.support.schematron import assert_valid
from tests.support.smtp import parts

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web-order"
IDENTITY = "15076500565"
ORDERER = "kari.planlegger@bergen.kommune.no"
TERMS = """example = false
name = "Alrek 2027"
hourly = 500

[invoice]
seller_name = "Alrek helseklynge"
org_number = "983974724"
street = "Årstadveien 17"
postcode = "5009"
city = "Bergen"
account = "8601.11.17947"
foretaksregisteret = true
price_per_assignment = 1500
"""


def _mailed(smtp, to: str, pattern: str) -> list[str]:
    found = []
    for message in smtp.inbox.messages:
        if message["To"] == to or message["To"].endswith(f"<{to}>"):
            found += re.findall(pattern, parts(message)["text/plain"])
    return found


async def _press(page: Any, selector: str, status: int = 200) -> None:
    async with page.expect_navigation() as navigation:
        await page.locator(selector).click()
    response = await navigation.value
    assert response.status == status, (selector, response.status, await page.content())


async def _fill(
    page: Any, today: Any, *, start: str, count: str, description: str, org: str
) -> None:
    for name, value in {
        "title": "Tjenesteplan for hjemmetjenester",
        "description": description,
        "participant_count": count,
        "start_date": start,
        "end_date": (today + timedelta(days=90)).isoformat(),
        "workload": "Tre møter à to timer",
        "unit_other": "Etat for hjemmetjenester",
        "needed_by": (today + timedelta(days=20)).isoformat(),
        "name": "Kari Planlegger",
        "org_name": "Bergen kommune",
        "org_number": org,
        "invoice_email": "faktura@bergen.kommune.no",
        "buyer_reference": "Plan 2027",
    }.items():
        await page.fill(f"#f-{name}", value)
    for name, value in {
        "assignment_type": "planning",
        "level": "service",
        "participant_profile": "next_of_kin",
        "meeting_format": "physical",
    }.items():
        await page.select_option(f"#f-{name}", value)
    await page.check("#f-honorarium_ack")


async def test_a_commissioner_orders_and_is_invoiced(start_bot, smtp, clock, tmp_path) -> None:
    problem = _missing()
    if problem:
        if IN_CI:
            pytest.fail(f"the end-to-end tests must run in CI: {problem}")
        pytest.skip(problem)
    from playwright.async_api import async_playwright

    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, MEDVIRK_SMTP_RATE="1000")
    rates = tmp_path / "alrek.toml"
    rates.write_text(TERMS, encoding="utf-8")
    alrek = await two_desks(bot)
    async with bot.db.transaction() as session:
        await session.execute(
            update(Desk)
            .where(Desk.id == alrek)
            .values(outside_orders=True, invoices=True, rates_path=str(rates))
        )
    bot.services.desks.forget()
    today = clock.now().date()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await chromium.new_page(viewport={"width": 320, "height": 800})
        page.set_default_timeout(60_000)
        await page.set_extra_http_headers({"Accept-Language": "nb-NO,nb;q=0.9"})
        try:
            await page.goto(f"{bot.url}/order")
            await page.fill("#f-email", ORDERER)
            await _press(page, 'button[name="want"][value="form"]')
            await bot.app[SENDER].drain()
            (link,) = _mailed(smtp, ORDERER, r"https?://\S+(/order/[^\s\"<]+)")
            await page.goto(bot.url + link)

            await _fill(
                page,
                today,
                start=(today - timedelta(days=1)).isoformat(),
                count="0",
                description=f"Gjelder pasient {IDENTITY}",
                org="964338532",
            )
            await _press(page, 'button[name="action"][value="review"]', status=400)
            shown = await page.content()
            assert IDENTITY not in shown
            for name in ("start_date", "participant_count", "description", "org_number"):
                assert f'id="e-{name}"' in shown, name
            await page.screenshot(path=str(ARTIFACTS / "form-errors-320.png"), full_page=True)
            await _fill(
                page,
                today,
                start=(today + timedelta(days=30)).isoformat(),
                count="1",
                description="Vi vil høre pårørende om hjemmetjenestene.",
                org="964 338 531",
            )
            await _press(page, 'button[name="action"][value="review"]')
            await page.screenshot(path=str(ARTIFACTS / "summary-320.png"), full_page=True)
            await _press(page, 'button[name="action"][value="send"]')
            (reference,) = set(re.findall(r"BM-\d{4}-\d{4}", await page.content()))

            # The card in the outside-orders desk's channel; a member claims it.
            await bot.app[SENDER].drain()
            posts = [s for s in bot.connector.sent if s.method == "create" and s.card]
            assert [p.conversation_id for p in posts] == [ALREK_CHANNEL]
            assert reference in str(posts[0].card) and "Bestilt utenfra" in str(posts[0].card)
            async with bot.db.sessions() as session:
                request = await session.scalar(
                    select(Request).where(Request.reference == reference)
                )
            assert request is not None
            member = alrek_member(bot)
            where = {"channel_id": ALREK_CHANNEL, "team_id": ALREK_TEAM}
            card_of(await member.invoke("claim", {"request_id": request.id}, **where))

            # A participant of the desk's pool is invited and says yes on their page.
            async with bot.db.transaction() as session:
                values = pool.validate(
                    {"name": "Per Pasient", "email": "per@example.com", "roles": "next_of_kin",
                     "formats": "physical"},
                    areas=(),
                )  # fmt: skip
                person = await pool.add(session, values, added_by="test", now=clock.now())
                person.desk_id = alrek
                await pool.consent(session, person, channel="email", now=clock.now())
                person_id = person.id
            invite = {"request_id": request.id, "participant_id": person_id}
            card_of(await member.invoke("invite", invite, **where))
            await bot.app[SENDER].drain()
            (invitation,) = _mailed(smtp, "per@example.com", r"https?://\S+(/p/\S+/i/\d+)")
            await page.goto(bot.url + invitation)
            await _press(page, 'button[name="answer"][value="yes"]')
            await bot.app[SENDER].drain()
        finally:
            await chromium.close()

    # The commissioner hears who said yes, and how to reach them.
    matched = [m for m in smtp.inbox.messages if m["Subject"] == "Brukermedvirkere har sagt ja"]
    assert len(matched) == 1 and "Per Pasient" in parts(matched[0])["text/plain"]
    assert "per@example.com" in parts(matched[0])["text/plain"]

    # Done: the owner files the fee claim, the participant confirms it, and the
    # desk (which pays and invoices) invoices the commissioner for the month.
    async with bot.db.transaction() as session:
        await session.execute(
            update(Request).where(Request.id == request.id).values(status="completed")
        )
    filed = await claims.file(
        bot.db, Actor(ALREK_MEMBER[0], ALREK_MEMBER[1]), request.id, person_id,
        {"meetings": 3, "hours": 6}, rates=RATES, now=clock.now(),
    )  # fmt: skip
    await claims.confirm(
        bot.db, claims.Confirmer.on_page(person_id), filed.claim.id, filed.claim.revision,
        payroll_email="lonn@alrek.no", now=clock.now(),
    )  # fmt: skip
    out = tmp_path / "invoices"
    done = medvirk(bot.db.url, "invoices", clock.now().strftime("%Y-%m"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    async with bot.db.sessions() as session:
        bergen = await session.scalar(select(Commissioner))
    assert bergen is not None and bergen.org_number == "964338531"
    (xml,) = list(out.glob("*.xml"))
    data = xml.read_bytes()
    assert_valid(data)
    assert reference.encode() in data
