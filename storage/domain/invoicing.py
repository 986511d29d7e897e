"""A desk's monthly invoice to a commissioner, and two of its forms: a CSV
for the desk's accounts and an EHF invoice (Peppol BIS Billing 3.0, UBL 2.1)
for the commissioner's. The PDF, which needs fonts, is drawn in
bot/features/reports/invoice_pdf.py from the same `InvoiceBasis`.

An `InvoiceBasis` is checked when it is made: the numbers (organisation
numbers and the account, mod 11), one VAT category for the whole invoice, and
the rules of EN 16931 that follow from the data alone (at least one line, no
negative price, VAT charged only by a seller registered for VAT). Amounts are
`Decimal` kroner, each line's amount rounded to the øre half up, the VAT on
the sum of the lines (EN 16931 rounds VAT per category, never per line).

`to_ubl` adds what EHF needs beyond a paper invoice: both parties'
organisation numbers (the buyer's is its address in the Peppol network: a
buyer without one gets the PDF or the CSV) and the buyer's reference or an
order reference. The XML is built with ElementTree, in the order the UBL 2.1
schema prescribes; tests/test_invoicing.py checks it against the OASIS
schema and the Peppol BIS 3.0 rules (CEN's and OpenPEPPOL's, Norway's
included).

Pure: standard library only.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from storage.domain.orgnumber import normalise_account_number, normalise_org_number

ORE = Decimal("0.01")
# Characters XML 1.0 cannot carry (controls but tab and line breaks, U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LANGUAGES = ("nb", "nn", "en")

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
# The Peppol electronic address scheme of Norwegian organisation numbers.
SCHEME_NO_ORG = "0192"
INVOICE = "380"  # UNCL1001 commercial invoice
CREDIT_TRANSFER = "30"  # UNCL4461: to a domestic account (58 is a SEPA transfer, to an IBAN)

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ET.register_namespace("", NS_INVOICE)
ET.register_namespace("cac", NS_CAC)
ET.register_namespace("cbc", NS_CBC)

# The words of the CSV, and of the PDF (dialogs/i18n/invoices.py puts them in
# the message catalog as `invoice.<key>`, so the two say the same).
WORDS: dict[str, dict[str, str]] = {
    "description": {"nb": "Beskrivelse", "nn": "Skildring", "en": "Description"},
    "quantity": {"nb": "Antall", "nn": "Antal", "en": "Quantity"},
    "unit": {"nb": "Enhet", "nn": "Eining", "en": "Unit"},
    "unit_price": {"nb": "Enhetspris", "nn": "Einingspris", "en": "Unit price"},
    "amount": {"nb": "Beløp", "nn": "Beløp", "en": "Amount"},
    "total_excl_vat": {
        "nb": "Sum eksklusive merverdiavgift",
        "nn": "Sum utan meirverdiavgift",
        "en": "Total excluding VAT",
    },
    "vat": {"nb": "Merverdiavgift", "nn": "Meirverdiavgift", "en": "VAT"},
    "payable": {"nb": "Å betale", "nn": "Å betale", "en": "Amount due"},
}
# The units a line may be counted in (UN/ECE Recommendation 20 codes), and
# their names.
UNIT_NAMES: dict[str, dict[str, str]] = {
    "HUR": {"nb": "timer", "nn": "timar", "en": "hours"},
    "EA": {"nb": "stk.", "nn": "stk.", "en": "each"},
    "C62": {"nb": "stk.", "nn": "stk.", "en": "units"},
    "DAY": {"nb": "dager", "nn": "dagar", "en": "days"},
    "KMT": {"nb": "km", "nn": "km", "en": "km"},
}


class VatCategory(StrEnum):
    """The VAT categories (UNCL5305) an invoice of a desk may carry."""

    OUTSIDE_SCOPE = "O"  # not subject to VAT: the default for fees of user involvement
    EXEMPT = "E"  # within the VAT act, exempt (the seller is VAT-registered)
    STANDARD = "S"  # VAT charged at the rate (the seller is VAT-registered)


DEFAULT_OUTSIDE_SCOPE_REASON = "Utenfor merverdiavgiftslovens virkeområde"


def _text(value: str | None) -> str | None:
    """Text with its outer space removed, or None if nothing is left."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _decimal(value: Decimal | int | str, what: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{what} must be a Decimal, not a float")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{what} must be a number, not {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number")
    return number


def _set(instance: object, name: str, value: object) -> None:
    object.__setattr__(instance, name, value)


@dataclass(frozen=True, kw_only=True)
class Party:
    """The seller (the desk) or the buyer (a commissioner). `org_number` is
    normalised to 9 digits; `vat_registered` (in Merverdiavgiftsregisteret)
    and `foretaksregisteret` (registered in Foretaksregisteret, as an AS must
    say on its invoices) need one."""

    name: str
    org_number: str | None
    street: str
    postcode: str
    city: str
    country: str = "NO"
    email: str | None = None
    contact: str | None = None
    vat_registered: bool = False
    foretaksregisteret: bool = False

    def __post_init__(self) -> None:
        name = _text(self.name)
        if name is None:
            raise ValueError("a party needs a name")
        _set(self, "name", name)
        for attribute in ("street", "postcode", "city"):
            _set(self, attribute, (getattr(self, attribute) or "").strip())
        _set(self, "email", _text(self.email))
        _set(self, "contact", _text(self.contact))
        country = self.country.strip().upper()
        if len(country) != 2 or not (country.isascii() and country.isalpha()):
            raise ValueError(
                f"country must be a two-letter code (ISO 3166-1), not {self.country!r}"
            )
        _set(self, "country", country)
        raw = _text(self.org_number)
        if raw is None:
            _set(self, "org_number", None)
        else:
            number = normalise_org_number(raw)
            if number is None:
                raise ValueError(f"{name}: {raw!r} is not an organisation number (mod 11)")
            _set(self, "org_number", number)
        if (self.vat_registered or self.foretaksregisteret) and self.org_number is None:
            raise ValueError(f"{name}: a registered party has an organisation number")

    @property
    def vat_number(self) -> str | None:
        """The VAT identifier, "NO974760673MVA", for a VAT-registered party."""
        return f"NO{self.org_number}MVA" if self.vat_registered else None


@dataclass(frozen=True)
class InvoiceLine:
    """One line: `quantity` of `unit_code` at `unit_price` kroner (a price may
    have more decimals than the øre; the line's amount is rounded)."""

    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal

    def __post_init__(self) -> None:
        description = _text(self.description)
        if description is None:
            raise ValueError("an invoice line needs a description")
        _set(self, "description", description)
        if self.unit_code not in UNIT_NAMES:
            raise ValueError(f"unit {self.unit_code!r} is none of {', '.join(sorted(UNIT_NAMES))}")
        _set(self, "quantity", _decimal(self.quantity, "quantity"))
        price = _decimal(self.unit_price, "unit price")
        if price < 0:
            # EN 16931 BR-27: a price is never negative (a negative quantity is a credit).
            raise ValueError("a unit price cannot be negative")
        _set(self, "unit_price", price)

    @property
    def amount(self) -> Decimal:
        """Quantity × unit price, to the øre, half up."""
        return (self.quantity * self.unit_price).quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Vat:
    """The invoice's VAT: outside its scope (O, the default for user
    involvement, with the reason stated), exempt (E, with the reason) or at the
    standard rate (S, a rate in percent and no reason). Which one applies is a
    setting of the desk, decided by its accounts: see docs/INVOICES.md."""

    category: VatCategory
    rate: Decimal = Decimal(0)
    exemption_reason: str | None = None

    def __post_init__(self) -> None:
        category = VatCategory(self.category)
        _set(self, "category", category)
        rate = _decimal(self.rate, "VAT rate")
        reason = _text(self.exemption_reason)
        if category is VatCategory.STANDARD:
            if not 0 < rate < 100:
                raise ValueError("VAT at the standard rate needs a rate above 0 and below 100 %")
            if reason is not None:
                raise ValueError("VAT at the standard rate has no exemption reason")
        else:
            if rate != 0:
                raise ValueError(f"VAT category {category.value} has no rate (0 %)")
            if reason is None:
                raise ValueError(f"VAT category {category.value} needs its reason stated")
        _set(self, "rate", rate)
        _set(self, "exemption_reason", reason)

    @classmethod
    def outside_scope(cls, reason: str = DEFAULT_OUTSIDE_SCOPE_REASON) -> Vat:
        return cls(VatCategory.OUTSIDE_SCOPE, Decimal(0), reason)


@dataclass(frozen=True, kw_only=True)
class InvoiceBasis:
    """What one invoice says: the desk (seller) to a commissioner (buyer) for
    one month (`period`, (year, month)), paid to `seller_account` (11 digits,
    mod 11; written with dots or spaces it is normalised)."""

    number: str
    issue_date: date
    due_date: date
    period: tuple[int, int]
    seller: Party
    buyer: Party
    seller_account: str
    buyer_reference: str | None
    lines: tuple[InvoiceLine, ...]
    vat: Vat
    note: str | None = None
    currency: str = "NOK"
    order_reference: str | None = None

    def __post_init__(self) -> None:
        number = _text(self.number)
        if number is None:
            raise ValueError("an invoice needs a number")
        _set(self, "number", number)
        if self.due_date < self.issue_date:
            raise ValueError("the due date is before the issue date")
        year, month = self.period
        if not (1 <= month <= 12 and 2000 <= year <= 9999):
            raise ValueError(f"period {self.period!r} is not a (year, month)")
        _set(self, "period", (year, month))
        currency = self.currency.strip().upper()
        if len(currency) != 3 or not (currency.isascii() and currency.isalpha()):
            raise ValueError(
                f"currency must be a three-letter code (ISO 4217), not {self.currency!r}"
            )
        _set(self, "currency", currency)
        account = normalise_account_number(self.seller_account)
        if account is None:
            raise ValueError(
                f"{self.seller_account!r} is not a Norwegian bank account number (mod 11)"
            )
        _set(self, "seller_account", account)
        lines = tuple(self.lines)
        if not lines:
            raise ValueError("an invoice has at least one line")  # BR-16
        _set(self, "lines", lines)
        if self.vat.category is not VatCategory.OUTSIDE_SCOPE and not self.seller.vat_registered:
            # BR-S-02, BR-E-02: VAT, even exempt, is for a seller registered for it.
            raise ValueError(
                f"VAT category {self.vat.category.value} needs a seller registered for VAT"
            )
        for attribute in ("buyer_reference", "order_reference", "note"):
            _set(self, attribute, _text(getattr(self, attribute)))

    @property
    def period_start(self) -> date:
        return date(self.period[0], self.period[1], 1)

    @property
    def period_end(self) -> date:
        year, month = self.period
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def line_extension_amount(self) -> Decimal:
        """The sum of the lines' amounts (without VAT)."""
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def vat_amount(self) -> Decimal:
        """The VAT on the sum of the lines, to the øre, half up."""
        return (self.line_extension_amount * self.vat.rate / 100).quantize(
            ORE, rounding=ROUND_HALF_UP
        )

    @property
    def payable_amount(self) -> Decimal:
        return self.line_extension_amount + self.vat_amount


# --- CSV ---------------------------------------------------------------------


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is none of {', '.join(LANGUAGES)}")
    return lang


def _number(value: Decimal, lang: str) -> str:
    text = format(value, "f")
    return text if lang == "en" else text.replace(".", ",")


def _cell(text: str) -> str:
    # A spreadsheet takes a cell that begins so for a formula.
    return f"'{text}" if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def to_csv(basis: InvoiceBasis, lang: str) -> str:
    """The invoice's lines and totals as CSV, headed in `lang` (nb, nn or en).

    Written as a spreadsheet in that language opens it: in nb and nn the
    separator is ";" and the decimal mark ","; in en "," and ".". Amounts have
    two decimals; a quantity or a price as many as it has. Write it to a file
    as UTF-8 with a byte order mark ("utf-8-sig") for Excel to read æ, ø and å.
    """
    lang = _language(lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="," if lang == "en" else ";", lineterminator="\r\n")
    writer.writerow(
        [WORDS[key][lang] for key in ("description", "quantity", "unit", "unit_price", "amount")]
    )
    for line in basis.lines:
        writer.writerow(
            [
                _cell(line.description),
                _number(line.quantity, lang),
                UNIT_NAMES[line.unit_code][lang],
                _number(line.unit_price, lang),
                _number(line.amount, lang),
            ]
        )
    for key, amount in (
        ("total_excl_vat", basis.line_extension_amount),
        ("vat", basis.vat_amount),
        ("payable", basis.payable_amount),
    ):
        writer.writerow([WORDS[key][lang], "", "", "", _number(amount, lang)])
    return out.getvalue()


# --- EHF (Peppol BIS Billing 3.0, UBL 2.1) ----------------------------------


def _cbc(parent: ET.Element, name: str, text: str, **attributes: str) -> ET.Element:
    if _NOT_XML.search(text):
        raise ValueError(f"{name}: {text!r} has a character XML cannot carry")
    element = ET.SubElement(parent, f"{{{NS_CBC}}}{name}", attributes)
    element.text = text
    return element


def _cac(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS_CAC}}}{name}")


def _money(parent: ET.Element, name: str, amount: Decimal, currency: str) -> None:
    _cbc(parent, name, f"{amount.quantize(ORE, rounding=ROUND_HALF_UP):.2f}", currencyID=currency)


def _plain(value: Decimal) -> str:
    """A quantity, price or rate without exponent or trailing zeros."""
    return format(value.normalize(), "f")


def _tax_category(parent: ET.Element, name: str, vat: Vat, *, with_reason: bool) -> None:
    category = _cac(parent, name)
    _cbc(category, "ID", vat.category.value)
    if vat.category is not VatCategory.OUTSIDE_SCOPE:
        # BR-O-05, BR-O-09: "not subject to VAT" has no rate at all.
        _cbc(category, "Percent", _plain(vat.rate))
    if with_reason and vat.exemption_reason is not None:
        _cbc(category, "TaxExemptionReason", vat.exemption_reason)
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def _party(parent: ET.Element, role: str, party: Party, *, vat: Vat) -> None:
    assert party.org_number is not None
    element = _cac(_cac(parent, role), "Party")
    _cbc(element, "EndpointID", party.org_number, schemeID=SCHEME_NO_ORG)
    _cbc(_cac(element, "PartyName"), "Name", party.name)
    address = _cac(element, "PostalAddress")
    if party.street:
        _cbc(address, "StreetName", party.street)
    if party.city:
        _cbc(address, "CityName", party.city)
    if party.postcode:
        _cbc(address, "PostalZone", party.postcode)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.country)
    seller = role == "AccountingSupplierParty"
    if seller and party.vat_number and vat.category is not VatCategory.OUTSIDE_SCOPE:
        # BR-O-02: an invoice outside the scope of VAT names no VAT identifier.
        scheme = _cac(element, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.vat_number)
        _cbc(_cac(scheme, "TaxScheme"), "ID", "VAT")
    if seller and party.foretaksregisteret:
        # NO-R-002 (foretaksregisterloven § 10-2).
        scheme = _cac(element, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", "Foretaksregisteret")
        _cbc(_cac(scheme, "TaxScheme"), "ID", "TAX")
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    _cbc(legal, "CompanyID", party.org_number, schemeID=SCHEME_NO_ORG)
    if party.contact or party.email:
        contact = _cac(element, "Contact")
        if party.contact:
            _cbc(contact, "Name", party.contact)
        if party.email:
            _cbc(contact, "ElectronicMail", party.email)


def to_ubl(basis: InvoiceBasis) -> bytes:
    """The invoice as EHF: a Peppol BIS Billing 3.0 invoice in UBL 2.1, UTF-8.

    Raises ValueError, saying why, when the invoice cannot go as EHF: the
    buyer or the seller has no organisation number (the buyer's is where it
    is delivered), or there is neither a buyer's reference nor an order
    reference (PEPPOL-EN16931-R003). The PDF and the CSV need neither.
    """
    if basis.buyer.org_number is None:
        raise ValueError(
            f"{basis.buyer.name} has no organisation number: an EHF invoice is addressed "
            "to one; send the PDF instead"
        )
    if basis.seller.org_number is None:
        raise ValueError(f"{basis.seller.name} (the seller) has no organisation number")
    if basis.buyer_reference is None and basis.order_reference is None:
        raise ValueError(
            "an EHF invoice needs the buyer's reference or an order reference (PEPPOL-EN16931-R003)"
        )
    currency = basis.currency
    root = ET.Element(f"{{{NS_INVOICE}}}Invoice")
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", basis.number)
    _cbc(root, "IssueDate", basis.issue_date.isoformat())
    _cbc(root, "DueDate", basis.due_date.isoformat())
    _cbc(root, "InvoiceTypeCode", INVOICE)
    if basis.note is not None:
        _cbc(root, "Note", basis.note)
    _cbc(root, "DocumentCurrencyCode", currency)
    if basis.buyer_reference is not None:
        _cbc(root, "BuyerReference", basis.buyer_reference)
    period = _cac(root, "InvoicePeriod")
    _cbc(period, "StartDate", basis.period_start.isoformat())
    _cbc(period, "EndDate", basis.period_end.isoformat())
    if basis.order_reference is not None:
        _cbc(_cac(root, "OrderReference"), "ID", basis.order_reference)
    _party(root, "AccountingSupplierParty", basis.seller, vat=basis.vat)
    _party(root, "AccountingCustomerParty", basis.buyer, vat=basis.vat)

    means = _cac(root, "PaymentMeans")
    _cbc(means, "PaymentMeansCode", CREDIT_TRANSFER)
    account = _cac(means, "PayeeFinancialAccount")
    _cbc(account, "ID", basis.seller_account)
    _cbc(account, "Name", basis.seller.name)

    tax_total = _cac(root, "TaxTotal")
    _money(tax_total, "TaxAmount", basis.vat_amount, currency)
    subtotal = _cac(tax_total, "TaxSubtotal")
    _money(subtotal, "TaxableAmount", basis.line_extension_amount, currency)
    _money(subtotal, "TaxAmount", basis.vat_amount, currency)
    _tax_category(subtotal, "TaxCategory", basis.vat, with_reason=True)

    totals = _cac(root, "LegalMonetaryTotal")
    _money(totals, "LineExtensionAmount", basis.line_extension_amount, currency)
    _money(totals, "TaxExclusiveAmount", basis.line_extension_amount, currency)
    _money(totals, "TaxInclusiveAmount", basis.payable_amount, currency)
    _money(totals, "PayableAmount", basis.payable_amount, currency)

    for number, line in enumerate(basis.lines, start=1):
        element = _cac(root, "InvoiceLine")
        _cbc(element, "ID", str(number))
        _cbc(element, "InvoicedQuantity", _plain(line.quantity), unitCode=line.unit_code)
        _money(element, "LineExtensionAmount", line.amount, currency)
        item = _cac(element, "Item")
        _cbc(item, "Name", line.description)
        # The line's category has no reason: the breakdown above carries it.
        _tax_category(item, "ClassifiedTaxCategory", basis.vat, with_reason=False)
        price = _cac(element, "Price")
        _cbc(price, "PriceAmount", _plain(line.unit_price), currencyID=currency)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return xml + b"\n"
