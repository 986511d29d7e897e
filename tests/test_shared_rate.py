"""One rate for the whole app: 1, 2 and 4 `medvirk serve` processes on one
PostgreSQL database send a reminder round together under Teams' per-app limit:
no 429, every recipient once, nothing lost. The time is bounded only loosely
(a loaded 2-core machine: 1.102 against a bound of 1.10 once failed a fresh
clone); bench/fanout.py prints the tight ratio."""

from __future__ import annotations

import asyncio
import gc
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.reminders import round_due_at, seed_reachable_contacts
from tests.support.serve_process import ServeProcess

# Teams' per-app limit, the default MEDVIRK_GLOBAL_RATE: the rate a real round
# runs at. (At twice that, four processes, the fake connector and PostgreSQL on
# two cores ran out of CPU before they ran out of budget: a test of the machine.)
RECIPIENTS = 500
RATE = 50.0

pytestmark = pytest.mark.timed  # measures time


@pytest.mark.parametrize("processes", [1, 2, 4])
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_processes_share_the_app_rate(
    db, database_url, connector, tmp_path, backend, processes
) -> None:
    # The fake connector runs in this process: a full garbage collection here
    # (~0.1 s with the suite loaded) would hold back requests and stamp them
    # as one burst. Teams' front door has no such pause.
    gc.collect()
    gc.freeze()
    connector.enforce_limits(global_rate=RATE)
    await seed_reachable_contacts(db, RECIPIENTS, connector.url)
    # The round starts at its due time by the sender's alarm (it is planned two
    # ticks ahead), not by a tick. A tick of 0.2 s (150 times the default's
    # rate) in four processes took the CPU their sends needed: they woke late
    # for their slots, which were then lost (ratio 1.06-1.12; 1.04-1.05 at 1 s).
    env = {"MEDVIRK_TICK_SECONDS": "1", "MEDVIRK_GLOBAL_RATE": str(RATE)}
    serves = [
        ServeProcess(database_url, tmp_path / f"serve-{i}.log", **env) for i in range(processes)
    ]
    loop = asyncio.get_running_loop()
    await asyncio.gather(*(loop.run_in_executor(None, s.start) for s in serves))
    try:
        due = datetime.now(UTC) + timedelta(seconds=2)
        await round_due_at(db, due)
        deadline = time.monotonic() + 60
        while len(connector.sent) < RECIPIENTS and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # anything doubled would arrive now
    finally:
        for serve in serves:
            assert serve.terminate() == 0
        gc.unfreeze()
    per = Counter(s.conversation_id for s in connector.sent)
    assert len(per) == RECIPIENTS, f"every recipient has the reminder ({len(per)} did)"
    assert max(per.values()) == 1, "nobody has it twice"
    assert connector.violations == 0, f"429s: {connector.violation_log[:10]}"
    took = max(s.at for s in connector.sent) - due.timestamp()
    floor = RECIPIENTS / RATE
    print(
        f"{processes} process(es): {took:.2f} s for {RECIPIENTS} at {RATE:.0f}/s, "
        f"ratio {took / floor:.3f}"
    )
    assert took <= 2.0 * floor, f"{took:.2f} s, floor {floor:.2f} s, ratio {took / floor:.3f}"
