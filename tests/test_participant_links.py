"""A participant's links as a person and an attacker would use them: each link
serves one person, one purpose and one object; the page with one's data opens
only from a short-lived link of its own, sent to the address on file; a new
address or `participants revoke-links` ends every earlier link; bad bodies get
a translated 400."""

from __future__ import annotations

import asyncio
import email
import email.policy
import io
import logging
import re
import time
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from bot.features.reminders.mail import RSVP
from bot.out.links import RedactLinkTokens
from storage.db.models import Invitation, ReadEntry
from tests.support.channel import card_of, seed_request, setup_channel
from tests.support.cli import medvirk
from tests.support.participants import (
    DATA_LINK_SUBJECT,
    PER_AAD,
    add_by_card,
    ask_for_data_link,
    coordinator,
    data_links,
    form_token,
    local,
    open_and_answer,
    own_data_link,
    participant_named,
    person_links,
)
from tests.support.serve_process import ServeProcess
from tests.support.smtp import parts
from tests.test_invitations import active, claimed_request, invitation_links

# Signed links and their pages: the participants' SQL runs on both dialects
# in test_participants (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

PER = "per@example.com"
# What only the page with his data may show: his experience area and role.
PRIVATE = ("Kreft", "Erfaringsområder", "<dt>Rolle</dt>")


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _token(url: str) -> str:
    return _path(url).split("/")[2]


async def _two_invitations(bot, clock, smtp) -> tuple[str, str, int]:
    """Per, active, invited to two requests: his two invitation links and his id."""
    first = await claimed_request(bot, clock)
    second = await seed_request(bot.db, clock, title="Et annet oppdrag")
    await bot.drain()
    card_of(await coordinator(bot).invoke("claim", {"request_id": second}))
    per = await active(bot, clock, "Per Pasient", areas="cancer")
    for request_id in (first, second):
        await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    a, b = invitation_links(smtp, PER)
    return local(bot, a), local(bot, b), per


async def test_an_invitation_link_opens_that_invitation_and_nothing_else(
    start_bot, clock, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    a, b, _ = await _two_invitations(bot, clock, smtp)
    invitation_b = b.rsplit("/", 1)[1]
    async with aiohttp.ClientSession() as http:
        async with http.get(a) as resp:
            page = await resp.text()
        assert resp.status == 200
        for private in PRIVATE:
            assert private not in page, private  # his role and areas are not its business
        assert "per@example.com" not in page
        # A's token on B's invitation, and as the page with his data: refused.
        for forged in (f"{a.rsplit('/', 1)[0]}/{invitation_b}", a.rsplit("/i/", 1)[0]):
            async with http.get(forged) as resp:
                assert resp.status == 404, forged
                assert "Kreft" not in await resp.text()
            async with http.post(forged, data={"form": form_token(page), "answer": "yes"}) as resp:
                assert resp.status in (400, 404)
        # Nor as a claim's or an evaluation's page of the same number.
        number = a.rsplit("/", 1)[1]
        for kind in ("c", "e"):
            async with http.get(f"{a.rsplit('/i/', 1)[0]}/{kind}/{number}") as resp:
                assert resp.status == 404
        # The documents' page, with the invitation's token: no signing there.
        async with http.post(a, data={"form": form_token(page), "answer": "signed"}) as resp:
            assert resp.status == 400
    async with bot.db.sessions() as session:
        assert set(await session.scalars(select(Invitation.status))) == {"invited"}


async def test_the_consent_link_answers_the_consent_only(start_bot, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await setup_channel(bot)
    await add_by_card(bot, email="per@example.com")
    await bot.drain()
    (link,) = set(person_links(smtp.inbox.messages[-1]))
    link = local(bot, link)
    async with aiohttp.ClientSession() as http:
        status, thanks = await open_and_answer(http, link, answer="yes")
        assert status == 200 and "Du er nå med i utvalget" in thanks
        async with http.get(link) as resp:
            page = await resp.text()
        assert resp.status == 200 and "allerede svart" in page
        for private in (*PRIVATE, "912 34 567", "+4791234567"):
            assert private not in page, private
        # Its form says yes or no, and nothing else: no withdrawal, no new address.
        for answer in ("withdraw", "pause", "update"):
            fields = {"answer": answer, "email": "mallory@evil.example", "name": "Per Pasient"}
            status, _ = await open_and_answer(http, link, **fields)
            assert status == 400, answer
    per = await participant_named(bot.db, "Per Pasient")
    assert (per.status, per.email) == ("active", "per@example.com")


async def test_the_data_link_goes_to_the_address_on_file_and_lasts_an_hour(
    start_bot, clock, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    a, _, _ = await _two_invitations(bot, clock, smtp)
    async with aiohttp.ClientSession() as http:
        async with http.get(a) as resp:
            page = await resp.text()
        action = re.search(r'action="(/p/[^"]+/link)"', page).group(1)
        # An address typed into the form is never where it goes.
        typed = {"form": form_token(page), "email": "mallory@evil.example", "to": "x@evil.example"}
        async with http.post(f"{bot.url}{action}", data=typed) as resp:
            first = await resp.text()
        assert resp.status == 200
        await bot.drain()
        # Asked again at once: the same page, and no second mail.
        second = await ask_for_data_link(bot, http, a)
        await bot.drain()
        assert _main(first) == _main(second) and "60 minutter" in first
        assert "Kreft" not in first
        sent = [m for m in smtp.inbox.messages if m["Subject"] == DATA_LINK_SUBJECT]
        assert [m["To"] for m in sent] == ["Per Pasient <per@example.com>"]
        assert all("evil.example" not in str(m) for m in smtp.inbox.messages)
        (link,) = data_links(smtp, PER)
        async with http.get(local(bot, link)) as resp:
            page = await resp.text()
        assert resp.status == 200 and "Kreft" in page and "per@example.com" in page
        assert "/link" not in page  # the page with his data needs no link to itself
        clock.advance(timedelta(minutes=60, seconds=1))
        async with http.get(local(bot, link)) as resp:
            assert resp.status == 410 and "Kreft" not in await resp.text()
        # The data link is no invitation link either.
        async with http.get(f"{local(bot, link)}/i/{a.rsplit('/', 1)[1]}") as resp:
            assert resp.status in (404, 410)


def _main(page: str) -> str:
    """The page's message, without its form proof (which differs per page)."""
    return re.sub(r'name="form" value="[^"]+"', "", page)


async def test_a_new_address_ends_every_earlier_link_and_tells_the_old_one(
    start_bot, clock, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    a, b, _ = await _two_invitations(bot, clock, smtp)
    async with aiohttp.ClientSession() as http:
        data = await own_data_link(bot, smtp, http, a, PER)
        async with http.get(data) as resp:
            page = await resp.text()
        fields = {
            "form": form_token(page),
            "answer": "update",
            "name": "Per Pasient",
            "email": "per.ny@example.com",
            "phone": "",
            "formats": ["digital"],
            "languages": ["nb"],
        }
        async with http.post(data, data=fields) as resp:
            saved = await resp.text()
        assert resp.status == 200 and "virker ikke lenkene vi har sendt deg før" in saved
        # Every link he had is dead now: the invitations', the data's.
        for old in (a, b, data):
            async with http.get(old) as resp:
                assert resp.status == 404, old
        # The page he is on goes on, under a link of its own.
        action = re.search(r'<form method="post" action="(/p/[^"]+)">', saved).group(1)
        assert _token(action) != _token(data)
        fields = {**fields, "form": form_token(saved), "municipality": "Askøy"}
        async with http.post(f"{bot.url}{action}", data=fields) as resp:
            assert resp.status == 200 and "Endringene er lagret" in await resp.text()
    await bot.drain()
    (told,) = [m for m in smtp.inbox.messages if m["To"] == "per@example.com"]
    text = parts(told)["text/plain"]
    assert told["Subject"] == "Kontaktinformasjonen din er endret"
    for private in ("Per Pasient", "Kreft", "pasient", "per.ny@example.com", "/p/"):
        assert private not in text, private
    assert not [m for m in smtp.inbox.messages if "per.ny@example.com" in m["To"]]
    p = await participant_named(bot.db, "Per Pasient")
    assert (p.email, p.municipality) == ("per.ny@example.com", "Askøy")


async def test_revoke_links_in_the_cli(start_bot, clock, smtp, database_url) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    a, b, per = await _two_invitations(bot, clock, smtp)
    async with aiohttp.ClientSession() as http:
        data = await own_data_link(bot, smtp, http, a, PER)
        done = medvirk(database_url, "participants", "revoke-links", str(per))
        assert done.returncode == 0, done.stderr
        assert f"participant {per}: every link sent before no longer works" in done.stdout
        for old in (a, b, data):
            async with http.get(old) as resp:
                assert resp.status == 404, old
    async with bot.db.sessions() as session:
        noted = list(await session.scalars(select(ReadEntry.what)))
    assert f"participant {per} links revoked" in noted
    unknown = medvirk(database_url, "participants", "revoke-links", "999999")
    assert unknown.returncode != 0 and "no participant 999999" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    # The next message carries links that work.
    request_id = await seed_request(bot.db, clock, title="Et tredje oppdrag")
    await bot.drain()
    card_of(await coordinator(bot).invoke("claim", {"request_id": request_id}))
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    newest = invitation_links(smtp, PER)[-1]
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, newest)) as resp:
            assert resp.status == 200


BAD_BODIES = {
    "malformed multipart": (
        "multipart/form-data; boundary=abc",
        b"garbage with no boundary at all",
    ),
    "non-UTF-8 urlencoded": ("application/x-www-form-urlencoded", b"answer=\xff\xfeyes&form=\xc3"),
    "wrong content type with garbage": ("application/json", b"\xff{answer=yes\x00"),
    "a charset nobody knows": ("application/x-www-form-urlencoded; charset=bogus", b"answer=yes"),
    "truncated body": (
        "multipart/form-data; boundary=abc",
        b'--abc\r\nContent-Disposition: form-data; name="answer"\r\n\r\nye',
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
async def test_a_bad_body_gets_the_translated_400(start_bot, clock, smtp, case) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    a, _, _ = await _two_invitations(bot, clock, smtp)
    content_type, body = BAD_BODIES[case]
    # A "coming" link of a reminder e-mail, as the mail makes it.
    links = await bot.services.links.get()
    answer_link = links.url(
        RSVP, {"g": 1, "c": 1, "a": "yes"}, expires=clock.now() + timedelta(days=1)
    )
    targets = (a, a.rsplit("/i/", 1)[0] + "/link", local(bot, answer_link))
    async with aiohttp.ClientSession() as http:
        for url in targets:
            headers = {"Content-Type": content_type, "Accept-Language": "en"}
            async with http.post(url, data=body, headers=headers) as resp:
                page = await resp.text()
                assert resp.status == 400, (url, page)
                assert resp.content_type == "text/html"
                assert '<html lang="en">' in page and "Traceback" not in page
    async with bot.db.sessions() as session:
        assert set(await session.scalars(select(Invitation.status))) == {"invited"}


def _redacted_filter_output(message: str, *args: object, error: str = "") -> str:
    """What the serve's log handler prints for one record."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactLinkTokens())
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        if error:
            try:
                raise ValueError(error)
            except ValueError:
                logger.exception(message, *args)
        else:
            logger.error(message, *args)
    finally:
        logger.removeHandler(handler)
    return out.getvalue()


def test_an_error_line_names_no_token() -> None:
    token = "eyJwIjoxLCJuIjoiYWJjIn0.c2lnbmF0dXJl"
    printed = _redacted_filter_output(
        "unhandled error on %s %s", "POST", f"/p/{token}/i/7", error=f"bad URL /a/rsvp/{token}"
    )
    assert token not in printed
    assert "/p/<token>/i/7" in printed and "/a/rsvp/<token>" in printed
    # An SMS's short link, and the gathering pages' links, too.
    for path in ("/s/AbCdEf2345", f"/g/open/{token}", f"/ge/{token}", f"/g/{token}"):
        printed = _redacted_filter_output("GET %s", path)
        assert "AbCdEf2345" not in printed and token not in printed and "<token>" in printed


def _first_mail(folder: Path) -> EmailMessage:
    """The first `.eml` the server writes into `folder` (within a minute)."""
    deadline = time.monotonic() + 60
    while not list(folder.glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(0.2)
    (eml,) = folder.glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.processes
async def test_no_token_reaches_the_log_of_a_real_server(database_url, tmp_path) -> None:
    """`medvirk serve` with its own logging: the consent link opened, a bad
    body posted, and links of every other kind; the log names none of them."""
    log = tmp_path / "serve.log"
    serve = ServeProcess(database_url, log, MEDVIRK_TICK_SECONDS="1").start()
    try:
        added = medvirk(
            database_url,
            "participants",
            "add",
            "--name",
            "Per Pasient",
            "--email",
            "per@example.com",
            "--roles",
            "patient",
            "--formats",
            "digital",
        )
        assert added.returncode == 0, added.stderr
        message = await asyncio.to_thread(_first_mail, Path(serve.env["MEDVIRK_MAIL_DIR"]))
        (link,) = set(person_links(message))
        token = _token(link)
        paths = [
            _path(link),
            f"/p/{token}/i/1",
            f"/p/{token}/link",
            f"/a/rsvp/{token}",
            f"/r/{token}",
            f"/calendar/{token[:40]}.ics",
        ]
        async with aiohttp.ClientSession() as http:
            for path in paths:
                async with http.get(f"{serve.url}{path}") as resp:
                    await resp.read()
            bad = {"Content-Type": "multipart/form-data; boundary=abc"}
            async with http.post(f"{serve.url}{_path(link)}", data=b"junk", headers=bad) as resp:
                assert resp.status == 400
    finally:
        assert serve.terminate() == 0
    printed = log.read_text()
    # The access log is there (with the path's shape), the token is not.
    assert '"GET /p/<token>" 200' in printed and '"POST /p/<token>" 400' in printed
    assert token not in printed and token[:40] not in printed


async def test_a_participant_in_teams_gets_the_data_link_in_their_chat(bot) -> None:
    await setup_channel(bot)
    per = bot.teams.user("Per Pasient", PER_AAD)
    await per.say("hjelp")  # he has a chat with the bot
    await add_by_card(bot, email="", phone="", aad_object_id=PER_AAD)
    await bot.drain()

    def opened(marker: str) -> str:
        (sent,) = [
            s
            for s in bot.connector.to(per.personal_conversation)
            if s.card and marker in str(s.card)
        ]
        (action,) = [a for a in sent.card["actions"] if a["type"] == "Action.OpenUrl"]
        return local(bot, action["url"])

    consent = opened("Vil du være brukermedvirker")
    async with aiohttp.ClientSession() as http:
        status, _ = await open_and_answer(http, consent, answer="yes")
        assert status == 200
        await ask_for_data_link(bot, http, consent)
        await bot.drain()
        async with http.get(opened(DATA_LINK_SUBJECT)) as resp:
            page = await resp.text()
    assert resp.status == 200 and "Opplysningene dine" in page and "Kreft" in page
