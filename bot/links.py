"""Links in e-mails that work without logging in: signed (itsdangerous), for
one person and one purpose each, and expiring.

A token carries its purpose in the signature's salt, so a "coming" link can
never be replayed as an "I have answered" one, and its expiry in the payload.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from storage.db import Database
from storage.secrets import shared_secret

# A participant's own page (`/p/<token>`): their consent, data and invitations.
PERSON = "person"
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

    def person_url(self, payload: dict[str, Any], *, expires: datetime) -> str:
        return f"{self.base_url.rstrip('/')}/p/{self.token(PERSON, payload, expires=expires)}"

    def report_url(self, year: int, locale: str, *, now: datetime) -> str:
        payload = {"y": year, "l": locale}
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
