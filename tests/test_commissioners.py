"""Commissioners outside the hospital: their organisation is checked as the
order form takes it, and who pays decides where a confirmed fee claim goes."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from storage import commissioners, desks
from storage import fee_claims as claims
from storage.db.models import Desk, OutboxMessage, Request
from storage.domain.refusal import Refused
from storage.outbox import Render, address_of_key
from tests.support.fee_claim_builders import completed_request, filed_claim

BERGEN = {
    "org_name": "Bergen kommune",
    "org_number": "NO 964 338 531 MVA",
    "invoice_email": "faktura@bergen.kommune.no",
    "buyer_reference": "Tjenesteplan 2027",
}


def test_the_organisation_is_checked_and_normalised() -> None:
    org = commissioners.organisation(BERGEN)
    assert org.org_number == "964338531" and org.invoice_email == "faktura@bergen.kommune.no"
    # Without a number (a foreign company, a research group): allowed, by post.
    post = commissioners.organisation({"org_name": "Forskergruppe", "invoice_address": "Boks 7"})
    assert post.org_number is None and post.invoice_address == "Boks 7"


@pytest.mark.parametrize(
    ("change", "key", "field"),
    [
        ({"org_number": "964338532"}, "commissioner.error.org_number", "org_number"),
        ({"org_number": "96433853"}, "commissioner.error.org_number", "org_number"),
        ({"org_name": " "}, "commissioner.error.org_name", "org_name"),
        ({"org_name": "x" * 201}, "commissioner.error.too_long", "org_name"),
        (
            {"invoice_email": "faktura at bergen"},
            "commissioner.error.invoice_email",
            "invoice_email",
        ),
        ({"invoice_email": None}, "commissioner.error.invoice_to", "invoice_email"),
        ({"buyer_reference": "Per 150765 00565"}, "error.identity_number", "buyer_reference"),
    ],
)
def test_a_wrong_field_is_refused_by_its_name(change, key, field) -> None:
    with pytest.raises(Refused) as refused:
        commissioners.organisation({**BERGEN, **change})
    assert (refused.value.key, refused.value.field) == (key, field)


async def _claim_to(db, clock, *, invoices: bool) -> str:
    """Where the confirmed claim of a request Bergen kommune ordered and pays goes."""
    async with db.transaction() as session:
        desk = await desks.add(
            session,
            desks.NewDesk("alrek", "Alrek", payroll_email="lonn@alrek.no", invoices=invoices),
            now=clock.now(),
        )
        bergen = await commissioners.keep(
            session, desk.id, "Planlegger@Bergen.kommune.no",
            commissioners.organisation(BERGEN), now=clock.now(),
        )  # fmt: skip
        assert bergen.email == "planlegger@bergen.kommune.no"
    request_id, (person,) = await completed_request(db, clock, "Kari Nordmann")
    async with db.transaction() as session:
        await session.execute(
            update(Request)
            .where(Request.id == request_id)
            .values(desk_id=desk.id, payer="commissioner", commissioner_id=bergen.id)
        )
    claim = await filed_claim(db, clock, request_id, person)
    await claims.confirm(
        db, claims.Confirmer.on_page(person), claim.id, claim.revision,
        payroll_email="lonn@helse-bergen.no", now=clock.now(),
    )  # fmt: skip
    async with db.sessions() as session:
        (row,) = [
            r
            for r in await session.scalars(select(OutboxMessage))
            if r.payload["render"] == Render.CLAIM_PAYROLL
        ]
    return address_of_key(row.target_key)


async def test_a_commissioner_who_pays_directly_gets_the_confirmed_claim(db, clock) -> None:
    assert await _claim_to(db, clock, invoices=False) == "faktura@bergen.kommune.no"


async def test_a_desk_that_invoices_pays_its_participant_through_its_payroll(db, clock) -> None:
    assert await _claim_to(db, clock, invoices=True) == "lonn@alrek.no"


async def test_a_request_from_before_is_paid_by_its_unit(db, clock) -> None:
    request_id, _ = await completed_request(db, clock, "Kari Nordmann")
    async with db.sessions() as session:
        request = await session.get_one(Request, request_id)
        assert (request.payer, request.commissioner_id) == ("unit", None)
        assert (
            await commissioners.claim_address(session, request, await session.get(Desk, 1)) is None
        )
