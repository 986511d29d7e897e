"""A desk's terms for invoicing its commissioners, from the `[invoice]` table
of its fee-rates file (docs/INVOICES.md): the desk as seller (name, address,
organisation number, the registers it is in), the account to pay to, the VAT
as its accounts decide it, its own price per assignment and per hour, and the
days to pay. Checked when the file is read, so that `medvirk invoices` never
finds out at month's end that an account number has a digit wrong.

Pure: standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from storage.domain.invoicing import (
    DEFAULT_OUTSIDE_SCOPE_REASON,
    Party,
    Vat,
    VatCategory,
)
from storage.domain.orgnumber import normalise_account_number

KEYS = frozenset(
    {
        "seller_name",
        "org_number",
        "street",
        "postcode",
        "city",
        "email",
        "account",
        "vat",
        "vat_rate",
        "vat_reason",
        "vat_registered",
        "foretaksregisteret",
        "price_per_assignment",
        "price_per_hour",
        "due_days",
    }
)
MAX_PRICE = Decimal(1_000_000)


class TermsError(ValueError):
    """The `[invoice]` table cannot be used (the message says why)."""


@dataclass(frozen=True)
class InvoiceTerms:
    seller: Party
    account: str
    vat: Vat
    # The desk's own price for each assignment (request) and each counted hour
    # of its participants in the month (None: not charged).
    price_per_assignment: Decimal | None = None
    price_per_hour: Decimal | None = None
    due_days: int = 30


def _text(raw: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise TermsError(f"{where}: `invoice.{key}` is missing")
        return None
    if not isinstance(value, str) or len(value) > 200:
        raise TermsError(f"{where}: `invoice.{key}` must be a text of at most 200 characters")
    return value


def _flag(raw: dict[str, Any], key: str, where: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise TermsError(f"{where}: `invoice.{key}` must be true or false")
    return value


def _price(raw: dict[str, Any], key: str, where: str) -> Decimal | None:
    if key not in raw:
        return None
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TermsError(f"{where}: `invoice.{key}` must be a number of kroner")
    price = Decimal(str(value))
    if not 0 <= price <= MAX_PRICE:
        raise TermsError(f"{where}: `invoice.{key}` must be between 0 and {MAX_PRICE} kroner")
    return price or None


def parse_terms(raw: Any, where: str) -> InvoiceTerms:
    if not isinstance(raw, dict):
        raise TermsError(f"{where}: `invoice` must be a table ([invoice])")
    unknown = set(raw) - KEYS
    if unknown:
        raise TermsError(f"{where}: unknown key(s) invoice.{', invoice.'.join(sorted(unknown))}")
    try:
        seller = Party(
            name=_text(raw, "seller_name", where, required=True) or "",
            org_number=_text(raw, "org_number", where, required=True),
            street=_text(raw, "street", where, required=True) or "",
            postcode=_text(raw, "postcode", where, required=True) or "",
            city=_text(raw, "city", where, required=True) or "",
            email=_text(raw, "email", where, required=False),
            vat_registered=_flag(raw, "vat_registered", where),
            foretaksregisteret=_flag(raw, "foretaksregisteret", where),
        )
    except ValueError as error:
        raise TermsError(f"{where}: [invoice] {error}") from None
    account_text = _text(raw, "account", where, required=True) or ""
    account = normalise_account_number(account_text)
    if account is None:
        raise TermsError(
            f"{where}: `invoice.account` {account_text!r} is not a Norwegian account number "
            "(11 digits, mod 11)"
        )
    category = _text(raw, "vat", where, required=False) or VatCategory.OUTSIDE_SCOPE.value
    rate = raw.get("vat_rate", 0)
    if isinstance(rate, bool) or not isinstance(rate, int | float):
        raise TermsError(f"{where}: `invoice.vat_rate` must be a number of percent")
    reason = _text(raw, "vat_reason", where, required=False)
    if reason is None and category == VatCategory.OUTSIDE_SCOPE.value:
        reason = DEFAULT_OUTSIDE_SCOPE_REASON
    try:
        vat = Vat(VatCategory(category), Decimal(str(rate)), reason)
    except ValueError as error:
        raise TermsError(f"{where}: `invoice.vat`: {error}") from None
    if vat.category is not VatCategory.OUTSIDE_SCOPE and not seller.vat_registered:
        raise TermsError(
            f'{where}: `invoice.vat = "{category}"` needs `invoice.vat_registered = true`'
        )
    due_days = raw.get("due_days", 30)
    if isinstance(due_days, bool) or not isinstance(due_days, int) or not 0 <= due_days <= 120:
        raise TermsError(f"{where}: `invoice.due_days` must be whole days from 0 to 120")
    return InvoiceTerms(
        seller=seller,
        account=account,
        vat=vat,
        price_per_assignment=_price(raw, "price_per_assignment", where),
        price_per_hour=_price(raw, "price_per_hour", where),
        due_days=due_days,
    )
