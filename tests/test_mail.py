"""Reminders for people outside Teams: by e-mail over a real SMTP server on
loopback (aiosmtpd), in their language, with the gathering's calendar file and
links that work without logging in; the links are followed over HTTP."""

from __future__ import annotations

import email
import email.policy
import re
import ssl
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
from sqlalchemy import select

from bot.out.mail import FolderMailer, SmtpMailer
from bot.out.mail import SmtpServer as Relay
from storage import reminders as store
from storage.db.models import Contact, OutboxMessage, Rsvp, SurveyAnswer
from tests.support.cards import actions_of, assert_valid_card
from tests.support.certs import make_certificate
from tests.support.cli import medvirk
from tests.support.reminders import add_gathering, add_survey, due_times, subscribe
from tests.support.smtp import SmtpServer, attachments, parts

# Composing and sending mail: the outbox's SQL runs on both dialects in
# test_outbox and test_delivery (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only


async def _contact(bot, clock, *, email: str | None, locale: str = "nn", name: str = "Per Pasient"):
    async with bot.db.transaction() as session:
        contact = await store.upsert_contact(
            session,
            key=f"mail:{email}" if email else "aad-nobody",
            aad_object_id=None,
            name=name,
            locale=locale,
            now=clock.now(),
            groups=["participants"],
            email=email,
        )
        return contact.id


def _links(text: str) -> list[str]:
    return re.findall(r"https?://\S+/a/\S+", text)


def _local(bot, url: str) -> str:
    """The link on the test server (links carry MEDVIRK_PUBLIC_URL's host)."""
    parts_ = urlsplit(url)
    return f"{bot.url}{parts_.path}"


async def _outbox(bot) -> list[OutboxMessage]:
    async with bot.db.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_a_gathering_reminder_by_email_and_its_links(start_bot, clock, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, MEDVIRK_MAIL_FROM="bm@example.org")
    contact_id = await _contact(bot, clock, email="per.pasient@example.com")
    gathering_id = await add_gathering(bot, clock, groups=["participants"])
    clock.set((await due_times(bot))[0])
    await bot.tick()

    assert len(smtp.inbox.messages) == 1
    message: EmailMessage = smtp.inbox.messages[0]
    assert smtp.inbox.envelopes[0] == ("bm@example.org", ["per.pasient@example.com"])
    # The subject and first line say the kind; the title follows in the body.
    assert message["Subject"] == "Påminning om ei samling"
    assert "Per Pasient" in message["To"]
    bodies = parts(message)
    text, html = bodies["text/plain"], bodies["text/html"]
    assert text.splitlines()[0] == "Påminning om ei samling"
    assert "Gjeld: Årlig fellessamling" in text
    assert "Hei Per Pasient," in text and "Glasblokkene" in text
    assert '<html lang="nn">' in html and "Kjem du?" in html
    ics = attachments(message)[f"gathering-{gathering_id}.ics"]
    assert b"BEGIN:VEVENT" in ics and "Årlig fellessamling".encode() in ics
    rows = await _outbox(bot)
    assert [(r.state, r.channel) for r in rows] == [("sent", "email")]

    yes, no = _links(text)[:2]
    async with aiohttp.ClientSession() as http:
        # Opening the link (a person, or a mail scanner) only asks to confirm.
        async with http.get(_local(bot, yes)) as resp:
            page = await resp.text()
            assert resp.status == 200 and "Stadfest at du kjem" in page
            assert resp.headers["Cache-Control"] == "no-store"
        async with bot.db.sessions() as session:
            assert (await session.scalars(select(Rsvp))).all() == []
        form = re.search(r'name="form" value="([^"]+)"', page)
        assert form is not None
        async with http.post(_local(bot, yes), data={"form": form.group(1)}) as resp:
            assert resp.status == 200 and "Takk! Vi har notert at du kjem." in await resp.text()
        async with bot.db.sessions() as session:
            rsvp = (await session.scalars(select(Rsvp))).one()
        assert (rsvp.contact_id, rsvp.coming) == (contact_id, True)

        # The "not coming" link's form token does not fit the "coming" link.
        async with http.post(_local(bot, no), data={"form": form.group(1)}) as resp:
            assert resp.status == 400
        # A link altered by one character, or for another purpose, is refused.
        async with http.get(_local(bot, yes)[:-2] + "xx") as resp:
            assert resp.status == 404 and "Lenken virker ikke" in await resp.text()
        async with http.get(_local(bot, yes).replace("/a/rsvp/", "/a/answered/")) as resp:
            assert resp.status == 404
        async with bot.db.sessions() as session:
            assert (await session.scalars(select(Rsvp))).one().coming is True


async def test_a_survey_link_records_the_answer_and_stops_the_reminders(
    start_bot, clock, smtp
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await _contact(bot, clock, email="kari@example.com", locale="en", name="Kari")
    survey_id = await add_survey(bot, clock, groups=["participants"])
    dues = await due_times(bot, store.BEFORE_CLOSE)
    clock.set(dues[0])
    await bot.tick()
    message = smtp.inbox.messages[-1]
    assert message["Subject"] == "A reminder about a survey"
    text = parts(message)["text/plain"]
    assert "About: Årlig spørreundersøkelse" in text
    assert "https://example.org/survey" in text
    answered = _links(text)[0]
    async with aiohttp.ClientSession() as http:
        async with http.get(_local(bot, answered)) as resp:
            page = await resp.text()
        form = re.search(r'name="form" value="([^"]+)"', page)
        assert form is not None
        async with http.post(_local(bot, answered), data={"form": form.group(1)}) as resp:
            assert "Thank you for answering" in await resp.text()
    async with bot.db.sessions() as session:
        assert (await session.scalars(select(SurveyAnswer))).one().survey_id == survey_id
    clock.set(dues[1])
    await bot.tick()
    assert len(smtp.inbox.messages) == 1, "no second reminder after the answer"


async def test_an_expired_link_says_so(start_bot, clock, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await _contact(bot, clock, email="per@example.com")
    await add_gathering(bot, clock, groups=["participants"])
    clock.set((await due_times(bot))[0])
    await bot.tick()
    yes = _links(parts(smtp.inbox.messages[0])["text/plain"])[0]
    clock.advance(timedelta(days=60))  # the gathering is over
    async with aiohttp.ClientSession() as http:
        async with http.get(_local(bot, yes), headers={"Accept-Language": "en"}) as resp:
            assert resp.status == 410 and "This link has expired" in await resp.text()


@pytest.mark.parametrize(
    ("reply", "state", "error"),
    [
        ("550 5.1.1 No such user", "failed", "smtp 550"),
        ("451 4.3.0 Try again", "pending", "smtp 451"),
    ],
)
async def test_smtp_errors_give_up_on_5xx_and_retry_on_4xx(
    start_bot, clock, smtp, reply, state, error
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await _contact(bot, clock, email="per@example.com")
    await add_gathering(bot, clock, groups=["participants"])
    clock.set((await due_times(bot))[0])
    smtp.inbox.replies.append(reply)
    await bot.tick()
    [row] = await _outbox(bot)
    assert row.state == state
    assert error in (row.last_error or "")
    if state == "pending":
        clock.advance(timedelta(minutes=5))
        await bot.drain()
        assert len(smtp.inbox.messages) == 1
        assert [(r.state, r.channel) for r in await _outbox(bot)] == [("sent", "email")]


async def test_without_smtp_mail_goes_to_a_folder(start_bot, clock, tmp_path: Path) -> None:
    folder = tmp_path / "outgoing"
    bot = await start_bot(MEDVIRK_MAIL_DIR=str(folder))
    assert isinstance(bot.services.outbox.mailer, FolderMailer)
    await _contact(bot, clock, email="per@example.com", locale="nb")
    await add_gathering(bot, clock, groups=["participants"])
    clock.set((await due_times(bot))[0])
    await bot.tick()
    [eml] = list(folder.glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Påminnelse om en samling"
    assert "Hei Per Pasient," in parts(message)["text/plain"]  # type: ignore[arg-type]


async def test_nobody_is_skipped_in_silence(bot, clock) -> None:
    """No Teams chat and no address: the row fails as unreachable, with the reason."""
    await _contact(bot, clock, email=None)
    await add_gathering(bot, clock, groups=["participants"])
    async with bot.db.sessions() as session:
        contacts = list(await session.scalars(select(Contact)))
    assert len(contacts) == 1
    clock.set((await due_times(bot))[0])
    await bot.tick()
    [row] = await _outbox(bot)
    assert row.state == "failed" and (row.last_error or "").startswith("unreachable")


async def test_delivery_report_and_resend(start_bot, clock, database_url, tmp_path) -> None:
    """Per round: delivered in Teams, by e-mail, unreachable; a resend reaches the
    one who has an address now, and nobody twice."""
    bot = await start_bot()
    teams_user = await subscribe(bot, "Tina Teams", "aad-tina", ["participants"])
    assert teams_user is not None
    await _contact(bot, clock, email="per@example.com")
    await _contact(bot, clock, email=None)  # key aad-nobody
    gathering_id = await add_gathering(bot, clock, groups=["participants"])
    clock.set((await due_times(bot))[0])
    await bot.tick()

    shown = medvirk(database_url, "gathering", "show", str(gathering_id))
    assert shown.returncode == 0, shown.stderr
    assert "delivered in Teams 1, by e-mail 1, by SMS 0; pending 0; unreachable 1" in shown.stdout

    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "aad_object_id,email,name,groups\naad-nobody,nobody@example.com,Per Pasient,participants\n",
        encoding="utf-8",
    )
    imported = medvirk(database_url, "contacts", "import", str(contacts))
    assert imported.returncode == 0, imported.stderr
    assert "1 contacts imported: 0 reachable in Teams, 1 by e-mail, 0 by SMS, 0 not reachable" in (
        imported.stdout
    )
    resent = medvirk(database_url, "gathering", "resend", str(gathering_id))
    assert "1 reminder(s) queued again" in resent.stdout
    await bot.drain()
    shown = medvirk(database_url, "gathering", "show", str(gathering_id))
    assert "delivered in Teams 1, by e-mail 2, by SMS 0; pending 0; unreachable 0" in shown.stdout
    again = medvirk(database_url, "gathering", "resend", str(gathering_id))
    assert "0 reminder(s) queued again" in again.stdout
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 2


async def test_forget_by_email_address_leaves_nothing(bot, clock, database_url) -> None:
    await _contact(bot, clock, email="per.pasient@example.com")
    done = medvirk(database_url, "forget", "Per.Pasient@example.com")
    assert done.returncode == 0, done.stderr
    async with bot.db.sessions() as session:
        assert (await session.scalars(select(Contact))).all() == []


async def test_a_relay_that_requires_starttls_gets_it(start_bot, clock, tmp_path, monkeypatch):
    cert, key = make_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = SmtpServer(tls_context=context).start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts the test's certificate
    try:
        bot = await start_bot(MEDVIRK_SMTP_URL=server.url)
        await _contact(bot, clock, email="per@example.com")
        await add_gathering(bot, clock, groups=["participants"])
        clock.set((await due_times(bot))[0])
        await bot.tick()
        assert server.inbox.over_tls == [True]
        assert [(r.state, r.channel) for r in await _outbox(bot)] == [("sent", "email")]
    finally:
        server.stop()


def test_smtp_urls() -> None:
    relay = Relay.from_url("smtp://bm%40helse.no:p%C3%A5ss@smtp.helse.no:587")
    assert (relay.host, relay.port, relay.username, relay.password) == (
        "smtp.helse.no",
        587,
        "bm@helse.no",
        "påss",
    )
    assert (relay.use_tls, relay.start_tls) == (False, True)  # STARTTLS required
    assert Relay.from_url("smtps://smtp.helse.no").port == 465
    assert Relay.from_url("smtps://smtp.helse.no").use_tls is True
    assert Relay.from_url("smtp://127.0.0.1:2525").start_tls is None  # if offered
    with pytest.raises(ValueError):
        Relay.from_url("http://smtp.helse.no")
    assert (
        "p%C3%A5ss" not in SmtpMailer(relay).describe()
        and "påss" not in SmtpMailer(relay).describe()
    )


async def test_the_admin_card_reports_each_round_and_sends_again(start_bot, clock) -> None:
    """`leveranser` in an admin's chat: the same report as `gathering show`, and
    "send again" reaches the one who can be reached now, nobody twice."""
    bot = await start_bot()
    await subscribe(bot, "Tina Teams", "aad-tina", ["participants"])
    await _contact(bot, clock, email="per@example.com")
    await _contact(bot, clock, email=None)  # key aad-nobody: unreachable
    await add_gathering(bot, clock, groups=["participants"])
    clock.set((await due_times(bot))[0])
    await bot.tick()

    admin = bot.teams.user("Anne Admin", "admin-aad")
    card = (await admin.say("leveranser")).card
    assert_valid_card(card)
    assert "Teams 1 · e-post 1 · venter 0 · ikke nådd 1" in str(card)
    (resend,) = [
        a for a in actions_of(card) if a.get("data", {}).get("action") == "resend_reminders"
    ]
    someone = await bot.teams.user("Ola", "aad-ola").submit(resend["data"])
    assert "administrator" in someone.texts[-1]  # not an admin: nothing queued
    async with bot.db.transaction() as session:
        nobody = await store.find_contact(session, "aad-nobody")
        nobody.email = "nobody@example.com"
    said = await admin.submit(resend["data"])
    assert "1 påminnelser er lagt i kø på nytt" in said.texts[-1]
    await bot.drain()
    again = await admin.submit(resend["data"])
    assert "0 påminnelser" in again.texts[-1]
    card = (await admin.say("deliveries")).card  # the English word, the person's language
    assert "Teams 1 · e-post 2 · venter 0 · ikke nådd 0" in str(card)
    forged = await admin.submit({"action": "resend_reminders", "kind": "survey", "id": 999})
    assert forged.texts[-1] and "påminnelser" not in forged.texts[-1]
