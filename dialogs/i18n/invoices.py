"""The monthly invoice to a commissioner: the PDF's words. The column and
total headings and the units are the CSV's, kept with it in the pure domain
(storage/domain/invoicing.py) and put here as `invoice.<key>` and
`invoice.unit.<code>`, so the PDF and the CSV say the same."""

from __future__ import annotations

from storage.domain.invoicing import UNIT_NAMES, WORDS

MESSAGES: dict[str, dict[str, str]] = {
    **{f"invoice.{key}": dict(texts) for key, texts in WORDS.items()},
    **{f"invoice.unit.{code}": dict(texts) for code, texts in UNIT_NAMES.items()},
    "invoice.pdf.title": {
        "nb": "Faktura {number}",
        "nn": "Faktura {number}",
        "en": "Invoice {number}",
    },
    "invoice.seller": {"nb": "Fra", "nn": "Frå", "en": "From"},
    "invoice.buyer": {"nb": "Til", "nn": "Til", "en": "To"},
    "invoice.org_number": {"nb": "Org.nr.", "nn": "Org.nr.", "en": "Org. no."},
    "invoice.issue_date": {"nb": "Fakturadato", "nn": "Fakturadato", "en": "Invoice date"},
    "invoice.due_date": {"nb": "Forfallsdato", "nn": "Forfallsdato", "en": "Due date"},
    "invoice.period": {"nb": "Periode", "nn": "Periode", "en": "Period"},
    "invoice.account": {"nb": "Kontonummer", "nn": "Kontonummer", "en": "Bank account"},
    "invoice.buyer_reference": {
        "nb": "Deres referanse",
        "nn": "Dykkar referanse",
        "en": "Your reference",
    },
    "invoice.order_reference": {
        "nb": "Bestillingsnummer",
        "nn": "Bestillingsnummer",
        "en": "Order number",
    },
    "invoice.contact": {"nb": "Kontaktperson", "nn": "Kontaktperson", "en": "Contact"},
    "invoice.vat.O": {
        "nb": "Ingen merverdiavgift: {reason}",
        "nn": "Inga meirverdiavgift: {reason}",
        "en": "No VAT: {reason}",
    },
    "invoice.vat.E": {
        "nb": "Fritatt for merverdiavgift: {reason}",
        "nn": "Friteke for meirverdiavgift: {reason}",
        "en": "Exempt from VAT: {reason}",
    },
    "invoice.vat.S": {
        "nb": "Merverdiavgift {rate} %",
        "nn": "Meirverdiavgift {rate} %",
        "en": "VAT {rate}%",
    },
    "invoice.pay_to": {
        "nb": "Betales til konto {account} innen {due}. Oppgi fakturanummer {number}.",
        "nn": "Betalast til konto {account} innan {due}. Oppgi fakturanummer {number}.",
        "en": "Pay to account {account} by {due}, quoting invoice number {number}.",
    },
}
