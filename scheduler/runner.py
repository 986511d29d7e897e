"""APScheduler wrapper. Jobs are coroutines with id arguments only; the
database is the source of truth, so a restart loses nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]

_DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def parse_weekly(expr: str, zone: ZoneInfo) -> CronTrigger:
    """`mon 08:00` (or `mon,thu 07:30`) as a cron trigger in the given zone."""
    try:
        days, clock = expr.strip().lower().split()
        hour, minute = (int(p) for p in clock.split(":"))
    except ValueError as exc:
        raise ValueError(f"expected e.g. 'mon 08:00', got {expr!r}") from exc
    if not set(days.split(",")) <= _DAYS or not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"expected e.g. 'mon 08:00', got {expr!r}")
    return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=zone)


class Scheduler:
    """Runs the tick jobs every `tick_seconds` and the cron jobs on their triggers.

    Tick jobs run one after another in one scheduler job, so a slow round never
    overlaps itself (`max_instances=1`, late runs coalesced).
    """

    def __init__(
        self, *, zone: ZoneInfo, tick_seconds: float, on_tick: Callable[[], None] | None = None
    ) -> None:
        self.zone = zone
        self.tick_seconds = tick_seconds
        # Told at the start of every tick (how late ticks run, for the metrics).
        self._on_tick = on_tick
        self._tick_jobs: list[tuple[str, Job]] = []
        self._scheduler = AsyncIOScheduler(timezone=zone)
        self._running: set[asyncio.Task[None]] = set()

    def on_tick(self, name: str, job: Job, *, first: bool = False) -> None:
        if first:
            self._tick_jobs.insert(0, (name, job))
        else:
            self._tick_jobs.append((name, job))

    def cron(self, name: str, trigger: CronTrigger, job: Job) -> None:
        self._scheduler.add_job(
            self._guarded(name, job),
            trigger,
            id=name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
            replace_existing=True,
        )

    async def tick(self) -> None:
        """One round of every tick job (tests call this directly)."""
        if self._on_tick is not None:
            self._on_tick()
        for name, job in self._tick_jobs:
            await self._guarded(name, job)()

    def _guarded(self, name: str, job: Job) -> Job:
        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                await job()
            except Exception:
                log.exception("scheduled job %s failed", name)
            finally:
                if task is not None:
                    self._running.discard(task)

        return run

    def start(self) -> None:
        self._scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self.tick_seconds),
            id="tick",
            max_instances=1,
            coalesce=True,
            replace_existing=True,
        )
        self._scheduler.start()

    async def stop(self, timeout: float = 25.0) -> None:
        """Start nothing new; let a round in progress finish (its sends are marked)."""
        if self._scheduler.running:
            # Pause first: APScheduler's shutdown cancels jobs still running,
            # which would cut an outbox round between a send and its record.
            self._scheduler.pause()
        running = [t for t in self._running if t is not asyncio.current_task()]
        if running:
            log.info("waiting for %d scheduled job(s) to finish", len(running))
            await asyncio.wait(running, timeout=timeout)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
