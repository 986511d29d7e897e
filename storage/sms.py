"""SMS as medvirk keeps them (SPEC "SMS"): what was sent (`SmsSent`: a keyed
hash of the number, never the number, and no text), for the daily cap per
number, a desk's monthly budget of segments and the delivery report; the
short links SMS carry; and what a reply from a number does.

Who a number is: the participants and contacts with that phone (E.164).
`STOPP` turns SMS off for each of them (e-mail, or unreachable, from then
on); a yes or no with an invitation's four-digit code answers it as their
page would.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import (
    Contact,
    Desk,
    Gathering,
    Invitation,
    OutboxMessage,
    Participant,
    Registration,
    Reminder,
    ShortLink,
    SmsNumber,
    SmsSent,
    Survey,
)
from storage.domain.invitations import InvitationStatus
from storage.domain.outbox import OutboxState
from storage.domain.participants import ParticipantStatus
from storage.domain.sms import SmsState
from storage.notifications import SmsBudgetWarned, SmsReply, record

# Short link codes: 10 characters of 57 (about 58 bits), unguessable.
_LINK_LETTERS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LINK_LENGTH = 10
WARN_AT = 80


async def desk_of(session: AsyncSession, args: dict[str, Any], *, default: int) -> int:
    """The desk an outbox row's SMS is from (its budget, its name): named in
    the row, or the desk of the gathering, registration or reminder round it
    is about; else `default` (the person's)."""
    named = args.get("desk_id")
    if isinstance(named, int):
        return named
    for name, model in (("gathering_id", Gathering), ("registration_id", Registration)):
        value = args.get(name)
        if isinstance(value, int):
            found = await session.scalar(select(model.desk_id).where(model.id == value))
            if found is not None:
                return int(found)
    reminder_id = args.get("reminder_id")
    if isinstance(reminder_id, int):
        reminder = await session.get(Reminder, reminder_id)
        subject: type[Gathering] | type[Survey] | None = None
        if reminder is not None:
            subject = Gathering if reminder.subject_kind == "gathering" else Survey
        if reminder is not None and subject is not None:
            found = await session.scalar(
                select(subject.desk_id).where(subject.id == reminder.subject_id)
            )
            if found is not None:
                return int(found)
    return default


def number_key(secret: str, number: str) -> str:
    """A number as kept for counting: a keyed hash (no number in a table)."""
    return hmac.new(secret.encode(), f"sms:{number}".encode(), hashlib.sha256).hexdigest()


async def lock_for_sms(session: AsyncSession, desk_id: int, key: str) -> None:
    """One SMS of a desk decided at a time (PostgreSQL: until the transaction
    ends; SQLite has one writer at a time anyway), so the number's daily cap
    and the desk's budget hold however many processes send. Only the decision
    is serialised: the send itself happens after the transaction."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        desk_key = int(hashlib.sha256(f"sms-desk:{desk_id}".encode()).hexdigest()[:15], 16)
        # The desk first, then the number (one order everywhere: no deadlock):
        # the number's cap holds across desks too.
        for lock in (desk_key, int(key[:15], 16)):
            await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})


async def of_row(session: AsyncSession, outbox_id: int) -> SmsSent | None:
    """The SMS of this outbox row: sent already (a crash between the gateway's
    answer and the row's mark: not again), or reserved by a try that did not
    finish."""
    found: SmsSent | None = await session.scalar(
        select(SmsSent).where(SmsSent.outbox_id == outbox_id)
    )
    return found


async def reserve(
    session: AsyncSession,
    found: SmsSent | None,
    *,
    outbox_id: int,
    desk_id: int,
    key: str,
    segments: int,
    now: datetime,
    reply: bool = False,
) -> SmsSent:
    """Hold the row's place in the number's day and the desk's month before it
    goes (counted by the caps of SMS decided after it)."""
    if found is None:
        found = SmsSent(outbox_id=outbox_id, number_key=key, desk_id=desk_id, reply=reply)
        session.add(found)
    found.segments, found.state, found.sent_at, found.updated_at = (
        segments,
        SmsState.RESERVED,
        now,
        now,
    )
    await session.flush()
    return found


async def release(session: AsyncSession, sms_id: int) -> None:
    """The gateway did not take it: its place in the caps goes."""
    await session.execute(
        delete(SmsSent).where(SmsSent.id == sms_id, SmsSent.state == SmsState.RESERVED)
    )


async def sent_since(
    session: AsyncSession, key: str, since: datetime, *, besides: int | None = None
) -> int:
    """SMS to the number since `since` (those sent and those on their way),
    but the row's own, and not the answers to what the number wrote."""
    stmt = select(func.count(SmsSent.id)).where(
        SmsSent.number_key == key, SmsSent.sent_at >= since, SmsSent.reply.is_(False)
    )
    if besides is not None:
        stmt = stmt.where(SmsSent.outbox_id.is_distinct_from(besides))
    return int(await session.scalar(stmt) or 0)


async def segments_since(
    session: AsyncSession, desk_id: int, since: datetime, *, besides: int | None = None
) -> int:
    stmt = select(func.coalesce(func.sum(SmsSent.segments), 0)).where(
        SmsSent.desk_id == desk_id, SmsSent.sent_at >= since
    )
    if besides is not None:
        stmt = stmt.where(SmsSent.outbox_id.is_distinct_from(besides))
    return int(await session.scalar(stmt) or 0)


@dataclass(frozen=True)
class Budget:
    used: int
    budget: int

    @property
    def spent(self) -> bool:
        return self.used >= self.budget


async def budget_of(
    session: AsyncSession,
    desk_id: int,
    *,
    default: int,
    month_start: datetime,
    besides: int | None = None,
) -> Budget:
    own = await session.scalar(select(Desk.sms_budget).where(Desk.id == desk_id))
    used = await segments_since(session, desk_id, month_start, besides=besides)
    return Budget(used, own or default)


async def record_sent(
    session: AsyncSession,
    sms_id: int,
    *,
    desk_id: int,
    segments: int,
    gateway_id: str,
    budget: Budget | None,
    month: str,
    now: datetime,
) -> None:
    """The gateway took it; the desk's admins told (in its channel) when this
    one took the month past 80 % or to 100 % of its budget."""
    await session.execute(
        update(SmsSent)
        .where(SmsSent.id == sms_id)
        .values(
            state=SmsState.SUBMITTED, segments=segments, gateway_id=gateway_id[:100], updated_at=now
        )
    )
    if budget is None:
        return
    after = budget.used + segments
    crossed = [
        share
        for share in (WARN_AT, 100)
        if budget.used * 100 < share * budget.budget <= after * 100
    ]
    if not crossed:
        return
    channel = await session.scalar(select(Desk.channel_id).where(Desk.id == desk_id))
    if channel:
        await record(
            session,
            *(SmsBudgetWarned(channel, desk_id, month, share) for share in crossed),
            now=now,
        )


async def record_receipt(
    session: AsyncSession, gateway_id: str, state: str, reason: str | None, *, now: datetime
) -> bool:
    """A delivery receipt: the SMS's state, and a failed one's outbox row
    failed with the reason (the delivery report shows it). A receipt again
    changes nothing; one for no SMS of ours is ignored."""
    sent = await session.scalar(
        select(SmsSent).where(SmsSent.gateway_id == gateway_id[:100]).order_by(SmsSent.id)
    )
    if sent is None:
        return False
    if sent.state == state and sent.reason == reason:
        return True
    sent.state, sent.reason, sent.updated_at = state, (reason or None), now
    if state == SmsState.FAILED and sent.outbox_id is not None:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == sent.outbox_id)
            # The lease goes too: a sent-mark still on its way (it matches on
            # the lease) must not write the row back to sent.
            .values(
                state=OutboxState.FAILED,
                last_error=f"sms: {reason or 'failed'}"[:500],
                locked_by=None,
                locked_until=None,
            )
        )
    return True


async def shorten(session: AsyncSession, target: str, *, expires_at: datetime) -> str:
    code = "".join(secrets.choice(_LINK_LETTERS) for _ in range(LINK_LENGTH))
    session.add(ShortLink(code=code, target=target, expires_at=expires_at))
    return code


async def target_of(session: AsyncSession, code: str, *, now: datetime) -> str | None:
    link = await session.get(ShortLink, code)
    if link is None or link.expires_at <= now:
        return None
    return link.target


@dataclass(frozen=True)
class Number:
    """Who a number is: its participants (in the pool) and contacts."""

    participants: list[Participant]
    contacts: list[Contact]

    @property
    def locale(self) -> str:
        if self.participants:
            return self.participants[0].locale
        return self.contacts[0].locale if self.contacts else "nb"

    @property
    def desk_id(self) -> int:
        """The desk that answers: a participant's (a contact is the first desk's)."""
        return self.participants[0].desk_id if self.participants else 1

    @property
    def known(self) -> bool:
        return bool(self.participants or self.contacts)


async def number(session: AsyncSession, phone: str) -> Number:
    participants = list(
        await session.scalars(
            select(Participant).where(
                Participant.phone == phone, Participant.status != ParticipantStatus.LEFT
            )
        )
    )
    contacts = list(
        await session.scalars(select(Contact).where(Contact.phone == phone, Contact.active))
    )
    return Number(participants, contacts)


async def stop(session: AsyncSession, who: Number, key: str, *, now: datetime) -> int:
    """STOPP: no more SMS to this number, to whoever has it now or later."""
    found = await session.get(SmsNumber, key)
    if found is None:
        session.add(SmsNumber(number_key=key, stopped_at=now))
    else:
        found.stopped_at = now
    for participant in who.participants:
        participant.sms_off = True
        participant.updated_at = now
    for contact in who.contacts:
        contact.sms_off = True
        contact.updated_at = now
    return len(who.participants) + len(who.contacts)


async def stopped(session: AsyncSession, key: str) -> bool:
    found = await session.get(SmsNumber, key)
    return found is not None and found.stopped_at is not None


async def start_again(session: AsyncSession, key: str) -> None:
    """SMS on again for this number (its person's page)."""
    found = await session.get(SmsNumber, key)
    if found is not None:
        found.stopped_at = None


async def invitation_by_code(session: AsyncSession, who: Number, code: str) -> Invitation | None:
    """The open invitation of one of this number's participants with `code`."""
    ids = [p.id for p in who.participants]
    if not ids:
        return None
    return await session.scalar(
        select(Invitation)
        .where(
            Invitation.participant_id.in_(ids),
            Invitation.sms_code == code,
            Invitation.status.in_([InvitationStatus.INVITED.value]),
        )
        .order_by(Invitation.id.desc())
        .limit(1)
    )


async def first_not_understood_today(
    session: AsyncSession, key: str, *, since: datetime, now: datetime
) -> bool:
    """Whether to say "not understood" to this number now: once a day."""
    found = await session.get(SmsNumber, key)
    if found is not None and found.not_understood_at is not None:
        if found.not_understood_at >= since:
            return False
        found.not_understood_at = now
        return True
    session.add(SmsNumber(number_key=key, not_understood_at=now))
    return True


# Answers to one number a day, at most: someone who writes a hundred times
# (or a forged gateway) does not make us send a hundred SMS.
REPLIES_PER_DAY = 10


async def reply(
    session: AsyncSession,
    phone: str,
    key: str,
    locale: str,
    *,
    now: datetime,
    desk_id: int = 1,
    **params: str,
) -> None:
    """An answer to the number, by SMS (worded in `locale` when it goes), from
    `desk_id` (its name, its budget)."""
    event = SmsReply(phone, key, locale, tuple(params.items()), now, desk_id)
    await record(session, event, now=now)


async def replies_since(session: AsyncSession, key: str, since: datetime) -> int:
    return int(
        await session.scalar(
            select(func.count(SmsSent.id)).where(
                SmsSent.number_key == key, SmsSent.sent_at >= since, SmsSent.reply.is_(True)
            )
        )
        or 0
    )


async def take_reply(
    session: AsyncSession,
    phone: str,
    words: str,
    *,
    secret: str,
    now: datetime,
    day_start: datetime,
) -> str:
    """What a number's SMS does, in the caller's transaction; what it said
    (for a log line: never the text). Each is answered by SMS, at most
    `REPLIES_PER_DAY` a day: an identity number (not acted on, nothing kept,
    and why), STOPP, HJELP, a yes or no with an invitation's code (answered as
    its page would), and, once a day, anything else."""
    from storage import invitations
    from storage.domain.refusal import Refused
    from storage.domain.sms import Said, read_reply

    reply_to = read_reply(words)
    who = await number(session, phone)
    locale, desk_id = who.locale, who.desk_id
    key = number_key(secret, phone)
    may_answer = await replies_since(session, key, day_start) < REPLIES_PER_DAY

    async def answer(what: str, **params: str) -> None:
        if may_answer:
            await reply(session, phone, what, locale, now=now, desk_id=desk_id, **params)

    if reply_to.said is Said.IDENTITY:
        await answer("sms.reply.identity")
        return reply_to.said
    if not who.known or reply_to.said is Said.UNKNOWN:
        if await first_not_understood_today(session, key, since=day_start, now=now):
            await answer("sms.reply.not_understood" if who.known else "sms.reply.unknown_number")
        return reply_to.said if who.known else "unknown_number"
    if reply_to.said is Said.STOP:
        await stop(session, who, key, now=now)
        await answer("sms.reply.stopped")
        return reply_to.said
    if reply_to.said is Said.HELP:
        await answer("sms.reply.help")
        return reply_to.said
    assert reply_to.code is not None
    invitation = await invitation_by_code(session, who, reply_to.code)
    if invitation is None:
        await answer("sms.reply.no_such_code", code=reply_to.code)
        return "no_such_code"
    try:
        async with session.begin_nested():
            answered = await invitations.answer_invitation(
                session,
                invitations.Answerer(participant_id=invitation.participant_id),
                invitation.id,
                accept=reply_to.said is Said.YES,
                via="sms",
                now=now,
            )
    except Refused as refused:
        await answer(refused.key, **_text_params(refused))
        return "refused"
    locale = answered.participant.locale
    await answer(f"sms.reply.{answered.notice}")
    return reply_to.said


def _text_params(refused: object) -> dict[str, str]:
    params = getattr(refused, "params", {}) or {}
    return {k: str(v) for k, v in params.items() if v is not None}


# What was sent is counted for the month's budget and the year's report.
KEPT_SENT = timedelta(days=400)


async def forget_old(session: AsyncSession, *, now: datetime) -> int:
    """Short links past their time (their targets are page links), and SMS
    records past a year and a month."""
    links = await session.execute(delete(ShortLink).where(ShortLink.expires_at <= now))
    sent = await session.execute(delete(SmsSent).where(SmsSent.sent_at < now - KEPT_SENT))
    return int(getattr(links, "rowcount", 0) or 0) + int(getattr(sent, "rowcount", 0) or 0)
