"""State for a fee-claim test from the domain, not from a chain of HTTP steps:
a completed request, a participant in the pool who accepted it, a filed draft."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from storage import fee_claims as claims
from storage import pool
from storage.db import Database
from storage.db.models import FeeClaim, Invitation, Request
from storage.domain.fees import Rates
from storage.requests import submit_request
from storage.requests.moves import Actor
from tests.support.channel import ANSWERS, REQUESTER

RATES = Rates(name="test", hourly=Decimal(500))


async def accepted_participant(
    db: Database, clock: Any, request_id: int, name: str, **fields: Any
) -> int:
    """`name`, consenting to the pool and having said yes to `request_id`."""
    values = pool.validate(
        {
            "name": name,
            "email": f"{name.split()[0].lower()}@example.com",
            "roles": "patient",
            "formats": "physical,digital",
            **fields,
        },
        areas=[],
    )
    now = clock.now()
    async with db.transaction() as session:
        participant = await pool.add(session, values, added_by="test", now=now)
        await pool.consent(session, participant, channel="email", now=now)
        session.add(
            Invitation(
                request_id=request_id,
                participant_id=participant.id,
                status="accepted",
                invited_by_name="test",
                created_at=now,
                expires_at=now + timedelta(days=7),
                answered_at=now,
                answered_via="page",
            )
        )
        return participant.id


async def completed_request(
    db: Database, clock: Any, *names: str, **fields: Any
) -> tuple[int, list[int]]:
    """A completed request of Rita Rekvirent's (`tests.support.channel.REQUESTER`)
    that `names` took part in; its id and theirs."""
    async with db.transaction() as session:
        request = await submit_request(session, dict(ANSWERS), REQUESTER, now=clock.now())
        await session.execute(
            update(Request).where(Request.id == request.id).values(status="completed")
        )
        request_id = request.id
    ids = [await accepted_participant(db, clock, request_id, name, **fields) for name in names]
    return request_id, ids


async def filed_claim(
    db: Database, clock: Any, request_id: int, participant_id: int, *, rates: Rates = RATES
) -> FeeClaim:
    """The requester's draft for the participant (2 meetings, 3 hours)."""
    filed = await claims.file(
        db,
        Actor(REQUESTER.aad_object_id or "", REQUESTER.name),
        request_id,
        participant_id,
        {"meetings": 2, "hours": 3},
        rates=rates,
        now=clock.now(),
    )
    return filed.claim
