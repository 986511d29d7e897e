"""What operators expect: Prometheus metrics, JSON log lines, a quiet CLI."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.cli import configure_logging
from tests.support.cli import ROOT, medvirk
from tests.support.reminders import add_gathering, subscribe


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def test_metrics_count_sends_turns_and_the_outbox(bot, clock) -> None:
    await subscribe(bot, "Kari Kontakt", "aad-kari", ["contacts"])
    await add_gathering(bot, clock, groups=["contacts"])
    clock.advance(timedelta(days=110))
    bot.connector.fail_next(429, headers={"Retry-After": "1"})
    await bot.tick()  # the reminder is planned and answered 429
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{bot.url}/metrics") as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("text/plain")
            text = await resp.text()
    samples = _samples(text)
    assert samples[("medvirk_sends_total", (("channel", "teams"), ("outcome", "retry")))] == 1
    assert samples[("medvirk_teams_throttled_total", ())] == 1
    assert samples[("medvirk_outbox_depth", (("target_kind", "personal"),))] == 1
    assert samples[("medvirk_turn_seconds_count", ())] >= 2  # the subscription turns
    assert "aad-kari" not in text and "Kari" not in text


def test_json_log_lines_are_redacted(capsys) -> None:
    configure_logging("INFO", "json")
    try:
        logging.getLogger("medvirk.test").warning("fnr 150765 00565 i teksten")
        try:
            raise ValueError("15076500565")
        except ValueError:
            logging.getLogger("medvirk.test").exception("feil")
    finally:
        configure_logging("WARNING", "text")
    lines = [json.loads(line) for line in capsys.readouterr().err.strip().splitlines()]
    assert [entry["level"] for entry in lines] == ["WARNING", "ERROR"]
    assert "15076500565" not in json.dumps(lines) and "150765 00565" not in json.dumps(lines)
    assert lines[1]["exception"].startswith("Traceback")


@pytest.mark.processes  # the one smoke test of `python -m bot` as a process
async def test_the_cli_prints_its_result_not_pool_log_lines(db, database_url) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "gathering", "list"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "no gatherings"
    assert done.stderr == ""
    assert medvirk(database_url, "survey", "list").stdout.strip() == "no surveys"
