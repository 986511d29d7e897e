"""Commissioners: people outside the hospital's tenant who order from a desk,
their organisation, and who pays the participants of what they order.

A commissioner is one confirmed e-mail address at one desk (the web order
form confirms it by a signed link before anything else is kept). Their
organisation is named, and checked where it has an organisation number
(mod 11). A request they order names them and its payer:

- `unit`: the ordering unit pays, through the desk's payroll (every request
  ordered inside the hospital, and every request from before commissioners);
- `commissioner`: the commissioner pays. Where the desk invoices
  (`desks add --invoices`), the desk pays the participant and the month's
  invoice basis goes to the commissioner (`medvirk invoices`); otherwise the
  confirmed fee claim goes to the commissioner's invoice address instead of
  the desk's payroll, as Alrek's partners pay their participants today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db.models import Commissioner, Desk, Request
from storage.domain.identity import contains_identity_number
from storage.domain.orgnumber import normalise_org_number
from storage.domain.refusal import Refused
from storage.pool import normalise_email

ORG_NAME_MAX = 200
NAME_MAX = 120
ADDRESS_MAX = 500
REFERENCE_MAX = 100
LOCALES = ("nb", "nn", "en")


class Payer(StrEnum):
    UNIT = "unit"
    COMMISSIONER = "commissioner"


@dataclass(frozen=True)
class Organisation:
    """What the order form asks of the commissioner's organisation, checked."""

    org_name: str
    org_number: str | None = None
    invoice_email: str | None = None
    invoice_address: str | None = None
    buyer_reference: str | None = None


def text_field(raw: Any, field: str, limit: int, *, required: bool = False) -> str | None:
    """One text field of the form: trimmed, at most `limit`, no identity number."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise Refused(f"commissioner.error.{field}", field=field)
        return None
    if not isinstance(raw, str) or len(raw.strip()) > limit:
        raise Refused("commissioner.error.too_long", field=field, max=limit)
    if contains_identity_number(raw):
        raise Refused("error.identity_number", field=field)
    return " ".join(raw.split()) if field != "invoice_address" else raw.strip()


def organisation(raw: dict[str, Any]) -> Organisation:
    """The organisation fields of a posted form (`org_name`, `org_number`,
    `invoice_email`, `invoice_address`, `buyer_reference`), or `Refused` naming
    the first field that is wrong. An invoice e-mail or a postal address is needed."""
    org_name = text_field(raw.get("org_name"), "org_name", ORG_NAME_MAX, required=True)
    assert org_name is not None
    number_text = text_field(raw.get("org_number"), "org_number", 40)
    org_number = None
    if number_text is not None:
        org_number = normalise_org_number(number_text)
        if org_number is None:
            raise Refused("commissioner.error.org_number", field="org_number")
    try:
        invoice_email = normalise_email(raw.get("invoice_email"))
    except Refused as refused:
        key = "commissioner.error.invoice_email"
        raise Refused(
            refused.key if refused.key == "error.identity_number" else key, field="invoice_email"
        ) from None
    invoice_address = text_field(raw.get("invoice_address"), "invoice_address", ADDRESS_MAX)
    if invoice_email is None and invoice_address is None:
        raise Refused("commissioner.error.invoice_to", field="invoice_email")
    reference = text_field(raw.get("buyer_reference"), "buyer_reference", REFERENCE_MAX)
    return Organisation(org_name, org_number, invoice_email, invoice_address, reference)


async def by_email(session: AsyncSession, desk_id: int, email: str) -> Commissioner | None:
    return await session.scalar(
        select(Commissioner).where(
            Commissioner.desk_id == desk_id, Commissioner.email == email.lower()
        )
    )


async def keep(
    session: AsyncSession,
    desk_id: int,
    email: str,
    org: Organisation,
    *,
    name: str | None = None,
    locale: str = "nb",
    now: datetime,
) -> Commissioner:
    """The commissioner with this confirmed address at this desk, made or
    updated with the organisation as they gave it this time."""
    found = await by_email(session, desk_id, email)
    if found is None:
        found = Commissioner(desk_id=desk_id, email=email.lower(), created_at=now)
        session.add(found)
    found.name = text_field(name, "name", NAME_MAX)
    found.locale = locale if locale in LOCALES else "nb"
    found.org_name = org.org_name
    found.org_number = org.org_number
    found.invoice_email = org.invoice_email
    found.invoice_address = org.invoice_address
    found.buyer_reference = org.buyer_reference
    found.updated_at = now
    await session.flush()
    return found


async def claim_address(session: AsyncSession, request: Request, desk: Desk | None) -> str | None:
    """Where a confirmed fee claim of `request` goes when its commissioner pays
    the participant directly: their invoice e-mail. None: to the desk's payroll
    (the unit pays, the desk invoices the commissioner, or the commissioner
    takes invoices by post only)."""
    if request.payer != Payer.COMMISSIONER or request.commissioner_id is None:
        return None
    if desk is not None and desk.invoices:
        return None
    commissioner = await session.get(Commissioner, request.commissioner_id)
    return commissioner.invoice_email if commissioner is not None else None
