"""With MicrosoftAppId set, every request needs a valid Bot Framework token.

Tokens are signed with a key made here, whose public half a local OpenID
metadata endpoint publishes (botbuilder is pointed at it, as for a sovereign
cloud). Rejected requests get 401 and change nothing.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select, text

from storage.db.models import ConversationRef, DialogStateRow

# On SQLite only: token validation, before any SQL.
pytestmark = pytest.mark.sqlite_only

APP_ID = "2c5d3d0e-6f0a-4c1e-9a0e-5d4b3a2c1b0a"
ISSUER = "https://api.botframework.test"
KID = "medvirk-test-key"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    good = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {"good": good, "other": other}


@pytest.fixture
def openid(keys) -> Any:
    """OpenID metadata and keys on a server thread of its own, as an outside server."""
    numbers = keys["good"].public_key().public_numbers()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/.well-known/openid-configuration":
                body = {"issuer": ISSUER, "jwks_uri": f"{base}/keys"}
            elif self.path == "/keys":
                body = {
                    "keys": [
                        {
                            "kty": "RSA",
                            "use": "sig",
                            "kid": KID,
                            "n": _b64(numbers.n),
                            "e": _b64(numbers.e),
                            "endorsements": ["msteams"],
                        }
                    ]
                }
            else:
                self.send_error(404)
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/openid-configuration"
    server.shutdown()


@pytest.fixture
async def secured(start_bot, openid):
    return await start_bot(
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="not-used-in-these-tests",
        MEDVIRK_OPENID_METADATA_URL=openid,
        MEDVIRK_TOKEN_ISSUER=ISSUER,
    )


def token(keys, *, key: str = "good", **overrides: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": APP_ID, "nbf": now - 60, "exp": now + 3600, "serviceurl": None}
    claims.update(overrides)
    return jwt.encode(claims, keys[key], algorithm="RS256", headers={"kid": KID})


def _invoke(bot, **headers: str) -> dict[str, Any]:
    user = bot.teams.user("Kari", "aad-kari")
    value = {"action": {"type": "Action.Execute", "verb": "no-such-verb", "data": {}}}
    activity = user._personal(type="invoke", name="adaptiveCard/action", value=value)
    return activity


async def _post(bot, activity: dict[str, Any], authorization: str | None) -> tuple[int, str]:
    headers = {"Authorization": authorization} if authorization else {}
    async with bot.teams.http.post(
        f"{bot.url}/api/messages", json=activity, headers=headers
    ) as resp:
        return resp.status, await resp.text()


async def _nothing_changed(bot) -> None:
    async with bot.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ConversationRef)) == 0
        assert await session.scalar(select(func.count()).select_from(DialogStateRow)) == 0
        assert (await session.execute(text("SELECT count(*) FROM requests"))).scalar() == 0
    assert bot.connector.sent == []


@pytest.mark.parametrize(
    "case",
    [
        "no header",
        "not bearer",
        "garbage",
        "wrong audience",
        "wrong issuer",
        "expired",
        "wrong signature",
        "wrong service url",
    ],
)
async def test_bad_tokens_get_401_and_change_nothing(secured, keys, case) -> None:
    activity = _invoke(secured)
    activity["type"] = "message"
    activity["text"] = "bestill"
    header = {
        "no header": None,
        "not bearer": "Basic a2FyaTpzZWNyZXQ=",
        "garbage": "Bearer not.a.jwt",
        "wrong audience": "Bearer "
        + token(keys, aud="someone-else", serviceurl=activity["serviceUrl"]),
        "wrong issuer": "Bearer "
        + token(keys, iss="https://evil.example", serviceurl=activity["serviceUrl"]),
        "expired": "Bearer "
        + token(
            keys,
            exp=int(time.time()) - 3600,
            nbf=int(time.time()) - 7200,
            serviceurl=activity["serviceUrl"],
        ),
        "wrong signature": "Bearer " + token(keys, key="other", serviceurl=activity["serviceUrl"]),
        "wrong service url": "Bearer " + token(keys, serviceurl="https://elsewhere.example/"),
    }[case]
    status, body = await _post(secured, activity, header)
    assert status == 401, body
    assert "Traceback" not in body
    await _nothing_changed(secured)


async def test_right_token_is_processed(secured, keys) -> None:
    activity = _invoke(secured)
    status, body = await _post(
        secured, activity, "Bearer " + token(keys, serviceurl=activity["serviceUrl"])
    )
    assert status == 200, body
    assert '"statusCode":400' in body.replace(" ", "")  # the handler answered the unknown verb


def test_no_switch_turns_validation_off(secured) -> None:
    assert not secured.services.settings.anonymous
