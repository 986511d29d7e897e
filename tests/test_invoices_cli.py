"""`medvirk invoices YYYY-MM`: a desk that pays its participants invoices each
commissioner who pays, from the month's confirmed fee claims, as PDF, CSV and
(with an organisation number) EHF that passes the official UBL 2.1 schema and
the Peppol BIS Billing 3.0 rules."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree
from sqlalchemy import update

from dialogs.reports import report_pdf
from storage import commissioners, desks
from storage import fee_claims as claims
from storage.db.models import Request
from storage.domain.fees import load_rates
from storage.reports import year_figures
from storage.reports.annual import annual
from tests.support.cli import medvirk
from tests.support.env import OSLO
from tests.support.fee_claim_builders import completed_request, filed_claim
from tests.support.pdfs import pdf_text
from tests.support.schematron import assert_valid

RATES = """example = false
name = "Alrek 2027"
hourly = 500

[invoice]
seller_name = "Alrek helseklynge"
org_number = "983974724"
street = "Årstadveien 17"
postcode = "5009"
city = "Bergen"
account = "8601.11.17947"
price_per_assignment = 1500
price_per_hour = 100
due_days = 14
foretaksregisteret = true
"""
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


async def _paid_by(db, clock, desk_id: int, commissioner_id: int | None, name: str) -> str:
    """A request of the desk, completed, its one claim (3 hours) confirmed; its reference."""
    request_id, (person,) = await completed_request(db, clock, name)
    async with db.transaction() as session:
        values = {"desk_id": desk_id}
        if commissioner_id is not None:
            values |= {"payer": "commissioner", "commissioner_id": commissioner_id}
        await session.execute(update(Request).where(Request.id == request_id).values(**values))
    claim = await filed_claim(db, clock, request_id, person)
    await claims.confirm(
        db,
        claims.Confirmer.on_page(person),
        claim.id,
        claim.revision,
        payroll_email="lonn@alrek.no",
        now=clock.now(),
    )
    async with db.sessions() as session:
        return (await session.get_one(Request, request_id)).reference


async def test_the_months_invoices_per_commissioner(db, clock, database_url, tmp_path) -> None:
    rates = tmp_path / "alrek.toml"
    rates.write_text(RATES, encoding="utf-8")
    async with db.transaction() as session:
        alrek = await desks.add(
            session,
            desks.NewDesk("alrek", "Alrek", rates_path=str(rates), invoices=True),
            now=clock.now(),
        )
        bergen = await commissioners.keep(
            session, alrek.id, "planlegger@bergen.kommune.no",
            commissioners.organisation({
                "org_name": "Bergen kommune", "org_number": "964338531",
                "invoice_email": "faktura@bergen.kommune.no", "buyer_reference": "Plan 2027",
            }),
            locale="nn", now=clock.now(),
        )  # fmt: skip
        group = await commissioners.keep(
            session, alrek.id, "forsker@example.org",
            commissioners.organisation({
                "org_name": "Forskergruppe Åsane", "invoice_address": "Boks 7\n5101 Eidsvågneset",
            }),
            locale="en", now=clock.now(),
        )  # fmt: skip
    first = await _paid_by(db, clock, alrek.id, bergen.id, "Kari Nordmann")
    second = await _paid_by(db, clock, alrek.id, bergen.id, "Per Hansen")
    await _paid_by(db, clock, alrek.id, group.id, "Ola Ås")
    await _paid_by(db, clock, alrek.id, None, "Unit Betaler")  # the unit pays: no invoice
    month = clock.now().strftime("%Y-%m")
    out = tmp_path / "out"

    done = medvirk(database_url, "invoices", month, "--desk", "alrek", "--out", str(out))
    assert done.returncode == 0, done.stderr
    number = f"ALREK-{month.replace('-', '')}-{bergen.id:04d}"
    theirs = f"ALREK-{month.replace('-', '')}-{group.id:04d}"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{number}.pdf", f"{number}.csv", f"{number}.xml", f"{theirs}.pdf", f"{theirs}.csv"]
    )
    assert "no EHF" in done.stdout and "organisation number" in done.stdout

    xml = (out / f"{number}.xml").read_bytes()
    assert_valid(xml)
    root = etree.fromstring(xml)
    # Two fees of 3 hours at 500 (1,500 each), the desk's 2 assignments at 1,500,
    # and 6 counted hours at 100: 6,600 kroner, outside the scope of VAT.
    payable = root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS)
    assert Decimal(payable or "0") == Decimal("6600.00")
    assert root.findtext("cbc:BuyerReference", namespaces=NS) == "Plan 2027"
    descriptions = root.xpath("//cac:InvoiceLine/cac:Item/cbc:Name/text()", namespaces=NS)
    assert f"Honorar til brukarmedverkar, {first}" in descriptions  # in their nynorsk
    assert any(second in d for d in descriptions)
    assert not any("Kari" in d or "Per" in d for d in descriptions)  # references, no names
    csv = (out / f"{number}.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "6600,00" in csv.decode("utf-8-sig")
    text = pdf_text((out / f"{theirs}.pdf").read_bytes())
    assert "Forskergruppe Åsane" in text and "Eidsvågneset" in text

    # The year's figures: ordered from outside by organisation and type, and
    # what each was invoiced (the same sums as the month's invoices).
    async with db.sessions() as session:
        year = clock.now().year
        terms_of = desks.invoice_terms(load_rates(None))
        report = await annual(session, year, zone=OSLO, now=clock.now(), terms_of=terms_of)
        stats = await year_figures(session, year, zone=OSLO)
    assert report.outside == 3 and report.by_commissioner == {
        "Bergen kommune": 2,
        "Forskergruppe Åsane": 1,
    }
    assert report.invoiced["Bergen kommune"] == 6600.0
    assert stats.by_commissioner == {"Bergen kommune": 2, "Forskergruppe Åsane": 1}
    text = pdf_text(report_pdf(report, "nb", made=clock.now()))
    assert "Bestilt utenfra, per virksomhet" in text and "Fakturert per virksomhet" in text

    # The same month again: the same invoices, not new ones.
    again = medvirk(database_url, "invoices", month, "--out", str(out))
    assert again.returncode == 0 and (out / f"{number}.xml").read_bytes() == xml


async def test_a_desk_that_invoices_without_terms_writes_nothing(
    db, clock, database_url, tmp_path
) -> None:
    async with db.transaction() as session:
        alrek = await desks.add(
            session, desks.NewDesk("alrek", "Alrek", invoices=True), now=clock.now()
        )
        bergen = await commissioners.keep(
            session, alrek.id, "a@bergen.kommune.no",
            commissioners.organisation({"org_name": "Bergen kommune", "invoice_address": "Rådhuset"}),
            now=clock.now(),
        )  # fmt: skip
    await _paid_by(db, clock, alrek.id, bergen.id, "Kari Nordmann")
    out = tmp_path / "out"
    done = medvirk(database_url, "invoices", clock.now().strftime("%Y-%m"), "--out", str(out))
    assert done.returncode == 2 and "[invoice]" in done.stderr
    assert not out.exists() or not any(out.iterdir())
    bad = medvirk(database_url, "invoices", "2027-13")
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr
