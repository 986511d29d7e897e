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
import contextvars
import logging
import os
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.messages import Mail, Message, Recipient
from bot.framework.notifications import GoneHook, Notification, Sending
from bot.framework.ports import Gateway, Target, TeamsCallFailed
from bot.out.graph import GraphFailed, GraphInstaller
from bot.out.mail import FolderMailer, Mailer, MailFailed, Outgoing, UnsafeHeader, compose
from bot.out.metrics import Metrics
from bot.out.sms import SmsFailed
from bot.out.sms_channel import SmsChannel
from scheduler.budget import LocalSlots, RateBudget, SlotSource, safe_rate
from scheduler.pacing import GLOBAL_PER_SECOND, PER_CONVERSATION, Pacer
from storage import desks, outbox
from storage.db import Database
from storage.domain.clock import Clock
from storage.outbox import TargetKind
from storage.outbox.conversations import find_reference, save_reference
from storage.outbox.people import Reachable, reachable, ref_key

log = logging.getLogger(__name__)

# Seconds added to each per-conversation window: two sends booked a window
# apart may reach Teams closer together than they were booked (a row is
# rendered after its wait, which takes longer in a burst on PostgreSQL). With
# 0.05, bench/claims.py saw 12-14 channel posts answered 429 while 200 cards
# went out during the first claim race; with 0.25, none. It costs a channel
# burst about a fifth of its pace; a reminder round (one send per person) nothing.
WINDOW_SLACK = 0.25
RENDERS_AT_ONCE = 8
# Rows waiting for an e-mail slot that do not count against the lease window.
MAIL_WAITING_MAX = 2000
# Where proactive messages to a chat go when no channel tells the tenant's own
# (Microsoft's documented global Bot Connector address).
PUBLIC_SERVICE_URL = "https://smba.trafficmanager.net/teams/"
# Longest wait a send sleeps for in-process; longer ones go back to the outbox.
MAX_PACING_WAIT = 5.0
# How often a round with rows in flight, having found nothing more due, asks
# again: a row of a process that died falls due when its lease runs out.
LOOK_AGAIN_SECONDS = 1.0
# Lease renewals while a round runs: every half second at the default lease (4 s).
HEARTBEATS_PER_LEASE = 8
# Answers that mean the person or conversation is gone for good.
GONE = frozenset({403, 404})
# The channel's posts and cards are in bokmål (the team's working language).
CHANNEL_LOCALE = "nb"


class PermanentFailure(Exception):
    """The message can never be delivered (no conversation, bot removed)."""


class _Window:
    """One round's lease window: rows waiting for an e-mail slot step out of it.
    Each round leases as a worker of its own, and keeps its own heartbeat: two
    rounds of one process at once (the tick's and a wake-up's) must not take a
    row the other has lost and now given back for their own (bench/registration.py
    saw seat offers sent twice so)."""

    def __init__(self, worker: str) -> None:
        self.mail_waiting = 0
        self.room = asyncio.Event()
        self.worker = worker
        # Until when this round's last heartbeat extended every lease it held.
        self.renewed_until: datetime | None = None


_WINDOW: contextvars.ContextVar[_Window] = contextvars.ContextVar("outbox_window")


class SentMarks:
    """Rows sent but not yet marked, written together every `EVERY` seconds (or
    `MOST` rows): one commit for many sends. A crash loses at most those marks,
    and their rows are sent once more after their lease: at least once, never
    lost."""

    EVERY = 0.05
    MOST = 100

    def __init__(self, db: Database) -> None:
        self._db = db
        self._pending: list[outbox.SentMark] = []
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None

    async def add(self, mark: outbox.SentMark) -> None:
        self._pending.append(mark)
        if len(self._pending) >= self.MOST:
            await self.flush()
        elif self._timer is None or self._timer.done():
            self._timer = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(self.EVERY)
        try:
            await self.flush()
        except Exception:
            log.exception(
                "outbox: could not mark sent rows (they are sent again after their lease)"
            )

    async def flush(self) -> None:
        async with self._lock:
            marks, self._pending = self._pending, []
            if marks:
                await outbox.mark_sent_many(self._db, marks)

    async def close(self) -> None:
        """At shutdown: the marks written now, and no timer left behind (a task
        destroyed pending by the loop's end would lose them)."""
        timer, self._timer = self._timer, None
        if timer is not None and not timer.done():
            timer.cancel()
            await asyncio.gather(timer, return_exceptions=True)
        await self.flush()


def pace_key(item: outbox.OutboxItem) -> str:
    """The conversation whose limits a row counts against. New posts in the
    channel and edits of cards posted there are one conversation to Teams (a
    thread's id is the channel's with `;messageid=…`): paced apart, together
    they went over its 7 a second."""
    if item.target_kind in (TargetKind.CHANNEL, TargetKind.CHANNEL_THREAD):
        return "channel:" + item.target_key.split(";", 1)[0]
    return f"{item.target_kind}:{item.target_key}"


def turn_pace_key(conversation_id: str) -> str:
    """The bucket of a reply made inside a turn: a channel's the same as the
    outbox's posts and edits there (`pace_key`), others their own."""
    base = conversation_id.split(";", 1)[0]
    if ";messageid=" in conversation_id or base.startswith("19:"):
        return "channel:" + base
    return "conversation:" + conversation_id


def _recipient(person: Reachable | None, unreachable: str) -> Recipient:
    if person is None or not person.email:
        raise PermanentFailure(unreachable)
    return Recipient(key=person.key, address=person.email, name=person.name, locale=person.locale)


class OutboxSender:
    def __init__(
        self,
        *,
        db: Database,
        gateway: Gateway,
        clock: Clock,
        notifications: Mapping[str, Notification],
        sending: Sending,
        gone: Mapping[str, GoneHook] | None = None,
        metrics: Metrics | None = None,
        batch: int = 200,
        global_rate: float = GLOBAL_PER_SECOND,
        concurrency: int = 64,
        lease: timedelta = outbox.DEFAULT_LEASE,
        slots: SlotSource | None = None,
        mailer: Mailer | None = None,
        mail_from: str = "medvirk@localhost",
        mail_rate: float = 5.0,
        mail_slots: SlotSource | None = None,
        graph: GraphInstaller | None = None,
        service_url: str = PUBLIC_SERVICE_URL,
        sms: SmsChannel | None = None,
    ) -> None:
        self.db = db
        self.gateway = gateway
        self.clock = clock
        self.notifications = notifications
        # What renderers and hooks are called with.
        self.sending = sending
        self.gone = gone or {}
        self.batch = batch
        self.lease = lease
        # The process in the name: an operator (or a test) sees whose leases
        # a row's are.
        self.worker = f"sender-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        # Per conversation, planned here; per app, a slot of the budget right
        # before each call (shared by every process when `slots` is the
        # database's), at a rate whose late slots and late arrivals never
        # tip Teams' count over the limit.
        self.pacer = Pacer(
            global_rate=None,
            windows=tuple((limit, window + WINDOW_SLACK) for limit, window in PER_CONVERSATION),
        )
        self.budget = RateBudget(slots or LocalSlots(), rate=safe_rate(global_rate))
        self.mailer: Mailer = mailer or FolderMailer(Path("mail"))
        self.mail_from = mail_from
        self.mail_budget = RateBudget(mail_slots or LocalSlots(), rate=mail_rate)
        self.graph = graph
        self.service_url = service_url
        self.sms = sms
        self._slots = asyncio.Semaphore(concurrency)
        # Rows rendered at once: a burst of renders holds the event loop, and
        # sends whose slots fall in it would reach Teams bunched together.
        self._rendering = asyncio.Semaphore(RENDERS_AT_ONCE)
        self._sends = metrics.sends if metrics is not None else None
        self._throttled = metrics.throttled if metrics is not None else None
        self._waking: asyncio.Task[None] | None = None
        self._marks = SentMarks(db)
        # Rounds started (each leases as `worker`-n, its own heartbeat's).
        self._rounds = 0
        self._again = False
        # Set by the app when it runs the scheduler: wake at once after a
        # commit, and at the due time of the next row planned ahead.
        self.wakes = False
        self._alarm: asyncio.TimerHandle | None = None

    def pace_reply(self, conversation_id: str, *, unless_over: float) -> float:
        """Book a reply a turn makes in `conversation_id` under the limits the
        outbox keeps there (a suggestions card posted under a request card
        counts against the channel like the cards the outbox posts); the
        seconds to wait for it, or more than `unless_over` (not booked)."""
        return self.pacer.reserve(turn_pace_key(conversation_id), unless_over=unless_over)

    def start(self) -> None:
        """Wake after commits and at due times from now on, and deliver what is
        due at once: a process restarted after a crash must not wait for a tick."""
        self.wakes = True
        self.wake()

    def wake(self) -> None:
        """Deliver what was just written now, not at the next tick (called after a
        commit that wrote outbox rows, in this process; others find them at their
        tick). One wake-up round at a time; a wake during it runs one more."""
        if not self.wakes:
            return
        if self._waking is not None and not self._waking.done():
            self._again = True
            return
        self._waking = asyncio.get_running_loop().create_task(self._woken())

    async def _woken(self) -> None:
        self._again = True
        while self._again:
            self._again = False
            try:
                await self.drain()
            except Exception:
                log.exception("outbox: the round after a wake-up failed")
                return

    async def _set_alarm(self) -> None:
        """Wake at the due time of the next row not yet due (a reminder round
        planned ahead), if that comes before the next tick would."""
        if not self.wakes:
            return
        due = await outbox.next_due(self.db, after=self.clock.now())
        if due is None:
            return
        loop = asyncio.get_running_loop()
        at = loop.time() + max(0.0, (due - self.clock.now()).total_seconds())
        alarm = self._alarm
        if alarm is not None and not alarm.cancelled() and loop.time() < alarm.when() <= at:
            return  # an earlier wake-up is set already
        if alarm is not None:
            alarm.cancel()
        self._alarm = loop.call_at(at, self.wake)

    async def quiesce(self, timeout: float = 25.0) -> None:
        """Wait for a wake-up round in progress (at shutdown)."""
        self.wakes = False
        if self._alarm is not None:
            self._alarm.cancel()
        if self._waking is not None and not self._waking.done():
            await asyncio.wait({self._waking}, timeout=timeout)
        try:
            await self._marks.close()
        except Exception:
            log.exception("outbox: could not mark sent rows at shutdown (sent again later)")

    async def drain(self) -> int:
        """Deliver what is due now, paced under Teams' limits; returns rows delivered.

        Rows are leased in batches, and the next batch is leased while the last
        half of the current one is still going out: its rendering overlaps the
        sends, so a large round never pauses between batches. Rows waiting for
        a slot of the (slower) e-mail budget do not hold the window: Teams rows
        behind them go out meanwhile (up to `MAIL_WAITING_MAX` such rows)."""
        delivered = 0
        in_flight: set[asyncio.Task[bool]] = set()
        self._rounds += 1
        window = _Window(f"{self.worker}-{self._rounds}")
        _WINDOW.set(window)  # the round's tasks copy it (contextvars)
        room = window.room
        low_water = self.batch // 2

        def busy() -> int:
            return len(in_flight) - min(window.mail_waiting, MAIL_WAITING_MAX)

        def finished(task: asyncio.Task[bool]) -> None:
            nonlocal delivered
            in_flight.discard(task)
            if not task.cancelled() and task.exception() is None and task.result():
                delivered += 1
            if busy() <= low_water:
                room.set()

        renewing = asyncio.create_task(self._renew_leases(window))
        try:
            while True:
                wanted = self.batch - busy()
                if wanted <= 0:
                    room.clear()
                    await room.wait()
                    continue
                items = await outbox.lease(
                    self.db,
                    worker=window.worker,
                    now=self.clock.now(),
                    limit=wanted,
                    lease=self.lease,
                )
                for item, wait in await self._book(items):
                    task = asyncio.create_task(self._paced(item, wait))
                    in_flight.add(task)
                    task.add_done_callback(finished)
                if len(items) < wanted:
                    if not in_flight:
                        break  # nothing more is due and nothing on its way
                    # Finish what is on its way, and look again meanwhile: the
                    # rows of a process that died fall due within a lease.
                    await asyncio.wait(set(in_flight), timeout=LOOK_AGAIN_SECONDS)
                    continue
                room.clear()
                if busy() > low_water:
                    await room.wait()
            await self._marks.flush()
            self.pacer.forget_idle()
            await self._set_alarm()
            return delivered
        finally:
            for task in in_flight:
                task.cancel()
            if in_flight:
                await asyncio.wait(set(in_flight))
            # What was sent is recorded, however the round ends.
            await asyncio.shield(self._marks.flush())
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _renew_leases(self, window: _Window) -> None:
        """The heartbeat: while a round runs, keep its rows (a slow Teams must not
        let another process take and send them again); when the process dies,
        its rows are due again within one lease."""
        every = self.lease.total_seconds() / HEARTBEATS_PER_LEASE
        while True:
            await asyncio.sleep(every)
            now = self.clock.now()
            try:
                await outbox.renew(self.db, worker=window.worker, now=now, lease=self.lease)
            except Exception:
                log.exception("outbox: could not renew the leases of this round")
            else:
                window.renewed_until = now + self.lease

    def _still_held(self, item: outbox.OutboxItem) -> bool:
        """Whether the row's lease is surely this sender's for the send about to
        start, with half the lease to spare: a stall right after the send (the
        process starved of CPU) must not let another take the row before its
        sent-mark is written. A heartbeat late by more than that means the
        process stalled, and another may take the row soon."""
        if not item.worker or item.leased_until is None:
            return True  # delivered outside a round (no lease to lose)
        until = item.leased_until
        window = _WINDOW.get(None)
        renewed = (
            window.renewed_until if window is not None and window.worker == item.worker else None
        )
        if renewed is not None and renewed > until:
            until = renewed
        return self.clock.now() + self.lease / 2 < until

    async def _book(self, items: list[outbox.OutboxItem]) -> list[tuple[outbox.OutboxItem, float]]:
        """Book each leased row's moment under its conversation's limits. Rows
        that would wait longer than `MAX_PACING_WAIT` go back to the outbox,
        all in one transaction, due when their conversation has room (unbooked,
        so they push no later send back): a round holding 200 posts for one
        channel, which takes 7 a second, must not spend a commit on each of
        the 170 it cannot send yet while people are pressing buttons."""
        booked: list[tuple[outbox.OutboxItem, float]] = []
        later: list[tuple[outbox.OutboxItem, timedelta]] = []
        for item in items:
            wait = self.pacer.reserve(pace_key(item), unless_over=MAX_PACING_WAIT)
            if wait > MAX_PACING_WAIT:
                later.append((item, timedelta(seconds=wait)))
            else:
                booked.append((item, wait))
        if later:
            try:
                await outbox.defer_many(self.db, later, now=self.clock.now())
            except Exception:
                log.exception(
                    "outbox: could not give back rows paced for later (sent after their lease)"
                )
        return booked

    async def _paced(self, item: outbox.OutboxItem, wait: float) -> bool:
        if wait > 0:
            await asyncio.sleep(wait)
        return await self.deliver(item)

    async def deliver(self, item: outbox.OutboxItem) -> bool:
        """Send one row; record how it went (sent, or retry, failed, skipped)."""
        outcome, channel = await self._deliver(item)
        if self._sends is not None:
            self._sends.labels(channel=channel.value, outcome=outcome).inc()
        return outcome == "sent"

    async def _deliver(self, item: outbox.OutboxItem) -> tuple[str, outbox.Channel]:
        now = self.clock.now
        channel = outbox.Channel.TEAMS
        # The kind of a row rendered at send time (None for a fixed message).
        kind = self.notifications.get(str(item.payload.get("render", "")))
        mail: Mail | None = None
        message: Message | None = None
        by_sms = False
        delivered_id: str | None = None
        try:
            async with self._rendering:
                async with self.db.sessions() as session:
                    target = await self._target(session, item)
                    if target is not None:
                        message = await self._message(session, item, target, kind)
                    else:
                        contact = await reachable(session, item.target_key)
                if target is None:
                    # No Teams chat with this person: one through Graph, if it can
                    # install the app for them (outside any database session).
                    unreachable = f"{outbox.UNREACHABLE}: no Teams chat, e-mail address or phone"
                    if (
                        contact is not None
                        and contact.active
                        and contact.aad_object_id
                        and self.graph is not None
                    ):
                        try:
                            target = await self._install(contact)
                        except GraphFailed as failed:
                            if not failed.permanent:
                                raise
                            unreachable = (
                                f"{outbox.UNREACHABLE}: {failed.reason}, no e-mail address"
                            )
                    by_sms = (
                        target is None
                        and self.sms is not None
                        and contact is not None
                        and contact.active
                        and contact.by_sms
                    )
                    if not by_sms:
                        async with self.db.sessions() as session:
                            if target is not None:
                                message = await self._message(session, item, target, kind)
                            else:
                                # By e-mail, if they have an address.
                                recipient = _recipient(contact, unreachable)
                                mail = await self._mail(session, item, recipient, kind)
            if by_sms:
                # By SMS: a phone only, or their choice. Waiting for the
                # gateway's rate, the row steps out of the round's window (as
                # e-mail's do): Teams rows behind it go out meanwhile.
                assert self.sms is not None and contact is not None
                channel = outbox.Channel.SMS
                window = _WINDOW.get(None)
                if window is not None:
                    window.mail_waiting += 1
                    window.room.set()
                try:
                    outcome, delivered_id = await self.sms.deliver(
                        item, contact, kind, held=lambda: self._still_held(item)
                    )
                finally:
                    if window is not None:
                        window.mail_waiting -= 1
                if outcome == "let_go":
                    return await self._let_go(item), channel
                if outcome != "sent":
                    return outcome, channel
            elif target is None:
                channel = outbox.Channel.EMAIL
                if mail is None:
                    await outbox.mark_skipped(self.db, item, reason="nothing to send any more")
                    return "skipped", channel
                window = _WINDOW.get(None)
                if window is not None:
                    window.mail_waiting += 1
                    window.room.set()  # this row no longer holds the window
                try:
                    await self.mail_budget.acquire()
                finally:
                    if window is not None:
                        window.mail_waiting -= 1
                if not self._still_held(item):
                    return await self._let_go(item), channel
                async with self._slots:
                    delivered_id = await self.mailer.send(self._email(mail, recipient))
            else:
                if message is None:
                    await outbox.mark_skipped(self.db, item, reason="nothing to send any more")
                    return "skipped", channel
                update_of = None
                if item.operation == outbox.Operation.UPDATE:
                    if not item.target_activity_id:
                        raise PermanentFailure("update without an activity id")
                    update_of = item.target_activity_id
                # At most `concurrency` calls in the air; the slot is taken once
                # one of them is free, so the call leaves in its slot.
                async with self._slots:
                    await self.budget.acquire()
                    if not self._still_held(item):
                        return await self._let_go(item), channel
                    delivered_id = await self.gateway.deliver(target, message, update_of=update_of)
        except PermanentFailure as exc:
            log.warning("outbox %s failed for good: %s", item.id, exc)
            await outbox.mark_failed(self.db, item, now=now(), reason=str(exc))
            return "failed", channel
        except GraphFailed as exc:
            # Throttled or failing: back to the outbox, for as long as Graph says.
            delay = (
                timedelta(seconds=exc.retry_after)
                if exc.retry_after is not None
                else outbox.backoff(item.attempts)
            )
            await outbox.mark_retry(self.db, item, now=now(), delay=delay, error=exc.reason)
            return "retry", channel
        except SmsFailed as exc:
            if exc.permanent:
                log.warning("outbox %s failed for good: %s", item.id, exc.reason)
                await outbox.mark_failed(self.db, item, now=now(), reason=exc.reason)
            else:
                delay = (
                    timedelta(seconds=exc.retry_after)
                    if exc.retry_after is not None
                    else outbox.backoff(item.attempts)
                )
                await outbox.mark_retry(self.db, item, now=now(), delay=delay, error=exc.reason)
            return ("failed" if exc.permanent else "retry"), outbox.Channel.SMS
        except MailFailed as exc:
            if exc.permanent:
                # A message we could not write is our fault to fix: an error, not a warning.
                level = logging.ERROR if isinstance(exc, UnsafeHeader) else logging.WARNING
                log.log(level, "outbox %s failed for good: %s", item.id, exc.reason)
                await outbox.mark_failed(self.db, item, now=now(), reason=exc.reason)
            else:
                await outbox.mark_retry(
                    self.db, item, now=now(), delay=outbox.backoff(item.attempts), error=exc.reason
                )
            return ("failed" if exc.permanent else "retry"), channel
        except TeamsCallFailed as exc:
            return await self._on_http_error(item, exc), channel
        except (OSError, TimeoutError) as exc:
            await outbox.mark_retry(
                self.db,
                item,
                now=now(),
                delay=outbox.backoff(item.attempts),
                error=f"network: {type(exc).__name__}",
            )
            return "retry", channel
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
            return "retry", channel
        hook = kind.delivered if kind is not None else None
        note = None
        folder = (channel == outbox.Channel.EMAIL and not self.mailer.delivers) or (
            channel == outbox.Channel.SMS and self.sms is not None and not self.sms.gateway.delivers
        )
        if hook is not None and folder:
            # A hook records that the message reached someone (a claim sent to
            # payroll); a file in the mail folder reached nobody.
            hook, note = None, outbox.FOLDER_NOTE
            log.warning("outbox %s: %s", item.id, note)
        if hook is None and note is None and item.worker:
            # No hook to run with it: recorded with others in one transaction.
            await self._marks.add(outbox.SentMark(item, now(), delivered_id, channel))
        else:
            await outbox.mark_sent(
                self.db,
                item,
                now=now(),
                activity_id=delivered_id,
                after=hook,
                channel=channel,
                note=note,
            )
        return "sent", channel

    async def _let_go(self, item: outbox.OutboxItem) -> str:
        """Give back a row whose lease may be another's by now, unsent: whoever
        holds it sends it (this sender again, if nobody took it)."""
        log.warning("outbox %s: the heartbeat was late; the row is given back unsent", item.id)
        await outbox.mark_retry(
            self.db,
            item,
            now=self.clock.now(),
            delay=timedelta(0),
            error="lease lost",
            count_attempt=False,
        )
        return "retry"

    async def _install(self, contact: Reachable) -> Target:
        """Install the app for the person through Graph and keep the chat as
        their conversation (the tenant's service URL: the first desk's channel's)."""
        assert self.graph is not None and contact.aad_object_id
        chat_id = await self.graph.chat_with(contact.aad_object_id)
        async with self.db.transaction() as session:
            channel = await desks.home(session)
            service_url = (
                channel.service_url if channel and channel.service_url else self.service_url
            )
            tenant_id = channel.tenant_id if channel is not None else None
            await save_reference(
                session,
                kind=TargetKind.PERSONAL,
                key=contact.ref_key,
                reference={"installed_by": "graph"},
                service_url=service_url,
                conversation_id=chat_id,
                now=self.clock.now(),
                aad_object_id=contact.aad_object_id,
                name=contact.name,
                locale=contact.locale,
                tenant_id=tenant_id,
            )
        log.info("installed the app for a contact through Graph")
        return Target(
            service_url=service_url,
            conversation_id=chat_id,
            locale=contact.locale,
            tenant_id=tenant_id,
        )

    async def _mail(
        self,
        session: AsyncSession,
        item: outbox.OutboxItem,
        recipient: Recipient,
        kind: Notification | None,
    ) -> Mail | None:
        if kind is None or kind.mail is None:
            raise PermanentFailure(f"{outbox.UNREACHABLE}: no Teams chat (not sent by e-mail)")
        args = item.payload.get("args")
        return await kind.mail(
            session, self.sending, args if isinstance(args, dict) else {}, recipient
        )

    def _email(self, mail: Mail, recipient: Recipient) -> Outgoing:
        return compose(
            mail,
            mail_from=self.mail_from,
            to_address=recipient.address,
            to_name=recipient.name,
            date=self.clock.now(),
        )

    async def _on_http_error(self, item: outbox.OutboxItem, exc: TeamsCallFailed) -> str:
        """Record a Teams error answer; the outcome (retry or failed)."""
        status = exc.status
        now = self.clock.now()
        if status == 429:
            delay = (
                timedelta(seconds=exc.retry_after)
                if exc.retry_after is not None
                else outbox.backoff(item.attempts, base=1.0)
            )
            await outbox.mark_retry(self.db, item, now=now, delay=delay, error="429")
            if self._throttled is not None:
                self._throttled.inc()
            return "retry"
        elif status >= 500 or status in (408, 412):
            await outbox.mark_retry(
                self.db, item, now=now, delay=outbox.backoff(item.attempts), error=str(status)
            )
            return "retry"
        elif status in GONE:
            # 403: the user blocked or uninstalled the bot; 404: conversation gone.
            await outbox.mark_failed(self.db, item, now=now, reason=f"http {status}")
            gone = self.gone.get(item.target_kind)
            if gone is not None:
                await gone(self.sending, item, status)
            return "failed"
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
        return "failed"

    async def _target(self, session: AsyncSession, item: outbox.OutboxItem) -> Target | None:
        """Where in Teams the row goes; None for a person with no chat with the bot."""
        if item.target_kind in (TargetKind.CHANNEL, TargetKind.CHANNEL_THREAD):
            channel = await desks.by_channel(session, item.target_key)
            if channel is None or channel.service_url is None:
                raise PermanentFailure("no desk has this channel")
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
                conversation_id=item.target_key,
                locale=CHANNEL_LOCALE,
                tenant_id=channel.tenant_id,
                channel_id=item.target_key,
            )
        key = await ref_key(session, item.target_key)
        ref = await find_reference(session, kind=TargetKind.PERSONAL, key=key)
        if ref is None:
            return None
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
        kind: Notification | None,
    ) -> Message | None:
        payload = item.payload
        fixed = payload.get("message")
        if isinstance(fixed, dict):
            return Message.from_payload(fixed)
        if kind is None or kind.teams is None:
            raise PermanentFailure(f"no renderer {payload.get('render')!r}")
        args = payload.get("args")
        return await kind.teams(
            session, self.sending, args if isinstance(args, dict) else {}, target.locale
        )
