"""Token signing keys: fetched without blocking the event loop, once at a time,
and after a failure not again before a pause (never once per token)."""

from __future__ import annotations

import asyncio
import base64
import time

from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.teams.openid import FIRST_PAUSE, OpenIdKeys


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Metadata:
    def __init__(self) -> None:
        numbers = rsa.generate_private_key(65537, 2048).public_key().public_numbers()
        self.jwk = {"kty": "RSA", "kid": "k1", "n": _b64(numbers.n), "e": _b64(numbers.e)}
        self.status = 200
        self.delay = 0.0
        self.hits = 0
        app = web.Application()
        app.router.add_get("/meta", self.meta)
        app.router.add_get("/keys", self.keys)
        self.server = TestServer(app)

    async def meta(self, request: web.Request) -> web.Response:
        self.hits += 1
        await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.Response(status=self.status)
        return web.json_response({"jwks_uri": str(self.server.make_url("/keys"))})

    async def keys(self, request: web.Request) -> web.Response:
        return web.json_response({"keys": [self.jwk]})


async def test_a_failing_endpoint_is_asked_once_per_pause_and_keys_come_back() -> None:
    metadata = Metadata()
    await metadata.server.start_server()
    now = [1000.0]
    keys = OpenIdKeys(str(metadata.server.make_url("/meta")), clock=lambda: now[0])
    try:
        metadata.status = 500
        assert await keys.get("k1") is None
        for _ in range(20):  # twenty tokens in the next seconds
            assert await keys.get("k1") is None
        assert metadata.hits == 1
        metadata.status = 200
        now[0] += FIRST_PAUSE + 1
        assert await keys.get("k1") is not None
        assert metadata.hits == 2
        for _ in range(20):
            assert await keys.get("k1") is not None
        assert metadata.hits == 2  # known keys need no fetch
    finally:
        await metadata.server.close()


async def test_a_slow_endpoint_does_not_block_the_event_loop_and_is_fetched_once() -> None:
    metadata = Metadata()
    metadata.delay = 1.0
    await metadata.server.start_server()
    keys = OpenIdKeys(str(metadata.server.make_url("/meta")))
    gaps: list[float] = []

    async def heartbeat() -> None:
        last = time.monotonic()
        for _ in range(20):
            await asyncio.sleep(0.05)
            gaps.append(time.monotonic() - last)
            last = time.monotonic()

    try:
        found, _ = await asyncio.gather(
            asyncio.gather(*(keys.get("k1") for _ in range(10))), heartbeat()
        )
        assert all(k is not None for k in found)
        assert metadata.hits == 1  # ten tokens at once: one fetch
        assert max(gaps) < 0.5  # the loop kept running while it waited
    finally:
        await metadata.server.close()
