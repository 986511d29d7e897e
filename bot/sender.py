"""The one sender: turns outbox rows into proactive messages.

Rows name a target (a person's personal chat, the priority channel, or a post
in it) and a payload: a message fixed when it was written (`{"message":
{...}}`) or a renderer and ids (`{"render": kind, "args": {...}}`), rendered at
send time so a card shows the state of the moment it goes out. Renderers return
a medvirk `Message`; the gateway turns it into the wire form once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Message
from bot.ports import Gateway, Target, TeamsCallFailed
from scheduler.pacing import GLOBAL_PER_SECOND, Pacer
from storage import outbox
from storage import priority_channel as channels
from storage.clock import Clock
from storage.conversations import find_reference
from storage.db import Database
from storage.outbox import TargetKind

if TYPE_CHECKING:
    from bot.router import OutboxRoute, Router
    from bot.services import Services

log = logging.getLogger(__name__)

PACING_MARGIN = 0.97
# Longest wait a send sleeps for in-process; longer ones go back to the outbox.
MAX_PACING_WAIT = 5.0
# Answers that mean the person or conversation is gone for good.
GONE = frozenset({403, 404})
# The channel's posts and cards are in bokmål (the team's working language).
CHANNEL_LOCALE = "nb"


class PermanentFailure(Exception):
    """The message can never be delivered (no conversation, bot removed)."""


class OutboxSender:
    def __init__(
        self,
        *,
        db: Database,
        gateway: Gateway,
        clock: Clock,
        router: Router,
        batch: int = 200,
        global_rate: float = GLOBAL_PER_SECOND,
        concurrency: int = 64,
        lease: timedelta = outbox.DEFAULT_LEASE,
    ) -> None:
        self.db = db
        self.gateway = gateway
        self.clock = clock
        self.router = router
        self.batch = batch
        self.lease = lease
        self.worker = f"sender-{uuid.uuid4().hex[:12]}"
        # A little under the limit, so timer jitter never tips a second over it.
        self.pacer = Pacer(global_rate=global_rate * PACING_MARGIN)
        self._slots = asyncio.Semaphore(concurrency)
        self._services: Services | None = None

    def attach(self, services: Services) -> None:
        """The services renderers and hooks are called with (set once, by `Services`)."""
        self._services = services

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the outbox sender is not attached to its services")
        return self._services

    async def drain(self) -> int:
        """Deliver what is due now, paced under Teams' limits; returns rows delivered."""
        delivered = 0
        renewing = asyncio.create_task(self._renew_leases())
        try:
            while True:
                items = await outbox.lease(
                    self.db,
                    worker=self.worker,
                    now=self.clock.now(),
                    limit=self.batch,
                    lease=self.lease,
                )
                if not items:
                    self.pacer.forget_idle()
                    return delivered
                results = await asyncio.gather(*(self._paced(item) for item in items))
                delivered += sum(results)
                if len(items) < self.batch:
                    self.pacer.forget_idle()
                    return delivered
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _renew_leases(self) -> None:
        """While a round runs, keep its rows: a slow Teams must not let another
        process take (and send) them again."""
        every = self.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            try:
                await outbox.renew(
                    self.db, worker=self.worker, now=self.clock.now(), lease=self.lease
                )
            except Exception:
                log.exception("outbox: could not renew the leases of this round")

    async def _paced(self, item: outbox.OutboxItem) -> bool:
        wait = self.pacer.reserve(
            f"{item.target_kind}:{item.target_key}", unless_over=MAX_PACING_WAIT
        )
        if wait > MAX_PACING_WAIT:
            # Over a conversation's longer window: try again when it has room
            # (unbooked, so it pushes no later send back).
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
        # The renderer of a row rendered at send time (None for a fixed message).
        route = self.router.renderers.get(str(item.payload.get("render", "")))
        try:
            async with self.db.sessions() as session:
                target = await self._target(session, item)
                message = await self._message(session, item, target, route)
            if message is None:
                await outbox.mark_skipped(self.db, item, reason="nothing to send any more")
                return False
            update_of = None
            if item.operation == outbox.Operation.UPDATE:
                if not item.target_activity_id:
                    raise PermanentFailure("update without an activity id")
                update_of = item.target_activity_id
            activity_id = await self.gateway.deliver(target, message, update_of=update_of)
        except PermanentFailure as exc:
            log.warning("outbox %s failed for good: %s", item.id, exc)
            await outbox.mark_failed(self.db, item, now=now(), reason=str(exc))
            return False
        except TeamsCallFailed as exc:
            await self._on_http_error(item, exc)
            return False
        except (OSError, TimeoutError) as exc:
            await outbox.mark_retry(
                self.db,
                item,
                now=now(),
                delay=outbox.backoff(item.attempts),
                error=f"network: {type(exc).__name__}",
            )
            return False
        except Exception as exc:
            # A renderer, the database or anything unforeseen: it counts as an
            # attempt like any other, so the row backs off and is failed in the end.
            log.exception("outbox %s: delivery failed", item.id)
            await outbox.mark_retry(
                self.db,
                item,
                now=now(),
                delay=outbox.backoff(item.attempts),
                error=f"error: {type(exc).__name__}",
            )
            return False
        await outbox.mark_sent(
            self.db,
            item,
            now=now(),
            activity_id=activity_id,
            after=route.delivered if route is not None else None,
        )
        return True

    async def _on_http_error(self, item: outbox.OutboxItem, exc: TeamsCallFailed) -> None:
        status = exc.status
        now = self.clock.now()
        if status == 429:
            delay = (
                timedelta(seconds=exc.retry_after)
                if exc.retry_after is not None
                else outbox.backoff(item.attempts, base=1.0)
            )
            await outbox.mark_retry(self.db, item, now=now, delay=delay, error="429")
        elif status >= 500 or status in (408, 412):
            await outbox.mark_retry(
                self.db, item, now=now, delay=outbox.backoff(item.attempts), error=str(status)
            )
        elif status in GONE:
            # 403: the user blocked or uninstalled the bot; 404: conversation gone.
            await outbox.mark_failed(self.db, item, now=now, reason=f"http {status}")
            gone = self.router.gone.get(item.target_kind)
            if gone is not None:
                await gone(self.services, item, status)
        else:
            # 400, 401, 413, ...: this message (or our credentials) is wrong, not
            # the person gone. Failed, loudly; nobody is marked inactive.
            log.error(
                "outbox %s failed for good: Teams answered %s (check the app's "
                "credentials and tenant, and the message's size)",
                item.id,
                status,
            )
            await outbox.mark_failed(self.db, item, now=now, reason=f"http {status}")

    async def _target(self, session: AsyncSession, item: outbox.OutboxItem) -> Target:
        if item.target_kind in (TargetKind.CHANNEL, TargetKind.CHANNEL_THREAD):
            channel = await channels.current(session)
            if channel is None:
                raise PermanentFailure("no priority channel registered")
            if item.target_kind == TargetKind.CHANNEL_THREAD:
                # An existing post in the channel (to edit in place).
                return Target(
                    service_url=channel.service_url,
                    conversation_id=item.target_key,
                    locale=CHANNEL_LOCALE,
                    tenant_id=channel.tenant_id,
                )
            return Target(
                service_url=channel.service_url,
                conversation_id=channel.channel_id,
                locale=CHANNEL_LOCALE,
                tenant_id=channel.tenant_id,
                channel_id=channel.channel_id,
            )
        ref = await find_reference(session, kind=TargetKind.PERSONAL, key=item.target_key)
        if ref is None:
            raise PermanentFailure("no conversation reference")
        return Target(
            service_url=ref.service_url,
            conversation_id=ref.conversation_id,
            locale=ref.locale,
            tenant_id=ref.tenant_id,
        )

    async def _message(
        self,
        session: AsyncSession,
        item: outbox.OutboxItem,
        target: Target,
        route: OutboxRoute | None,
    ) -> Message | None:
        payload = item.payload
        fixed = payload.get("message")
        if isinstance(fixed, dict):
            return Message.from_payload(fixed)
        if route is None:
            raise PermanentFailure(f"no renderer {payload.get('render')!r}")
        args = payload.get("args")
        return await route.render(
            session, self.services, args if isinstance(args, dict) else {}, target.locale
        )
