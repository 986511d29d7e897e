"""Connector clients reused per service URL.

botbuilder builds a new `ConnectorClient` (and a user-token client) for every
turn, and each build scans msrest's retry policy tables: about half of a stock
bot's CPU. We build one client per (service URL, audience) and keep it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http.aiohttp import AioHttpClientResponse

# Outgoing calls to the Bot Connector: keep-alive connections, bounded waits.
_TIMEOUT = aiohttp.ClientTimeout(total=30, connect=10)


class _BearerToken(AsyncHTTPPolicy):
    """Adds the bot's token (none in anonymous mode), fetched off the event loop."""

    def __init__(self, credentials: Any) -> None:
        super().__init__()
        self._credentials = credentials

    async def send(self, request: Request, **kwargs: Any) -> Response:
        credentials = self._credentials
        if credentials is not None and getattr(credentials, "microsoft_app_id", None):
            # msal caches the token; a refresh is a blocking HTTP call.
            token = await asyncio.get_running_loop().run_in_executor(
                None, credentials.get_access_token
            )
            request.http_request.headers["Authorization"] = f"Bearer {token}"
        assert self.next is not None  # the pipeline links every policy to the next
        return await self.next.send(request, **kwargs)


class _AiohttpSender(AsyncHTTPSender):
    """Sends msrest requests on one shared aiohttp session (no thread pool hop)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> _AiohttpSender:
        return self

    async def __aexit__(self, *exc_details: Any) -> None:
        return None

    def build_context(self) -> None:
        return None

    async def send(self, request: Request, **config: Any) -> Response:
        http = request.http_request
        result = await self._session.request(
            http.method, http.url, headers=http.headers, data=http.data
        )
        response = AioHttpClientResponse(http, result)
        await response.load_body()
        return Response(request, response)


def _aiohttp_pipeline(client: ConnectorClient, session: aiohttp.ClientSession) -> AsyncPipeline:
    config = client.config
    policies = [
        config.user_agent_policy,
        _BearerToken(config.credentials),
        RawDeserializer(),
        config.http_logger_policy,
    ]
    return AsyncPipeline(policies, _AiohttpSender(session))


class ConnectorPool:
    """One connector client per (service URL, audience, app id), built on first use."""

    def __init__(self) -> None:
        self._clients: dict[tuple[str, str | None, str | None], ConnectorClient] = {}
        self._lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=_TIMEOUT, connector=aiohttp.TCPConnector(limit=200, limit_per_host=100)
            )
        return self._session

    async def get(
        self, factory: ConnectorFactory, service_url: str, audience: str | None, app_id: str | None
    ) -> ConnectorClient:
        key = (service_url, audience, app_id)
        client = self._clients.get(key)
        if client is None:
            async with self._lock:
                client = self._clients.get(key)
                if client is None:
                    client = await factory.create(service_url, audience)
                    client.config.pipeline = _aiohttp_pipeline(client, self._http())
                    self._clients[key] = client
        return client

    async def close(self) -> None:
        self._clients = {}
        if self._session is not None:
            await self._session.close()
            self._session = None


class _PooledConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, pool: ConnectorPool, app_id: str | None) -> None:
        self._inner = inner
        self._pool = pool
        self._app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        return await self._pool.get(self._inner, service_url, audience, self._app_id)


class _LazyUserTokenClient(UserTokenClient):
    """Builds the real user-token client only if a turn asks for a token (we never do)."""

    def __init__(self, auth: BotFrameworkAuthentication, identity: ClaimsIdentity) -> None:
        self._auth = auth
        self._identity = identity
        self._client: UserTokenClient | None = None

    async def _real(self) -> UserTokenClient:
        if self._client is None:
            self._client = await self._auth.create_user_token_client(self._identity)
        return self._client

    async def get_user_token(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_user_token(*args, **kwargs)

    async def get_sign_in_resource(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_sign_in_resource(*args, **kwargs)

    async def sign_out_user(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).sign_out_user(*args, **kwargs)

    async def get_token_status(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_token_status(*args, **kwargs)

    async def get_aad_tokens(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_aad_tokens(*args, **kwargs)

    async def exchange_token(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).exchange_token(*args, **kwargs)


class PooledAuthentication(BotFrameworkAuthentication):
    """Delegates authentication; pools the connector clients it hands out."""

    def __init__(self, inner: BotFrameworkAuthentication, pool: ConnectorPool) -> None:
        self.inner = inner
        self.pool = pool

    async def authenticate_request(
        self, activity: Any, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await self.inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            app_id = None
            if result.claims_identity is not None:
                claims = result.claims_identity.claims or {}
                app_id = claims.get("aud") or claims.get("appid")
            result.connector_factory = _PooledConnectorFactory(
                result.connector_factory, self.pool, app_id
            )
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> Any:
        return await self.inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        claims = claims_identity.claims or {}
        app_id = claims.get("aud") or claims.get("appid")
        return _PooledConnectorFactory(
            self.inner.create_connector_factory(claims_identity), self.pool, app_id
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return _LazyUserTokenClient(self.inner, claims_identity)

    def create_bot_framework_client(self) -> Any:
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self.inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self.inner.authenticate_channel_request(auth_header)
