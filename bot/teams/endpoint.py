"""`POST /api/messages`: the Bot Framework protocol in, the router's answer out.

The request is validated before botbuilder sees it (botbuilder 4.17.1 answers
500 to a body that is not JSON, or to a token it cannot read), authenticated,
then processed by a `CloudAdapter` with `TeamsBot`.
"""

from __future__ import annotations

import json
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import ConversationState, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import ActivityTypes

from bot.framework.messages import JsonText, dumps, new_correlation_id
from bot.framework.router import Router
from bot.settings import Settings, is_loopback
from bot.teams import openid
from bot.teams.activity_json import activity_from_json
from bot.teams.connector import ConnectorPool, PooledAuthentication
from bot.teams.handler import TeamsBot
from bot.teams.outbound import ConnectorGateway
from bot.teams.state_storage import DatabaseStorage
from dialogs.i18n import resolve_locale, t
from storage.db import Database
from storage.db.state_store import StateStore
from storage.domain.clock import Clock

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


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


class TeamsConnection:
    """The app's credentials and connector clients, shared by turns and the outbox."""

    def __init__(self, settings: Settings) -> None:
        openid.install()
        inner = ConfigurationBotFrameworkAuthentication(_BotConfig(settings))
        self.auth = PooledAuthentication(inner, ConnectorPool())
        self.gateway = ConnectorGateway(self.auth, settings.app_id)


def _problem(status: int, code: str, detail: str) -> web.Response:
    return web.json_response({"error": code, "detail": detail}, status=status)


class TeamsEndpoint:
    """The `/api/messages` handler of one app."""

    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        clock: Clock,
        connection: TeamsConnection,
        router: Router,
        services: Services,
    ) -> None:
        self._settings = settings
        self._auth = connection.auth
        self.adapter = CloudAdapter(connection.auth)
        self.adapter.on_turn_error = _on_turn_error
        state = ConversationState(DatabaseStorage(StateStore(db, clock)))
        self.bot = TeamsBot(router, services, state)
        self._turn_seconds = services.metrics.turn_seconds
        self.in_flight = 0

    def _refusal(self, body: dict[str, Any]) -> web.Response | None:
        """Activities this app never processes, refused before any handler runs."""
        allowed = self._settings.allowed_tenants
        if allowed:
            tenant = tenant_of(body)
            if tenant is None or tenant.lower() not in allowed:
                # The tenant id is not personal; who sent it is not logged.
                log.warning("refused an activity from tenant %s", tenant or "(none)")
                return _problem(403, "tenant_not_allowed", "this app serves one organisation")
        if self._settings.anonymous:
            host = urlsplit(body["serviceUrl"]).hostname
            if not is_loopback(host):
                # Anonymous mode trusts every request: it must never post elsewhere.
                log.warning("anonymous mode refused a serviceUrl off this machine")
                return _problem(
                    403, "service_url_not_allowed", "anonymous mode answers this machine only"
                )
        return None

    async def handle(self, request: web.Request) -> web.Response:
        if self.in_flight >= self._settings.max_turns:
            # Overloaded (a slow database, a flood): a quick 503 Teams retries,
            # instead of turns queueing until Teams gives up on all of them.
            return web.json_response(
                {"error": "busy", "detail": "too many turns in progress"},
                status=503,
                headers={"Retry-After": "2"},
            )
        self.in_flight += 1
        started = time.perf_counter()
        try:
            return await self._handle(request)
        finally:
            self.in_flight -= 1
            self._turn_seconds.observe(time.perf_counter() - started)

    async def _handle(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _problem(415, "unsupported_media_type", "expected application/json")
        raw = await request.read()
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return _problem(400, "invalid_json", "body is not JSON")
        problem = activity_problem(body)
        if problem:
            return _problem(400, "invalid_activity", problem)
        refusal = self._refusal(body)
        if refusal is not None:
            return refusal
        try:
            activity = activity_from_json(body)
        except Exception:
            return _problem(400, "invalid_activity", "body is not a Bot Framework activity")
        # Anonymous mode: any Authorization header would start token validation,
        # which needs the network. With an app id, the header is always validated.
        auth_header = "" if self._settings.anonymous else request.headers.get("Authorization", "")
        try:
            # Authenticate first: botbuilder raises many kinds of errors for bad
            # tokens (PermissionError, jwt errors, plain Exception); all are a 401.
            authenticated = await self._auth.authenticate_request(activity, auth_header)
        except Exception as error:
            log.info("rejected a request: %s", type(error).__name__)
            return _problem(401, "unauthorized", "missing or invalid token")
        invoke_response = await self.adapter.process_activity(
            authenticated, activity, self.bot.on_turn
        )
        if invoke_response is not None:
            answer = invoke_response.body
            if hasattr(answer, "serialize"):
                answer = answer.serialize()
            if answer is None:
                text = ""
            else:
                text = answer if isinstance(answer, JsonText) else dumps(answer)
            return web.Response(
                status=invoke_response.status, text=text, content_type="application/json"
            )
        return web.Response(status=201)


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
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
                t(
                    resolve_locale(context.activity.locale),
                    "error.internal",
                    correlation_id=correlation_id,
                )
            )
        except Exception:
            # The connector itself failed (e.g. 429): nothing more to tell the user.
            log.warning("could not send the apology [%s]", correlation_id)


def tenant_of(body: dict[str, Any]) -> str | None:
    """The tenant an activity comes from (Teams puts it in channelData and conversation)."""
    data = body.get("channelData")
    tenant = data.get("tenant") if isinstance(data, dict) else None
    tenant_id = tenant.get("id") if isinstance(tenant, dict) else None
    if isinstance(tenant_id, str) and tenant_id:
        return tenant_id
    conversation = body.get("conversation")
    fallback = conversation.get("tenantId") if isinstance(conversation, dict) else None
    return fallback if isinstance(fallback, str) and fallback else None


# Ids the bot stores, and the longest each may be (no Teams id comes near):
# refused here, not by a database column later.
_LONGEST = {
    "serviceUrl": 400,
    "from.id": 200,
    "from.aadObjectId": 64,
    "conversation.id": 250,
    "conversation.tenantId": 64,
    "channelData.tenant.id": 64,
    "channelData.team.id": 200,
    "channelData.channel.id": 200,
    "locale": 40,
}

_STR_FIELDS = ("type", "id", "serviceUrl", "channelId", "text", "locale", "name")
_OBJ_FIELDS = ("from", "recipient", "conversation", "channelData")


def activity_problem(body: Any) -> str | None:
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
    for path, longest in _LONGEST.items():
        value: Any = body
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None and (not isinstance(value, str) or len(value) > longest):
            return f"'{path}' must be a string of at most {longest} characters"
    return None
