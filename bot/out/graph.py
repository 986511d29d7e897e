"""Reaching people who never opened the bot, as Microsoft's Company Communicator
does: install the app for them through Microsoft Graph, then use the chat that
installation has with the bot.

- `POST /users/{id}/teamwork/installedApps` (201, or 409: installed already),
  application permission `TeamsAppInstallation.ReadWriteSelfForUser.All`;
- `GET /users/{id}/teamwork/installedApps?$expand=teamsApp&$filter=…` for the
  installation's id, then `GET …/installedApps/{installationId}/chat`.

The token comes from the client-credentials flow of msal (the bot's own app id
and secret). Calls are paced by a budget of their own and a 429 is retried as
Teams sends are: the row goes back to the outbox for `Retry-After` seconds.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import ssl
import time
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp
import msal
import requests

from bot.framework.ports import retry_after_seconds
from scheduler.budget import LocalSlots, RateBudget

log = logging.getLogger(__name__)

GRAPH_TIMEOUT_SECONDS = 15.0
GRAPH_RATE = 10.0  # calls per second from this app (Graph allows far more; be polite)


class GraphFailed(Exception):
    """A Graph call failed: `permanent` (403, 404: no licence, no such user, no
    consent), or try again (429 after `retry_after`, 5xx, the network)."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class GraphInstaller:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        tenant_id: str,
        catalog_app_id: str,
        graph_url: str,
        login_url: str,
        rate: float = GRAPH_RATE,
        ca_file: str | None = None,
    ) -> None:
        """`ca_file`: certificates to trust instead of the system's (a proxy
        with the hospital's own CA, a test)."""
        self._client_id = client_id
        self._client_secret = client_secret
        self._authority = f"{login_url.rstrip('/')}/{tenant_id}"
        self._catalog_app_id = catalog_app_id
        self._graph = graph_url.rstrip("/")
        parts = urlsplit(self._graph)
        self._scope = f"{parts.scheme}://{parts.netloc}/.default"
        self._msal: msal.ConfidentialClientApplication | None = None
        self._token: tuple[str, float] | None = None
        self._token_lock = asyncio.Lock()
        self._http: aiohttp.ClientSession | None = None
        self.budget = RateBudget(LocalSlots(), rate=rate)
        self._ca_file = ca_file

    async def chat_with(self, aad_object_id: str) -> str:
        """The id of the person's chat with the bot, installing the app for them
        first if need be."""
        user = quote(aad_object_id, safe="")
        catalog = quote(self._catalog_app_id, safe="")
        bind = f"{self._graph}/appCatalogs/teamsApps/{catalog}"
        await self._call(
            "POST",
            f"/users/{user}/teamwork/installedApps",
            json={"teamsApp@odata.bind": bind},
            accept=(201, 409),
        )
        installed = await self._call(
            "GET",
            f"/users/{user}/teamwork/installedApps",
            params={
                "$expand": "teamsApp",
                "$filter": f"teamsApp/id eq '{self._catalog_app_id}'",
            },
        )
        values = installed.get("value") if isinstance(installed, dict) else None
        if not values or not isinstance(values[0], dict) or not values[0].get("id"):
            raise GraphFailed("graph: the app is not installed for this person", permanent=True)
        installation = quote(str(values[0]["id"]), safe="")
        chat = await self._call("GET", f"/users/{user}/teamwork/installedApps/{installation}/chat")
        chat_id = chat.get("id") if isinstance(chat, dict) else None
        if not isinstance(chat_id, str) or not chat_id:
            raise GraphFailed("graph: no chat for the installation", permanent=True)
        return chat_id

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        accept: tuple[int, ...] = (200,),
    ) -> Any:
        token = await self._access_token()
        await self.budget.acquire()
        if self._http is None:
            context = ssl.create_default_context(cafile=self._ca_file)
            self._http = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=GRAPH_TIMEOUT_SECONDS),
                connector=aiohttp.TCPConnector(ssl=context),
            )
        try:
            async with self._http.request(
                method,
                f"{self._graph}{path}",
                json=json,
                params=params,
                headers={"Authorization": f"Bearer {token}"},
            ) as response:
                status = response.status
                if status in accept:
                    return await response.json(content_type=None) if status != 204 else None
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise GraphFailed(f"graph: {type(error).__name__}", permanent=False) from None
        if status == 401:
            self._token = None  # expired or revoked: a new one next time
        raise GraphFailed(
            f"graph {status}",
            permanent=status in (400, 403, 404),
            retry_after=retry_after if status == 429 else None,
        )

    async def _access_token(self) -> str:
        async with self._token_lock:
            if self._token is not None and self._token[1] > time.monotonic() + 60:
                return self._token[0]
            result = await asyncio.to_thread(self._acquire)
            token = result.get("access_token")
            if not isinstance(token, str):
                # msal's error and description; never the secret.
                raise GraphFailed(
                    f"graph token: {result.get('error', 'no token')}", permanent=False
                )
            self._token = (token, time.monotonic() + float(result.get("expires_in", 300)))
            return token

    def _acquire(self) -> dict[str, Any]:
        """msal is blocking (requests): run in a thread."""
        try:
            if self._msal is None:
                self._msal = msal.ConfidentialClientApplication(
                    self._client_id,
                    client_credential=self._client_secret,
                    authority=self._authority,
                    # Not Microsoft's public cloud (a sovereign cloud, a test): do
                    # not ask login.microsoftonline.com to vouch for the authority.
                    instance_discovery="login.microsoftonline.com" in self._authority,
                    http_client=self._requests_session(),
                )
            result = self._msal.acquire_token_for_client(scopes=[self._scope])
        except Exception as error:  # msal raises ValueError, requests errors, ...
            return {"error": type(error).__name__}
        return result if isinstance(result, dict) else {"error": "no answer"}

    def _requests_session(self) -> requests.Session:
        """msal's HTTP client, with a timeout, and the given CA file when there
        is one (per request: requests lets REQUESTS_CA_BUNDLE beat a session's
        own `verify`)."""
        session = requests.Session()
        options: dict[str, Any] = {"timeout": GRAPH_TIMEOUT_SECONDS}
        if self._ca_file:
            options["verify"] = self._ca_file
        session.request = functools.partial(session.request, **options)  # type: ignore[method-assign]
        return session

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
