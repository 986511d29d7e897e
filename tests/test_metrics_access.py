"""`/metrics` kept from the public, over HTTP: on a port of its own
(`MEDVIRK_METRICS_PORT`, and then not on the bot's port at all), or behind a
bearer token (`MEDVIRK_METRICS_TOKEN`), or both."""

from __future__ import annotations

import aiohttp
import pytest

from bot.cli.try_local import free_port

# On SQLite only: who may read /metrics, before any SQL.
pytestmark = pytest.mark.sqlite_only

TOKEN = "b3f1c0de-metrics-token-for-the-scraper"


async def _get(url: str, **headers: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers=headers) as resp:
            return resp.status, await resp.text()


async def test_metrics_on_their_own_port_only(start_bot) -> None:
    port = free_port()
    bot = await start_bot(MEDVIRK_METRICS_PORT=str(port))
    status, text = await _get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200 and "medvirk_outbox_depth" in text
    # The port the public reaches has no /metrics; it still answers the bot's paths.
    assert (await _get(f"{bot.url}/metrics"))[0] == 404
    assert (await _get(f"{bot.url}/healthz"))[0] == 200
    # Nothing else on the metrics port.
    assert (await _get(f"http://127.0.0.1:{port}/healthz"))[0] == 404


async def test_metrics_behind_a_bearer_token(start_bot) -> None:
    bot = await start_bot(MEDVIRK_METRICS_TOKEN=TOKEN)
    url = f"{bot.url}/metrics"
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
    ):
        status, text = await _get(url, **headers)
        assert status == 401 and "medvirk_" not in text, headers
    status, text = await _get(url, Authorization=f"Bearer {TOKEN}")
    assert status == 200 and "medvirk_outbox_depth" in text


async def test_both_a_port_and_a_token(start_bot) -> None:
    port = free_port()
    await start_bot(MEDVIRK_METRICS_PORT=str(port), MEDVIRK_METRICS_TOKEN=TOKEN)
    url = f"http://127.0.0.1:{port}/metrics"
    assert (await _get(url))[0] == 401
    assert (await _get(url, Authorization=f"Bearer {TOKEN}"))[0] == 200


async def test_without_either_metrics_stay_where_they_were(bot) -> None:
    assert (await _get(f"{bot.url}/metrics"))[0] == 200
