"""The monthly invoice to a commissioner as a PDF (fpdf2), in nb, nn or en:
who sends it and to whom, the dates and the month it covers, the lines, the
totals and what is said of VAT, and where to pay. Drawn from the same
`InvoiceBasis` as the EHF invoice and the CSV (storage/domain/invoicing.py),
on the house's A4 page (dialogs/pdf.py: DejaVu Sans, so æ, ø and å come out
right). The PDF's creation date is the invoice's issue date unless given: the
same invoice gives the same bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from fpdf.enums import XPos, YPos

from dialogs.cards.fee_claims import kroner
from dialogs.i18n import t
from dialogs.pdf import FONT, Document
from storage.domain.invoicing import LANGUAGES, InvoiceBasis, Party, VatCategory


def _date(lang: str, value: date) -> str:
    return value.isoformat() if lang == "en" else value.strftime("%d.%m.%Y")


def _amount(lang: str, value: Decimal) -> str:
    return kroner(lang, int(value.scaleb(2)))


def _number(lang: str, value: Decimal, *, decimals: int = 0) -> str:
    """A quantity or a price: at least `decimals` decimals, more if it has them."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < decimals:
        value = value.quantize(Decimal(1).scaleb(-decimals))
    text = format(value, ",f")
    if lang == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def _org(number: str) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def _party(lang: str, party: Party) -> str:
    lines = [party.name]
    if party.street:
        lines.append(party.street)
    place = " ".join(part for part in (party.postcode, party.city) if part)
    if party.country != "NO":
        place = f"{place}, {party.country}" if place else party.country
    if place:
        lines.append(place)
    if party.org_number:
        mva = " MVA" if party.vat_registered else ""
        lines.append(f"{t(lang, 'invoice.org_number')} {_org(party.org_number)}{mva}")
    if party.foretaksregisteret:
        lines.append("Foretaksregisteret")
    if party.contact or party.email:
        who = ", ".join(part for part in (party.contact, party.email) if part)
        lines.append(f"{t(lang, 'invoice.contact')}: {who}")
    return "\n".join(lines)


def _vat_note(lang: str, basis: InvoiceBasis) -> str:
    vat = basis.vat
    if vat.category is VatCategory.STANDARD:
        return t(lang, "invoice.vat.S", rate=_number(lang, vat.rate))
    return t(lang, f"invoice.vat.{vat.category.value}", reason=vat.exemption_reason)


def to_pdf(basis: InvoiceBasis, lang: str, *, created: datetime | None = None) -> bytes:
    """The invoice as a PDF in `lang` (nb, nn or en)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is none of {', '.join(LANGUAGES)}")
    title = t(lang, "invoice.pdf.title", number=basis.number)
    made = created or datetime.combine(basis.issue_date, time(), tzinfo=UTC)
    pdf = Document(title=title, footer=f"{basis.seller.name} · {title}", created=made)
    pdf.add_page()
    pdf.heading(title)
    pdf.rows(
        [
            (t(lang, "invoice.seller"), _party(lang, basis.seller)),
            (t(lang, "invoice.buyer"), _party(lang, basis.buyer)),
        ],
        label_width=40,
    )
    facts = [
        (t(lang, "invoice.issue_date"), _date(lang, basis.issue_date)),
        (t(lang, "invoice.due_date"), _date(lang, basis.due_date)),
        (
            t(lang, "invoice.period"),
            f"{_date(lang, basis.period_start)} – {_date(lang, basis.period_end)}",
        ),
    ]
    if basis.buyer_reference:
        facts.append((t(lang, "invoice.buyer_reference"), basis.buyer_reference))
    if basis.order_reference:
        facts.append((t(lang, "invoice.order_reference"), basis.order_reference))
    facts.append((t(lang, "invoice.account"), _account(basis.seller_account)))
    pdf.rows(facts, label_width=40)

    pdf.set_font(FONT, "", 9)
    right = "RIGHT"
    with pdf.table(
        col_widths=(70, 20, 20, 30, 30),
        text_align=("LEFT", right, "LEFT", right, right),
        line_height=5.5,
        first_row_as_headings=True,
    ) as table:
        header = table.row()
        for key in ("description", "quantity", "unit", "unit_price", "amount"):
            header.cell(t(lang, f"invoice.{key}"))
        for line in basis.lines:
            row = table.row()
            row.cell(line.description)
            row.cell(_number(lang, line.quantity))
            row.cell(t(lang, f"invoice.unit.{line.unit_code}"))
            row.cell(_number(lang, line.unit_price, decimals=2))
            row.cell(_amount(lang, line.amount))
    pdf.ln(3)
    for key, amount, bold in (
        ("total_excl_vat", basis.line_extension_amount, False),
        ("vat", basis.vat_amount, False),
        ("payable", basis.payable_amount, True),
    ):
        pdf.set_font(FONT, "B" if bold else "", 10)
        pdf.cell(140, 6, t(lang, f"invoice.{key}"), align="R")
        pdf.cell(0, 6, _amount(lang, amount), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.paragraph(_vat_note(lang, basis))
    if basis.note:
        pdf.paragraph(basis.note)
    pdf.paragraph(
        t(
            lang,
            "invoice.pay_to",
            account=_account(basis.seller_account),
            due=_date(lang, basis.due_date),
            number=basis.number,
        ),
        bold=True,
    )
    return pdf.bytes()


def _account(number: str) -> str:
    """A Norwegian account number as it is written: 8601 11 17947."""
    return f"{number[:4]} {number[4:6]} {number[6:]}"
