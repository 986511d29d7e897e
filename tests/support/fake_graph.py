"""A small Microsoft Graph and Entra ID login on loopback, over HTTPS (msal
accepts nothing else) with a certificate made for the test.

It serves the tenant's OpenID configuration and the client-credentials token
endpoint, and the three Graph calls of an app installation: install, list the
installations, get the installation's chat. It can throttle the next calls.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.support.certs import make_certificate

TENANT = "tenant-0001"
CLIENT_ID = "medvirk-app-id"
CLIENT_SECRET = "medvirk-secret"
CATALOG_APP_ID = "catalog-app-1"
TOKEN = "graph-token-for-medvirk"


class FakeGraph:
    def __init__(self, folder: Path) -> None:
        self.cert, self._key = make_certificate(folder)
        self.users: set[str] = set()  # AAD object ids that exist and have Teams
        self.installed: dict[str, str] = {}  # user -> installation id
        self.calls: list[tuple[str, str]] = []
        self.tokens_issued = 0
        self.throttle = 0  # answer this many Graph calls 429
        self.server: TestServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"https://127.0.0.1:{self.server.port}"

    @property
    def graph_url(self) -> str:
        return f"{self.base}/v1.0"

    def chat_id(self, user: str) -> str:
        return f"19:{user}_medvirk@unq.gbl.spaces"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._discovery)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_post("/v1.0/users/{user}/teamwork/installedApps", self._install)
        app.router.add_get("/v1.0/users/{user}/teamwork/installedApps", self._list)
        app.router.add_get("/v1.0/users/{user}/teamwork/installedApps/{iid}/chat", self._chat)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self._key)
        self.server = TestServer(app, host="127.0.0.1", scheme="https")
        await self.server.start_server(ssl=context)

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _discovery(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        return web.json_response(
            {
                "issuer": f"{self.base}/{tenant}/v2.0",
                "authorization_endpoint": f"{self.base}/{tenant}/oauth2/v2.0/authorize",
                "token_endpoint": f"{self.base}/{tenant}/oauth2/v2.0/token",
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        good = (
            request.match_info["tenant"] == TENANT
            and form.get("grant_type") == "client_credentials"
            and form.get("client_id") == CLIENT_ID
            and form.get("client_secret") == CLIENT_SECRET
            and str(form.get("scope", "")).endswith("/.default")
        )
        if not good:
            return web.json_response({"error": "invalid_client"}, status=401)
        self.tokens_issued += 1
        return web.json_response(
            {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}
        )

    def _refused(self, request: web.Request) -> web.Response | None:
        self.calls.append((request.method, request.path))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        if self.throttle > 0:
            self.throttle -= 1
            return web.json_response(
                {"error": {"code": "TooManyRequests"}}, status=429, headers={"Retry-After": "7"}
            )
        if request.match_info["user"] not in self.users:
            return web.json_response({"error": {"code": "Request_ResourceNotFound"}}, status=404)
        return None

    async def _install(self, request: web.Request) -> web.Response:
        if (refused := self._refused(request)) is not None:
            return refused
        body: dict[str, Any] = await request.json()
        if not str(body.get("teamsApp@odata.bind", "")).endswith(
            f"/appCatalogs/teamsApps/{CATALOG_APP_ID}"
        ):
            return web.json_response({"error": {"code": "BadRequest"}}, status=400)
        user = request.match_info["user"]
        if user in self.installed:
            return web.json_response({"error": {"code": "Conflict"}}, status=409)
        self.installed[user] = f"installation-{user}"
        return web.Response(status=201)

    async def _list(self, request: web.Request) -> web.Response:
        if (refused := self._refused(request)) is not None:
            return refused
        user = request.match_info["user"]
        wanted = request.query.get("$filter", "")
        values = (
            [{"id": self.installed[user], "teamsApp": {"id": CATALOG_APP_ID}}]
            if user in self.installed and CATALOG_APP_ID in wanted
            else []
        )
        return web.json_response({"value": values})

    async def _chat(self, request: web.Request) -> web.Response:
        if (refused := self._refused(request)) is not None:
            return refused
        user = request.match_info["user"]
        if self.installed.get(user) != request.match_info["iid"]:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        return web.json_response({"id": self.chat_id(user)})
