"""Links in e-mails that work without logging in: signed (itsdangerous), for
one person and one purpose each, and expiring.

A token carries its purpose in the signature's salt, so a "coming" link can
never be replayed as an "I have answered" one (nor an invitation link as the
page with one's own data), and its expiry and its object in the payload.
No token is written to a log: `redact_tokens` takes them out of every line.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from storage.db import Database
from storage.db.secrets import shared_secret

# A participant's links (`/p/<token>…`), one purpose each; the payload names
# the person (`p`, with the nonce `n` that a new address or `revoke-links`
# changes), how it reached them (`v`) and the one object it is for.
CONSENT = "consent"  # /p/<token>: the consent request, answered yes or no
OWN_DATA = "own-data"  # /p/<token>: their data to see, correct, pause, withdraw
STAY = "stay"  # /p/<token>: "do you still want to take part?"
INVITATION = "invitation"  # /p/<token>/i/<id> (`i`): that invitation, answered
DOCUMENTS = "documents"  # /p/<token>/i/<id> (`i`): its documents, said signed
CLAIM = "claim"  # /p/<token>/c/<id> (`c`): that fee claim, confirmed
EVALUATION = "evaluation"  # /p/<token>/e/<id> (`e`): that evaluation, answered
PERSON_PURPOSES = (CONSENT, OWN_DATA, STAY, INVITATION, DOCUMENTS, CLAIM, EVALUATION)
# The proof a page's form carries that it came from the page (CSRF), and how
# long a page may stay open before its form is sent.
FORM = "form"
# The annual report's PDF (`/r/<token>`): a year and a language, for a week.
REPORT = "report"
REPORT_LIFETIME = timedelta(days=7)
FORM_LIFETIME = timedelta(minutes=60)


class BadLink(Exception):
    """Not a link we made, altered, or for something else."""


class ExpiredLink(Exception):
    """A link we made, past its time."""


@dataclass(frozen=True)
class Links:
    secret: str
    base_url: str

    def _serializer(self, purpose: str) -> URLSafeSerializer:
        return URLSafeSerializer(self.secret, salt=f"medvirk.link.{purpose}")

    def token(self, purpose: str, payload: dict[str, Any], *, expires: datetime) -> str:
        return str(self._serializer(purpose).dumps({**payload, "exp": int(expires.timestamp())}))

    def url(self, purpose: str, payload: dict[str, Any], *, expires: datetime) -> str:
        return f"{self.base_url.rstrip('/')}/a/{purpose}/{self.token(purpose, payload, expires=expires)}"

    def person_url(
        self, purpose: str, payload: dict[str, Any], *, expires: datetime, tail: str = ""
    ) -> str:
        """A participant's link: `/p/<token>` and the object's `tail` (`/i/7`)."""
        token = self.token(purpose, payload, expires=expires)
        return f"{self.base_url.rstrip('/')}/p/{token}{tail}"

    def report_url(
        self, year: int, locale: str, *, desks: Iterable[int] | None, now: datetime
    ) -> str:
        """The year's report of `desks` (None: every desk, as an admin's CLI sees)."""
        payload: dict[str, Any] = {"y": year, "l": locale}
        if desks is not None:
            payload["d"] = sorted(desks)
        token = self.token(REPORT, payload, expires=now + REPORT_LIFETIME)
        return f"{self.base_url.rstrip('/')}/r/{token}"

    def form_token(self, link_token: str, *, now: datetime) -> str:
        """A page's form proof: bound to the link the page was opened with."""
        return self.token(FORM, {"h": _digest(link_token)}, expires=now + FORM_LIFETIME)

    def form_matches(self, link_token: str, raw: object, *, now: float) -> bool:
        """Was this form sent from the page of this link, lately?"""
        try:
            proof = self.read(FORM, raw if isinstance(raw, str) else "", now=now)
        except (BadLink, ExpiredLink):
            return False
        return proof.get("h") == _digest(link_token)

    def read(self, purpose: str, token: str, *, now: float | None = None) -> dict[str, Any]:
        if len(token) > 1000:
            raise BadLink()
        try:
            payload = self._serializer(purpose).loads(token)
        except BadSignature:
            raise BadLink() from None
        if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
            raise BadLink()
        if (time.time() if now is None else now) > payload["exp"]:
            raise ExpiredLink()
        return payload


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


# The token in a path of every page a link opens (`/p/<token>…`, `/a/<purpose>/<token>`,
# `/r/<token>`, `/s/<code>`, `/calendar/<token>.ics`, `/g/<token>`, `/g/open/<token>`, `/ge/<token>`,
# `/order/<token>…`): what stands
# in a log line instead.
_TOKEN_IN_PATH = re.compile(
    r"(/(?:p|r|s|g/open|g|ge|order|calendar|a/[A-Za-z0-9_-]{1,40})/)[^/\s?#\"']+"
)
REDACTED = "<token>"


def redact_tokens(text: str) -> str:
    """`text` with every link token in a path replaced by `<token>`."""
    if "/" not in text:
        return text
    return _TOKEN_IN_PATH.sub(lambda m: m.group(1) + REDACTED, text)


class RedactLinkTokens(logging.Filter):
    """No link token reaches a log line (an error's path, an exception's URL)."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_tokens(record.exc_text)
        return True


class LinkMaker:
    """The process's `Links`. The key is MEDVIRK_SECRET_KEY, else one made once
    and kept in the database (the same in every process), read at start-up:
    a renderer holding the only SQLite connection must not need another."""

    def __init__(self, secret_key: str, base_url: str, db: Database) -> None:
        self._secret_key = secret_key
        self._base_url = base_url
        self._db = db
        self._links: Links | None = None

    async def prepare(self) -> Links:
        if self._links is None:
            secret = self._secret_key or await shared_secret(self._db, "links")
            self._links = Links(secret, self._base_url)
        return self._links

    async def get(self) -> Links:
        if self._links is None:
            raise RuntimeError("LinkMaker.prepare() runs at start-up")
        return self._links
