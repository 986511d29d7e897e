"""One user action, one use case: answering an invitation (in Teams or on its
page) and inviting each take one write transaction, and nothing the use case
returned is read again after it wrote. Counted at the engine: every statement
sent, every transaction begun."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from sqlalchemy import event, select

from bot.out.person_links import invitation_url
from storage import invitations, pool
from storage.db import Database
from storage.db.models import Invitation, Participant
from storage.requests.moves import Actor
from tests.support.channel import card_of, seed_request, setup_channel
from tests.support.participants import (
    COORDINATOR,
    KARI_AAD,
    PER_AAD,
    coordinator,
    form_token,
    local,
)

# The tables whose rows a use case returns.
SUBJECTS = ("invitations", "participants", "requests")
_READS = re.compile(r"\b(?:FROM|JOIN)\s+(invitations|participants|requests)\b", re.IGNORECASE)


@dataclass
class Statements:
    """What the engines were sent while counting: transactions and statements."""

    writes: int = 0
    reads: int = 0
    sql: list[str] = field(default_factory=list)

    def listen(self, db: Database) -> None:
        engines = [db.engine, getattr(db, "_fixed_plans", None)]
        for engine in [e for e in engines if e is not None]:
            event.listen(engine.sync_engine, "begin", self._begin)
            event.listen(engine.sync_engine, "before_cursor_execute", self._statement)

    def _begin(self, conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT" or options.get("medvirk_read_only"):
            self.reads += 1
        else:
            self.writes += 1

    def _statement(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.startswith("BEGIN"):
            self.sql.append(" ".join(statement.split()))

    def clear(self) -> None:
        self.writes = self.reads = 0
        self.sql.clear()

    @property
    def selects(self) -> list[str]:
        return [s for s in self.sql if s.startswith(("SELECT", "WITH"))]

    def read_after_write(self) -> list[str]:
        """SELECTs of invitations, participants or requests after the first write."""
        first = next(
            (i for i, s in enumerate(self.sql) if s.startswith(("INSERT", "UPDATE", "DELETE"))),
            len(self.sql),
        )
        return [
            s for s in self.sql[first:] if s.startswith(("SELECT", "WITH")) and _READS.search(s)
        ]

    def figures(self, what: str) -> str:
        tables = {
            t: sum(bool(re.search(rf"\b(?:FROM|JOIN)\s+{t}\b", s)) for s in self.selects)
            for t in SUBJECTS
        }
        return (
            f"{what}: {self.writes} write transaction(s), {self.reads} read session(s), "
            f"{len(self.sql)} statements, {len(self.selects)} SELECTs {tables}, "
            f"{len(self.read_after_write())} read(s) of them after the first write"
        )


def _ranking(statement: str) -> bool:
    """The suggestions' one statement (the ranking, `storage.pool.matching`)."""
    return "json_agg" in statement or "json_group_array" in statement


async def _active(bot, clock, name: str, **fields: Any) -> int:
    values = pool.validate(
        {
            "name": name,
            "email": f"{name.split()[0].lower()}@example.com",
            "roles": "patient",
            "formats": "physical,digital",
            **fields,
        },
        areas=bot.services.settings.areas,
    )
    async with bot.db.transaction() as session:
        participant = await pool.add(session, values, added_by="test", now=clock.now())
        await pool.consent(session, participant, channel="email", now=clock.now())
        return participant.id


async def _claimed(bot, clock, **overrides: Any) -> int:
    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock, **overrides)
    await bot.drain()
    card_of(await coordinator(bot).invoke("claim", {"request_id": request_id}))
    await bot.drain()
    return request_id


async def _invited(bot, clock, request_id: int, participant_id: int) -> int:
    async with bot.db.transaction() as session:
        invited = await invitations.invite(
            session, request_id, participant_id, Actor(*COORDINATOR), now=clock.now(), days=7
        )
        return invited.invitation.id


def _counting(bot) -> Statements:
    counted = Statements()
    counted.listen(bot.db)
    return counted


async def test_answering_in_teams_is_one_write_and_no_read_again(bot, clock) -> None:
    request_id = await _claimed(bot, clock, participant_count=2)
    aad = PER_AAD
    per = await _active(bot, clock, "Per Pasient", aad_object_id=aad, email="")
    kari = await _active(bot, clock, "Kari Pasient", aad_object_id=KARI_AAD, email="")
    first = await _invited(bot, clock, request_id, per)
    second = await _invited(bot, clock, request_id, kari)
    counted = _counting(bot)

    yes = card_of(
        await bot.teams.user("Per Pasient", aad).invoke(
            "accept_invitation", {"invitation_id": first}, in_channel=False
        )
    )
    assert "Takk for at du vil delta" in str(yes)
    print(counted.figures("answer in Teams"))
    assert counted.writes == 1 and counted.read_after_write() == []

    # The yes that fills the places, and matches the request: still one.
    counted.clear()
    card_of(
        await bot.teams.user("Kari Pasient", KARI_AAD).invoke(
            "accept_invitation", {"invitation_id": second}, in_channel=False
        )
    )
    print(counted.figures("answer in Teams, matching"))
    assert counted.writes == 1 and counted.read_after_write() == []


async def test_answering_on_the_page_is_one_write_and_no_read_again(bot, clock) -> None:
    request_id = await _claimed(bot, clock, participant_count=2)
    per = await _active(bot, clock, "Per Pasient")
    invitation_id = await _invited(bot, clock, request_id, per)
    async with bot.db.reading() as session:
        invitation = await session.get_one(Invitation, invitation_id)
        participant = await session.get_one(Participant, per)
    links = await bot.services.links.get()
    url = local(bot, invitation_url(links, participant, invitation, "email", now=clock.now()))
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as resp:
            page = await resp.text()
        counted = _counting(bot)
        async with http.post(url, data={"form": form_token(page), "answer": "yes"}) as resp:
            assert resp.status == 200 and "Takk for at du vil delta" in await resp.text()
    print(counted.figures("answer on the page"))
    # The link's person is read to open the link (before anything is written).
    assert counted.writes == 1 and counted.read_after_write() == []


async def test_inviting_is_one_write_and_the_suggestions_one_read_before(bot, clock) -> None:
    """The card answered is the suggestions anew: read once, before the write
    (one more than are shown), never ranked again after it."""
    request_id = await _claimed(bot, clock)
    per = await _active(bot, clock, "Per Pasient", areas="cancer")
    for n in range(6):
        await _active(bot, clock, f"Anne{n} Pasient")
    counted = _counting(bot)
    body = card_of(
        await coordinator(bot).invoke(
            "invite", {"request_id": request_id, "participant_id": per, "areas": "cancer"}
        )
    )
    assert "Per Pasient er invitert" in str(body).replace("\\", "")
    print(counted.figures("invite"))
    assert counted.writes == 1
    assert counted.read_after_write() == []
    assert len([s for s in counted.sql if _ranking(s)]) == 1
    # The one invited is gone from the card; the next came up in their place.
    shown = str(body).replace("Per Pasient er invitert", "")
    assert "Anne4 Pasient" in shown and "Per Pasient" not in shown and "Anne5" not in shown
    async with bot.db.reading() as session:
        asked = await session.scalar(select(Invitation.id).where(Invitation.participant_id == per))
    assert asked is not None
