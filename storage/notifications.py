"""What a use case tells people: typed events, and the outbox rows each one is.

A use case records what happened (`record(session, now, CardChanged.of(request),
RequesterTold(...))`) in its own transaction; this module alone turns events
into outbox rows (recipient, kind, payload, due time, dedupe key) and inserts
them. The rows are the ones the sender has always read: kinds and payload keys
do not change with the events.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.db import OUTBOX_WRITTEN
from storage.db.models import DEFAULT_DESK_ID, OutboxMessage, Request
from storage.domain.outbox import OutboxState
from storage.outbox import Operation, Render, TargetKind, address_key

Row = dict[str, Any]

# The outbox's `subject_kind` of a message about a participant sent to another
# key (their old address): erasing them deletes it while it waits.
ABOUT_PARTICIPANT = "participant"


@dataclass(frozen=True)
class CardChanged:
    """The request's card in the channel shows its state again (edited in
    place; nothing before it is posted: the post renders the state at send time)."""

    request_id: int
    conversation_id: str | None
    activity_id: str | None

    @classmethod
    def of(cls, request: Request) -> CardChanged:
        return cls(request.id, request.channel_conversation_id, request.channel_activity_id)


@dataclass(frozen=True)
class CardMoved:
    """The request's card in the desk it left says where it went (edited in place)."""

    request_id: int
    conversation_id: str
    activity_id: str
    to_desk_id: int

    @classmethod
    def of(cls, request: Request, to_desk_id: int) -> CardMoved | None:
        if not (request.channel_conversation_id and request.channel_activity_id):
            return None
        return cls(
            request.id, request.channel_conversation_id, request.channel_activity_id, to_desk_id
        )


@dataclass(frozen=True)
class CardPosted:
    """The request's card posted in the channel (a post of it that failed
    before is tried again)."""

    request_id: int
    channel_id: str

    @property
    def dedupe_key(self) -> str:
        return f"card:{self.request_id}:{self.channel_id}"


@dataclass(frozen=True)
class RequesterTold:
    """The requester hears of a move on their request (`event`: notice.<event>)."""

    request_id: int
    requester: str
    event: str
    actor: str | None = None

    @classmethod
    def of(cls, request: Request, event: str, actor: str | None) -> RequesterTold:
        requester = request.requester_aad_id or request.requester_user_id
        return cls(request.id, requester, event, actor)


@dataclass(frozen=True)
class UnitTold:
    """A unit's contact hears that a request from their unit was submitted or
    matched (`event`); `contact` is their key (storage.units.contact_key)."""

    contact: str
    request_id: int
    event: str
    at: datetime


@dataclass(frozen=True)
class DigestDue:
    """A desk's weekly digest in its channel, once a week however many processes run."""

    desk_id: int
    channel_id: str
    week: str  # 2025-W07


@dataclass(frozen=True)
class OwnerTold:
    """The request's owner hears of an invitation's answer, expiry or a
    participant leaving (`event`: the invitation's status); nobody without an owner."""

    owner: str | None
    request_id: int
    invitation_id: int
    event: str

    @classmethod
    def of(cls, request: Request, invitation_id: int, event: str) -> OwnerTold:
        return cls(request.owner_aad_id, request.id, invitation_id, event)


@dataclass(frozen=True)
class _ToParticipant:
    participant: str  # their person key (participants.key_of)
    invitation_id: int
    render = ""


@dataclass(frozen=True)
class InvitationSent(_ToParticipant):
    render = Render.INVITATION


@dataclass(frozen=True)
class InvitationWithdrawn(_ToParticipant):
    render = Render.INVITATION_WITHDRAWN


@dataclass(frozen=True)
class DocumentsAsked(_ToParticipant):
    """The agreement and the confidentiality declaration to sign."""

    render = Render.DOCUMENTS_REQUEST


@dataclass(frozen=True)
class RequestMatched:
    """The requester is sent who said yes."""

    request_id: int
    requester: str
    at: datetime


@dataclass(frozen=True)
class CardRemoved:
    """A posted message that showed participants is edited into the neutral card."""

    conversation_id: str
    activity_id: str


@dataclass(frozen=True)
class EscalationDue:
    """An overdue request named in the channel (under its card where it has
    one), once a day."""

    channel_id: str
    thread: str | None
    request_id: int
    reason: str
    day: str  # 2025-02-14


@dataclass(frozen=True)
class EvaluationAsked:
    """A respondent (the requester's key or the participant's person key) is
    asked for their evaluation (`reminder`: 0 the first time, then the n-th
    reminder)."""

    respondent: str
    evaluation_id: int
    reminder: int = 0


@dataclass(frozen=True)
class ImpactShared:
    """A participant hears what the requester says their input changed."""

    participant: str  # their person key
    request_id: int
    participant_id: int


@dataclass(frozen=True)
class FeeClaimAsked:
    """The requester is asked to file one accepted participant's fee claim."""

    requester: str
    request_id: int
    participant_id: int


@dataclass(frozen=True)
class FeeClaimFiled:
    """The participant is asked to confirm the figures of a claim's revision."""

    participant: str  # their person key
    claim_id: int
    revision: int


@dataclass(frozen=True)
class FeeClaimToPayroll:
    """A confirmed claim's PDF, by e-mail to payroll's address."""

    address: str
    claim_id: int


@dataclass(frozen=True)
class GatheringCancelled:
    """A contact already reminded of a gathering hears it is cancelled."""

    contact: str  # the contact's key
    gathering_id: int
    contact_id: int


@dataclass(frozen=True)
class ReminderDue:
    """A planned reminder falls due: each of its contacts (id, key) is sent
    it, not before `at`."""

    reminder_id: int
    at: datetime
    contacts: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class _AboutParticipant:
    participant: str  # their person key
    participant_id: int


@dataclass(frozen=True)
class ConsentAsked(_AboutParticipant):
    """The consent request (a new one per set of links: `nonce`)."""

    nonce: str


@dataclass(frozen=True)
class OwnDataLinkAsked(_AboutParticipant):
    """The link to the page with their data (one per `window` of time)."""

    nonce: str
    window: int


@dataclass(frozen=True)
class StayAsked(_AboutParticipant):
    """The question whether to stay after a long time without activity."""

    day: str  # 2025-02-14


@dataclass(frozen=True)
class ContactChanged:
    """The notice that a participant's contact details changed, to `recipient`
    (their old address's key when that changed, else their person key)."""

    recipient: str
    participant_id: int
    locale: str | None
    nonce: str


@dataclass(frozen=True)
class RequesterAsked:
    """The request's owner asks its requester a question (in Teams, or by
    e-mail to a commissioner outside the hospital, who answers by replying)."""

    request_id: int
    requester: str
    question: str
    owner: str | None
    owner_email: str | None
    at: datetime


@dataclass(frozen=True)
class SeatOffered:
    """A seat came free at a gathering: offered to the first waiting (`contact`,
    their key) until their offer ends."""

    contact: str
    registration_id: int
    at: datetime


@dataclass(frozen=True)
class ProgrammeSent:
    """A gathering's programme to one who holds a seat (`contact`, their key)."""

    contact: str
    gathering_id: int
    contact_id: int


@dataclass(frozen=True)
class GatheringLinkAsked:
    """Someone registering through a gathering's open link confirms their
    address: their own registration page's link, by e-mail (`contact`, their key)."""

    contact: str
    gathering_id: int
    contact_id: int
    at: datetime


@dataclass(frozen=True)
class GatheringEvaluationAsked:
    """One who came to a gathering is asked how the day was (`contact`, their key)."""

    contact: str
    registration_id: int


@dataclass(frozen=True)
class SmsBudgetWarned:
    """A desk's SMS this month reached `share` (80 or 100) % of its budget:
    said in its channel, once a month for each."""

    channel_id: str
    desk_id: int
    month: str  # 2027-03
    share: int


@dataclass(frozen=True)
class SmsReply:
    """An answer to an SMS a number sent us (`number`: E.164): the catalog key
    and its values, worded when it goes."""

    number: str
    key: str
    locale: str
    params: tuple[tuple[str, str], ...]
    at: datetime
    # The desk that answers (its name in the text, its SMS budget).
    desk_id: int = 1


@dataclass(frozen=True)
class OrderLinkAsked:
    """An address on the web order form asked for its link (`purpose`: the
    form, or the list of its requests), at `desk_id`, in `locale`. The link is
    made when it is sent and lasts an hour from `at`."""

    address: str
    desk_id: int
    locale: str
    purpose: str
    at: datetime


@dataclass(frozen=True)
class OrderReceived:
    """A commissioner's receipt of the request they ordered on the web."""

    address: str
    request_id: int


Event = (
    CardChanged
    | CardMoved
    | CardPosted
    | CardRemoved
    | RequesterTold
    | UnitTold
    | DigestDue
    | EscalationDue
    | OwnerTold
    | InvitationSent
    | InvitationWithdrawn
    | DocumentsAsked
    | RequestMatched
    | EvaluationAsked
    | ImpactShared
    | FeeClaimAsked
    | FeeClaimFiled
    | FeeClaimToPayroll
    | GatheringCancelled
    | ReminderDue
    | ConsentAsked
    | OwnDataLinkAsked
    | StayAsked
    | ContactChanged
    | OrderLinkAsked
    | OrderReceived
    | RequesterAsked
    | SeatOffered
    | ProgrammeSent
    | GatheringLinkAsked
    | GatheringEvaluationAsked
    | SmsBudgetWarned
    | SmsReply
)


def _personal(key: str, render: Render, args: dict[str, Any], dedupe_key: str) -> Row:
    return {
        "target_kind": TargetKind.PERSONAL,
        "target_key": key,
        "payload": {"render": render, "args": args},
        "dedupe_key": dedupe_key,
    }


def rows_of(event: Event) -> list[Row]:
    """The outbox rows of one event (none: nobody to tell)."""
    match event:
        case CardChanged(request_id, conversation_id, activity_id):
            if not activity_id:
                return []
            return [
                {
                    "operation": Operation.UPDATE,
                    "target_kind": TargetKind.CHANNEL_THREAD,
                    "target_key": conversation_id or "priority",
                    "target_activity_id": activity_id,
                    # The post it edits: once the request is posted elsewhere
                    # (moved to another desk), that post is left as it is.
                    "payload": {
                        "render": Render.REQUEST_CARD,
                        "args": {"request_id": request_id, "thread": conversation_id},
                    },
                }
            ]
        case CardPosted(request_id, channel_id):
            return [
                {
                    "target_kind": TargetKind.CHANNEL,
                    "target_key": channel_id,
                    "payload": {"render": Render.REQUEST_CARD, "args": {"request_id": request_id}},
                    "subject_kind": Render.REQUEST_CARD,
                    "subject_id": request_id,
                    "dedupe_key": event.dedupe_key,
                }
            ]
        case RequesterTold(request_id, requester, name, actor):
            return [
                {
                    "target_kind": TargetKind.PERSONAL,
                    "target_key": requester,
                    "payload": {
                        "render": Render.REQUEST_NOTICE,
                        "args": {"request_id": request_id, "event": name, "actor": actor},
                    },
                }
            ]
        case UnitTold(contact, request_id, name, at):
            args = {"request_id": request_id, "event": name}
            key = f"unit:{request_id}:{name}:{at.isoformat()}"
            return [_personal(contact, Render.UNIT_NOTICE, args, key)]
        case OwnerTold(owner, request_id, invitation_id, name):
            if not owner:
                return []
            args = {"request_id": request_id, "invitation_id": invitation_id, "event": name}
            return [
                {
                    "target_kind": TargetKind.PERSONAL,
                    "target_key": owner,
                    "payload": {"render": Render.INVITATION_NOTICE, "args": args},
                }
            ]
        case InvitationSent() | InvitationWithdrawn() | DocumentsAsked():
            return [
                {
                    "target_kind": TargetKind.PERSONAL,
                    "target_key": event.participant,
                    "payload": {
                        "render": event.render,
                        "args": {"invitation_id": event.invitation_id},
                    },
                    "dedupe_key": f"{event.render}:{event.invitation_id}",
                }
            ]
        case RequestMatched(request_id, requester, at):
            return [
                {
                    "target_kind": TargetKind.PERSONAL,
                    "target_key": requester,
                    "payload": {"render": Render.MATCHED, "args": {"request_id": request_id}},
                    "dedupe_key": f"matched:{request_id}:{at.isoformat()}",
                }
            ]
        case DigestDue(desk_id, channel_id, week):
            return [
                {
                    "target_kind": TargetKind.CHANNEL,
                    "target_key": channel_id,
                    "payload": {"render": Render.DIGEST, "args": {"desk_id": desk_id}},
                    # The default desk keeps the key it had before desks.
                    "dedupe_key": f"digest:{week}"
                    if desk_id == DEFAULT_DESK_ID
                    else f"digest:{desk_id}:{week}",
                }
            ]
        case CardMoved(request_id, conversation_id, activity_id, to_desk_id):
            return [
                {
                    "operation": Operation.UPDATE,
                    "target_kind": TargetKind.CHANNEL_THREAD,
                    "target_key": conversation_id,
                    "target_activity_id": activity_id,
                    "payload": {
                        "render": Render.REQUEST_MOVED,
                        "args": {"request_id": request_id, "desk_id": to_desk_id},
                    },
                }
            ]
        case CardRemoved(conversation_id, activity_id):
            return [
                {
                    "operation": Operation.UPDATE,
                    "target_kind": TargetKind.CHANNEL_THREAD,
                    "target_key": conversation_id,
                    "target_activity_id": activity_id,
                    "payload": {"render": Render.CARD_REMOVED, "args": {}},
                }
            ]
        case EscalationDue(channel_id, thread, request_id, reason, day):
            return [
                {
                    "target_kind": TargetKind.CHANNEL_THREAD if thread else TargetKind.CHANNEL,
                    "target_key": thread or channel_id,
                    "payload": {
                        "render": Render.ESCALATION,
                        "args": {"request_id": request_id, "reason": reason},
                    },
                    "dedupe_key": f"escalation:{request_id}:{day}",
                }
            ]
        case EvaluationAsked(respondent, evaluation_id, reminder):
            args = {"evaluation_id": evaluation_id, "reminder": reminder}
            key = f"evaluation:{evaluation_id}:{reminder}"
            return [_personal(respondent, Render.EVALUATION, args, key)]
        case ImpactShared(participant, request_id, participant_id):
            args = {"request_id": request_id, "participant_id": participant_id}
            key = f"impact:{request_id}:{participant_id}"
            return [_personal(participant, Render.IMPACT, args, key)]
        case FeeClaimAsked(requester, request_id, participant_id):
            args = {"request_id": request_id, "participant_id": participant_id}
            key = f"claim_form:{request_id}:{participant_id}"
            return [_personal(requester, Render.CLAIM_FORM, args, key)]
        case FeeClaimFiled(participant, claim_id, revision):
            args = {"claim_id": claim_id, "revision": revision}
            key = f"claim_confirm:{claim_id}:{revision}"
            return [_personal(participant, Render.CLAIM_CONFIRM, args, key)]
        case OrderLinkAsked(address, desk_id, locale, purpose, at):
            args = {"desk_id": desk_id, "locale": locale, "purpose": purpose, "at": at.isoformat()}
            key = f"order_link:{purpose}:{desk_id}:{address}:{at.isoformat()}"
            return [_personal(address_key(address), Render.ORDER_LINK, args, key)]
        case RequesterAsked(request_id, requester, question, owner, owner_email, at):
            args = {
                "request_id": request_id,
                "question": question,
                "owner": owner,
                "owner_email": owner_email,
            }
            key = f"question:{request_id}:{at.isoformat()}"
            return [_personal(requester, Render.REQUEST_QUESTION, args, key)]
        case ProgrammeSent(contact, gathering_id, contact_id):
            args = {"gathering_id": gathering_id, "contact_id": contact_id}
            key = f"programme:{gathering_id}:{contact_id}"
            return [_personal(contact, Render.PROGRAMME, args, key)]
        case SmsBudgetWarned(channel_id, desk_id, month, share):
            return [
                {
                    "target_kind": TargetKind.CHANNEL,
                    "target_key": channel_id,
                    "payload": {
                        "render": Render.SMS_BUDGET,
                        "args": {"desk_id": desk_id, "month": month, "share": share},
                    },
                    "dedupe_key": f"sms_budget:{desk_id}:{month}:{share}",
                }
            ]
        case SmsReply(number, key, locale, params, at, desk_id):
            args = {"key": key, "locale": locale, "params": dict(params), "desk_id": desk_id}
            # One row per reply made (two replies in one instant are two).
            dedupe = f"sms_reply:{at.isoformat()}:{uuid.uuid4().hex}"
            return [_personal(f"sms:{number}", Render.SMS_REPLY, args, dedupe)]
        case GatheringLinkAsked(contact, gathering_id, contact_id, at):
            args = {"gathering_id": gathering_id, "contact_id": contact_id}
            key = f"gathering_link:{gathering_id}:{contact_id}:{at.isoformat()}"
            return [_personal(contact, Render.GATHERING_LINK, args, key)]
        case GatheringEvaluationAsked(contact, registration_id):
            args = {"registration_id": registration_id}
            key = f"gathering_evaluation:{registration_id}"
            return [_personal(contact, Render.GATHERING_EVALUATION, args, key)]
        case SeatOffered(contact, registration_id, at):
            args = {"registration_id": registration_id}
            key = f"seat:{registration_id}:{at.isoformat()}"
            return [_personal(contact, Render.SEAT_OFFER, args, key)]
        case OrderReceived(address, request_id):
            args = {"request_id": request_id}
            key = f"order_receipt:{request_id}"
            return [_personal(address_key(address), Render.ORDER_RECEIPT, args, key)]
        case FeeClaimToPayroll(address, claim_id):
            args = {"claim_id": claim_id}
            key = f"claim_payroll:{claim_id}"
            return [_personal(address_key(address), Render.CLAIM_PAYROLL, args, key)]
        case GatheringCancelled(contact, gathering_id, contact_id):
            args = {"gathering_id": gathering_id}
            key = f"cancel:{gathering_id}:{contact_id}"
            return [_personal(contact, Render.GATHERING_CANCELLED, args, key)]
        case ReminderDue(reminder_id, at, contacts):
            return [
                {
                    "target_kind": TargetKind.PERSONAL,
                    "target_key": key,
                    "payload": {
                        "render": Render.REMINDER,
                        "args": {"reminder_id": reminder_id, "contact_id": contact_id},
                    },
                    "dedupe_key": f"rem:{reminder_id}:{contact_id}",
                    "next_attempt_at": at,
                }
                for contact_id, key in contacts
            ]
        case ConsentAsked(participant, participant_id, nonce):
            args = {"participant_id": participant_id}
            key = f"consent:{participant_id}:{nonce}"
            return [_personal(participant, Render.CONSENT_REQUEST, args, key)]
        case OwnDataLinkAsked(participant, participant_id, nonce, window):
            args = {"participant_id": participant_id}
            key = f"own-data:{participant_id}:{nonce}:{window}"
            return [_personal(participant, Render.OWN_DATA_LINK, args, key)]
        case StayAsked(participant, participant_id, day):
            args = {"participant_id": participant_id}
            key = f"stay:{participant_id}:{day}"
            return [_personal(participant, Render.STAY_QUESTION, args, key)]
        case ContactChanged(recipient, participant_id, locale, nonce):
            args = {"participant_id": participant_id, "locale": locale}
            key = f"contact-changed:{participant_id}:{nonce}"
            return [
                {
                    **_personal(recipient, Render.CONTACT_CHANGED, args, key),
                    "subject_kind": ABOUT_PARTICIPANT,
                    "subject_id": participant_id,
                }
            ]


async def record(session: AsyncSession, *events: Event, now: datetime) -> None:
    """The events' outbox rows, in the caller's transaction and one statement;
    a repeated dedupe key is ignored."""
    rows = [row for event in events for row in rows_of(event)]
    for event in events:
        if isinstance(event, CardPosted):
            await outbox.requeue(session, now=now, dedupe_key=event.dedupe_key)
    if rows:
        await _insert(session, now=now, rows=rows)


_TABLE = cast(Table, OutboxMessage.__table__)
# Built once per dialect (building an INSERT is a good share of a small move's
# CPU). A repeated dedupe key is ignored; rows without one never conflict.
_INSERTS = {
    "postgresql": pg_insert(_TABLE).on_conflict_do_nothing(index_elements=["dedupe_key"]),
    "sqlite": sqlite_insert(_TABLE).on_conflict_do_nothing(index_elements=["dedupe_key"]),
}


async def _insert(
    session: AsyncSession, *, now: datetime, rows: list[Row], chunk: int = 1000
) -> None:
    """The rows, a thousand to a statement (a reminder round is many)."""
    defaults = dict(
        operation=Operation.SEND.value,
        target_activity_id=None,
        subject_kind=None,
        subject_id=None,
        dedupe_key=None,
        state=OutboxState.PENDING.value,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    insert_ = _INSERTS[session.bind.dialect.name if session.bind is not None else "sqlite"]
    session.info[OUTBOX_WRITTEN] = True
    for start in range(0, len(rows), chunk):
        await session.execute(insert_, [{**defaults, **row} for row in rows[start : start + chunk]])
