"""Contacts and their subscriptions to reminder groups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import Contact, Delivery, Rsvp, SurveyAnswer


async def upsert_contact(
    session: AsyncSession,
    *,
    key: str,
    aad_object_id: str | None,
    name: str | None,
    locale: str,
    now: datetime,
    groups: list[str] | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> Contact:
    contact = await session.scalar(select(Contact).where(Contact.key == key))
    if contact is None:
        contact = Contact(key=key, groups=[], active=True, created_at=now)
        session.add(contact)
    contact.aad_object_id = aad_object_id or contact.aad_object_id
    contact.name = name or contact.name
    contact.email = email or contact.email
    contact.phone = phone or contact.phone
    contact.locale = locale
    contact.updated_at = now
    if groups is not None:
        contact.groups = sorted(set(groups))
        contact.active = True
        contact.inactive_reason = None
        # Subscribed (or imported by an admin): known now, not kept for one
        # gathering's open registration only.
        contact.only_for_gathering_id = None
    await session.flush()
    return contact


async def find_contact(session: AsyncSession, key: str) -> Contact | None:
    return await session.scalar(select(Contact).where(Contact.key == key))


async def forget_contact(session: AsyncSession, key: str) -> None:
    """Remove a person's contact record with their deliveries and answers."""
    contact = await find_contact(session, key)
    if contact is None:
        return
    for table in (Delivery, Rsvp, SurveyAnswer):
        await session.execute(delete(table).where(table.contact_id == contact.id))
    await session.delete(contact)


async def mark_inactive(session: AsyncSession, key: str, reason: str, *, now: datetime) -> None:
    await session.execute(
        update(Contact)
        .where(Contact.key == key)
        .values(active=False, inactive_reason=reason, updated_at=now)
    )
