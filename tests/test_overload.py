"""A flood or a database that stops answering: quick, clear answers, no hang."""

from __future__ import annotations

import asyncio
import contextlib
import time

import aiohttp
import pytest

from tests.support.postgres import PG_HOST, PG_PORT


async def test_turns_beyond_the_limit_get_503_with_retry_after(start_bot) -> None:
    bot = await start_bot(MEDVIRK_MAX_TURNS=2)
    bot.connector.delay = 0.5  # Teams answers the bot's replies slowly
    users = [bot.teams.user(f"Bruker {i}", f"aad-{i}") for i in range(6)]
    replies = await asyncio.gather(*(u.say("hjelp") for u in users))
    statuses = sorted(r.status for r in replies)
    assert statuses.count(503) >= 1 and all(s < 500 or s == 503 for s in statuses)
    assert sum(1 for s in statuses if s < 300) >= 2
    async with aiohttp.ClientSession() as http:
        bot.connector.delay = 0
        # Once the flood is over, everybody is served again.
        assert (await users[0].say("hjelp")).status < 300
        async with http.get(f"{bot.url}/healthz") as resp:
            assert resp.status == 200


class FreezableProxy:
    """A TCP proxy to PostgreSQL on loopback that can stop forwarding (a database
    that hangs: a full disk, a stopped VM) without closing any connection."""

    def __init__(self) -> None:
        self.frozen = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self.server: asyncio.base_events.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while data := await reader.read(65536):
                while self.frozen.is_set():
                    await asyncio.sleep(0.05)
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while self.frozen.is_set():
            await asyncio.sleep(0.05)
        up_reader, up_writer = await asyncio.open_connection(PG_HOST, PG_PORT)
        for pipe in (self._pipe(reader, up_writer), self._pipe(up_reader, writer)):
            task = asyncio.create_task(pipe)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self.server is not None:
            self.server.close()


@pytest.mark.timed  # measures time
@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])  # a proxy stands in for a hanging server
async def test_healthz_says_503_within_5_seconds_when_the_database_hangs(
    start_bot, request, backend
) -> None:
    url = request.getfixturevalue("postgres_database")
    proxy = FreezableProxy()
    port = await proxy.start()
    try:
        bot = await start_bot(DATABASE_URL=url.replace(f":{PG_PORT}/", f":{port}/"))
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{bot.url}/healthz") as resp:
                assert resp.status == 200
            proxy.frozen.set()
            started = time.monotonic()
            async with http.get(f"{bot.url}/healthz") as resp:
                body = await resp.json()
                assert resp.status == 503 and body["database"] == "down"
            assert time.monotonic() - started < 5
            proxy.frozen.clear()
            async with http.get(f"{bot.url}/healthz") as resp:
                assert resp.status == 200
    finally:
        proxy.frozen.clear()
        await proxy.close()


@pytest.mark.timed  # measures time
@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
async def test_a_turn_gets_the_apology_within_5_seconds_when_the_database_hangs(
    start_bot, request, backend
) -> None:
    """A message gets the translated apology, a card press the error card, both
    well inside 5 s; once the database answers again, so does the bot."""
    url = request.getfixturevalue("postgres_database")
    proxy = FreezableProxy()
    port = await proxy.start()
    try:
        bot = await start_bot(DATABASE_URL=url.replace(f":{PG_PORT}/", f":{port}/"))
        nurse = bot.teams.user("Nina Sykepleier", "aad-nina", locale="nn-NO")
        assert (await nurse.say("hjelp")).status < 300
        proxy.frozen.set()

        started = time.monotonic()
        reply = await nurse.say("bestill")
        assert time.monotonic() - started < 5
        assert reply.status < 500
        assert any("databasen min svarar ikkje" in text for text in reply.texts), reply.texts

        member = bot.teams.user("Per Koordinator", "aad-per", locale="en-US")
        started = time.monotonic()
        pressed = await member.invoke("claim", {"request_id": 1})
        assert time.monotonic() - started < 5
        assert pressed.status == 200
        # A new connection times out (3 s) before the deadline does: either way an
        # error card in the presser's language, never an HTTP 5xx.
        assert pressed.body["statusCode"] in (500, 503), pressed.body
        assert pressed.body["value"]["message"].startswith("Sorry"), pressed.body

        proxy.frozen.clear()
        # The abandoned turns unwind in the background; the next ones are served.
        for _ in range(40):
            reply = await nurse.say("hjelp")
            if reply.status < 300 and reply.cards:
                break
            await asyncio.sleep(0.5)
        assert reply.cards and not reply.texts, reply.texts  # the help card, no apology
    finally:
        proxy.frozen.clear()
        await proxy.close()
