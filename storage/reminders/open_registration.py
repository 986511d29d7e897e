"""Registering through a gathering's open link (`gathering add --open`), for
people medvirk does not yet know: they give a name and an address, and the
registration page's link goes to that address (so the address is theirs).

Such a person is a contact kept for that gathering only
(`Contact.only_for_gathering_id`, no reminder groups): `forget_after` takes
their name and address away once the gathering is some weeks past, keeping the
registration's counts for the report. Someone already known by that address
is that contact, and keeps what they had.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import Contact, Gathering
from storage.domain.fields import NAME_MAX, free_text
from storage.domain.refusal import Refused
from storage.domain.reminders import SubjectStatus
from storage.notifications import GatheringLinkAsked, record

# How long after its start a gathering's open registrants are kept (the
# evaluation, a fee claim's questions and the report's figures are done by then).
KEPT_AFTER = timedelta(days=60)


async def ask(
    session: AsyncSession,
    gathering: Gathering,
    *,
    name: str | None,
    address: str,
    locale: str,
    now: datetime,
) -> Contact:
    """Mail `address` its registration page for `gathering` (refused for a
    gathering not open, past its deadline, or a name with an identity number)."""
    if not gathering.open_registration or gathering.status != SubjectStatus.ACTIVE:
        raise Refused("gathering.error.no_registration")
    if gathering.register_by is not None and now >= gathering.register_by:
        raise Refused("gathering.error.closed")
    person = free_text(name, max_length=NAME_MAX)
    if person is None:
        raise Refused("gathering.open.error.name", field="name")
    contact = await session.scalar(
        select(Contact)
        .where(func.lower(Contact.email) == address.lower())
        .order_by(Contact.id)
        .limit(1)
    )
    if contact is None:
        contact = Contact(
            key=f"mail:{address}",
            email=address,
            name=person,
            locale=locale,
            groups=[],
            active=True,
            only_for_gathering_id=gathering.id,
            created_at=now,
            updated_at=now,
        )
        session.add(contact)
        await session.flush()
    elif (
        contact.only_for_gathering_id is not None and contact.only_for_gathering_id != gathering.id
    ):
        # Kept for one gathering's sake, now registering for another: kept
        # for the later of the two.
        earlier = await session.get(Gathering, contact.only_for_gathering_id)
        if earlier is None or earlier.starts_at < gathering.starts_at:
            contact.only_for_gathering_id = gathering.id
    await record(session, GatheringLinkAsked(contact.key, gathering.id, contact.id, now), now=now)
    return contact


async def forget_after(session: AsyncSession, *, now: datetime) -> int:
    """The open registrants of gatherings started `KEPT_AFTER` ago (or
    cancelled): their name and address go; their registration is kept,
    nameless, for the counts."""
    rows = await session.execute(
        select(Contact)
        .join(Gathering, Gathering.id == Contact.only_for_gathering_id)
        .where(
            Contact.email.is_not(None),
            (Gathering.starts_at < now - KEPT_AFTER) | (Gathering.status != SubjectStatus.ACTIVE),
        )
    )
    forgotten = 0
    for (contact,) in rows:
        contact.key = f"forgotten:{contact.id}"
        contact.name = contact.email = contact.aad_object_id = None
        contact.active = False
        contact.inactive_reason = "open registration: kept for the gathering only"
        contact.updated_at = now
        forgotten += 1
    return forgotten
