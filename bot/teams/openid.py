"""The Bot Framework's token signing keys, fetched off the event loop.

botbuilder 4.17.1 fetches OpenID metadata and keys with blocking `requests`
on the event loop (every turn waits while it does), without a timeout, and
after a failed refresh every token with an unknown key triggers another.
`OpenIdKeys` replaces its cache (`JwtTokenExtractor.get_open_id_metadata`):
aiohttp with a timeout, one refresh in flight at a time, the last good keys
kept, and after a failure no new attempt before a growing pause.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import aiohttp
from botframework.connector.auth import jwt_token_extractor
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=10)
REFRESH_EVERY = 24 * 3600.0
# A key we do not know makes us look again, at most this often.
UNKNOWN_KEY_EVERY = 3600.0
FIRST_PAUSE, LONGEST_PAUSE = 5.0, 600.0


class OpenIdKeys:
    """Drop-in for botbuilder's `_OpenIdMetadata` (`await get(key_id)`)."""

    def __init__(self, url: str, *, clock: Any = time.monotonic) -> None:
        self.url = url
        self._clock = clock
        self._keys: list[dict[str, Any]] = []
        self._fetched_at: float | None = None
        self._not_before = 0.0  # no attempt before this (after a failure)
        self._pause = FIRST_PAUSE
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def get(self, key_id: str) -> Any:
        now = self._clock()
        if self._fetched_at is None or now - self._fetched_at > REFRESH_EVERY:
            await self._refresh()
        key = self._find(key_id)
        if key is None and (
            self._fetched_at is None or self._clock() - self._fetched_at > UNKNOWN_KEY_EVERY
        ):
            await self._refresh()
            key = self._find(key_id)
        return key

    async def _refresh(self) -> None:
        started = self._clock()
        async with self._lock:
            if self._fetched_at is not None and self._fetched_at >= started:
                return  # another turn refreshed while we waited
            if self._clock() < self._not_before:
                return  # failed recently: keep what we have, do not hammer
            self.fetches += 1
            try:
                async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
                    async with http.get(self.url) as response:
                        response.raise_for_status()
                        keys_url = (await response.json(content_type=None))["jwks_uri"]
                    async with http.get(keys_url) as response:
                        response.raise_for_status()
                        keys = (await response.json(content_type=None))["keys"]
            except (aiohttp.ClientError, TimeoutError, KeyError, ValueError, TypeError) as error:
                self._not_before = self._clock() + self._pause
                log.warning(
                    "token signing keys could not be fetched (%s); next try in %.0f s",
                    type(error).__name__,
                    self._pause,
                )
                self._pause = min(self._pause * 2, LONGEST_PAUSE)
                return
            self._keys = [k for k in keys if isinstance(k, dict)]
            self._fetched_at = self._clock()
            self._pause = FIRST_PAUSE

    def _find(self, key_id: str) -> Any:
        for key in self._keys:
            if key.get("kid") == key_id:
                public_key = RSAAlgorithm.from_jwk(json.dumps(key))
                return jwt_token_extractor._OpenIdConfig(public_key, key.get("endorsements", []))
        return None


_CACHE: dict[str, OpenIdKeys] = {}


def _metadata_for(metadata_url: str) -> OpenIdKeys:
    keys = _CACHE.get(metadata_url)
    if keys is None:
        keys = _CACHE.setdefault(metadata_url, OpenIdKeys(metadata_url))
    return keys


def install() -> None:
    """Make botbuilder's token validation use `OpenIdKeys` (idempotent)."""
    jwt_token_extractor.JwtTokenExtractor.get_open_id_metadata = staticmethod(_metadata_for)
