"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and
can be told to answer the next messages with an error."""

from __future__ import annotations

import email
import email.policy
import ssl
from collections import deque
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from bot.cli.try_local import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # the bytes as they arrived
        self.envelopes: list[tuple[str, list[str]]] = []
        self.over_tls: list[bool] = []
        self.replies: deque[str] = deque()  # e.g. "550 5.1.1 No such user"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.replies:
            return self.replies.popleft()
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.raw.append(envelope.content)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.over_tls.append(session.ssl is not None)
        return "250 OK"


class SmtpServer:
    def __init__(self, tls_context: ssl.SSLContext | None = None) -> None:
        """With `tls_context`, the server offers STARTTLS and requires it."""
        self.inbox = Inbox()
        self.port = free_port()
        tls: dict[str, Any] = (
            {"tls_context": tls_context, "require_starttls": True} if tls_context else {}
        )
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **tls)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


def parts(message: EmailMessage) -> dict[str, str]:
    """The text and HTML bodies, by content type."""
    found: dict[str, str] = {}
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html") and not part.get_filename():
            found[part.get_content_type()] = part.get_content()
    return found


def attachments(message: EmailMessage) -> dict[str, bytes]:
    return {
        part.get_filename(): part.get_payload(decode=True)
        for part in message.walk()
        if part.get_filename()
    }
