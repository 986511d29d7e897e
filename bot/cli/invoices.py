"""`medvirk invoices YYYY-MM [--desk C] [--out DIR]`: for each desk that pays
its participants and invoices (`desks add --invoices`), the month's invoice
to each commissioner who pays: a PDF and a CSV, and for a commissioner with an
organisation number an EHF invoice (Peppol BIS Billing 3.0, UBL 2.1 XML).

The lines: per confirmed fee claim the fee, travel and lost earnings the desk
paid out (by the request's reference), and the desk's own price per
assignment and per counted hour from the `[invoice]` table of its rates file
(docs/INVOICES.md), with its VAT. The invoice number is the desk's code, the
month and the commissioner's number: the same month written again is the same
invoice, not another.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.cli.common import DESK, CliError, run_with_db
from dialogs.i18n import t
from storage import desks
from storage import invoices as store
from storage.db.models import Commissioner
from storage.domain.clock import SystemClock
from storage.domain.fees import RatesError
from storage.domain.invoice_terms import InvoiceTerms
from storage.domain.invoicing import InvoiceBasis, InvoiceLine, Party, to_csv, to_ubl

MONTH = re.compile(r"(\d{4})-(\d{2})")
POSTCODE_CITY = re.compile(r"^(\d{4})\s+(.+)$")


def add_commands(sub: Any) -> None:
    cmd = sub.add_parser(
        "invoices", help="write the month's invoices to commissioners (PDF, CSV, EHF)"
    )
    cmd.add_argument("month", help="YYYY-MM")
    cmd.add_argument(
        "--desk", dest="invoice_desk", metavar="CODE", help="one desk's invoices (default: all)"
    )
    cmd.add_argument("--out", default=".", help="the folder to write them to (default: here)")
    cmd.set_defaults(func=cmd_invoices)


@dataclass(frozen=True)
class Written:
    number: str
    buyer: str
    total: Decimal
    files: tuple[str, ...]
    no_ehf: str | None = None


def _month(text: str) -> tuple[int, int]:
    found = MONTH.fullmatch(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise CliError(f"month: expected YYYY-MM, got {text!r}")
    return int(found.group(1)), int(found.group(2))


def buyer_of(commissioner: Commissioner) -> Party:
    """The commissioner as the invoice's buyer: the postal address's lines
    (the last "NNNN City" one gives the post code and the city)."""
    lines = [line.strip() for line in (commissioner.invoice_address or "").splitlines()]
    lines = [line for line in lines if line]
    postcode = city = ""
    if lines and (found := POSTCODE_CITY.match(lines[-1])):
        postcode, city = found.group(1), found.group(2)
        lines = lines[:-1]
    return Party(
        name=commissioner.org_name,
        org_number=commissioner.org_number,
        street=", ".join(lines),
        postcode=postcode,
        city=city,
        email=commissioner.invoice_email,
        contact=commissioner.name,
    )


def lines_of(entry: store.CommissionerMonth, terms: InvoiceTerms, lang: str) -> list[InvoiceLine]:
    """The month's items, worded in the commissioner's language (by the
    request's reference, never a participant's name)."""
    return [
        InvoiceLine(
            t(lang, f"invoice.line.{item.kind}", reference=item.reference or ""),
            item.quantity,
            item.unit_code,
            item.unit_price,
        )
        for item in store.items_of(entry, terms)
    ]


def basis_of(
    entry: store.CommissionerMonth, terms: InvoiceTerms, period: tuple[int, int], issued: date
) -> InvoiceBasis | None:
    lang = entry.commissioner.locale
    lines = lines_of(entry, terms, lang)
    if not lines:
        return None  # every claim declined its fee, and the desk charges nothing of its own
    year, month = period
    return InvoiceBasis(
        number=f"{entry.desk.code.upper()}-{year}{month:02d}-{entry.commissioner.id:04d}",
        issue_date=issued,
        due_date=issued + timedelta(days=terms.due_days),
        period=period,
        seller=terms.seller,
        buyer=buyer_of(entry.commissioner),
        seller_account=terms.account,
        buyer_reference=entry.commissioner.buyer_reference,
        order_reference=entry.references[0] if not entry.commissioner.buyer_reference else None,
        lines=tuple(lines),
        vat=terms.vat,
    )


def cmd_invoices(args: argparse.Namespace) -> int:
    from bot.features.reports.invoice_pdf import to_pdf

    period = _month(args.month)
    out = Path(args.out)
    if args.invoice_desk:
        DESK.set(args.invoice_desk)

    async def work(db: Any, settings: Any) -> tuple[list[store.CommissionerMonth], Any]:
        async with db.sessions() as session:
            return await store.month(session, *period, zone=settings.zone), settings

    entries, settings = run_with_db(work)
    issued = SystemClock().now().astimezone(settings.zone).date()
    written: list[Written] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"{out}: cannot be made ({error.strerror or error})") from None
    for entry in entries:
        try:
            rates = desks.rates_of(entry.desk, default=settings.fee_rates)
        except RatesError as error:
            raise CliError(str(error)) from None
        if rates.invoice is None:
            raise CliError(
                f"the desk {entry.desk.code} invoices, but its rates file has no [invoice] "
                "table (docs/INVOICES.md): nothing was written"
            )
        basis = basis_of(entry, rates.invoice, period, issued)
        if basis is None:
            continue
        lang = entry.commissioner.locale
        files = {
            f"{basis.number}.pdf": to_pdf(basis, lang),
            f"{basis.number}.csv": to_csv(basis, lang).encode("utf-8-sig"),
        }
        no_ehf = None
        try:
            files[f"{basis.number}.xml"] = to_ubl(basis)
        except ValueError as why:
            no_ehf = str(why)
        for name, data in files.items():
            try:
                (out / name).write_bytes(data)
            except OSError as error:
                raise CliError(
                    f"{out / name}: cannot be written ({error.strerror or error})"
                ) from None
        written.append(
            Written(basis.number, basis.buyer.name, basis.payable_amount, tuple(files), no_ehf)
        )
    if not written:
        print(f"no invoices for {args.month}: no confirmed fee claims a commissioner pays")
    for w in written:
        print(f"{w.number}  {w.buyer}  {w.total} NOK  {', '.join(w.files)}")
        if w.no_ehf:
            print(f"  no EHF: {w.no_ehf}")
    return 0
