"""SMS through an operator's HTTPS API: one POST a message.

The body is JSON `{"to", "from", "text", "reference"}`; credentials written in
the URL's userinfo go as `Authorization: Bearer <password>` and never in the
URL itself. A 2xx answer with JSON `{"id": …}` is accepted; 429 is throttling
(its Retry-After honoured); 5xx, a network error or a timeout is transient;
401, 403 and 408 are transient too (a token fixed in the configuration lets
the waiting SMS go); any other 4xx is permanent. The gateway's receipts
arrive on our inbound endpoint: `receipt_from_json` reads them.
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import aiohttp

from bot.framework.ports import retry_after_seconds
from bot.out.sms.base import (
    OnInbound,
    OnReceipt,
    Receipt,
    Sms,
    SmsFailed,
    Submitted,
    check_message,
)
from bot.out.sms.encoding import segments

log = logging.getLogger(__name__)

HTTP_TIMEOUT_SECONDS = 20.0
_TRANSIENT_4XX = {401, 403, 408}
_FAILED = {"failed", "undelivered", "undeliv", "expired", "rejected", "rejectd", "deleted"}
_DELIVERED = {"delivered", "delivrd"}


class HttpsGateway:
    """SMS through an HTTPS gateway (plain HTTP only to this machine)."""

    delivers = True

    def __init__(
        self, url: str, *, ca_file: str | None = None, timeout: float = HTTP_TIMEOUT_SECONDS
    ) -> None:
        """`ca_file`: certificates to trust instead of the system's (a proxy
        with the hospital's own CA, a test)."""
        parts = urlsplit(url)
        if not parts.hostname or not (
            parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts.hostname))
        ):
            raise ValueError(
                "MEDVIRK_SMS_URL for an HTTPS gateway must look like "
                "https://:token@sms.example.no/v1/messages (http:// only to this machine)"
            )
        secret = parts.password if parts.password is not None else parts.username
        self._token = unquote(secret) if secret else None
        host = parts.netloc.rpartition("@")[2]
        self._url = urlunsplit((parts.scheme, host, parts.path or "/", parts.query, ""))
        self._where = f"{parts.scheme}://{host}{parts.path}"  # no query: it may hold a key
        self._ca_file = ca_file
        self._timeout = timeout
        self._http: aiohttp.ClientSession | None = None

    def describe(self) -> str:
        return f"the HTTPS gateway {self._where}"

    async def start(self, on_receipt: OnReceipt, on_inbound: OnInbound) -> None:
        return None  # receipts and replies come to our inbound endpoint

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def send(self, sms: Sms) -> Submitted:
        check_message(sms)
        if self._http is None:
            context = ssl.create_default_context(cafile=self._ca_file)
            self._http = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout),
                connector=aiohttp.TCPConnector(ssl=context),
            )
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        payload = {"to": sms.to, "from": sms.sender, "text": sms.text, "reference": sms.reference}
        try:
            async with self._http.post(self._url, json=payload, headers=headers) as response:
                status = response.status
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                body: Any = None
                if 200 <= status < 300:
                    try:
                        body = await response.json(content_type=None)
                    except ValueError:
                        body = None
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise SmsFailed(f"http {type(error).__name__}", permanent=False) from None
        if 200 <= status < 300:
            message_id = _message_id(body)
            if not message_id:
                # Sent, but its receipts cannot be matched: not worth a second SMS.
                log.warning("SMS gateway: a %d answer without an id", status)
            return Submitted(message_id=message_id, segments=segments(sms.text).count)
        if status == 429:
            raise SmsFailed("http 429", permanent=False, retry_after=retry_after)
        if status >= 500 or status in _TRANSIENT_4XX:
            raise SmsFailed(f"http {status}", permanent=False, retry_after=retry_after)
        raise SmsFailed(f"http {status}", permanent=True)


def _message_id(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("id", "message_id", "messageId"):
            value = body.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
                return str(value)
    return ""


def receipt_from_json(body: dict[str, Any]) -> Receipt | None:
    """A gateway's receipt, `{"id": …, "status": "delivered" | "failed" | …,
    "reason": …}`, as a `Receipt`; None where it names no message."""
    message_id = body.get("id", body.get("message_id"))
    if isinstance(message_id, int) and not isinstance(message_id, bool):
        message_id = str(message_id)
    if not isinstance(message_id, str) or not message_id:
        return None
    status = body.get("status")
    status = status.strip().lower() if isinstance(status, str) else ""
    reason = body.get("reason")
    reason = reason.strip()[:100] if isinstance(reason, str) and reason.strip() else None
    if status in _DELIVERED:
        return Receipt(message_id, "delivered", None)
    if status in _FAILED:
        return Receipt(message_id, "failed", reason or status)
    return Receipt(message_id, "unknown", reason or (status or None))


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
