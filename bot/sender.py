"""The one sender: turns outbox rows into proactive Teams messages.

Rows name a target (a person's personal chat, or the priority channel) and a
payload: either a ready activity (`{"activity": {...}}`) or a renderer name and
ids (`{"render": name, "args": {...}}`), rendered at send time so a card shows
the state of the moment it goes out.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from botbuilder.schema import Activity, ConversationParameters
from botframework.connector.auth import ClaimsIdentity
from msrest.exceptions import ClientRequestError, HttpOperationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.connector import PooledAuthentication, http_header, http_status
from scheduler.pacing import GLOBAL_PER_SECOND, Pacer
from storage import outbox
from storage.clock import Clock
from storage.conversations import CHANNEL, PERSONAL, find_reference
from storage.db import Database
from storage.models import PriorityChannel

log = logging.getLogger(__name__)

PACING_MARGIN = 0.97
# Longest wait a send sleeps for in-process; longer ones go back to the outbox.
MAX_PACING_WAIT = 5.0

# A post already in the channel; target_key is its thread's conversation id.
CHANNEL_THREAD = "channel_thread"

# name -> coroutine(session, args, locale) returning an activity dict, or None
# when there is nothing to send any more (e.g. the survey was answered).
Renderer = Callable[[AsyncSession, dict[str, Any], str], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True)
class Target:
    service_url: str
    conversation_id: str
    locale: str
    tenant_id: str | None
    # A channel post starts a new thread (create conversation) instead of a reply.
    channel_id: str | None = None


class PermanentFailure(Exception):
    """The message can never be delivered (no conversation, bot removed)."""


class OutboxSender:
    def __init__(
        self,
        *,
        db: Database,
        auth: PooledAuthentication,
        clock: Clock,
        app_id: str,
        batch: int = 200,
        global_rate: float = GLOBAL_PER_SECOND,
        concurrency: int = 64,
    ) -> None:
        self.db = db
        self.auth = auth
        self.clock = clock
        self.app_id = app_id
        self.batch = batch
        self.worker = f"sender-{uuid.uuid4().hex[:12]}"
        self.renderers: dict[str, Renderer] = {}
        # A little under the limit, so timer jitter never tips a second over it.
        self.pacer = Pacer(global_rate=global_rate * PACING_MARGIN)
        self._slots = asyncio.Semaphore(concurrency)
        self.permanent_failure_hooks: list[Callable[[outbox.OutboxItem, int], Awaitable[None]]] = []

    def renderer(self, name: str) -> Callable[[Renderer], Renderer]:
        def register(fn: Renderer) -> Renderer:
            self.renderers[name] = fn
            return fn

        return register

    async def drain(self) -> int:
        """Deliver what is due now, paced under Teams' limits; returns rows delivered."""
        delivered = 0
        while True:
            items = await outbox.lease(
                self.db, worker=self.worker, now=self.clock.now(), limit=self.batch
            )
            if not items:
                self.pacer.forget_idle()
                return delivered
            results = await asyncio.gather(*(self._paced(item) for item in items))
            delivered += sum(results)
            if len(items) < self.batch:
                self.pacer.forget_idle()
                return delivered

    async def _paced(self, item: outbox.OutboxItem) -> bool:
        wait = self.pacer.reserve(f"{item.target_kind}:{item.target_key}")
        if wait > MAX_PACING_WAIT:
            # Over a conversation's longer window: try again when it has room.
            await outbox.mark_retry(
                self.db,
                item,
                now=self.clock.now(),
                delay=timedelta(seconds=wait),
                error="paced",
                count_attempt=False,
            )
            return False
        if wait > 0:
            await asyncio.sleep(wait)
        async with self._slots:
            return await self.deliver(item)

    async def deliver(self, item: outbox.OutboxItem) -> bool:
        now = self.clock.now
        try:
            async with self.db.sessions() as session:
                target = await self._target(session, item)
                activity = await self._activity(session, item, target)
            if activity is None:
                await outbox.mark_skipped(self.db, item, reason="nothing to send any more")
                return False
            activity_id = await self._send(item, target, activity)
        except PermanentFailure as exc:
            log.warning("outbox %s failed for good: %s", item.id, exc)
            await outbox.mark_failed(self.db, item, now=now(), reason=str(exc))
            return False
        except HttpOperationError as exc:
            await self._on_http_error(item, exc)
            return False
        except (ClientRequestError, OSError, TimeoutError) as exc:
            await outbox.mark_retry(
                self.db,
                item,
                now=now(),
                delay=outbox.backoff(item.attempts),
                error=f"network: {type(exc).__name__}",
            )
            return False
        await outbox.mark_sent(self.db, item, now=now(), activity_id=activity_id)
        return True

    async def _on_http_error(self, item: outbox.OutboxItem, exc: HttpOperationError) -> None:
        status = http_status(exc)
        now = self.clock.now()
        if status == 429:
            delay = _retry_after(http_header(exc, "Retry-After")) or outbox.backoff(
                item.attempts, base=1.0
            )
            await outbox.mark_retry(self.db, item, now=now, delay=delay, error="429")
        elif status >= 500 or status in (408, 412):
            await outbox.mark_retry(
                self.db, item, now=now, delay=outbox.backoff(item.attempts), error=str(status)
            )
        else:
            # 403: the user blocked or uninstalled the bot; 404: conversation gone.
            await outbox.mark_failed(self.db, item, now=now, reason=f"http {status}")
            await self.on_permanent_failure(item, status)

    async def on_permanent_failure(self, item: outbox.OutboxItem, status: int) -> None:
        """Tell the features (e.g. mark a contact inactive after 403/404)."""
        for hook in self.permanent_failure_hooks:
            await hook(item, status)

    async def _target(self, session: AsyncSession, item: outbox.OutboxItem) -> Target:
        if item.target_kind in (CHANNEL, CHANNEL_THREAD):
            channel = await session.scalar(select(PriorityChannel))
            if channel is None:
                raise PermanentFailure("no priority channel registered")
            if item.target_kind == CHANNEL_THREAD:
                # An existing post in the channel (to edit in place).
                return Target(
                    service_url=channel.service_url,
                    conversation_id=item.target_key,
                    locale="nb",
                    tenant_id=channel.tenant_id,
                )
            return Target(
                service_url=channel.service_url,
                conversation_id=channel.channel_id,
                locale="nb",
                tenant_id=channel.tenant_id,
                channel_id=channel.channel_id,
            )
        ref = await find_reference(session, kind=PERSONAL, key=item.target_key)
        if ref is None:
            raise PermanentFailure("no conversation reference")
        return Target(
            service_url=ref.service_url,
            conversation_id=ref.conversation_id,
            locale=ref.locale,
            tenant_id=ref.tenant_id,
        )

    async def _activity(
        self, session: AsyncSession, item: outbox.OutboxItem, target: Target
    ) -> dict[str, Any] | None:
        payload = item.payload
        if "activity" in payload:
            return dict(payload["activity"])
        render = self.renderers.get(payload.get("render", ""))
        if render is None:
            raise PermanentFailure(f"no renderer {payload.get('render')!r}")
        return await render(session, payload.get("args", {}), target.locale)

    async def _client(self, service_url: str) -> Any:
        identity = ClaimsIdentity({"aud": self.app_id, "appid": self.app_id}, True)
        factory = self.auth.create_connector_factory(identity)
        return await factory.create(service_url, None)

    async def _send(
        self, item: outbox.OutboxItem, target: Target, payload: dict[str, Any]
    ) -> str | None:
        client = await self._client(target.service_url)
        activity = Activity().deserialize({"type": "message", **payload})
        if item.operation == "update":
            if not item.target_activity_id:
                raise PermanentFailure("update without an activity id")
            activity.id = item.target_activity_id
            await client.conversations.update_activity(
                target.conversation_id, item.target_activity_id, activity
            )
            return item.target_activity_id
        if target.channel_id is not None:
            params = ConversationParameters(
                is_group=True,
                channel_data={"channel": {"id": target.channel_id}},
                activity=activity,
                tenant_id=target.tenant_id,
            )
            created = await client.conversations.create_conversation(params)
            return getattr(created, "activity_id", None) or getattr(created, "id", None)
        response = await client.conversations.send_to_conversation(target.conversation_id, activity)
        return getattr(response, "id", None)


def _retry_after(value: str | None) -> timedelta | None:
    if not value:
        return None
    try:
        return timedelta(seconds=max(0.0, float(value)))
    except ValueError:
        return None
