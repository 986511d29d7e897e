"""The outbox's third way to a person, after Teams and e-mail: an SMS, for
one who has only a phone (or chose SMS on their page).

An SMS is its e-mail made short: who writes, what kind of message it is (the
subject: never the assignment's title, unit or anything that could tell of
health), a short link to the same page (`/s/<code>`), and for an invitation
the four digits a reply answers it with. A reply to a number that wrote to
us (`SMS_REPLY`) is its own text.

Before one leaves: not in the quiet hours (the row waits for their end),
not past `MEDVIRK_SMS_PER_DAY` to the number today (it waits for tomorrow),
not past the desk's budget of segments this month (given up, said in the
desk's channel at 80 % and 100 %). A row's SMS is recorded with it
(`SmsSent.outbox_id`), so a row delivered again after a crash between the
gateway's answer and its mark is not sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.framework.messages import Mail, Recipient
from bot.framework.notifications import Notification, Sending
from bot.out.sms import Sms, SmsFailed, SmsGateway, segments
from dialogs.i18n import t
from scheduler.budget import LocalSlots, RateBudget, SlotSource
from storage import outbox
from storage import sms as store
from storage.db import Database
from storage.domain.clock import Clock
from storage.domain.sms import Quiet, SmsState, day_start, month_start, next_day_start
from storage.outbox import Render
from storage.outbox.people import Reachable

log = logging.getLogger(__name__)

# How long a short link works (the pages behind it have their own expiry).
SHORT_LINK_DAYS = 60
SMS_MAX = 612  # four segments of GSM-7: a longer text is a bug of ours


class _LetGo(Exception):
    """The row's lease may be another's after the wait for the gateway's rate."""


class SmsChannel:
    def __init__(
        self,
        *,
        db: Database,
        gateway: SmsGateway,
        clock: Clock,
        sending: Sending,
        sender: str,
        secret: str,
        quiet: Quiet | None,
        per_day: int,
        budget: int,
        zone: ZoneInfo,
        rate: float,
        public_base: str,
        slots: SlotSource | None = None,
    ) -> None:
        self.db = db
        self.gateway = gateway
        self.clock = clock
        self.sending = sending
        self.sender = sender
        self.secret = secret
        self.quiet = quiet
        self.per_day = per_day
        self.budget = budget
        self.zone = zone
        self.rate = RateBudget(slots or LocalSlots(), rate=rate)
        self.public_base = public_base.rstrip("/")

    def describe(self) -> str:
        return self.gateway.describe()

    async def deliver(
        self,
        item: outbox.OutboxItem,
        person: Reachable,
        kind: Notification | None,
        *,
        held: Callable[[], bool] = lambda: True,
    ) -> tuple[str, str | None]:
        """Send the row's SMS (or give it back for later); the outcome
        ("let_go": its lease may be another's after the wait for the
        gateway's rate) and the gateway's id. Raises `SmsFailed` as the
        gateway does."""
        assert person.phone is not None
        now = self.clock.now()
        reply = item.payload.get("render") == Render.SMS_REPLY
        if not reply and self.quiet is not None and self.quiet.holds(now, self.zone):
            until = self.quiet.ends_after(now, self.zone)
            await outbox.mark_retry(
                self.db, item, now=now, delay=until - now, error="sms: quiet hours",
                count_attempt=False,
            )  # fmt: skip
            return "retry", None
        key = store.number_key(self.secret, person.phone)
        budget = None
        # Decided under the number's lock; the row marked after it (SQLite
        # has one connection: no second transaction inside the first).
        later: datetime | None = None
        gone: str | None = None
        text: str | None = None
        args = item.payload.get("args")
        async with self.db.transaction() as session:
            desk_id = await store.desk_of(
                session, args if isinstance(args, dict) else {}, default=person.desk_id
            )
            await store.lock_for_sms(session, desk_id, key)
            found = await store.of_row(session, item.id)
            if found is not None and found.state != SmsState.RESERVED:
                return "sent", found.gateway_id
            if not reply and await store.stopped(session, key):
                gone = f"{outbox.UNREACHABLE}: the number answered STOPP"
            elif not reply:
                sent_today = await store.sent_since(
                    session, key, day_start(now, self.zone), besides=item.id
                )
                if sent_today >= self.per_day:
                    later = next_day_start(now, self.zone, self.quiet)
                else:
                    budget = await store.budget_of(
                        session, desk_id, default=self.budget,
                        month_start=month_start(now, self.zone), besides=item.id,
                    )  # fmt: skip
                    if budget.spent:
                        gone = "sms: the desk's budget for the month is spent"
            if later is None and gone is None:
                text = await self._text(session, item, person, kind, desk_id=desk_id, now=now)
            if text is not None:
                held_place = await store.reserve(
                    session, found, outbox_id=item.id, desk_id=desk_id, key=key,
                    segments=segments(text).count, now=now, reply=reply,
                )  # fmt: skip
                sms_id = held_place.id
        if later is not None:
            await outbox.mark_retry(
                self.db, item, now=now, delay=later - now,
                error="sms: the number's SMS for today are sent", count_attempt=False,
            )  # fmt: skip
            return "retry", None
        if gone is not None:
            await outbox.mark_failed(self.db, item, now=now, reason=gone)
            return "failed", None
        if text is None:
            await outbox.mark_skipped(self.db, item, reason="nothing to send any more")
            return "skipped", None
        await self.rate.acquire()
        try:
            if not held():
                raise _LetGo()
            submitted = await self.gateway.send(
                Sms(to=person.phone, text=text, sender=self.sender, reference=str(item.id))
            )
        except BaseException as error:
            # Not taken: its place in the caps goes (a crash here leaves it
            # reserved, and the row's next try takes it over).
            async with self.db.transaction() as session:
                await store.release(session, sms_id)
            if isinstance(error, _LetGo):
                return "let_go", None
            raise
        async with self.db.transaction() as session:
            await store.record_sent(
                session,
                sms_id,
                desk_id=desk_id,
                segments=submitted.segments,
                gateway_id=submitted.message_id,
                budget=budget,
                month=now.astimezone(self.zone).strftime("%Y-%m"),
                now=now,
            )
        return "sent", submitted.message_id

    async def _text(
        self,
        session: AsyncSession,
        item: outbox.OutboxItem,
        person: Reachable,
        kind: Notification | None,
        *,
        desk_id: int,
        now: datetime,
    ) -> str | None:
        args = item.payload.get("args")
        args = args if isinstance(args, dict) else {}
        recipient = Recipient(
            key=person.key,
            address=person.phone or "",
            name=person.name,
            locale=person.locale,
            channel="sms",
        )
        if kind is not None and kind.sms is not None:
            return await kind.sms(session, self.sending, args, recipient)
        if kind is None or kind.mail is None:
            raise SmsFailed("no SMS form of this message", permanent=True)
        mail = await kind.mail(session, self.sending, args, recipient)
        if mail is None:
            return None
        link = None
        if mail.link:
            code = await store.shorten(
                session, mail.link, expires_at=now + timedelta(days=SHORT_LINK_DAYS)
            )
            link = f"{self.public_base}/s/{code}"
        desk = await self.sending.desk_name(session, desk_id, person.locale)
        return sms_text(mail, person.locale, desk=desk, link=link)


def sms_text(mail: Mail, locale: str, *, desk: str | None, link: str | None) -> str:
    """An e-mail as an SMS: who writes, its subject, the short link, and the
    line only an SMS carries."""
    subject = mail.subject.rstrip(".")
    if not subject.endswith(("?", "!")):
        subject += "."
    parts = [t(locale, "sms.from", desk=desk or t(locale, "desks.generic"), subject=subject)]
    if link:
        parts.append(t(locale, "sms.open", link=link))
    if mail.sms_line:
        parts.append(mail.sms_line)
    text = " ".join(parts)
    if len(text) > SMS_MAX:
        raise SmsFailed("sms: text too long", permanent=True)
    return text
