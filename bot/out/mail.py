"""E-mail out: over SMTP (`MEDVIRK_SMTP_URL`) with aiosmtplib, or, with no
server configured (a laptop, `medvirk try`), into a folder as `.eml` files.

`compose()` writes every message's bytes. The headers that carry text from
people (the recipient's name, the subject) are built here, never by the email
package's header parser: Python up to 3.11.9 decodes RFC 2047 encoded words
when it folds a header (CVE-2024-6923), so `=?utf-8?q?=0D=0AReply-To:…?=` in a
title or name became a header of its own. Here text is encoded into encoded
words by us, a line break or control character refuses that one mail
(`UnsafeHeader`), and the finished header block is checked for any header we
did not write.

A mailer raises `MailFailed`: `permanent` for a 5xx reply or a message that
cannot be written (give up with the reason), not for 4xx replies and network
errors (try again later).
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import logging
import os
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from bot.framework.messages import Mail

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 20.0


class MailFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class UnsafeHeader(MailFailed):
    """A name, subject or address that cannot go into a header: that mail is
    given up at once (a retry would build the same bytes)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"unsafe header: {what}", permanent=True)


@dataclass(frozen=True)
class Outgoing:
    """A message ready to go: the envelope and the exact bytes."""

    sender: str
    recipients: tuple[str, ...]
    message_id: str
    data: bytes


class Mailer(Protocol):
    # Does mail reach a mail server (True), or only a folder on this machine?
    delivers: bool

    async def send(self, message: Outgoing) -> str:
        """Send it; the Message-ID. Raises `MailFailed`."""
        ...

    async def close(self) -> None: ...

    def describe(self) -> str:
        """Where mail goes, for a log line (never the password)."""
        ...


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool  # smtps:// (TLS from the first byte)
    # smtp:// must upgrade with STARTTLS (True), except to a relay on this host
    # (None: if it offers it), since the password and the mail cross no network.
    start_tls: bool | None

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("MEDVIRK_SMTP_URL must look like smtp://user:password@host:587")
        use_tls = parts.scheme == "smtps"
        port = parts.port or (465 if use_tls else 587)
        return cls(
            host=parts.hostname,
            port=port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=use_tls,
            start_tls=False if use_tls else (None if _is_loopback(parts.hostname) else True),
        )


class SmtpMailer:
    """One SMTP connection, kept open between messages and opened again when
    the server has closed it; one message at a time on it."""

    delivers = True

    def __init__(self, server: SmtpServer, *, local_hostname: str | None = None) -> None:
        self._server = server
        self._client: aiosmtplib.SMTP | None = None
        self._lock = asyncio.Lock()
        self._local_hostname = local_hostname

    def describe(self) -> str:
        s = self._server
        mode = "TLS" if s.use_tls else ("STARTTLS" if s.start_tls else "local relay")
        return f"SMTP {s.host}:{s.port} ({mode})"

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        s = self._server
        client = aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            use_tls=s.use_tls,
            start_tls=s.start_tls,
            timeout=SMTP_TIMEOUT_SECONDS,
            local_hostname=self._local_hostname,
        )
        await client.connect()
        if s.username and s.password:
            await client.login(s.username, s.password)
        self._client = client
        return client

    async def send(self, message: Outgoing) -> str:
        async with self._lock:
            try:
                client = await self._connected()
                await client.sendmail(message.sender, list(message.recipients), message.data)
            except aiosmtplib.SMTPRecipientsRefused as refused:
                codes = [r.code for r in refused.recipients]
                permanent = all(500 <= c < 600 for c in codes)
                raise MailFailed(
                    f"smtp {codes[0] if codes else '?'}", permanent=permanent
                ) from None
            except aiosmtplib.SMTPResponseException as error:
                if 500 <= error.code < 600:
                    raise MailFailed(f"smtp {error.code}", permanent=True) from None
                await self._drop()
                raise MailFailed(f"smtp {error.code}", permanent=False) from None
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
                await self._drop()
                raise MailFailed(f"smtp: {type(error).__name__}", permanent=False) from None
        return message.message_id

    async def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except Exception:  # the connection is gone either way
                pass

    async def close(self) -> None:
        async with self._lock:
            client, self._client = self._client, None
            if client is not None and client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError, TimeoutError):
                    client.close()


class FolderMailer:
    """Mail written to a folder, one `.eml` file each (no SMTP server set)."""

    delivers = False

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def describe(self) -> str:
        return f"the folder {self.folder.resolve()} (no MEDVIRK_SMTP_URL)"

    async def send(self, message: Outgoing) -> str:
        name = f"{uuid.uuid4().hex}.eml"
        try:
            await asyncio.to_thread(_write_atomically, self.folder, name, message.data)
        except OSError as error:
            raise MailFailed(f"mail folder: {type(error).__name__}", permanent=False) from None
        return message.message_id

    async def close(self) -> None:
        return None


def _write_atomically(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.part"
    partial.write_bytes(data)
    os.replace(partial, folder / name)  # a reader never sees half a message


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


# What identifies a person in a stored mail: an address or a phone number, as
# whole tokens (a name would match other words: "Per" in "Personvern").
_MAIL_ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ]{6,}\d")


def _identifiers(text: str) -> set[str]:
    found = {a.casefold() for a in _MAIL_ADDRESS.findall(text)}
    return found | {p.replace(" ", "") for p in _PHONE.findall(text)}


def _mentions_any(path: Path, needles: set[str]) -> bool:
    """Whether the message's headers or text parts carry any of `needles`
    (addresses, phone numbers) as a whole token; attachments are not read."""
    try:
        with path.open("rb") as file:
            message = BytesParser(policy=policy.default).parse(file)
    except OSError:
        return False
    texts = [f"{k}: {v}" for k, v in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "text" and not part.get_filename():
            try:
                texts.append(str(part.get_content()))
            except (LookupError, ValueError):
                continue
    return not _identifiers("\n".join(texts)).isdisjoint(needles)


def _forget_in_folder(folder: Path, needles: set[str]) -> int:
    gone = 0
    if not folder.is_dir():
        return 0
    for path in folder.glob("*.eml"):
        if _mentions_any(path, needles):
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def _purge_folder(folder: Path, before: float) -> int:
    gone = 0
    if not folder.is_dir():
        return 0
    for path in folder.glob("*.eml"):
        try:
            if path.stat().st_mtime < before:
                path.unlink(missing_ok=True)
                gone += 1
        except OSError:
            continue
    return gone


def mail_folder(smtp_url: str, mail_dir: str) -> Path | None:
    """Where mail was written, when no SMTP server is set (else None)."""
    return None if smtp_url else Path(mail_dir)


async def forget_mail(folder: Path | None, needles: Iterable[str | None]) -> int:
    """The folder's mails that carry the address or phone number of a person
    forgotten or gone: deleted (names are ignored). Returns how many."""
    wanted = set().union(*(_identifiers(n) for n in needles if n))
    if folder is None or not wanted:
        return 0
    return await asyncio.to_thread(_forget_in_folder, folder, wanted)


async def purge_mail(folder: Path | None, *, before: datetime) -> int:
    """The folder's mails written before `before` (the retention): deleted."""
    if folder is None:
        return 0
    return await asyncio.to_thread(_purge_folder, folder, before.timestamp())


def mailer_for(smtp_url: str, mail_dir: str) -> Mailer:
    if smtp_url:
        return SmtpMailer(SmtpServer.from_url(smtp_url))
    return FolderMailer(Path(mail_dir))


# -- composing: the bytes of a message ------------------------------------------------------

# The body's MIME parts: built by the email package from our own values only,
# and 7-bit (quoted-printable, base64), so every byte of a message is ASCII.
_BODY_POLICY = policy.SMTP.clone(cte_type="7bit")
# The headers a message has, each once; anything else in its header block means
# text got out of its header, and the mail is not sent.
_HEADERS = (
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Auto-Submitted",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
)
# An address as a header may carry it: an ASCII dot-atom local part and domain.
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
    r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*"
)
# Words that may stand as they are: in a display name (RFC 5322 atext), in a subject.
_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")
_PRINTABLE = re.compile(r"[!-~]+")
_MESSAGE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,100}")
# UTF-8 bytes per encoded word: 52 base64 characters, 64 with `=?utf-8?b?…?=`
# (RFC 2047 allows 75).
_WORD_BYTES = 39
_FOLD = "\r\n "


def header_text(value: str, what: str) -> str:
    """Text for a header: runs of spaces as one; a line break or any other
    control character refuses it (it could end the header)."""
    for char in value:
        if char != "\t" and unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            raise UnsafeHeader(f"{what} has a line break or control character")
    return " ".join(value.split())


def encoded_words(text: str) -> str:
    """`text` as RFC 2047 encoded words (UTF-8, base64), folded between them;
    what a reader decodes is `text`, and nothing in it is read as structure."""
    words: list[str] = []
    chunk = b""
    for char in text:
        data = char.encode("utf-8")
        if chunk and len(chunk) + len(data) > _WORD_BYTES:
            words.append(chunk.decode("utf-8"))
            chunk = b""
        chunk += data
    words.append(chunk.decode("utf-8"))
    return _FOLD.join(
        f"=?utf-8?b?{base64.b64encode(word.encode('utf-8')).decode('ascii')}?=" for word in words
    )


def _phrase(text: str, plain: re.Pattern[str]) -> str:
    """Words that may stand as they are stay readable; each run of others
    becomes encoded words (spaces inside a run go inside the words, since a
    reader drops the space between two encoded words)."""
    out: list[str] = []
    run: list[str] = []
    for word in text.split(" "):
        if plain.fullmatch(word) and "=?" not in word and "?=" not in word:
            if run:
                out.append(encoded_words(" ".join(run)))
                run = []
            out.append(word)
        else:
            run.append(word)
    if run:
        out.append(encoded_words(" ".join(run)))
    return " ".join(out)


def subject_header(subject: str) -> str:
    text = header_text(subject, "the subject")
    folded = _phrase(text, _PRINTABLE)
    if max(len(line) for line in folded.split("\r\n")) > 900:
        return encoded_words(text)  # one long line of plain words: folded as words
    return folded


def ascii_address(address: str, what: str) -> str:
    """The address as a header and the envelope carry it: an internationalised
    domain in its ASCII form (IDNA); anything else not plain is refused."""
    local, at, domain = address.rpartition("@")
    if at and not domain.isascii():
        try:
            address = f"{local}@{domain.encode('idna').decode('ascii')}"
        except UnicodeError:
            raise UnsafeHeader(f"the {what} address is not a plain ASCII address") from None
    if not _ADDRESS.fullmatch(address) or len(address) > 320:
        raise UnsafeHeader(f"the {what} address is not a plain ASCII address")
    return address


def address_header(name: str | None, address: str, what: str) -> str:
    """`Name <address>`, the name in atoms and encoded words; never quoted
    text (a quoted string is where a parser's idea of the name and ours differ)."""
    address = ascii_address(address, what)
    text = header_text(name or "", f"the {what} name")
    if not text:
        return address
    return f"{_phrase(text, _ATOM)} <{address}>"


def message_id(key: str | None, sender: str) -> str:
    """`<medvirk.KEY@sender's domain>` for a message that must keep its id when
    sent again (a payroll claim); a random one otherwise."""
    domain = sender.rpartition("@")[2]
    if key is None:
        return f"<medvirk.{uuid.uuid4().hex}@{domain}>"
    if not _MESSAGE_KEY.fullmatch(key):
        raise UnsafeHeader("the message key is not plain")
    return f"<medvirk.{key}@{domain}>"


def _safe_filename(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", name).strip("._") or "attachment"
    return cleaned[:100]


def compose(
    mail: Mail, *, mail_from: str, to_address: str, to_name: str | None, date: datetime
) -> Outgoing:
    """The message's bytes, with headers only we wrote. Raises `UnsafeHeader`."""
    from_name, sender = parseaddr(mail_from)
    sender = ascii_address(sender, "sender's")
    to_address = ascii_address(to_address, "recipient's")
    headers = [
        ("From", address_header(from_name, sender, "sender's")),
        ("To", address_header(to_name, to_address, "recipient's")),
        ("Subject", subject_header(mail.subject)),
        ("Date", format_datetime(date)),
        ("Message-ID", message_id(mail.message_key, sender)),
        ("Auto-Submitted", "auto-generated"),
    ]
    if mail.reply_to:
        reply_to = ascii_address(mail.reply_to, "reply-to")
        headers.append(("Reply-To", address_header(None, reply_to, "reply-to")))
    body = EmailMessage(policy=_BODY_POLICY)
    body.set_content(mail.text, cte="quoted-printable")
    body.add_alternative(mail.html, subtype="html", cte="quoted-printable")
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        body.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=_safe_filename(attachment.filename),
        )
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode("ascii")
    data = head + body.as_bytes()
    check_headers(data, also=("Reply-To",) if mail.reply_to else ())
    return Outgoing(sender=sender, recipients=(to_address,), message_id=headers[4][1], data=data)


def check_headers(data: bytes, also: tuple[str, ...] = ()) -> None:
    """`also`: the headers this message was given besides ours (a Reply-To).
    Refuse a message whose header block holds a header we did not write, or
    one twice, or anything not ASCII: what a mail server will read, checked as
    it will read it (whatever the Python that built it)."""
    if not data.isascii():
        raise UnsafeHeader("the message is not 7-bit")
    block = data.split(b"\r\n\r\n", 1)[0]
    names: list[str] = []
    for line in block.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            continue  # a folded line of the header above
        name, colon, _ = line.partition(b":")
        if not colon or b"\n" in line or b"\r" in line:
            raise UnsafeHeader("the header block is malformed")
        names.append(name.decode("ascii"))
    if sorted(set(names)) != sorted(names) or not set(names) <= {*_HEADERS, *also}:
        raise UnsafeHeader("a header would be added")
