"""`create_app()`: the aiohttp application with the bot, its storage and scheduler."""

from __future__ import annotations

import importlib
import json
import logging
from typing import Any

from aiohttp import web
from botbuilder.core import ConversationState, TurnContext
from botbuilder.dialogs import DialogSet
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import ActivityTypes

from bot.activity_json import activity_from_json
from bot.connector import ConnectorPool, PooledAuthentication
from bot.handler import MedvirkBot, Services
from bot.sender import OutboxSender
from bot.settings import Settings
from bot.state_storage import DatabaseStorage
from bot.turns import JsonText, dumps, locale_of, new_correlation_id
from dialogs.i18n import t
from scheduler.runner import Scheduler
from storage.clock import Clock, SystemClock
from storage.db import Database
from storage.state_store import StateStore

log = logging.getLogger(__name__)

# Feature modules; each has `register(bot)`.
FEATURES: tuple[str, ...] = ("bot.basics", "bot.order", "bot.channel", "bot.reminders")

SERVICES = web.AppKey("services", Services)
BOT = web.AppKey("bot", MedvirkBot)
ADAPTER = web.AppKey("adapter", CloudAdapter)
SENDER = web.AppKey("sender", OutboxSender)
SCHEDULER = web.AppKey("scheduler", Scheduler)


class _BotConfig:
    """The attribute names ConfigurationBotFrameworkAuthentication reads."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        self.APP_TYPE = settings.app_type
        self.APP_TENANTID = settings.app_tenant_id
        if settings.openid_metadata_url:
            self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.openid_metadata_url
        if settings.token_issuer:
            self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = settings.token_issuer


def build_authentication(settings: Settings) -> PooledAuthentication:
    inner = ConfigurationBotFrameworkAuthentication(_BotConfig(settings))
    return PooledAuthentication(inner, ConnectorPool())


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    run_scheduler: bool = True,
    authentication: PooledAuthentication | None = None,
) -> web.Application:
    settings = settings or Settings()
    clock = clock or SystemClock()
    db = Database(settings.database_url)
    auth = authentication or build_authentication(settings)
    adapter = CloudAdapter(auth)
    storage = DatabaseStorage(StateStore(db, clock))
    conversation_state = ConversationState(storage)
    dialogs = DialogSet(conversation_state.create_property("DialogState"))
    services = Services(
        settings=settings,
        db=db,
        clock=clock,
        auth=auth,
        conversation_state=conversation_state,
        dialogs=dialogs,
    )
    bot = MedvirkBot(services)
    sender = OutboxSender(
        db=db, auth=auth, clock=clock, app_id=settings.app_id, global_rate=settings.global_rate
    )
    scheduler = Scheduler(zone=settings.zone, tick_seconds=settings.tick_seconds)
    services.extras.update(sender=sender, scheduler=scheduler, adapter=adapter)
    scheduler.on_tick("outbox", _drain(sender))

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        correlation_id = new_correlation_id()
        log.error(
            "turn failed [%s] activity=%s",
            correlation_id,
            getattr(context.activity, "type", "?"),
            exc_info=error,
        )
        if context.activity.type == ActivityTypes.message and not context.responded:
            try:
                await context.send_activity(
                    t(locale_of(context), "error.internal", correlation_id=correlation_id)
                )
            except Exception:
                # The connector itself failed (e.g. 429): nothing more to tell the user.
                log.warning("could not send the apology [%s]", correlation_id)

    adapter.on_turn_error = on_turn_error

    features = [importlib.import_module(name) for name in FEATURES]
    for feature in features:
        feature.register(bot)

    app = web.Application(client_max_size=settings.max_body_bytes, middlewares=[_no_tracebacks])
    app[SERVICES] = services
    app[BOT] = bot
    app[ADAPTER] = adapter
    app[SENDER] = sender
    app[SCHEDULER] = scheduler
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    for feature in features:
        if hasattr(feature, "routes"):
            feature.routes(app, services)

    async def startup(app: web.Application) -> None:
        await db.upgrade()
        if run_scheduler:
            scheduler.start()

    async def shutdown(app: web.Application) -> None:
        await scheduler.stop()

    async def cleanup(app: web.Application) -> None:
        await auth.pool.close()
        await db.dispose()

    app.on_startup.append(startup)
    app.on_shutdown.append(shutdown)
    app.on_cleanup.append(cleanup)
    return app


def _drain(sender: OutboxSender) -> Any:
    async def drain() -> None:
        await sender.drain()

    return drain


def _problem(status: int, code: str, detail: str) -> web.Response:
    return web.json_response({"error": code, "detail": detail}, status=status)


@web.middleware
async def _no_tracebacks(request: web.Request, handler: Any) -> web.StreamResponse:
    """No traceback ever reaches an HTTP body: log it, answer with an id."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status == 413:
            return _problem(413, "too_large", "request body is too large")
        raise
    except Exception:
        correlation_id = new_correlation_id()
        log.exception("unhandled error on %s %s [%s]", request.method, request.path, correlation_id)
        return web.json_response({"error": "internal", "correlationId": correlation_id}, status=500)


async def messages(request: web.Request) -> web.Response:
    """`POST /api/messages`: validate the request before botbuilder sees it."""
    services = request.app[SERVICES]
    if request.content_type != "application/json":
        return _problem(415, "unsupported_media_type", "expected application/json")
    raw = await request.read()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return _problem(400, "invalid_json", "body is not JSON")
    problem = _activity_problem(body)
    if problem:
        return _problem(400, "invalid_activity", problem)
    try:
        activity = activity_from_json(body)
    except Exception:
        return _problem(400, "invalid_activity", "body is not a Bot Framework activity")
    # Anonymous mode: any Authorization header would start token validation,
    # which needs the network. With an app id, the header is always validated.
    auth_header = "" if services.settings.anonymous else request.headers.get("Authorization", "")
    adapter = request.app[ADAPTER]
    try:
        # Authenticate first: botbuilder raises many kinds of errors for bad
        # tokens (PermissionError, jwt errors, plain Exception); all are a 401.
        authenticated = await services.auth.authenticate_request(activity, auth_header)
    except Exception as error:
        log.info("rejected a request: %s", type(error).__name__)
        return _problem(401, "unauthorized", "missing or invalid token")
    invoke_response = await adapter.process_activity(
        authenticated, activity, request.app[BOT].on_turn
    )
    if invoke_response is not None:
        body = invoke_response.body
        if hasattr(body, "serialize"):
            body = body.serialize()
        if body is None:
            text = ""
        else:
            text = body if isinstance(body, JsonText) else dumps(body)
        return web.Response(
            status=invoke_response.status, text=text, content_type="application/json"
        )
    return web.Response(status=201)


_STR_FIELDS = ("type", "id", "serviceUrl", "channelId", "text", "locale", "name")
_OBJ_FIELDS = ("from", "recipient", "conversation", "channelData")


def _activity_problem(body: Any) -> str | None:
    """Why this JSON is not an activity we can process, or None."""
    if not isinstance(body, dict):
        return "body must be a JSON object"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "'type' must be a non-empty string"
    for name in _STR_FIELDS:
        if name in body and body[name] is not None and not isinstance(body[name], str):
            return f"'{name}' must be a string"
    for name in _OBJ_FIELDS:
        if name in body and body[name] is not None and not isinstance(body[name], dict):
            return f"'{name}' must be an object"
    for name in ("conversation", "from"):
        part = body.get(name)
        if not isinstance(part, dict) or not isinstance(part.get("id"), str):
            return f"'{name}.id' is required"
    if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"].startswith(
        ("http://", "https://")
    ):
        return "'serviceUrl' must be an http(s) URL"
    return None


async def healthz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    try:
        await services.db.ping()
    except Exception:
        log.exception("health check: database does not answer")
        return web.json_response({"status": "unavailable", "database": "down"}, status=503)
    return web.json_response({"status": "ok", "database": services.db.dialect})
