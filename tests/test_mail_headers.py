"""No text from a person can add a header to an e-mail (CVE-2024-6923 on this
machine's Python): encoded words are refused at input, every header is built
by `bot.out.mail.compose`, and a name that cannot go into a header fails that one
mail at once. Proven on the bytes: the `.eml` written and what a real SMTP
server (aiosmtpd) receives, for hostile text stored before the input rule."""

from __future__ import annotations

import email
import email.policy
import logging
import time
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from sqlalchemy import select, update

from bot.framework.messages import Mail, MailAttachment
from bot.out.mail import UnsafeHeader, check_headers, compose
from dialogs.i18n import LOCALES, t
from storage import pool
from storage.db.models import OutboxMessage, Participant, Request
from storage.domain import fields
from storage.domain.refusal import Refused
from tests.support.channel import card_of
from tests.support.cli import medvirk
from tests.support.participants import coordinator
from tests.test_invitations import active, claimed_request
from tests.test_order_bad_input import _walk_to

# On SQLite only: mail headers; the reminders' SQL runs on both in test_reminders.
pytestmark = pytest.mark.sqlite_only

INJECTION = "=?utf-8?q?=0D=0AReply-To:=20x@evil.example?="
HOSTILE_TITLE = f"Panel {INJECTION}"
HOSTILE_NAME = f"Per {INJECTION} Pasient"
OUR_HEADERS = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Auto-Submitted",
    "MIME-Version",
    "Content-Type",
]
WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def header_names(data: bytes) -> list[str]:
    """The names in the top header block, read as a mail server reads them
    (any line ending ends a line; a line starting with space folds)."""
    block = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n\n", 1)[0]
    return [
        line.split(b":", 1)[0].decode("ascii", "replace")
        for line in block.split(b"\n")
        if line and line[:1] not in (b" ", b"\t")
    ]


def assert_no_injected_header(data: bytes) -> EmailMessage:
    assert header_names(data) == OUR_HEADERS, header_names(data)
    head = data.split(b"\r\n\r\n", 1)[0].lower()
    assert b"\nreply-to:" not in head.replace(b"\r", b"\n")
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Reply-To"] is None and message.get_all("To") is not None
    assert len(message.get_all("To") or []) == 1
    return message


def _mail(subject: str = "Invitasjon") -> Mail:
    return Mail(
        subject=subject,
        text="Hei",
        html="<p>Hei</p>",
        attachments=(MailAttachment("krav 1.pdf", "application/pdf", b"%PDF-1.4"),),
    )


def test_this_python_folds_an_encoded_word_into_a_header() -> None:
    """Why we build headers ourselves: the email package's own way adds the
    header on this Python (fixed in CPython 3.11.10, 3.12.5)."""
    message = EmailMessage()
    message["Subject"] = f"Invitasjon: {HOSTILE_TITLE}"
    message.set_content("Hei")
    if "Reply-To" not in header_names(message.as_bytes()):
        pytest.skip("this Python does not decode encoded words when it folds")
    assert "Reply-To" in header_names(message.as_bytes())


def test_hostile_subject_and_name_stay_text_in_their_headers() -> None:
    sent = compose(
        _mail(f"Invitasjon: {HOSTILE_TITLE}"),
        mail_from="Brukermedvirkning <bm@example.org>",
        to_address="per@example.com",
        to_name=HOSTILE_NAME,
        date=WHEN,
    )
    message = assert_no_injected_header(sent.data)
    # A reader sees the text as it was typed, in the header it was put in.
    assert message["Subject"] == f"Invitasjon: {HOSTILE_TITLE}"
    assert "Reply-To:" in str(message["To"]) and str(message["To"]).endswith("<per@example.com>")
    assert sent.recipients == ("per@example.com",) and sent.sender == "bm@example.org"
    assert sent.data.isascii()


def test_plain_and_norwegian_names_read_back_as_written() -> None:
    for name, subject in (
        ("Åse Ødegård Nordmann-Christiansen", "Påminnelse om en samling"),
        ("Per A. Hansen", "Honorarkrav BM-2026-0001, krav 3"),
        ("", "x" * 300),
    ):
        sent = compose(
            _mail(subject),
            mail_from="bm@example.org",
            to_address="p@example.com",
            to_name=name,
            date=WHEN,
        )
        message = assert_no_injected_header(sent.data)
        assert message["Subject"] == subject
        assert message["To"].addresses[0].display_name == name


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("Per\r\nBcc: x@evil.example", "Invitasjon"),
        ("Per\nPasient", "Invitasjon"),
        ("Per\x00Pasient", "Invitasjon"),
        ("Per\u2028Pasient", "Invitasjon"),
        ("Per Pasient", "Invitasjon\r\nBcc: x@evil.example"),
    ],
)
def test_a_line_break_refuses_that_mail_without_echoing_it(name: str, subject: str) -> None:
    with pytest.raises(UnsafeHeader) as refused:
        compose(
            _mail(subject),
            mail_from="bm@example.org",
            to_address="p@example.com",
            to_name=name,
            date=WHEN,
        )
    assert refused.value.permanent
    assert "evil" not in refused.value.reason and "Per" not in refused.value.reason


@pytest.mark.parametrize(
    "address",
    ["per@example.com>\r\nBcc: x@evil.example", "per <x@evil.example>", "pér@example.com"],
)
def test_an_address_that_is_not_plain_is_refused(address: str) -> None:
    with pytest.raises(UnsafeHeader):
        compose(_mail(), mail_from="bm@example.org", to_address=address, to_name="Per", date=WHEN)


def test_an_internationalised_domain_goes_in_its_ascii_form() -> None:
    sent = compose(
        _mail(), mail_from="bm@example.org", to_address="per@blåbær.no", to_name="Per", date=WHEN
    )
    assert sent.recipients == ("per@xn--blbr-roah.no",)
    assert b"To: Per <per@xn--blbr-roah.no>\r\n" in sent.data


@pytest.mark.parametrize(
    "head",
    [
        b"From: a@b\r\nTo: c@d\r\nReply-To: x@evil.example\r\n",
        b"From: a@b\r\nTo: c@d\r\nTo: x@evil.example\r\n",
        b"From: a@b\r\nSubject: x\nReply-To: x@evil.example\r\n",
        b"From: a@b\r\nSubject: \xc3\xa6\r\n",
    ],
)
def test_the_last_check_refuses_any_header_not_ours(head: bytes) -> None:
    with pytest.raises(UnsafeHeader):
        check_headers(head + b"\r\nbody\r\n")


# -- at input ---------------------------------------------------------------------------------

ENCODED = [
    INJECTION,
    "=?UTF-8?B?DQpSZXBseS1UbzogeEBldmlsLmV4YW1wbGU=?=",
    "a =?iso-8859-1?q?x?= b",
    "=?utf-8*no?Q?x?=",
]


@pytest.mark.parametrize("text", ENCODED)
def test_encoded_words_are_refused_in_free_text(text: str) -> None:
    for spec in ("title", "unit", "workload", "cost_centre", "description"):
        with pytest.raises(Refused) as refused:
            fields.validate(spec, f"Tittel {text}", today=WHEN.date())
        assert refused.value.key == "error.encoded_word"
    with pytest.raises(Refused):
        fields.free_text(f"Glasblokkene {text}", max_length=300)
    for field in ("name", "organisation", "municipality"):
        with pytest.raises(Refused) as said:
            pool.validate(
                {
                    "name": "Per Pasient",
                    "email": "per@example.com",
                    "roles": "patient",
                    "formats": "digital",
                    field: f"Per {text}",
                },
                areas=(),
            )
        assert (said.value.field, said.value.key) == (field, "error.encoded_word")


def test_the_search_stays_linear_on_hostile_text() -> None:
    started = time.perf_counter()
    for text in ("=?a?q?x" * 15_000, "=?" * 50_000, "=?u?b?" * 17_000 + "x"):
        fields.contains_encoded_word(text)
    # Milliseconds; a backtracking pattern took about half a minute here.
    assert time.perf_counter() - started < 2.0


def test_ordinary_text_with_equals_and_question_marks_is_kept() -> None:
    for text in ("Hva er 2+2=? Svar ?= nei", "Panel =?", "Kurs ?= nytt"):
        assert fields.validate("title", text, today=WHEN.date()) == text


def test_the_message_never_repeats_the_input() -> None:
    for locale in LOCALES:
        said = t(locale, "error.encoded_word")
        assert "evil" not in said and "Reply-To" not in said


async def test_the_order_dialog_refuses_an_encoded_title(bot) -> None:
    user = bot.teams.user("Kari", "aad-kari")
    await _walk_to(user, "title")
    reply = await user.say(HOSTILE_TITLE)
    assert any("e-postkode" in text for text in reply.texts), reply.texts
    assert not any("evil" in text for text in reply.texts)
    async with bot.db.sessions() as session:
        assert await session.scalar(select(Request.id)) is None


def test_a_gathering_with_an_encoded_title_or_place_is_refused(database_url) -> None:
    add = ["gathering", "add", "--starts", "2027-03-01T10:00"]
    for args in (
        [*add, "--title", HOSTILE_TITLE],
        [*add, "--title", "Samling", "--place", f"Sal {INJECTION}"],
    ):
        done = medvirk(database_url, *args)
        assert done.returncode != 0 and "encoded word" in done.stderr, done.stderr
        assert "evil" not in done.stderr


# -- hostile text already in the database -----------------------------------------------------


async def _hostile_invitation(bot, clock) -> tuple[int, int]:
    """A request whose title and a participant whose name were stored before
    the input rule; the participant is invited by e-mail."""
    request_id = await claimed_request(bot, clock, title=HOSTILE_TITLE, unit=f"Unit {INJECTION}")
    participant_id = await active(bot, clock, "Per Pasient")
    async with bot.db.transaction() as session:
        await session.execute(
            update(Participant).where(Participant.id == participant_id).values(name=HOSTILE_NAME)
        )
    card_of(
        await coordinator(bot).invoke(
            "invite", {"request_id": request_id, "participant_id": participant_id}
        )
    )
    await bot.drain()
    return request_id, participant_id


async def test_hostile_data_adds_no_header_over_smtp(start_bot, clock, smtp) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, MEDVIRK_MAIL_FROM="bm@example.org")
    await _hostile_invitation(bot, clock)
    (raw,) = smtp.inbox.raw
    message = assert_no_injected_header(raw)
    assert smtp.inbox.envelopes == [("bm@example.org", ["per@example.com"])]
    assert str(message["To"]).endswith("<per@example.com>")


async def test_hostile_data_adds_no_header_in_the_mail_folder(start_bot, clock, tmp_path) -> None:
    folder = tmp_path / "eml"
    bot = await start_bot(MEDVIRK_MAIL_DIR=str(folder))
    await _hostile_invitation(bot, clock)
    (eml,) = folder.glob("*.eml")
    assert_no_injected_header(eml.read_bytes())


async def test_a_name_with_a_line_break_fails_that_mail_at_once(
    start_bot, clock, smtp, database_url, caplog
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    request_id = await claimed_request(bot, clock, participant_count=2)
    bad = await active(bot, clock, "Per Pasient")
    good = await active(bot, clock, "Kari Pasient")
    async with bot.db.transaction() as session:
        await session.execute(
            update(Participant)
            .where(Participant.id == bad)
            .values(name="Per\r\nBcc: x@evil.example")
        )
    for participant_id in (bad, good):
        await coordinator(bot).invoke(
            "invite", {"request_id": request_id, "participant_id": participant_id}
        )
    await bot.drain()
    await bot.drain()  # nothing is tried again
    # Kari's invitation went; Per's was given up on its first try, with why.
    assert [m["To"] for m in smtp.inbox.messages] == ["Kari Pasient <kari@example.com>"]
    async with bot.db.sessions() as session:
        (failed,) = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.state == "failed")
        )
    assert failed.attempts == 1 and failed.target_key == f"participant:{bad}"
    assert (
        failed.last_error
        == "unsafe header: the recipient's name has a line break or control character"
    )
    # Loudly: an error in the log, which names the row and the reason, not the name.
    (logged,) = [r for r in caplog.records if "unsafe header" in r.getMessage()]
    assert logged.levelno == logging.ERROR and "evil" not in logged.getMessage()
    listed = medvirk(database_url, "outbox", "list")
    assert "unsafe header" in listed.stdout and "evil" not in listed.stdout
