"""`GET /metrics` in the Prometheus text format (prometheus-client): counts and
timings only, never a name or an id.

Each app has its own registry (tests run many apps in one process). The
endpoint is on the bot's port unless `MEDVIRK_METRICS_PORT` gives it one of its
own (`MetricsServer`: the public's port then has no /metrics at all), and with
`MEDVIRK_METRICS_TOKEN` it answers only `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import func, select

from storage.db import Database
from storage.db.models import OutboxMessage
from storage.domain.clock import Clock
from storage.domain.outbox import OutboxState

log = logging.getLogger(__name__)

SCRAPE_QUERY_SECONDS = 2.0


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.sends = Counter(
            "medvirk_sends",
            "Proactive messages by channel (teams, email, sms) and outcome "
            "(sent, retry, failed, skipped).",
            ["channel", "outcome"],
            registry=self.registry,
        )
        self.sms_receipts = Counter(
            "medvirk_sms_receipts",
            "SMS delivery receipts by state (delivered, failed, unknown).",
            ["state"],
            registry=self.registry,
        )
        self.throttled = Counter(
            "medvirk_teams_throttled",
            "Proactive sends Teams answered 429 (the outbox waits as Teams says).",
            registry=self.registry,
        )
        self.turn_seconds = Histogram(
            "medvirk_turn_seconds",
            "Time to answer an activity on /api/messages.",
            buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15),
            registry=self.registry,
        )
        self.scheduler_lag = Gauge(
            "medvirk_scheduler_lag_seconds",
            "How late the last scheduler tick started.",
            registry=self.registry,
        )
        self.outbox_depth = Gauge(
            "medvirk_outbox_depth",
            "Pending outbox rows by target kind (at scrape time).",
            ["target_kind"],
            registry=self.registry,
        )
        self.outbox_oldest_due = Gauge(
            "medvirk_outbox_oldest_due_seconds",
            "How long the oldest due outbox row has waited (at scrape time).",
            registry=self.registry,
        )
        self._last_tick: float | None = None

    def tick_started(self, every: float) -> None:
        now = time.monotonic()
        if self._last_tick is not None:
            self.scheduler_lag.set(max(0.0, now - self._last_tick - every))
        self._last_tick = now

    async def refresh_outbox(self, db: Database, now: datetime) -> None:
        """The outbox's depth, read within a short budget (a hung database must
        not hang the scrape: the gauges keep their last values)."""
        try:
            await asyncio.wait_for(self._read_outbox(db, now), SCRAPE_QUERY_SECONDS)
        except Exception as error:
            log.warning("metrics: the outbox could not be read (%s)", type(error).__name__)

    async def _read_outbox(self, db: Database, now: datetime) -> None:
        async with db.reading() as session:
            depth = dict(
                (
                    await session.execute(
                        select(OutboxMessage.target_kind, func.count())
                        .where(OutboxMessage.state == OutboxState.PENDING)
                        .group_by(OutboxMessage.target_kind)
                    )
                ).all()
            )
            oldest = await session.scalar(
                select(func.min(OutboxMessage.next_attempt_at)).where(
                    OutboxMessage.state == OutboxState.PENDING,
                    OutboxMessage.next_attempt_at <= now,
                )
            )
        for kind in ("personal", "channel", "channel_thread", *depth):
            self.outbox_depth.labels(target_kind=kind).set(depth.get(kind, 0))
        self.outbox_oldest_due.set(0.0 if oldest is None else (now - oldest).total_seconds())

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def endpoint(metrics: Metrics, db: Database, clock: Clock, *, token: str = "") -> Handler:
    """`GET /metrics`; with `token`, only for `Authorization: Bearer <token>`."""
    expected = f"Bearer {token}".encode()

    async def handle(request: web.Request) -> web.StreamResponse:
        if token and not hmac.compare_digest(
            request.headers.get("Authorization", "").encode(), expected
        ):
            return web.Response(
                status=401, text="unauthorized\n", headers={"WWW-Authenticate": "Bearer"}
            )
        await metrics.refresh_outbox(db, clock.now())
        body, content_type = metrics.render()
        response = web.Response(body=body)
        response.headers["Content-Type"] = content_type
        return response

    return handle


class MetricsServer:
    """/metrics alone on a port of its own (`MEDVIRK_METRICS_PORT`)."""

    def __init__(self, handler: Handler, *, host: str, port: int) -> None:
        app = web.Application()
        app.router.add_get("/metrics", handler)
        self._runner = web.AppRunner(app, access_log=None)
        self.host, self.port = host, port

    async def start(self) -> None:
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info("metrics on http://%s:%s/metrics", self.host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()
