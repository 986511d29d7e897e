"""The participant pool (brukermedvirkere): who they are, their consent, and
what they may be asked to do.

Being in the pool as a patient with experience areas is health-related data
(GDPR art. 9): a participant is `pending` until they consent, never suggested
before; `no` to the consent erases them; withdrawing (`left`) erases their
personal fields and keeps only what anonymous counts need (roles, dates).
Both, and the retention that erases, are `storage.privacy.erasure`: they reach
the participant's invitations and fee claims, which import this module.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage import outbox
from storage.db import rowcount
from storage.db.models import Desk, Participant, ParticipantDesk
from storage.domain.fields import check_text, clean_text
from storage.domain.identity import contains_identity_number
from storage.domain.participants import IN_POOL, PARTICIPANTS, ParticipantStatus
from storage.domain.refusal import Refused
from storage.notifications import (
    ConsentAsked,
    ContactChanged,
    Event,
    OwnDataLinkAsked,
    StayAsked,
    record,
)

ROLES = ("patient", "next_of_kin", "youth", "user_organisation")
FORMATS = ("physical", "digital", "hybrid")
LANGUAGES = ("nb", "nn", "en")
# The consent text people say yes to (dialogs/templates/consent/v<N>.<locale>.html).
CONSENT_VERSION = "3"
# Every outbox row about a participant goes to this key (the sender finds
# their chat or address at send time).
KEY_PREFIX = "participant:"
# A participant who never consented is erased after this.
PENDING_DAYS = 30
# Asked whether to stay, and no answer: erased after this.
STAY_ANSWER_DAYS = 30


P = ParticipantStatus


def key_of(participant_id: int) -> str:
    return f"{KEY_PREFIX}{participant_id}"


def id_of_key(key: str) -> int | None:
    if not key.startswith(KEY_PREFIX):
        return None
    rest = key[len(KEY_PREFIX) :]
    return int(rest) if rest.isdigit() else None


def mask(codes: Iterable[str], universe: Sequence[str]) -> int:
    return sum(1 << universe.index(c) for c in set(codes) if c in universe)


# -- validation -----------------------------------------------------------------------------

TEXT_LIMITS = {"name": (2, 120), "organisation": (0, 120), "municipality": (0, 60)}
AVAILABILITY_MAX = 200


def _text(name: str, raw: Any, *, min_length: int, max_length: int) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise Refused("error.field.text")
    if len(raw) > max_length * 4:
        raise Refused("error.field.too_long", max=max_length, length=len(raw))
    text = " ".join(clean_text(raw).split()) if name != "availability" else clean_text(raw)
    if not text:
        if min_length:
            raise Refused("error.field.required")
        return None
    check_text(text)
    if len(text) < min_length:
        raise Refused("error.field.too_short", min=min_length)
    if len(text) > max_length:
        raise Refused("error.field.too_long", max=max_length, length=len(text))
    return text


def _choices(raw: Any, allowed: Sequence[str], *, required: bool) -> list[str]:
    """A multi-choice: a list, or the comma/semicolon-separated string an
    Adaptive Card's multi-select (or a CSV cell) gives."""
    if raw is None or raw == "":
        values: list[str] = []
    elif isinstance(raw, str):
        values = [v.strip() for v in raw.replace(";", ",").split(",") if v.strip()]
    elif isinstance(raw, list) and all(isinstance(v, str) for v in raw):
        values = [v.strip() for v in raw if v.strip()]
    else:
        raise Refused("error.field.choice")
    if len(values) > len(allowed) or any(v not in allowed for v in values):
        raise Refused("error.field.choice")
    if required and not values:
        raise Refused("error.field.required")
    return [c for c in allowed if c in values]


def normalise_email(raw: Any) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str) or len(raw) > 320:
        raise Refused("error.participant.email")
    if contains_identity_number(raw):
        raise Refused("error.identity_number")
    try:
        return str(validate_email(raw.strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        raise Refused("error.participant.email") from None


def normalise_phone(raw: Any) -> str | None:
    """A Norwegian or international number, as E.164 (`+4791234567`)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str) or len(raw) > 40:
        raise Refused("error.participant.phone")
    if contains_identity_number(raw):
        raise Refused("error.identity_number")
    try:
        number = phonenumbers.parse(raw.strip(), "NO")
    except phonenumbers.NumberParseException:
        raise Refused("error.participant.phone") from None
    if not phonenumbers.is_valid_number(number):
        raise Refused("error.participant.phone")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


# An AAD object id is a GUID; Teams writes it in lower case.
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _aad(raw: Any) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str) or not _GUID.fullmatch(raw.strip().lower()):
        raise Refused("error.participant.aad")
    return raw.strip().lower()


# The fields a coordinator gives (the form card's input ids, the CLI's options).
FIELDS = (
    "name",
    "email",
    "phone",
    "aad_object_id",
    "roles",
    "areas",
    "organisation",
    "municipality",
    "formats",
    "languages",
    "availability",
)
# What a participant may correct on their own page.
OWN_FIELDS = ("name", "email", "phone", "municipality", "availability", "formats", "languages")


def validate(
    raw: dict[str, Any], *, areas: Sequence[str], only: Sequence[str] = FIELDS
) -> dict[str, Any]:
    """Every field of `only`, typed, or the first `Refused` (its `field` set).

    An identity number in any field is refused and never echoed.
    """
    values: dict[str, Any] = {}
    for name in only:
        value = raw.get(name)
        try:
            if name in TEXT_LIMITS:
                low, high = TEXT_LIMITS[name]
                values[name] = _text(name, value, min_length=low, max_length=high)
            elif name == "availability":
                values[name] = _text(name, value, min_length=0, max_length=AVAILABILITY_MAX)
            elif name == "email":
                values[name] = normalise_email(value)
            elif name == "phone":
                values[name] = normalise_phone(value)
            elif name == "aad_object_id":
                values[name] = _aad(value)
            elif name == "roles":
                values[name] = _choices(value, ROLES, required=True)
            elif name == "areas":
                values[name] = _choices(value, areas, required=False)
            elif name == "formats":
                values[name] = _choices(value, FORMATS, required=True)
            elif name == "languages":
                values[name] = _choices(value, LANGUAGES, required=False) or ["nb"]
        except Refused as error:
            raise Refused(error.key, field=name, **error.params) from None
    if {"email", "phone", "aad_object_id"} <= set(only) and not (
        values.get("email") or values.get("phone") or values.get("aad_object_id")
    ):
        raise Refused("error.participant.no_way_to_reach", field="email")
    return values


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    columns = dict(values)
    if "roles" in values:
        columns["role_mask"] = mask(values["roles"], ROLES)
    if "formats" in values:
        columns["format_mask"] = mask(values["formats"], FORMATS)
    if "languages" in values:
        columns["locale"] = values["languages"][0]
    return columns


# -- the pool ----------------------------------------------------------------------------------


async def add(
    session: AsyncSession, values: dict[str, Any], *, added_by: str, now: datetime
) -> Participant:
    """A new participant, `pending` until they consent (the caller sends the request)."""
    participant = Participant(
        status=P.PENDING,
        link_nonce=secrets.token_hex(8),
        added_by=added_by,
        created_at=now,
        updated_at=now,
        last_active_at=now,
        **_columns(values),
    )
    session.add(participant)
    await session.flush()
    return participant


async def add_asking_consent(
    session: AsyncSession, values: dict[str, Any], *, added_by: str, now: datetime
) -> Participant:
    """Add one (validated) participant unless they are in the pool already, and
    ask for their consent. `Refused` for a duplicate."""
    if await find_duplicate(session, values) is not None:
        raise Refused("participant.error.duplicate")
    participant = await add(session, values, added_by=added_by, now=now)
    await ask_consent(session, participant, now=now)
    return participant


def reached_by(participant: Participant) -> str:
    """How messages reach them: teams | email | sms (their choice before
    e-mail, or a phone only) | phone (a call, outside medvirk: no address,
    and SMS turned off with STOPP or no phone)."""
    sms = bool(participant.phone) and not participant.sms_off
    if participant.aad_object_id:
        return "teams"
    if sms and participant.prefers_sms:
        return "sms"
    if participant.email:
        return "email"
    return "sms" if sms else "phone"


async def _tell(
    session: AsyncSession, participant: Participant, event: Event, *, now: datetime
) -> bool:
    """A message about the participant to them, in Teams or by e-mail, rendered
    at send time (False: phone only, nothing sent)."""
    if reached_by(participant) == "phone":
        return False
    await record(session, event, now=now)
    return True


async def ask_consent(session: AsyncSession, participant: Participant, *, now: datetime) -> bool:
    """The consent request, in Teams or by e-mail (False: phone only, nothing sent)."""
    return await _tell(
        session,
        participant,
        ConsentAsked(key_of(participant.id), participant.id, participant.link_nonce),
        now=now,
    )


async def ask_to_stay(session: AsyncSession, participant: Participant, *, now: datetime) -> bool:
    """Inactive for long: asked whether to stay, in Teams or by e-mail (False:
    phone only, nothing sent; asked all the same)."""
    participant.retention_asked_at = now
    return await _tell(
        session,
        participant,
        StayAsked(key_of(participant.id), participant.id, now.date().isoformat()),
        now=now,
    )


async def find_duplicate(session: AsyncSession, values: dict[str, Any]) -> Participant | None:
    """Someone in the pool with the same e-mail, phone or account."""
    checks = [
        getattr(Participant, name) == values[name]
        for name in ("email", "phone", "aad_object_id")
        if values.get(name)
    ]
    if not checks:
        return None
    return await session.scalar(
        select(Participant).where(Participant.status != P.LEFT, or_(*checks)).limit(1)
    )


async def get(session: AsyncSession, participant_id: Any) -> Participant | None:
    if not isinstance(participant_id, int) or isinstance(participant_id, bool):
        return None
    return await session.get(Participant, participant_id)


async def by_link(session: AsyncSession, participant_id: Any, nonce: Any) -> Participant | None:
    """The participant a link was made for, if it is still theirs."""
    participant = await get(session, participant_id)
    if participant is None or participant.status == P.LEFT:
        return None
    if not isinstance(nonce, str) or not secrets.compare_digest(nonce, participant.link_nonce):
        return None
    return participant


def next_status(participant: Participant, target: ParticipantStatus) -> ParticipantStatus:
    """`target`, if the participant's lifecycle allows it from their status;
    else `Refused` with the status they are in."""
    if not PARTICIPANTS.may(participant.status, target):
        raise Refused(PARTICIPANTS.refusal, status=str(participant.status))
    return target


def _move(participant: Participant, target: ParticipantStatus) -> None:
    participant.status = next_status(participant, target)


async def consent(
    session: AsyncSession, participant: Participant, *, channel: str, now: datetime
) -> None:
    """Their yes: `active`, with the time, the way and the text version recorded."""
    if participant.status != P.PENDING:
        return  # said yes before (a second press, a replayed form): nothing changes
    _move(participant, P.ACTIVE)
    participant.consent_at = now
    participant.consent_channel = channel
    participant.consent_version = CONSENT_VERSION
    participant.updated_at = participant.last_active_at = now
    participant.retention_asked_at = None


async def shared_with(session: AsyncSession, participant: Participant) -> frozenset[int]:
    """The desks besides their own that they let ask them."""
    rows = await session.scalars(
        select(ParticipantDesk.desk_id).where(ParticipantDesk.participant_id == participant.id)
    )
    return frozenset(rows)


async def share_with(
    session: AsyncSession, participant: Participant, desk_ids: Iterable[int], *, now: datetime
) -> bool:
    """They let these desks (besides their own) ask them, and no others: a
    consent per desk, with its time and text version, as their first. Returns
    whether anything changed."""
    if participant.status not in IN_POOL:
        raise Refused("page.stale_form")
    chosen = frozenset(desk_ids) - {participant.desk_id}
    known = frozenset(await session.scalars(select(Desk.id).where(Desk.id.in_(chosen))))
    if known != chosen:
        raise Refused("desks.error.unknown", code="?")
    before = await shared_with(session, participant)
    if before == chosen:
        return False
    if before - chosen:
        await session.execute(
            delete(ParticipantDesk).where(
                ParticipantDesk.participant_id == participant.id,
                ParticipantDesk.desk_id.in_(before - chosen),
            )
        )
    for desk_id in sorted(chosen - before):
        session.add(
            ParticipantDesk(
                participant_id=participant.id,
                desk_id=desk_id,
                consented_at=now,
                consent_version=CONSENT_VERSION,
            )
        )
    participant.updated_at = participant.last_active_at = now
    await session.flush()
    return True


async def set_paused(
    session: AsyncSession, participant: Participant, paused: bool, *, now: datetime
) -> None:
    target = P.PAUSED if paused else P.ACTIVE
    if participant.status == target:
        return
    _move(participant, target)
    participant.updated_at = participant.last_active_at = now


async def correct(
    session: AsyncSession, participant: Participant, values: dict[str, Any], *, now: datetime
) -> bool:
    """Their own corrections (validated with `OWN_FIELDS`). Written only if they
    are still in the pool when the row is written (a withdrawal committed
    meanwhile wins: `Refused`, nothing written). A new e-mail address
    or phone number ends every link sent before (a new nonce) and is told to
    the old address; True if it did."""
    before = (participant.email, participant.phone)
    columns = {**_columns(values), "updated_at": now, "last_active_at": now}
    changed = (columns.get("email", before[0]), columns.get("phone", before[1])) != before
    if changed:
        columns["link_nonce"] = secrets.token_hex(8)
    written = await session.execute(
        update(Participant)
        .where(
            Participant.id == participant.id,
            Participant.status.in_(IN_POOL),
        )
        .values(**columns)
        .execution_options(synchronize_session=False)
    )
    if rowcount(written) != 1:
        raise Refused(PARTICIPANTS.refusal, status=P.LEFT)
    for name, value in columns.items():
        set_committed_value(participant, name, value)
    if changed:
        await _tell_contact_changed(session, participant, old_email=before[0], now=now)
    return changed


def revoke_links(participant: Participant, *, now: datetime) -> None:
    """Every link made for them so far stops working (a new nonce)."""
    participant.link_nonce = secrets.token_hex(8)
    participant.updated_at = now


async def _tell_contact_changed(
    session: AsyncSession, participant: Participant, *, old_email: str | None, now: datetime
) -> None:
    """A short notice that their contact details changed: to the old address
    when that changed (whoever changed it, the owner of the old one hears),
    else the way that reaches them now."""
    if old_email and old_email != participant.email:
        target = outbox.address_key(old_email)
    elif reached_by(participant) != "phone":
        target = key_of(participant.id)
    else:
        return
    await record(
        session,
        ContactChanged(target, participant.id, participant.locale, participant.link_nonce),
        now=now,
    )


# The smallest time between two links to one's own data (a page pressed twice,
# a form sent again): one message, not a flood to their inbox.
OWN_DATA_LINK_EVERY = timedelta(minutes=2)


async def send_own_data_link(
    session: AsyncSession, participant: Participant, *, now: datetime
) -> bool:
    """The link to the page with their data, to the chat or address on file
    (False: phone only, nothing sent)."""
    window = int(now.timestamp() // OWN_DATA_LINK_EVERY.total_seconds())
    return await _tell(
        session,
        participant,
        OwnDataLinkAsked(key_of(participant.id), participant.id, participant.link_nonce, window),
        now=now,
    )


async def record_onboarding(
    session: AsyncSession,
    participant: Participant,
    *,
    elearning_on: date | None = None,
    confidentiality_on: date | None = None,
    now: datetime,
) -> None:
    if elearning_on is not None:
        participant.elearning_on = elearning_on
    if confidentiality_on is not None:
        participant.confidentiality_on = confidentiality_on
    participant.onboarding_due = participant.elearning_on is None or (
        participant.confidentiality_on is None
    )
    participant.updated_at = now


def payee_of(participant: Participant) -> tuple[str | None, str | None]:
    """What payroll needs to pay them: their name and a way to reach them."""
    contact = " / ".join(x for x in (participant.email, participant.phone) if x)
    return participant.name, contact or None


async def listing(
    session: AsyncSession,
    *,
    status: str | None = None,
    role: str | None = None,
    area: str | None = None,
    limit: int = 200,
) -> list[Participant]:
    """The pool, newest first; `left` only when asked for."""
    stmt = select(Participant).order_by(Participant.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(Participant.status == status)
    else:
        stmt = stmt.where(Participant.status != P.LEFT)
    if role in ROLES:
        stmt = stmt.where(Participant.role_mask.op("&")(mask([role], ROLES)) != 0)
    rows = list(await session.scalars(stmt))
    if area:
        rows = [p for p in rows if area in (p.areas or [])]
    return rows


async def never_consented(session: AsyncSession, *, now: datetime) -> list[Participant]:
    return list(
        await session.scalars(
            select(Participant).where(
                Participant.status == P.PENDING,
                Participant.created_at < now - timedelta(days=PENDING_DAYS),
            )
        )
    )


async def inactive_since(
    session: AsyncSession, *, before: datetime, asked: bool
) -> list[Participant]:
    """Active or paused participants with no activity since `before`: not yet
    asked whether to stay (`asked=False`), or asked long enough ago."""
    stmt = select(Participant).where(
        Participant.status.in_(IN_POOL),
        Participant.last_active_at < before,
    )
    if asked:
        stmt = stmt.where(Participant.retention_asked_at.is_not(None))
    else:
        stmt = stmt.where(Participant.retention_asked_at.is_(None))
    return list(await session.scalars(stmt))
