"""What a desk that invoices (`desks add --invoices`) charges each
commissioner for a month: the fee claims of the requests they pay for,
confirmed in that month (local time), with the fee, travel and lost earnings
the desk paid out, and the counted hours its own hourly price applies to.

The invoice itself (its lines, numbers and forms) is drawn from this by
`bot/cli/invoices.py` with `storage/domain/invoicing.py`; nothing here is
written, so running the month again gives the same invoice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.commissioners import Payer
from storage.db.models import Commissioner, Desk, FeeClaim, Request
from storage.domain.fee_claims import ClaimStatus
from storage.domain.invoice_terms import InvoiceTerms

ORE = Decimal("0.01")
# Claims the desk has to pay: confirmed by their participant (or for them).
PAYABLE = (ClaimStatus.CONFIRMED, ClaimStatus.SENT, ClaimStatus.PAID)


@dataclass(frozen=True)
class Charge:
    """One confirmed claim, as kroner."""

    reference: str
    fee: Decimal
    travel: Decimal
    lost_earnings: Decimal
    counted_hours: Decimal
    declined: bool


@dataclass
class CommissionerMonth:
    desk: Desk
    commissioner: Commissioner
    charges: list[Charge] = field(default_factory=list)

    @property
    def references(self) -> list[str]:
        """The requests charged, each once, in order."""
        return sorted({c.reference for c in self.charges})


@dataclass(frozen=True)
class Item:
    """One line of a commissioner's month, before it is worded: `kind` is fee,
    travel, lost_earnings (each of a request, `reference`), assignments or hours
    (the desk's own prices)."""

    kind: str
    reference: str | None
    quantity: Decimal
    unit_code: str
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(ORE, rounding=ROUND_HALF_UP)


def items_of(entry: CommissionerMonth, terms: InvoiceTerms) -> list[Item]:
    """What the desk charges the commissioner for the month: per confirmed
    claim what it paid out (fee, travel, lost earnings), then its own price per
    assignment and per counted hour."""
    one = Decimal(1)
    items = [
        Item(kind, charge.reference, one, "EA", amount)
        for charge in entry.charges
        for kind, amount in (
            ("fee", charge.fee),
            ("travel", charge.travel),
            ("lost_earnings", charge.lost_earnings),
        )
        if amount > 0
    ]
    if terms.price_per_assignment:
        count = Decimal(len(entry.references))
        items.append(Item("assignments", None, count, "EA", terms.price_per_assignment))
    hours = sum((c.counted_hours for c in entry.charges), Decimal(0))
    if terms.price_per_hour and hours:
        items.append(Item("hours", None, hours, "HUR", terms.price_per_hour))
    return items


async def year_totals(
    session: AsyncSession,
    year: int,
    *,
    zone: ZoneInfo,
    terms_of: Callable[[Desk], InvoiceTerms | None],
) -> dict[str, Decimal]:
    """The year's invoiced amounts (without VAT) per commissioner's organisation:
    the twelve months' invoices as `medvirk invoices` writes them."""
    totals: dict[str, Decimal] = {}
    for month_ in range(1, 13):
        for entry in await month(session, year, month_, zone=zone):
            terms = terms_of(entry.desk)
            if terms is None:
                continue
            amount = sum((i.amount for i in items_of(entry, terms)), Decimal(0))
            name = entry.commissioner.org_name
            totals[name] = totals.get(name, Decimal(0)) + amount
    return totals


def month_bounds(year: int, month: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


async def month(
    session: AsyncSession, year: int, month_: int, *, zone: ZoneInfo
) -> list[CommissionerMonth]:
    """Per desk that invoices and commissioner who pays, the month's charges
    (the desks in scope only), by desk and commissioner."""
    start, end = month_bounds(year, month_, zone)
    rows = await session.execute(
        select(FeeClaim, Request, Commissioner, Desk)
        .join(Request, Request.id == FeeClaim.request_id)
        .join(Commissioner, Commissioner.id == Request.commissioner_id)
        .join(Desk, Desk.id == Request.desk_id)
        .where(
            Desk.invoices.is_(True),
            Request.payer == Payer.COMMISSIONER.value,
            FeeClaim.status.in_([s.value for s in PAYABLE]),
            FeeClaim.confirmed_at >= start,
            FeeClaim.confirmed_at < end,
        )
        .order_by(Desk.id, Commissioner.id, Request.reference, FeeClaim.id)
    )
    found: dict[tuple[int, int], CommissionerMonth] = {}
    for claim, request, commissioner, desk in rows:
        entry = found.setdefault((desk.id, commissioner.id), CommissionerMonth(desk, commissioner))
        entry.charges.append(
            Charge(
                reference=request.reference,
                fee=(Decimal(claim.fee_ore) * ORE),
                travel=Decimal(claim.travel_nok),
                lost_earnings=(Decimal(claim.lost_earnings_ore) * ORE),
                counted_hours=Decimal(claim.counted_quarters) / 4,
                declined=claim.fee_declined,
            )
        )
    return list(found.values())
