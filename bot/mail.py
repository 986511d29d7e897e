"""E-mail out: over SMTP (`MEDVIRK_SMTP_URL`) with aiosmtplib, or, with no
server configured (a laptop, `medvirk try`), into a folder as `.eml` files.

A mailer raises `MailFailed`: `permanent` for a 5xx reply (the address or the
message is refused: give up with the reason), not for 4xx replies and network
errors (try again later).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 20.0


class MailFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> str:
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

    async def send(self, message: EmailMessage) -> str:
        message_id = _ensure_id(message)
        async with self._lock:
            try:
                client = await self._connected()
                await client.send_message(message)
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
        return message_id

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

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def describe(self) -> str:
        return f"the folder {self.folder.resolve()} (no MEDVIRK_SMTP_URL)"

    async def send(self, message: EmailMessage) -> str:
        message_id = _ensure_id(message)
        data = message.as_bytes()
        name = f"{uuid.uuid4().hex}.eml"
        try:
            await asyncio.to_thread(_write_atomically, self.folder, name, data)
        except OSError as error:
            raise MailFailed(f"mail folder: {type(error).__name__}", permanent=False) from None
        return message_id

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


def _ensure_id(message: EmailMessage) -> str:
    if message["Message-ID"] is None:
        message["Message-ID"] = make_msgid(domain="medvirk")
    return str(message["Message-ID"])


def _mentions_any(path: Path, needles: set[str]) -> bool:
    """Whether the message's headers or text parts name any of `needles`
    (case-insensitive; attachments are not read)."""
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
    seen = "\n".join(texts).casefold()
    return any(needle in seen for needle in needles)


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
    """The folder's mails that name a person forgotten or gone (an address, a
    name, a number): deleted. Returns how many."""
    wanted = {n.casefold() for n in needles if n and len(n) >= 3}
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
