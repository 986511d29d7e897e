"""Whom an outbox row for a person reaches: a reminder contact or a
participant, with what the sender needs to find their chat or address."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import Participant
from storage.domain.participants import ParticipantStatus
from storage.outbox import address_of_key
from storage.pool import id_of_key
from storage.reminders import find_contact

# `sms:<number>`: a row to a number that wrote to us (a reply).
SMS_PREFIX = "sms:"


@dataclass(frozen=True)
class Reachable:
    # The row's target key.
    key: str
    # The key of their Teams chat's conversation reference (their AAD id, or the row's key).
    ref_key: str
    aad_object_id: str | None
    name: str | None
    email: str | None
    locale: str
    # False: they asked for no more messages (a contact who left).
    active: bool
    # A phone (E.164) SMS may go to: None without one, or after STOPP.
    phone: str | None = None
    # They chose SMS before e-mail (on their page).
    prefers_sms: bool = False
    # Whose SMS budget an SMS to them counts against.
    desk_id: int = 1

    @property
    def by_sms(self) -> bool:
        """Whether this row goes by SMS rather than e-mail (no Teams chat)."""
        return self.phone is not None and (self.prefers_sms or not self.email)


async def reachable(session: AsyncSession, key: str) -> Reachable | None:
    """The person a row's key names; None if nobody (any more)."""
    if key.startswith(SMS_PREFIX):
        # A number that wrote to us: answered by SMS, in bokmål unless the row says.
        return Reachable(
            key=key,
            ref_key=key,
            aad_object_id=None,
            name=None,
            email=None,
            locale="nb",
            active=True,
            phone=key[len(SMS_PREFIX) :],
        )
    address = address_of_key(key)
    if address is not None:
        # An office's address (payroll): by e-mail only, in bokmål.
        return Reachable(
            key=key,
            ref_key=key,
            aad_object_id=None,
            name=None,
            email=address,
            locale="nb",
            active=True,
        )
    participant_id = id_of_key(key)
    if participant_id is not None:
        participant = await session.get(Participant, participant_id)
        if participant is None or participant.status == ParticipantStatus.LEFT:
            return None
        return Reachable(
            key=key,
            ref_key=participant.aad_object_id or key,
            aad_object_id=participant.aad_object_id,
            name=participant.name,
            email=participant.email,
            locale=participant.locale,
            active=True,
            phone=None if participant.sms_off else participant.phone,
            prefers_sms=participant.prefers_sms,
            desk_id=participant.desk_id,
        )
    contact = await find_contact(session, key)
    if contact is None:
        return None
    return Reachable(
        key=key,
        ref_key=key,
        aad_object_id=contact.aad_object_id,
        name=contact.name,
        email=contact.email,
        locale=contact.locale,
        active=contact.active,
        phone=None if contact.sms_off else contact.phone,
    )


async def ref_key(session: AsyncSession, key: str) -> str:
    """The conversation reference key of the row's person."""
    if id_of_key(key) is None:
        return key
    person = await reachable(session, key)
    return person.ref_key if person is not None else key
