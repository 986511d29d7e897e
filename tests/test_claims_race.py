"""The claim is decided by the database alone: twenty transactions claiming one
request at once, with no help from the bot's per-process queue, give one owner."""

from __future__ import annotations

import asyncio

import pytest

from storage.db import Database
from storage.domain.refusal import Refused
from storage.requests import moves
from storage.requests.moves import Actor
from tests.support.channel import MEMBERS, audit_rows, fetch, seed_request


async def _claim(db: Database, request_id: int, actor: Actor, clock) -> str:
    try:
        async with db.transaction() as session:
            await moves.claim(session, request_id, actor, now=clock.now())
    except Refused as refused:
        return refused.key
    return "won"


@pytest.mark.parametrize("round_", range(5))
async def test_twenty_transactions_one_owner(db, clock, round_) -> None:
    request_id = await seed_request(db, clock)
    actors = [Actor(aad, name) for aad, name in MEMBERS]
    outcomes = await asyncio.gather(*(_claim(db, request_id, a, clock) for a in actors))
    assert outcomes.count("won") == 1
    assert set(outcomes) - {"won"} <= {"channel.error.already_claimed"}
    winner = actors[outcomes.index("won")]
    stored = await fetch(db, request_id)
    assert (stored.status, stored.owner_aad_id) == ("claimed", winner.aad_object_id)
    assert [row for row in await audit_rows(db, request_id) if row[1] == "claimed"] == [
        ("submitted", "claimed", None)
    ]
