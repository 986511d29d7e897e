"""SMS in: replies and delivery receipts, from the SMPP gateway's callbacks
or an HTTPS gateway's `POST /sms/inbound` (JSON `{"from", "to", "text"}`, or
a receipt `{"id", "status", "reason"}`), with `Authorization: Bearer
$MEDVIRK_SMS_INBOUND_SECRET`; without a secret set, from this machine only.
Anything else is 401 and nothing is kept. And `/s/<code>`, the short links
SMS carry.

Neither a number nor a text reaches a log line: what a reply said is logged
as its kind (yes, no, stop, ...).
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import TYPE_CHECKING, Any

import phonenumbers
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.messages import Message, Recipient
from bot.framework.notifications import Notification, Sending
from bot.framework.router import Router
from bot.out.pages import error_page, page_locale
from bot.out.sms import Inbound, Receipt, receipt_from_json
from bot.settings import is_loopback
from dialogs.i18n import t
from storage import sms as store
from storage.domain.sms import day_start
from storage.outbox import Render

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

router = Router()

INBOUND_MAX_BYTES = 4_000
TEXT_MAX = 1_600


def e164(number: str) -> str | None:
    """A number as the gateway gave it, in E.164 (a national one read as Norwegian)."""
    try:
        parsed = phonenumbers.parse(number.strip(), "NO")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


async def take_inbound(services: Services, inbound: Inbound) -> None:
    """A reply, as the gateway hands it on (SMPP) or the endpoint reads it."""
    phone = e164(inbound.sender)
    if phone is None:
        log.info("sms: a reply from a number that is not one, ignored")
        return
    now = services.clock.now()
    async with services.db.transaction() as session:
        said = await store.take_reply(
            session,
            phone,
            inbound.text[:TEXT_MAX],
            secret=services.sms_secret(),
            now=now,
            day_start=day_start(now, services.settings.zone),
        )
    log.info("sms: a reply taken (%s)", said)


class UnknownReceipt(LookupError):
    """A receipt for no SMS of ours yet: it may have come before the
    gateway's own answer to the submit was recorded. Refused, so the SMSC
    offers it again (SMPP: an error `deliver_sm_resp`; HTTPS: 503)."""


async def take_receipt(services: Services, receipt: Receipt) -> None:
    async with services.db.transaction() as session:
        known = await store.record_receipt(
            session, receipt.message_id, receipt.state, receipt.reason, now=services.clock.now()
        )
    if not known:
        raise UnknownReceipt(receipt.message_id)
    services.metrics.sms_receipts.labels(state=receipt.state).inc()
    log.info("sms: a delivery receipt (%s)", receipt.state)


# Headers a reverse proxy adds: a request carrying one came from elsewhere,
# whatever address it reaches us from.
FORWARDED = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


def _authorised(request: web.Request, services: Services) -> bool:
    """The gateway's bearer token; without one set, only a request made on
    this machine (a laptop, `medvirk try`, a test), never through a proxy,
    and never in production (`MicrosoftAppId` set)."""
    secret = services.settings.sms_inbound_secret
    if not secret:
        return (
            services.settings.anonymous
            and is_loopback(request.remote)
            and not any(h in request.headers for h in FORWARDED)
        )
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {secret}".encode())


@router.post("/sms/inbound")
async def inbound(request: web.Request, services: Services) -> web.Response:
    if not _authorised(request, services):
        return web.json_response({"error": "unauthorized"}, status=401)
    if request.content_length is not None and request.content_length > INBOUND_MAX_BYTES:
        return web.json_response({"error": "too large"}, status=413)
    # The whole body, however it was sent (in chunks too), up to the limit.
    raw = b""
    while len(raw) <= INBOUND_MAX_BYTES:
        chunk = await request.content.read(INBOUND_MAX_BYTES + 1 - len(raw))
        if not chunk:
            break
        raw += chunk
    if len(raw) > INBOUND_MAX_BYTES:
        return web.json_response({"error": "too large"}, status=413)
    try:
        body: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return web.json_response({"error": "not JSON"}, status=400)
    if not isinstance(body, dict):
        return web.json_response({"error": "not an object"}, status=400)
    if "text" not in body:
        receipt = receipt_from_json(body)
        if receipt is None:
            return web.json_response({"error": "neither a reply nor a receipt"}, status=400)
        try:
            await take_receipt(services, receipt)
        except UnknownReceipt:
            return web.json_response({"error": "no such message yet"}, status=503)
        return web.json_response({"ok": True})
    sender, to, text = body.get("from"), body.get("to", ""), body.get("text")
    if not isinstance(sender, str) or not isinstance(text, str) or not isinstance(to, str):
        return web.json_response({"error": "from, to and text are texts"}, status=400)
    if len(text) > TEXT_MAX:
        return web.json_response({"error": "text too long"}, status=413)
    if e164(sender) is None:
        return web.json_response({"error": "from is no phone number"}, status=400)
    await take_inbound(services, Inbound(sender=sender, to=to, text=text))
    return web.json_response({"ok": True})


@router.get("/s/{code}")
async def short_link(request: web.Request, services: Services) -> web.StreamResponse:
    code = request.match_info["code"]
    async with services.db.reading() as session:
        target = await store.target_of(session, code[:16], now=services.clock.now())
    if target is None:
        return error_page(page_locale(request), "page.bad_link", 404)
    response = web.HTTPFound(target)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    raise response


def sms_words(locale: str, key: str, **params: Any) -> str:
    """A catalog text as an SMS: no markdown."""
    return t(locale, key, **params).replace("**", "").replace("*", "")


async def sms_reply(
    session: AsyncSession, sending: Sending, args: dict[str, Any], recipient: Recipient
) -> str | None:
    key, locale = args.get("key"), args.get("locale") or "nb"
    if not isinstance(key, str):
        return None
    params = args.get("params") if isinstance(args.get("params"), dict) else {}
    desk_id = args.get("desk_id") if isinstance(args.get("desk_id"), int) else 1
    desk = await sending.desk_name(session, desk_id, locale) or t(locale, "desks.generic")
    return sms_words(str(locale), key, desk=desk, **(params or {}))


async def budget_in_teams(
    session: AsyncSession, sending: Sending, args: dict[str, Any], locale: str
) -> Message | None:
    desk = await sending.desk_name(session, args.get("desk_id"), locale) or ""
    share = args.get("share")
    key = "sms.budget.spent" if share == 100 else "sms.budget.warning"
    return Message(text=t(locale, key, desk=desk, month=str(args.get("month", ""))))


router.notify(
    Notification(Render.SMS_REPLY, sms=sms_reply),
    Notification(Render.SMS_BUDGET, teams=budget_in_teams),
)
