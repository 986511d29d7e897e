"""SQLAlchemy 2 models. Times are stored in UTC and come back as aware datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    select,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from storage.domain.evaluations import EvaluationStatus
from storage.domain.fee_claims import ClaimStatus
from storage.domain.invitations import InvitationStatus
from storage.domain.outbox import OutboxState
from storage.domain.participants import ParticipantStatus
from storage.domain.registrations import RegistrationStatus
from storage.domain.reminders import RoundState, SubjectStatus
from storage.domain.requests import Status

E = TypeVar("E", bound=StrEnum)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class StatusColumn(TypeDecorator[E]):
    """A lifecycle's status (storage/domain): a plain VARCHAR in the database
    (values stay strings), its enum in Python. A filter by a status nobody can
    have (`list --status nonsense`) finds nothing, as before."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Any) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Any) -> E | None:
        return None if value is None else self.enum(value)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


# The desk every installation from before desks became (migration 0015).
DEFAULT_DESK_ID = 1


class Desk(Base):
    """A team that receives requests and keeps a pool (storage/desks.py): its
    names, its channel (once registered), its payer settings."""

    __tablename__ = "desks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_nb: Mapped[str] = mapped_column(String(120))
    name_nn: Mapped[str | None] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    # The fee rates file (TOML) this desk pays by; None: MEDVIRK_FEE_RATES.
    rates_path: Mapped[str | None] = mapped_column(String(500))
    # Where confirmed fee claims go; None: MEDVIRK_PAYROLL_EMAIL.
    payroll_email: Mapped[str | None] = mapped_column(String(320))
    invoices: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Its own administrators (AAD object ids or e-mails, lower case): admins in
    # its channel, beside MEDVIRK_ADMINS everywhere.
    admins: Mapped[list[str]] = mapped_column(JSON, default=list)
    outside_orders: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The channel its cards are posted in (`registrer kanal <code>`).
    team_id: Mapped[str | None] = mapped_column(String(300))
    channel_id: Mapped[str | None] = mapped_column(String(300), unique=True)
    service_url: Mapped[str | None] = mapped_column(String(500))
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    registered_by: Mapped[str | None] = mapped_column(String(64))
    registered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # SMS segments a month (None: MEDVIRK_SMS_BUDGET): its admins are warned at
    # 80 %, and no SMS of the desk's goes at 100 % until the month ends.
    sms_budget: Mapped[int | None] = mapped_column(Integer)

    def name(self, locale: str) -> str:
        chosen = {"nn": self.name_nn, "en": self.name_en}.get(locale)
        return chosen or self.name_nb


class Unit(Base):
    """A clinic or department that orders (storage/units.py): not a desk's row,
    since anyone orders from any unit, but it names the desk its requests go to.
    A retired unit is kept: its requests still name it."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_nb: Mapped[str] = mapped_column(String(120))
    name_nn: Mapped[str | None] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"), index=True)
    # Its user-involvement contact (brukermedvirkningskontakt): an AAD object id
    # or an e-mail address; told of its requests.
    contact: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]

    def name(self, locale: str) -> str:
        chosen = {"nn": self.name_nn, "en": self.name_en}.get(locale)
        return chosen or self.name_nb


class DeskScoped:
    """Rows of one desk. Every ORM statement on these classes is narrowed to
    the desks in scope (storage/db/scope.py): a forgotten filter is an error in
    the first test, not another desk's rows on a card."""

    # On the mixin itself (copied to each class), so that the scope's criteria
    # can name it there, as SQLAlchemy's recipe does.
    desk_id: Mapped[int] = mapped_column(
        ForeignKey("desks.id"), index=True, default=DEFAULT_DESK_ID, server_default="1"
    )


class DeskRows(DeskScoped):
    """Rows a desk sees when they are its own (every desk-scoped class but the
    participants, whom other desks see too where they let them)."""


class Request(DeskRows, Base):
    """An order for one or more participants. Canonical field names (storage/domain/fields.py)."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # The canonical fields.
    title: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    assignment_type: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(16))
    participant_profile: Mapped[str] = mapped_column(String(32))
    participant_count: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    meeting_format: Mapped[str] = mapped_column(String(16))
    workload: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(120))
    # The register's unit, where it was chosen from it (`unit` keeps its name
    # at the time, for exports and readers of the free text).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    honorarium_ack: Mapped[bool] = mapped_column(Boolean)
    cost_centre: Mapped[str | None] = mapped_column(String(40))
    # Who pays the participants: the ordering unit (the desk's payroll) or the
    # commissioner outside the hospital who ordered it (storage/commissioners.py).
    payer: Mapped[str] = mapped_column(String(16), default="unit", server_default="unit")
    commissioner_id: Mapped[int | None] = mapped_column(ForeignKey("commissioners.id"), index=True)
    needed_by: Mapped[date] = mapped_column(Date)
    # Lifecycle.
    status: Mapped[Status] = mapped_column(StatusColumn(Status, 24), index=True)
    owner_aad_id: Mapped[str | None] = mapped_column(String(64))
    owner_name: Mapped[str | None] = mapped_column(String(200))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # From the conversation, never asked.
    requester_aad_id: Mapped[str | None] = mapped_column(String(64), index=True)
    requester_user_id: Mapped[str] = mapped_column(String(200), index=True)
    requester_name: Mapped[str | None] = mapped_column(String(200))
    requester_email: Mapped[str | None] = mapped_column(String(254))
    requester_locale: Mapped[str] = mapped_column(String(8), default="nb")
    # Timestamps (UTC).
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    matched_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The channel card, once posted: updates edit it in place.
    channel_activity_id: Mapped[str | None] = mapped_column(String(200))
    channel_conversation_id: Mapped[str | None] = mapped_column(String(300))
    # One per order dialog: a second confirm of the same dialog (a double click,
    # Teams retrying a slow turn) finds this request instead of making another.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # What the card says of its invitations (storage/invitations/__init__.py keeps it):
    # {"invited": n, "waiting": n, "declined": n, "accepted": [names]}.
    match_summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Commissioner(DeskRows, Base):
    """Someone outside the hospital's tenant who orders from a desk (a
    municipality, a university, a company): the confirmed address they order
    with, their organisation, and where its invoices or fee claims go."""

    __tablename__ = "commissioners"
    __table_args__ = (UniqueConstraint("desk_id", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # The address confirmed by its signed link (lower case).
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(120))
    locale: Mapped[str] = mapped_column(String(8), default="nb")
    org_name: Mapped[str] = mapped_column(String(200))
    # Organisasjonsnummer (9 digits, mod-11 checked); None for a buyer without one.
    org_number: Mapped[str | None] = mapped_column(String(9), index=True)
    invoice_email: Mapped[str | None] = mapped_column(String(320))
    invoice_address: Mapped[str | None] = mapped_column(String(500))
    # "Deres referanse" on their invoices (an EHF needs it or an order number).
    buyer_reference: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SmsSent(DeskRows, Base):
    """One SMS handed to the gateway (storage/sms.py): for the daily cap per
    number, the desk's monthly budget and the delivery report. The number is
    a keyed hash (`number_key`), never the number; no text is kept."""

    __tablename__ = "sms_sent"
    __table_args__ = (
        Index("ix_sms_sent_number_at", "number_key", "sent_at"),
        Index("ix_sms_sent_desk_at", "desk_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # The outbox row it delivered: sent once.
    outbox_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    number_key: Mapped[str] = mapped_column(String(64))
    segments: Mapped[int] = mapped_column(Integer)
    # An answer to an SMS the number sent: not counted against its day's cap.
    reply: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    gateway_id: Mapped[str | None] = mapped_column(String(100), index=True)
    # submitted → delivered | failed | unknown (the delivery receipt's).
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ShortLink(Base):
    """`/s/<code>`: the short form of a page's signed link, for an SMS."""

    __tablename__ = "short_links"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    target: Mapped[str] = mapped_column(String(2000))
    expires_at: Mapped[datetime]


class SmsNumber(Base):
    """A number (its keyed hash) that wrote to us: told "not understood" once
    a day; `stopped_at` once it answered STOPP (no SMS to it, whoever has it)."""

    __tablename__ = "sms_numbers"

    number_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    not_understood_at: Mapped[datetime | None]
    stopped_at: Mapped[datetime | None]


class OrderAttempt(Base):
    """One post of the web order form's first step (an address asking for its
    link): `key` is a keyed hash of the address or the IP, never either one.
    Counted for `MEDVIRK_ORDER_RATE`; a day old, deleted."""

    __tablename__ = "order_attempts"
    __table_args__ = (Index("ix_order_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class RequestSequence(Base):
    """Per-year counter behind `BM-<year>-<nnnn>`."""

    __tablename__ = "request_sequences"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    at: Mapped[datetime]
    actor_aad_id: Mapped[str | None] = mapped_column(String(64))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    from_status: Mapped[Status | None] = mapped_column(StatusColumn(Status, 24))
    to_status: Mapped[Status] = mapped_column(StatusColumn(Status, 24))
    comment: Mapped[str | None] = mapped_column(Text)


class ReadEntry(Base):
    """Who read what (never what it said): exports, audits, overviews, figures,
    and a request's card refreshed by someone who does not own it."""

    __tablename__ = "read_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    reader: Mapped[str] = mapped_column(String(300), index=True)
    # e.g. "export", "audit BM-2026-0042", "overview", "statistics 2026", "refresh BM-2026-0042"
    what: Mapped[str] = mapped_column(String(200))
    via: Mapped[str] = mapped_column(String(16))  # teams | cli


class AppSecret(Base):
    """Random keys made once and shared by every process (e.g. the key that
    signs links in e-mails, when MEDVIRK_SECRET_KEY is not set)."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class SendBudget(Base):
    """The per-app send budget every process shares: the next free slot, in
    microseconds since the epoch (`scheduler.budget`)."""

    __tablename__ = "send_budget"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_slot: Mapped[int] = mapped_column(BigInteger)


class DialogStateRow(Base):
    """Bot Framework turn state (dialog stacks), written with an etag check."""

    __tablename__ = "dialog_state"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    etag: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
    # Whose personal chat this state is (a half-finished order is theirs): how
    # `forget` finds it, since Teams' conversation ids do not name the person.
    person_key: Mapped[str | None] = mapped_column(String(300), index=True)


class ConversationRef(Base):
    """Where to reach a person (personal chat) or a channel proactively.

    `reference` is the serialised conversation reference as the bot layer
    writes it; storage does not interpret it.
    """

    __tablename__ = "conversation_refs"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # personal | channel
    key: Mapped[str] = mapped_column(String(300))  # aad object id / user id, or channel id
    aad_object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8), default="nb")
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    service_url: Mapped[str] = mapped_column(String(500))
    conversation_id: Mapped[str] = mapped_column(String(300))
    reference: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class OutboxMessage(Base):
    """One proactive send or update, written in the transaction that causes it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # send: post a new activity; update: edit `target_activity_id` in place.
    operation: Mapped[str] = mapped_column(String(16), default="send")
    # personal | channel; plus the key to look the conversation up at send time.
    target_kind: Mapped[str] = mapped_column(String(16))
    target_key: Mapped[str] = mapped_column(String(300))
    target_activity_id: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]]
    # What the message is about, e.g. ("request_card", 42): after delivery the
    # matching handler records the activity id.
    subject_kind: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    state: Mapped[OutboxState] = mapped_column(
        StatusColumn(OutboxState, 16), default=OutboxState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    locked_by: Mapped[str | None] = mapped_column(String(64))
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    activity_id: Mapped[str | None] = mapped_column(String(200))
    # How it reached its person: teams | email (set when sent).
    channel: Mapped[str | None] = mapped_column(String(16))


# -- Reminders: contacts, gatherings, surveys ------------------------------------------------


class Contact(Base):
    """A person who may get reminders (keyed like conversation refs: AAD id, else user id)."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    aad_object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    # For people outside Teams (most patients and next of kin): reminders by e-mail.
    email: Mapped[str | None] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(8), default="nb")
    # Subscribed groups (contacts, participants, youth, employees); empty: none.
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    inactive_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # For people with only a phone: reminders by SMS (E.164); `sms_off` after
    # they answered STOPP (e-mail, or reported unreachable, from then on).
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    sms_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Registered through a gathering's open link and not (yet) known otherwise:
    # kept for that gathering only, and forgotten with it.
    only_for_gathering_id: Mapped[int | None] = mapped_column(Integer)


class Gathering(DeskRows, Base):
    __tablename__ = "gatherings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    place: Mapped[str | None] = mapped_column(String(300))
    register_url: Mapped[str | None] = mapped_column(String(1000))
    register_by: Mapped[datetime | None]
    # None: every subscriber.
    groups: Mapped[list[str] | None] = mapped_column(JSON)
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[SubjectStatus] = mapped_column(
        StatusColumn(SubjectStatus, 16), default=SubjectStatus.ACTIVE
    )
    created_at: Mapped[datetime]
    # Registration in medvirk (storage/gatherings.py): seats (None: no limit),
    # the questions asked, how long a freed seat is held for the next waiting.
    # With neither capacity nor questions, the gathering takes no registrations.
    capacity: Mapped[int | None] = mapped_column(Integer)
    questions: Mapped[list[str] | None] = mapped_column(JSON)
    offer_hours: Mapped[int] = mapped_column(Integer, default=48, server_default="48")
    registers: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Seats held (registered or offered), and the last arrival number given:
    # both moved by conditional UPDATEs that serialise a gathering's registrations.
    seats_taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    arrivals: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The programme for those registered: a text and/or a PDF, sent at
    # `programme_at` (and to whoever takes a seat after), `programme_sent_at` once.
    programme_text: Mapped[str | None] = mapped_column(Text)
    programme_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    programme_at: Mapped[datetime | None]
    programme_sent_at: Mapped[datetime | None]
    # The Teams meeting's link: to those registered to attend digitally only.
    meeting_url: Mapped[str | None] = mapped_column(String(1000))
    # Anyone with its open link may register, after confirming an e-mail address.
    open_registration: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def reference(self) -> str:
        """How a claim for a day here is referred to (payroll's, a PDF's name)."""
        return f"SAMLING-{self.id}"


class Registration(DeskRows, Base):
    """A contact's registration for a gathering (storage/domain/registrations.py)."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("gathering_id", "contact_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gatherings.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(StatusColumn(RegistrationStatus, 16))
    # Arrival order (the waiting list's), given by the gathering's `arrivals`.
    arrival: Mapped[int] = mapped_column(Integer)
    # The answers to the gathering's questions (diet and access for the organisers only).
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    offered_until: Mapped[datetime | None]
    # Shown at the door; checked in at the door (None: not, or not yet).
    door_code: Mapped[str] = mapped_column(String(8))
    attended_at: Mapped[datetime | None]
    # Their evaluation of the day (1–5, and a comment), asked once they came.
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[datetime | None]
    evaluation_asked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Survey(DeskRows, Base):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(1000))
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime]
    groups: Mapped[list[str] | None] = mapped_column(JSON)
    status: Mapped[SubjectStatus] = mapped_column(
        StatusColumn(SubjectStatus, 16), default=SubjectStatus.ACTIVE
    )
    created_at: Mapped[datetime]


class Reminder(Base):
    """One planned reminder round: due at a time, for a gathering or survey."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id", "kind", "offset_days", "offset_seconds"),
        Index("ix_reminders_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # gathering | survey
    subject_id: Mapped[int] = mapped_column(Integer)
    # gathering: before the start; register: before the registration deadline; survey.
    kind: Mapped[str] = mapped_column(String(16))
    # Calendar days (keep the local wall-clock time) plus elapsed seconds.
    offset_days: Mapped[int] = mapped_column(Integer)
    offset_seconds: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime]
    # The moment after which the reminder is pointless (start, deadline, closing).
    expires_at: Mapped[datetime]
    state: Mapped[RoundState] = mapped_column(
        StatusColumn(RoundState, 16), default=RoundState.PLANNED
    )
    done_at: Mapped[datetime | None]


class Delivery(Base):
    """One reminder to one contact; unique, so a reminder goes once per recipient."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("reminder_id", "contact_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminders.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    created_at: Mapped[datetime]


class Rsvp(Base):
    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("gathering_id", "contact_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gatherings.id"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    coming: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime]


class SurveyAnswer(Base):
    """ "I have answered": stops further reminders of that survey for the person."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("survey_id", "contact_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    at: Mapped[datetime]


# -- Participants (brukermedvirkere) and their invitations -----------------------------------


class Participant(DeskScoped, Base):
    """A person in the priority team's pool. Health-related (a role like
    "patient" and the experience areas): kept only with their consent."""

    __tablename__ = "participants"

    @classmethod
    def in_desks(cls, desk_ids: tuple[int, ...]) -> ColumnElement[bool]:
        """The desks' own participants, and those who let them ask them too
        (storage/db/scope.py)."""
        return cls.desk_id.in_(desk_ids) | cls.id.in_(
            select(ParticipantDesk.participant_id).where(ParticipantDesk.desk_id.in_(desk_ids))
        )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # pending (no consent yet) | active | paused | left (personal fields erased)
    status: Mapped[ParticipantStatus] = mapped_column(
        StatusColumn(ParticipantStatus, 16), index=True
    )
    # Part of every link to their page: a link outlives nothing it was made for.
    link_nonce: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    # SMS: off after STOPP from their number (their page turns it on again);
    # chosen before e-mail on their page.
    sms_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    prefers_sms: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    aad_object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The same as bits (storage/pool/__init__.py), so eligibility is one query.
    role_mask: Mapped[int] = mapped_column(Integer, default=0)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    organisation: Mapped[str | None] = mapped_column(String(120))
    municipality: Mapped[str | None] = mapped_column(String(60))
    formats: Mapped[list[str]] = mapped_column(JSON, default=list)
    format_mask: Mapped[int] = mapped_column(Integer, default=0)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    availability: Mapped[str | None] = mapped_column(String(200))
    # The language messages to them are written in.
    locale: Mapped[str] = mapped_column(String(8), default="nb")
    consent_at: Mapped[datetime | None]
    consent_channel: Mapped[str | None] = mapped_column(String(16))
    consent_version: Mapped[str | None] = mapped_column(String(16))
    elearning_on: Mapped[date | None] = mapped_column(Date)
    confidentiality_on: Mapped[date | None] = mapped_column(Date)
    added_by: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Their last consent, answer or change of their own data (retention).
    last_active_at: Mapped[datetime]
    # When they were asked whether to stay after a long time without activity.
    retention_asked_at: Mapped[datetime | None]
    # Fair rotation (storage/pool/matching.py): invitations in the last 12 months
    # (recounted every night, and one more with each invitation) and the last one.
    asked_12m: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_invited_at: Mapped[datetime | None]
    # Until both the e-learning and the confidentiality declaration are recorded.
    onboarding_due: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    __table_args__ = (
        # The ranking's order after shared areas, so a suggestion walks it and
        # stops at the fifth eligible person instead of sorting the pool.
        # Never-invited first: NULLS FIRST (PostgreSQL's default for ASC is
        # last; SQLite sorts NULL first and takes no such clause).
        # A desk's pool first: a suggestion asks its request's desk's alone.
        Index(
            "ix_participants_rotation",
            "desk_id",
            "status",
            "asked_12m",
            "last_invited_at",
            "onboarding_due",
            "id",
            postgresql_ops={"last_invited_at": "NULLS FIRST"},
        ),
    )


class ParticipantDesk(Base):
    """A participant lets another desk than their own ask them too: their
    consent to that desk, with the time and the text version (storage/pool)."""

    __tablename__ = "participant_desks"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"), primary_key=True, index=True)
    consented_at: Mapped[datetime]
    consent_version: Mapped[str] = mapped_column(String(8))


class Invitation(DeskRows, Base):
    """A participant asked to take part in a request; one per pair."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("request_id", "participant_id"),
        Index("ix_invitations_participant", "participant_id", "created_at"),
        Index("ix_invitations_open", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    # Four digits a reply by SMS names it with ("JA 4821").
    sms_code: Mapped[str | None] = mapped_column(String(4))
    status: Mapped[InvitationStatus] = mapped_column(StatusColumn(InvitationStatus, 16))
    invited_by: Mapped[str | None] = mapped_column(String(64))
    invited_by_name: Mapped[str | None] = mapped_column(String(200))
    # Who is owed a fee for it after they left the pool (storage/fee_claims.py
    # `keep_payee`): a name and a way to reach them, for payroll; nothing else.
    payee_name: Mapped[str | None] = mapped_column(String(120))
    payee_contact: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    # How the answer came: teams | page
    answered_via: Mapped[str | None] = mapped_column(String(16))
    # After the match (storage/invitations/agreements.py): when each document was signed,
    # and how medvirk heard it: teams | page | paper | onboarding (a valid
    # confidentiality declaration from an earlier assignment).
    agreement_signed_at: Mapped[datetime | None]
    confidentiality_signed_at: Mapped[datetime | None]
    documents_via: Mapped[str | None] = mapped_column(String(16))


class FeeClaim(DeskRows, Base):
    """The fee (honorar) of one participant's work on one request
    (storage/fee_claims.py). Amounts in øre; never an identity number or a bank
    account (payroll collects those from the person)."""

    __tablename__ = "fee_claims"
    __table_args__ = (
        UniqueConstraint("request_id", "participant_id"),
        UniqueConstraint("gathering_id", "participant_id"),
        Index("ix_fee_claims_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # What it pays for: a request's work, or a day at a gathering (one of the two).
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    gathering_id: Mapped[int | None] = mapped_column(ForeignKey("gatherings.id"), index=True)
    # None once the participant is erased: a claim sent to payroll is a
    # bookkeeping record and outlives them, with `payee_*` only.
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"), index=True)
    # The person paid, kept with the claim when they leave the pool or are
    # forgotten (payroll's copy names them); None while the pool has them.
    payee_name: Mapped[str | None] = mapped_column(String(120))
    payee_contact: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[ClaimStatus] = mapped_column(StatusColumn(ClaimStatus, 16))
    # One more each time the requester changes the figures: a confirmation is
    # of the figures the participant saw.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    meetings: Mapped[int] = mapped_column(Integer)
    # As the requester gave them, in hundredths of an hour; counted in quarters.
    hours_hundredths: Mapped[int] = mapped_column(Integer)
    counted_quarters: Mapped[int] = mapped_column(Integer)
    travel_nok: Mapped[int] = mapped_column(Integer, default=0)
    fee_ore: Mapped[int] = mapped_column(BigInteger)
    capped_ore: Mapped[int] = mapped_column(BigInteger, default=0)
    total_ore: Mapped[int] = mapped_column(BigInteger)
    # The rates it was computed with (their name, and whether they were the example).
    rates_name: Mapped[str] = mapped_column(String(200))
    rates_example: Mapped[bool] = mapped_column(Boolean, default=False)
    hourly_ore: Mapped[int] = mapped_column(BigInteger, default=0)
    per_meeting_ore: Mapped[int] = mapped_column(BigInteger, default=0)
    day_max_ore: Mapped[int | None] = mapped_column(BigInteger)
    # The rest of the rates it was computed with (storage.domain.fees.Rates):
    # how hours are rounded, the in-person minimum per meeting, whether travel
    # is at the cheapest fare, whether (and up to what per meeting day) lost
    # earnings are reimbursed. A claim from before these has the defaults,
    # which are the rules it was computed with.
    rounding: Mapped[str] = mapped_column(
        String(20), default="quarter_up", server_default="quarter_up"
    )
    min_in_person_hundredths: Mapped[int | None] = mapped_column(Integer)
    travel_cheapest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    lost_earnings_documented: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    lost_earnings_day_max_ore: Mapped[int | None] = mapped_column(BigInteger)
    # Attended in person (what the in-person minimum counts).
    in_person: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Lost earnings as claimed (whole kroner, against documentation), and as
    # reimbursed (øre, after the rates' day maximum).
    lost_earnings_nok: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lost_earnings_ore: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The participant declines the fee (`fee_ore` is 0; travel and lost
    # earnings are still paid).
    fee_declined: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    filed_by_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    # teams | page
    confirmed_via: Mapped[str | None] = mapped_column(String(16))
    sent_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]


class Evaluation(DeskRows, Base):
    """One person's evaluation of a completed request (storage/evaluations.py):
    the requester's (`participant_id` None) or a participant's."""

    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("request_id", "respondent"),
        Index("ix_evaluations_due", "status", "next_reminder_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    # "requester", or "participant:<id>".
    respondent: Mapped[str] = mapped_column(String(40))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"), index=True)
    status: Mapped[EvaluationStatus] = mapped_column(StatusColumn(EvaluationStatus, 16))
    # 1–5: the requester's of the whole, a participant's of how they were included.
    rating: Mapped[int | None] = mapped_column(Integer)
    # The requester's: what the participants' input changed, and whether they would again.
    impact: Mapped[str | None] = mapped_column(Text)
    would_use_again: Mapped[bool | None]
    # A participant's: was the fee information clear, and a comment.
    fee_info_clear: Mapped[bool | None]
    comment: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    # teams | page
    answered_via: Mapped[str | None] = mapped_column(String(16))
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    next_reminder_at: Mapped[datetime | None]


class PostedCard(Base):
    """A message the bot posted in the channel that shows a participant (a
    suggestions card, a pool list): one row per person shown, so a withdrawal,
    an erasure or retention can replace the message with a neutral card."""

    __tablename__ = "posted_cards"
    __table_args__ = (UniqueConstraint("conversation_id", "activity_id", "participant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(300))
    activity_id: Mapped[str] = mapped_column(String(200))
    # suggestions | pool_list
    kind: Mapped[str] = mapped_column(String(16))
    participant_id: Mapped[int] = mapped_column(Integer, index=True)
    posted_at: Mapped[datetime] = mapped_column(index=True)
