"""`create_app()`: the aiohttp application with the bot, its storage and scheduler.

The one place things are wired: settings → database → services → the router
of every feature → the Teams endpoint, the web routes and the scheduler's jobs.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.features import sms as sms_feature
from bot.features.pool import suggest
from bot.framework.access import Access, DeskCache
from bot.framework.card_state import CardAnswers, OneAtATime
from bot.framework.messages import new_correlation_id
from bot.framework.notifications import Sending
from bot.framework.router import Router, WebHandler
from bot.out.graph import GraphInstaller
from bot.out.links import LinkMaker, redact_tokens
from bot.out.mail import mailer_for
from bot.out.metrics import Metrics, MetricsServer
from bot.out.metrics import endpoint as metrics_endpoint
from bot.out.pages import answer
from bot.out.sender import OutboxSender
from bot.out.sms import gateway_for
from bot.out.sms_channel import SmsChannel
from bot.routing import build_router
from bot.services import Services
from bot.settings import Settings
from bot.teams.endpoint import TeamsConnection, TeamsEndpoint
from scheduler.runner import Scheduler, parse_weekly
from storage.db import scope
from storage.db.secrets import shared_secret
from storage.domain.clock import Clock, SystemClock
from storage.domain.sms import parse_quiet
from storage.outbox.send_budget import SharedSlots

log = logging.getLogger(__name__)

SERVICES = web.AppKey("services", Services)
SENDER = web.AppKey("sender", OutboxSender)
SCHEDULER = web.AppKey("scheduler", Scheduler)
ENDPOINT = web.AppKey("endpoint", TeamsEndpoint)


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    run_scheduler: bool = True,
    router: Router | None = None,
) -> web.Application:
    settings = settings or Settings()
    clock = clock or SystemClock()
    router = router or build_router()
    db = settings.open_database()
    connection = TeamsConnection(settings)
    desk_cache = DeskCache(db)
    links = LinkMaker(settings.secret_key, settings.public_base, db)
    app_metrics = Metrics()
    sending = Sending(settings=settings, clock=clock, links=links, db=db, desks=desk_cache)
    sms = SmsChannel(
        db=db,
        gateway=gateway_for(settings.sms_url, settings.sms_dir),
        clock=clock,
        sending=sending,
        sender=settings.sms_sender,
        secret=settings.secret_key,
        quiet=parse_quiet(settings.sms_quiet),
        per_day=settings.sms_per_day,
        budget=settings.sms_budget,
        zone=settings.zone,
        rate=settings.sms_rate,
        public_base=settings.public_base,
        slots=SharedSlots(db, "sms") if db.dialect == "postgresql" else None,
    )
    services = Services(
        settings=settings,
        db=db,
        clock=clock,
        outbox=OutboxSender(
            db=db,
            gateway=connection.gateway,
            clock=clock,
            notifications=router.notifications,
            sending=sending,
            gone=router.gone,
            metrics=app_metrics,
            global_rate=settings.global_rate,
            lease=settings.outbox_lease,
            # Several processes share a PostgreSQL database, and so the app's
            # rate; on SQLite one process sends.
            slots=SharedSlots(db) if db.dialect == "postgresql" else None,
            mailer=mailer_for(settings.smtp_url, settings.mail_dir),
            mail_from=settings.mail_from,
            mail_rate=settings.smtp_rate,
            mail_slots=SharedSlots(db, "smtp") if db.dialect == "postgresql" else None,
            graph=graph_installer(settings),
            sms=sms,
        ),
        access=Access(settings, desk_cache),
        desks=desk_cache,
        card_answers=CardAnswers(),
        moves_in_flight=OneAtATime(),
        links=links,
        metrics=app_metrics,
    )
    endpoint = TeamsEndpoint(
        settings=settings,
        db=db,
        clock=clock,
        connection=connection,
        router=router,
        services=services,
    )
    scheduler = Scheduler(
        zone=settings.zone,
        tick_seconds=settings.tick_seconds,
        on_tick=functools.partial(services.metrics.tick_started, settings.tick_seconds),
    )
    for tick in router.ordered_ticks():
        scheduler.on_tick(tick.name, functools.partial(tick.job, services))
    for cron in router.crons:
        schedule = cron.schedule(settings)
        if schedule is not None:
            scheduler.cron(
                cron.name,
                parse_weekly(schedule, settings.zone),
                functools.partial(cron.job, services),
            )

    app = web.Application(
        client_max_size=settings.max_body_bytes, middlewares=[_no_tracebacks, _every_desk]
    )
    app[SERVICES] = services
    app[SENDER] = services.outbox
    app[SCHEDULER] = scheduler
    app[ENDPOINT] = endpoint
    app.router.add_post("/api/messages", endpoint.handle)
    app.router.add_get("/healthz", healthz)
    metrics = metrics_endpoint(services.metrics, db, clock, token=settings.metrics_token)
    metrics_server = None
    if settings.metrics_port is None:
        app.router.add_get("/metrics", metrics)
        if not settings.anonymous and not settings.metrics_token:
            log.warning(
                "/metrics is on the bot's port with no token: keep it from the public at the "
                "proxy, or set MEDVIRK_METRICS_PORT or MEDVIRK_METRICS_TOKEN (docs/DEPLOY.md)"
            )
    else:
        metrics_server = MetricsServer(metrics, host=settings.bind_host, port=settings.metrics_port)
    for route in router.web:
        app.router.add_route(route.method, route.path, _with_services(route.handler, services))

    async def startup(app: web.Application) -> None:
        # The jobs (outbox, reminder rounds, escalation) serve every desk.
        scope.enter(scope.ALL_DESKS)
        if metrics_server is not None:
            await metrics_server.start()
        await db.upgrade()
        await services.links.prepare()
        if not sms.secret:
            sms.secret = await shared_secret(db, "sms")
        await sms.gateway.start(
            functools.partial(sms_feature.take_receipt, services),
            functools.partial(sms_feature.take_inbound, services),
        )
        log.info("SMS go to %s", sms.describe())
        if run_scheduler:
            await db.open_pool()
            await suggest.prepare(db, settings.areas, now=clock.now())
            scheduler.start()
            db.after_outbox_commit.append(services.outbox.wake)
            services.outbox.start()

    async def shutdown(app: web.Application) -> None:
        if services.outbox.wake in db.after_outbox_commit:
            db.after_outbox_commit.remove(services.outbox.wake)
        await scheduler.stop()
        await services.outbox.quiesce()

    async def cleanup(app: web.Application) -> None:
        if metrics_server is not None:
            await metrics_server.stop()
        await connection.gateway.close()
        await services.outbox.mailer.close()
        await sms.gateway.close()
        if services.outbox.graph is not None:
            await services.outbox.graph.close()
        await db.dispose()

    app.on_startup.append(startup)
    app.on_shutdown.append(shutdown)
    app.on_cleanup.append(cleanup)
    return app


def _with_services(handler: WebHandler, services: Services) -> Any:
    async def handle(request: web.Request) -> web.StreamResponse:
        return await answer(lambda: handler(request, services), request)

    return handle


def _problem(status: int, code: str, detail: str) -> web.Response:
    return web.json_response({"error": code, "detail": detail}, status=status)


@web.middleware
async def _no_tracebacks(request: web.Request, handler: Any) -> web.StreamResponse:
    """No traceback ever reaches an HTTP body: log it, answer with an id."""
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except web.HTTPException as exc:
        if exc.status == 413:
            return _problem(413, "too_large", "request body is too large")
        raise
    except Exception:
        correlation_id = new_correlation_id()
        log.exception(
            "unhandled error on %s %s [%s]",
            request.method,
            redact_tokens(request.path),
            correlation_id,
        )
        return web.json_response({"error": "internal", "correlationId": correlation_id}, status=500)


@web.middleware
async def _every_desk(request: web.Request, handler: Any) -> web.StreamResponse:
    """A web request starts seeing every desk: a page belongs to a person, not a
    desk, and a turn's guards narrow it to the desks of the turn (the router)."""
    with scope.within(scope.ALL_DESKS):
        response: web.StreamResponse = await handler(request)
        return response


class AccessLog(AbstractAccessLogger):
    """The access log (`medvirk serve`'s `access_log_class`): method, path with
    every link token replaced by `<token>` (a token opens a person's page),
    status, size and time; no query string, no address, no user agent."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '"%s %s" %s %s %.0fms',
            request.method,
            redact_tokens(request.path),
            response.status,
            response.body_length,
            time * 1000,
        )

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)


def graph_installer(settings: Settings) -> GraphInstaller | None:
    if not settings.graph_configured:
        return None
    return GraphInstaller(
        client_id=settings.app_id,
        client_secret=settings.app_password,
        tenant_id=settings.app_tenant_id,
        catalog_app_id=settings.teams_catalog_app_id,
        graph_url=settings.graph_url,
        login_url=settings.login_url,
    )


async def healthz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    try:
        await services.db.ping()
    except Exception:
        log.exception("health check: database does not answer")
        return web.json_response({"status": "unavailable", "database": "down"}, status=503)
    return web.json_response({"status": "ok", "database": services.db.dialect})
