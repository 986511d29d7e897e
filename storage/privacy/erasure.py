"""Forgetting: a person's right to be forgotten (`forget`), and a
participant who leaves the pool (`withdraw`) or is erased from it (`erase`),
with their invitations and fee claims in the same transaction.

The one module above the pool, invitations and fee claims that reaches all
three: they import nothing of it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import fee_claims as claims
from storage import invitations, pool
from storage.db import rowcount
from storage.db.models import (
    AuditEntry,
    Contact,
    ConversationRef,
    Desk,
    DialogStateRow,
    Evaluation,
    FeeClaim,
    Invitation,
    OutboxMessage,
    Participant,
    ParticipantDesk,
    ReadEntry,
    Request,
)
from storage.domain.participants import ParticipantStatus
from storage.notifications import ABOUT_PARTICIPANT
from storage.outbox import posted_cards
from storage.outbox.conversations import PERSONAL, state_key
from storage.privacy import ANONYMOUS
from storage.reminders import forget_contact

PERSONAL_FIELDS = (
    "name",
    "email",
    "phone",
    "aad_object_id",
    "organisation",
    "municipality",
    "availability",
    "added_by",
)


async def _forget_messages(
    session: AsyncSession, participant: Participant, *, now: datetime
) -> None:
    """Their outbox rows (a row's key names them; a rendered message would too;
    a notice to an old address is about them), the channel's cards that show
    them, and their chat with the bot in Teams (its reference and dialog state
    name them), unless they are also a contact who gets reminders there."""
    await session.execute(
        delete(OutboxMessage).where(
            (OutboxMessage.target_key == pool.key_of(participant.id))
            | (OutboxMessage.target_key == f"sms:{participant.phone}")
            | (
                (OutboxMessage.subject_kind == ABOUT_PARTICIPANT)
                & (OutboxMessage.subject_id == participant.id)
            )
        )
    )
    await posted_cards.retract(session, now=now, participant_ids=[participant.id])
    aad = participant.aad_object_id
    if not aad:
        return
    refs = list(
        await session.scalars(
            select(ConversationRef).where(
                ConversationRef.kind == PERSONAL,
                (ConversationRef.key == aad) | (ConversationRef.aad_object_id == aad),
            )
        )
    )
    chats = {state_key(r) for r in refs}
    await session.execute(
        delete(DialogStateRow).where(
            DialogStateRow.person_key.in_({aad} | {r.key for r in refs})
            | DialogStateRow.key.in_(chats)
        )
    )
    contact = await session.scalar(
        select(Contact.id).where((Contact.key == aad) | (Contact.aad_object_id == aad)).limit(1)
    )
    if contact is None and refs:
        await session.execute(
            delete(ConversationRef).where(ConversationRef.id.in_([r.id for r in refs]))
        )


async def withdraw(
    session: AsyncSession, participant: Participant, *, now: datetime, payroll_email: str = ""
) -> list[int]:
    """They leave: personal fields erased, roles and dates kept for anonymous
    counts; open invitations withdrawn, and assignments not yet done left
    (their owners told, the request open for one more); a fee for work done
    is kept with its claim, with the name and contact payroll needs
    (storage/fee_claims.py `keep_payee`). Returns the requests to refresh."""
    if participant.status == ParticipantStatus.LEFT:
        return []
    # Only someone who consented withdraws (a pending person is erased).
    left = pool.next_status(participant, ParticipantStatus.LEFT)
    name, contact = pool.payee_of(participant)
    await claims.keep_payee(
        session, participant.id, name, contact, now=now, payroll_email=payroll_email
    )
    request_ids = await invitations.leave(session, participant.id, name, contact, now=now)
    await _forget_messages(session, participant, now=now)
    await _no_other_desks(session, participant)
    participant.status = left
    for field_name in PERSONAL_FIELDS:
        setattr(participant, field_name, None)
    participant.areas = []
    participant.languages = []
    participant.link_nonce = secrets.token_hex(8)
    participant.updated_at = now
    # Their words go; their ratings stay, for the anonymous averages.
    await session.execute(
        update(Evaluation).where(Evaluation.participant_id == participant.id).values(comment=None)
    )
    return request_ids


async def erase(
    session: AsyncSession, participant: Participant, *, now: datetime, payroll_email: str = ""
) -> list[int]:
    """Gone from every table (`forget`, a no to the consent, retention), but
    for a fee claim payroll has or is sent: a bookkeeping record, kept with
    the name and contact payroll needs and no link to the pool (no role, no
    area). Returns the requests whose cards named them."""
    request_ids = list(
        await session.scalars(
            select(Invitation.request_id).where(Invitation.participant_id == participant.id)
        )
    )
    name, contact = pool.payee_of(participant)
    if participant.status != ParticipantStatus.LEFT:
        await claims.keep_payee(
            session, participant.id, name, contact, now=now, payroll_email=payroll_email
        )
    await claims.detach(session, participant.id)
    await session.execute(delete(Evaluation).where(Evaluation.participant_id == participant.id))
    await session.execute(delete(Invitation).where(Invitation.participant_id == participant.id))
    await _forget_messages(session, participant, now=now)
    await _no_other_desks(session, participant)
    await session.delete(participant)
    await session.flush()
    return request_ids


async def _no_other_desks(session: AsyncSession, participant: Participant) -> None:
    """Their consents to other desks go with their first."""
    await session.execute(
        delete(ParticipantDesk).where(ParticipantDesk.participant_id == participant.id)
    )


def _mentions(value: Any, needles: set[str]) -> bool:
    text = json.dumps(value, ensure_ascii=False)
    return any(needle in text for needle in needles)


def _anonymised(value: Any, needles: set[str]) -> Any:
    if isinstance(value, str):
        return ANONYMOUS if value in needles else value
    if isinstance(value, dict):
        return {k: _anonymised(v, needles) for k, v in value.items()}
    if isinstance(value, list):
        return [_anonymised(v, needles) for v in value]
    return value


async def forget(
    session: AsyncSession, person: str, *, now: datetime | None = None, payroll_email: str = ""
) -> dict[str, int]:
    """Erase a person: their contact record, subscriptions, deliveries and
    answers, conversation references, dialog state and messages are deleted;
    their requests, their ownership and their audit rows are anonymised; other
    messages that name them lose the name. Matching is exact (no patterns)."""
    counts: dict[str, int] = {}
    refs = list(
        await session.scalars(
            select(ConversationRef).where(
                (ConversationRef.aad_object_id == person) | (ConversationRef.key == person)
            )
        )
    )
    keys = {person} | {r.key for r in refs}
    # A contact outside Teams is known by their e-mail address, or their phone.
    keys |= set(
        await session.scalars(
            select(Contact.key).where(
                (func.lower(Contact.email) == person.lower())
                | (Contact.aad_object_id == person)
                | (Contact.phone == person)
            )
        )
    )
    as_requester = list(
        await session.scalars(
            select(Request).where(
                Request.requester_aad_id.in_(keys) | Request.requester_user_id.in_(keys)
            )
        )
    )
    keys |= {r.requester_user_id for r in as_requester}
    contacts = list(await session.scalars(select(Contact).where(Contact.key.in_(keys))))
    names = {r.name for r in refs} | {c.name for c in contacts}
    names |= {r.requester_name for r in as_requester}
    names |= set(
        await session.scalars(select(Request.owner_name).where(Request.owner_aad_id.in_(keys)))
    )
    names |= set(
        await session.scalars(
            select(AuditEntry.actor_name).where(AuditEntry.actor_aad_id.in_(keys))
        )
    )
    known: set[str] = {n for n in names if n and n != ANONYMOUS}
    for key in keys:
        await forget_contact(session, key)
    counts["contacts"] = len(contacts)

    state_keys = {state_key(r) for r in refs}
    state = await session.execute(
        delete(DialogStateRow).where(
            DialogStateRow.person_key.in_(keys) | DialogStateRow.key.in_(state_keys)
        )
    )
    counts["dialog_state"] = rowcount(state)
    counts["conversation_refs"] = len(refs)
    await session.execute(
        delete(ConversationRef).where(ConversationRef.id.in_([r.id for r in refs]))
    )

    # Answers to SMS their numbers sent (`sms:<number>`) go with them too.
    phones = {c.phone for c in contacts if c.phone}
    theirs = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.target_kind == PERSONAL,
            OutboxMessage.target_key.in_(keys | {f"sms:{p}" for p in phones}),
        )
    )
    counts["outbox"] = rowcount(theirs)
    needles = keys | known
    for row in await session.scalars(select(OutboxMessage)):
        if _mentions(row.payload, needles):
            row.payload = _anonymised(row.payload, needles)
            counts["outbox"] += 1

    if as_requester:
        await session.execute(
            update(Request)
            .where(Request.id.in_([r.id for r in as_requester]))
            .values(
                requester_name=None,
                requester_email=None,
                requester_aad_id=None,
                requester_user_id=ANONYMOUS,
            )
        )
    counts["requests"] = len(as_requester)
    await session.execute(
        update(Request)
        .where(Request.owner_aad_id.in_(keys))
        .values(owner_aad_id=None, owner_name=ANONYMOUS)
    )
    audited = await session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor_aad_id.in_(keys))
        .values(actor_aad_id=None, actor_name=ANONYMOUS)
    )
    counts["audit_rows"] = rowcount(audited)
    # "assigned to <id>" in the audit rows of whoever assigned them.
    await session.execute(
        update(AuditEntry)
        .where(AuditEntry.comment.in_([f"assigned to {key}" for key in keys]))
        .values(comment=f"assigned to {ANONYMOUS}")
    )
    await session.execute(
        update(Desk).where(Desk.registered_by.in_(keys)).values(registered_by=None)
    )
    # As staff: who invited a participant, added one, filed a claim, evaluated.
    await session.execute(
        update(Invitation)
        .where(Invitation.invited_by.in_(keys))
        .values(invited_by=None, invited_by_name=ANONYMOUS)
    )
    await session.execute(
        update(Participant).where(Participant.added_by.in_(keys)).values(added_by=None)
    )
    theirs_as_requester = [r.id for r in as_requester]
    if theirs_as_requester:
        await session.execute(
            update(FeeClaim)
            .where(FeeClaim.request_id.in_(theirs_as_requester))
            .values(filed_by_name=ANONYMOUS)
        )
        await session.execute(
            update(Evaluation)
            .where(
                Evaluation.request_id.in_(theirs_as_requester),
                Evaluation.participant_id.is_(None),
            )
            .values(impact=None)
        )
    await session.execute(
        update(ReadEntry).where(ReadEntry.reader.in_(keys)).values(reader=ANONYMOUS)
    )
    counts["participants"] = await _forget_participants(
        session, person, now=now or datetime.now(UTC), payroll_email=payroll_email
    )
    return counts


async def identifiers(session: AsyncSession, person: str) -> set[str]:
    """What finds the person `forget` is given (an AAD object id or an e-mail
    address) outside the database, in mail written to a folder: their
    addresses and numbers as medvirk knows them (a name would find others)."""
    lowered = person.lower()
    found: set[str | None] = {person}
    for contact in await session.scalars(
        select(Contact).where(
            (func.lower(Contact.email) == lowered)
            | (Contact.aad_object_id == person)
            | (Contact.key == person)
            | (Contact.phone == person)
        )
    ):
        found |= {contact.email, contact.phone}
    for request in await session.scalars(
        select(Request).where(
            (Request.requester_aad_id == person)
            | (Request.requester_user_id == person)
            | (func.lower(Request.requester_email) == lowered)
        )
    ):
        found |= {request.requester_email}
    for participant in await session.scalars(
        select(Participant).where(
            (Participant.aad_object_id == person) | (func.lower(Participant.email) == lowered)
        )
    ):
        found |= {participant.email, participant.phone}
    return {value for value in found if value and value != ANONYMOUS}


async def _forget_participants(
    session: AsyncSession, person: str, *, now: datetime, payroll_email: str
) -> int:
    """A participant with this account or address: erased, and the cards that
    named them recounted."""
    found = list(
        await session.scalars(
            select(Participant).where(
                (Participant.aad_object_id == person)
                | (func.lower(Participant.email) == person.lower())
            )
        )
    )
    touched: list[int] = []
    for participant in found:
        touched += await erase(session, participant, now=now, payroll_email=payroll_email)
    await invitations.refresh_requests(session, touched, now=now)
    return len(found)


@dataclass(frozen=True)
class RetentionResult:
    erased_pending: int
    asked: int
    erased_silent: int
    # Requests whose cards named someone erased.
    requests: tuple[int, ...]
    # The e-mail addresses and numbers of those erased (their mail goes too).
    addresses: tuple[str, ...] = ()


async def retention(
    session: AsyncSession, *, now: datetime, inactive_for: timedelta, payroll_email: str = ""
) -> RetentionResult:
    """Never consented in `PENDING_DAYS`: erased. Inactive for `inactive_for`:
    asked whether to stay; asked `STAY_ANSWER_DAYS` ago without an answer: erased."""
    touched: list[int] = []
    pending = await pool.never_consented(session, now=now)
    addresses = [a for p in pending for a in (p.email, p.phone) if a]
    for participant in pending:
        touched += await erase(session, participant, now=now, payroll_email=payroll_email)
    silent = [
        p
        for p in await pool.inactive_since(session, before=now - inactive_for, asked=True)
        if p.retention_asked_at is not None
        and p.retention_asked_at < now - timedelta(days=pool.STAY_ANSWER_DAYS)
    ]
    addresses += [a for p in silent for a in (p.email, p.phone) if a]
    for participant in silent:
        touched += await erase(session, participant, now=now, payroll_email=payroll_email)
    to_ask = await pool.inactive_since(session, before=now - inactive_for, asked=False)
    for participant in to_ask:
        await pool.ask_to_stay(session, participant, now=now)
    return RetentionResult(
        len(pending), len(to_ask), len(silent), tuple(sorted(set(touched))), tuple(addresses)
    )
