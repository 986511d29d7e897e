"""A commissioner outside the hospital orders on the web: the address is
confirmed by its link, the form refuses each kind of mistake with its message
tied to its field, a summary with Edit, one send, the card in the desk's
channel, the receipt by e-mail; and what a hostile post gets."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import func, select, update

from bot.features.requests import web_order
from bot.jobs import housekeeping
from storage import fee_claims as claims
from storage import orders, pool
from storage.db.models import Commissioner, Desk, OrderAttempt, Request
from storage.requests.moves import Actor
from tests.support.cards import assert_valid_card
from tests.support.channel import card_of
from tests.support.desks import ALREK_CHANNEL, ALREK_MEMBER, ALREK_TEAM, alrek_member, two_desks
from tests.support.fee_claim_builders import RATES
from tests.support.order import web_order_form
from tests.support.participants import form_token, local, open_and_answer
from tests.support.smtp import parts

IDENTITY = "15076500565"


async def _outside(bot) -> int:
    alrek = await two_desks(bot)
    async with bot.db.transaction() as session:
        await session.execute(update(Desk).where(Desk.id == alrek).values(outside_orders=True))
    return alrek


def _links(smtp, to: str) -> list[str]:
    found = []
    for message in smtp.inbox.messages:
        if message["To"].endswith(f"<{to}>") or message["To"] == to:
            found += re.findall(r"https?://\S+/order/[^\s\"<]+", parts(message)["text/plain"])
    return found


async def _ask(
    http, bot, email: str, *, want: str = "form", lang: str = "nb"
) -> aiohttp.ClientResponse:
    async with http.get(f"{bot.url}/order?lang={lang}") as resp:
        assert resp.status == 200, await resp.text()
        page = await resp.text()
    data = {"form": form_token(page), "email": email, "want": want}
    return await http.post(f"{bot.url}/order?lang={lang}", data=data)


def _local(bot, url: str) -> str:
    return bot.url + url[url.index("/order/") :]


def good_form(clock, **changes: str) -> dict[str, str]:
    return web_order_form(clock.now().date(), **changes)


async def test_a_commissioner_orders_on_the_web_end_to_end(start_bot, smtp, clock) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    alrek = await _outside(bot)
    async with aiohttp.ClientSession() as http:
        resp = await _ask(http, bot, "kari.planlegger@bergen.kommune.no")
        assert resp.status == 200 and "Sjekk e-posten din" in await resp.text()
        # Nothing but the outbox row that mails the link (and the rate's hashes).
        async with bot.db.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Commissioner)) == 0
            assert await session.scalar(select(func.count()).select_from(Request)) == 0
            keys = list(await session.scalars(select(OrderAttempt.key)))
        assert len(keys) == 2 and not any("bergen" in k for k in keys)
        await bot.drain()
        (message,) = smtp.inbox.messages
        assert message["Subject"] == "Lenke til bestillingsskjemaet"
        (link,) = _links(smtp, "kari.planlegger@bergen.kommune.no")
        form_url = _local(bot, link)

        async with http.get(form_url) as resp:
            page = await resp.text()
        assert resp.status == 200 and 'name="unit_other"' in page and "<script" not in page
        assert "Alrek ressurssenter" in page  # the desk's name in the header

        # One mistake of each kind: a past date, 0 participants, an identity number
        # in the description, an organisation number that fails mod 11.
        past = (clock.now().date() - timedelta(days=1)).isoformat()
        wrong = good_form(
            clock,
            start_date=past,
            participant_count="0",
            description=f"Gjelder pasient {IDENTITY}",
            org_number="964338532",
        )
        async with http.post(
            form_url, data={"form": form_token(page), "action": "review", **wrong}
        ) as resp:
            errors = await resp.text()
        assert resp.status == 400
        for name in ("start_date", "participant_count", "description", "org_number"):
            assert f'id="e-{name}"' in errors and f'aria-describedby="e-{name}"' in errors, name
        assert IDENTITY not in errors and "fødselsnummer" in errors
        assert 'value="Brukerråd for tjenesteplan"' in errors  # the rest kept

        right = good_form(clock)
        async with http.post(
            form_url, data={"form": form_token(errors), "action": "review", **right}
        ) as resp:
            summary = await resp.text()
        assert resp.status == 200 and "Se over bestillingen" in summary
        assert "Etat for hjemmetjenester" in summary and 'value="964338531"' in summary
        # Edit one field: back to the form, that field focused.
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', summary))
        async with http.post(form_url, data={**hidden, "edit": "title"}) as resp:
            edit = await resp.text()
        assert re.search(r'id="f-title"[^>]*autofocus', edit)

        send = {**hidden, "action": "send"}
        async with http.post(form_url, data=send) as resp:
            receipt = await resp.text()
        assert resp.status == 200, receipt
        (reference,) = set(re.findall(r"BM-\d{4}-\d{4}", receipt))
        # The same form again (a double click, the back button): the same receipt.
        async with http.post(form_url, data=send) as resp:
            assert reference in await resp.text()
        mine_url = re.search(r'href="(/order/[^"]+/mine[^"]*)"', receipt)
        assert mine_url is not None
        async with http.get(bot.url + mine_url.group(1).replace("&amp;", "&")) as resp:
            mine = await resp.text()
        assert reference in mine and "Brukerråd for tjenesteplan" in mine

    async with bot.db.sessions() as session:
        (request,) = list(await session.scalars(select(Request)))
        commissioner = await session.get_one(Commissioner, request.commissioner_id)
    assert (request.desk_id, request.payer, request.unit) == (
        alrek,
        "commissioner",
        "Etat for hjemmetjenester",
    )
    assert (commissioner.org_number, commissioner.email) == (
        "964338531",
        "kari.planlegger@bergen.kommune.no",
    )
    assert (
        request.requester_email == "kari.planlegger@bergen.kommune.no"
        and request.cost_centre is None
    )

    await bot.drain()
    posts = [s for s in bot.connector.sent if s.method == "create"]
    assert [p.conversation_id for p in posts] == [ALREK_CHANNEL]
    assert "Bestilt utenfra" in str(posts[0].card) and reference in str(posts[0].card)
    assert "Kari Planlegger, Bergen kommune" in str(posts[0].card)
    receipts = [m for m in smtp.inbox.messages if m["Subject"] == "Bestillingen er mottatt"]
    assert len(receipts) == 1 and reference in parts(receipts[0])["text/plain"]
    # Nothing of what it is about in the receipt's subject or text.
    assert "tjenesteplan" not in parts(receipts[0])["text/plain"].lower()


async def test_hostile_posts_get_4xx_and_store_nothing(start_bot, smtp, clock) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, MEDVIRK_ORDER_RATE="3")
    await _outside(bot)
    async with aiohttp.ClientSession() as http:
        statuses = []
        for _ in range(6):
            clock.advance(timedelta(seconds=1))  # the same second asks once (a double click)
            statuses.append((await _ask(http, bot, "flood@example.org")).status)
        assert statuses == [200, 200, 200, 429, 429, 429]
        # Another address from the same IP is refused too: the IP's count is full.
        assert (await _ask(http, bot, "other@example.org")).status == 429
        too_many = await (await _ask(http, bot, "flood@example.org", lang="en")).text()
        assert "Too many attempts" in too_many
        # No form proof, a proof of another page, a body too big, a wrong type.
        for data in ({"email": "a@example.org"}, {"email": "a@example.org", "form": "x"}):
            async with http.post(f"{bot.url}/order", data=data) as resp:
                assert resp.status == 400
        async with http.post(f"{bot.url}/order", data={"x": "y" * 1_000_000}) as resp:
            assert resp.status == 413
        async with http.post(f"{bot.url}/order", json={"email": "a@example.org"}) as resp:
            assert resp.status == 400
        # A link tampered with, and another purpose's token on the form.
        await bot.drain()
        link = _links(smtp, "flood@example.org")[0]
        tampered = _local(bot, link)[:-3] + "abc"
        async with http.get(tampered) as resp:
            assert resp.status == 404 and "<html" in await resp.text()
        mine = await _ask(http, bot, "mine@example.org", want="mine")
        assert mine.status == 429  # the IP is still full
    await bot.drain()
    async with bot.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Request)) == 0
        assert await session.scalar(select(func.count()).select_from(Commissioner)) == 0
    # The three links mailed, nothing else.
    assert [m["Subject"] for m in smtp.inbox.messages] == ["Lenke til bestillingsskjemaet"] * 3
    # The rate's hashes are forgotten after a day, by the housekeeping job.
    clock.advance(timedelta(days=1, seconds=1))
    await housekeeping(bot.services)
    async with bot.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OrderAttempt)) == 0


async def test_the_commissioner_hears_back_and_pays_the_participant(start_bot, smtp, clock) -> None:
    """Claimed: they are told by e-mail; matched: the e-mail names who said yes
    and how to reach them; the confirmed fee claim goes to their invoice address."""
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    alrek = await _outside(bot)
    today = clock.now().astimezone(bot.services.settings.zone).date()
    checked = web_order.check(good_form(clock, participant_count="1"), "nn", today)
    assert not checked.errors and checked.org is not None
    async with bot.db.transaction() as session:
        request, new = await orders.place(
            session, desk_id=alrek, email="kari.planlegger@bergen.kommune.no", locale="nn",
            name="Kari Planlegger", answers=checked.answers, org=checked.org, nonce="n1",
            now=clock.now(),
        )  # fmt: skip
        request_id = request.id
        values = pool.validate(
            {"name": "Per Pasient", "email": "per@example.com", "roles": "next_of_kin",
             "formats": "physical"},
            areas=(),
        )  # fmt: skip
        person = await pool.add(session, values, added_by="test", now=clock.now())
        person.desk_id = alrek
        await pool.consent(session, person, channel="email", now=clock.now())
        person_id = person.id
    assert new
    member = alrek_member(bot)
    in_alrek = {"channel_id": ALREK_CHANNEL, "team_id": ALREK_TEAM}
    assert (await member.invoke("claim", {"request_id": request_id}, **in_alrek)).status == 200
    await bot.drain()
    told = [m for m in smtp.inbox.messages if m["Subject"] == "Nytt om bestillinga di"]
    assert len(told) == 1 and "Alrek Medlem" in parts(told[0])["text/plain"]

    # The owner asks them a question from the card: by e-mail, their reply to the owner.
    card = card_of(await member.invoke("refresh", {"request_id": request_id}, **in_alrek))
    assert "Spør bestilleren" in str(card)
    assert_valid_card(card)
    empty = await member.invoke(
        "ask_requester", {"request_id": request_id, "question": " "}, **in_alrek
    )
    assert "Skriv spørsmålet" in str(card_of(empty))
    asked = {"request_id": request_id, "question": "Kan møtene være på kveldstid?"}
    sent = await member.invoke("ask_requester", asked, **in_alrek)
    assert "sendt til bestilleren" in str(card_of(sent))
    await bot.drain()
    (question,) = [m for m in smtp.inbox.messages if m["Subject"] == "Spørsmål om bestillinga di"]
    assert "Kan møtene være på kveldstid?" in parts(question)["text/plain"]
    assert question["Reply-To"] == f"{ALREK_MEMBER[0]}@example.org"

    invite = {"request_id": request_id, "participant_id": person_id}
    assert (await member.invoke("invite", invite, **in_alrek)).status == 200
    await bot.drain()
    (link,) = [
        u
        for m in smtp.inbox.messages
        for u in re.findall(r"https?://\S+/p/\S+/i/\d+", parts(m)["text/plain"])
    ]
    async with aiohttp.ClientSession() as http:
        status, _ = await open_and_answer(http, local(bot, link), answer="yes")
    assert status == 200
    await bot.drain()
    (matched,) = [m for m in smtp.inbox.messages if m["Subject"] == "Brukarmedverkarar har sagt ja"]
    assert (
        matched["To"].endswith("<kari.planlegger@bergen.kommune.no>")
        or "kari.planlegger" in matched["To"]
    )
    body = parts(matched)["text/plain"]
    assert "Per Pasient" in body and "per@example.com" in body and "Alrek ressurssenter" in body

    async with bot.db.transaction() as session:
        await session.execute(
            update(Request).where(Request.id == request_id).values(status="completed")
        )
    # The owner files it: the commissioner has no Teams to file in.
    filed = await claims.file(
        bot.db, Actor(ALREK_MEMBER[0], ALREK_MEMBER[1]), request_id, person_id,
        {"meetings": 2, "hours": 3}, rates=RATES, now=clock.now(),
    )  # fmt: skip
    claim = filed.claim
    await claims.confirm(
        bot.db, claims.Confirmer.on_page(person_id),
        claim.id, claim.revision, payroll_email="lonn@helse-bergen.no", now=clock.now(),
    )  # fmt: skip
    await bot.drain()
    to_payer = [m for m in smtp.inbox.messages if "faktura@bergen.kommune.no" in m["To"]]
    assert len(to_payer) == 1 and not [m for m in smtp.inbox.messages if "lonn@" in m["To"]]


@pytest.mark.volume
async def test_a_thousand_posts_from_one_address_in_a_minute(start_bot, smtp, clock) -> None:
    """Refused after the limit, exactly, however many come at once; no 5xx;
    nothing but the limit's links mailed and nothing else stored."""
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await _outside(bot)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{bot.url}/order") as resp:
            proof = form_token(await resp.text())
        gate = asyncio.Semaphore(25)

        async def post(n: int) -> int:
            async with gate:
                data = {"form": proof, "email": "flood@example.org", "want": "form"}
                async with http.post(f"{bot.url}/order", data=data) as resp:
                    await resp.read()
                    return resp.status

        statuses = Counter(await asyncio.gather(*(post(n) for n in range(1000))))
    limit = bot.services.settings.order_rate
    assert statuses == {200: limit, 429: 1000 - limit}
    await bot.drain()
    async with bot.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Request)) == 0
        assert await session.scalar(select(func.count()).select_from(Commissioner)) == 0
    # All in the one second of the test's clock: one link (a second ask within
    # the same second is the same row), never more than the limit.
    assert 1 <= len(smtp.inbox.messages) <= limit
