"""The issue's race for the last seat (SPEC "Gatherings people register
for": capacity holds under any race): fifty people press register on the
gathering's last seat at the same moment, half on their card in Teams, half on
their page (`/g/<token>`), half of each to one of two `medvirk serve`
processes on one PostgreSQL database. One gets the seat, 49 wait, in the order
the database gave them their arrival, and each was told the truth."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import aiohttp
import pytest
from sqlalchemy import select

from bot.features.reminders.registrations import gathering_link
from bot.out.links import Links
from storage import reminders as store
from storage.db import Database
from storage.db.models import Contact, Gathering, Registration
from storage.db.secrets import shared_secret
from storage.reminders import registrations
from tests.support.env import OSLO
from tests.support.fake_connector import FakeConnector
from tests.support.participants import form_token
from tests.support.serve_process import ServeProcess
from tests.support.teams import TeamsClient

pytestmark = pytest.mark.processes

PEOPLE = 50
CAPACITY = 5  # four of them taken before the race: the fifth is the last seat
WAITING = re.compile(r"nummer (\d+) på ventelisten")


async def _gathering(db: Database, now: datetime) -> Gathering:
    async with db.transaction() as session:
        return await store.add_gathering(
            session,
            title="Fagdag om pasientforløp",
            starts_at=now + timedelta(days=30),
            ends_at=None,
            place="Glasblokkene",
            register_url=None,
            register_by=now + timedelta(days=20),
            groups=["contacts"],
            remind=[],
            remind_register=[],
            zone=OSLO,
            now=now,
            capacity=CAPACITY,
            questions=["attend_mode"],
        )


async def _contact(db: Database, key: str, now: datetime, **fields: str | None) -> Contact:
    async with db.transaction() as session:
        return await store.upsert_contact(
            session, key=key, name=None, locale="nb", now=now, groups=["contacts"], **fields
        )


async def _take_seats(db: Database, gathering_id: int, seats: int, now: datetime) -> None:
    """The seats before the last, taken by others before the race."""
    for n in range(seats):
        contact = await _contact(db, f"aad-early-{n}", now, aad_object_id=f"aad-early-{n}")
        async with db.transaction() as session:
            mine = await registrations.register(
                session, gathering_id, contact, {"attend_mode": "in_person"}, now=now
            )
            assert mine.status == "registered"


class Person:
    """One of the fifty: pressing on their card, or on their page, through one
    of the two processes."""

    def __init__(self, n: int, gathering_id: int, serve: ServeProcess, on_page: bool) -> None:
        self.n = n
        self.gathering_id = gathering_id
        self.serve = serve
        self.on_page = on_page
        self.key = f"mail:p{n:02d}@example.org" if on_page else f"aad-racer-{n:02d}"
        self.contact_id = 0
        self.page = ""  # the page's path (/g/<token>)
        self.form = ""  # the proof of the page that was opened
        self.status = 0
        self.said = ""

    async def open_page(self, http: aiohttp.ClientSession) -> None:
        """As the person does before pressing: the page is open in their browser."""
        async with http.get(self.serve.url + self.page) as resp:
            page = await resp.text()
            assert resp.status == 200, page
        self.form = form_token(page)

    async def press(self, http: aiohttp.ClientSession, teams: TeamsClient) -> None:
        if self.on_page:
            data = {"form": self.form, "action": "register", "attend_mode": "digital"}
            async with http.post(self.serve.url + self.page, data=data) as resp:
                self.status, self.said = resp.status, await resp.text()
            return
        user = teams.user(f"Person {self.n}", self.key)
        reply = await user.invoke(
            "register", {"gathering_id": self.gathering_id, "attend_mode": "digital"},
            in_channel=False,
        )  # fmt: skip
        body = reply.body if isinstance(reply.body, dict) else {}
        self.status = reply.status if reply.status != 200 else int(body.get("statusCode", 0))
        self.said = str(body.get("value"))


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_fifty_press_register_on_the_last_seat_on_cards_and_pages_in_two_processes(
    db: Database, database_url: str, connector: FakeConnector, tmp_path, backend: str
) -> None:
    now = datetime.now(UTC)
    gathering = await _gathering(db, now)
    await _take_seats(db, gathering.id, CAPACITY - 1, now)
    serves = [ServeProcess(database_url, tmp_path / f"serve-{i}.log") for i in range(2)]
    loop = asyncio.get_running_loop()
    await asyncio.gather(*(loop.run_in_executor(None, s.start) for s in serves))
    try:
        # Half to each process; of each half, half on the card and half on the page.
        people = [
            Person(n, gathering.id, serves[n % 2], on_page=(n // 2) % 2 == 1) for n in range(PEOPLE)
        ]
        links = Links(await shared_secret(db, "links"), "http://medvirk.example")
        for person in people:
            contact = await _contact(
                db, person.key, now,
                email=person.key.removeprefix("mail:") if person.on_page else None,
                aad_object_id=None if person.on_page else person.key,
            )  # fmt: skip
            person.contact_id = contact.id
            person.page = urlsplit(gathering_link(links, gathering, contact.id)).path
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            await asyncio.gather(*(p.open_page(http) for p in people if p.on_page))
            teams = {s.url: TeamsClient(http, s.url, connector) for s in serves}
            # The same moment: every press is in the air before any is answered.
            await asyncio.gather(*(p.press(http, teams[p.serve.url]) for p in people))
    finally:
        codes = [s.terminate() for s in serves]
    assert codes == [0, 0]
    logs = "".join(s.log.read_text(errors="replace") for s in serves)
    assert "Traceback" not in logs, logs[-4000:]

    assert [p.status for p in people] == [200] * PEOPLE, [(p.n, p.status) for p in people]
    async with db.sessions() as session:
        stored = await session.get_one(Gathering, gathering.id)
        rows = list(
            await session.scalars(
                select(Registration)
                .where(Registration.gathering_id == gathering.id)
                .order_by(Registration.arrival)
            )
        )
        places = {r.contact_id: await registrations.place_in_line(session, r) for r in rows}
    racers = {p.contact_id: p for p in people}
    raced = [r for r in rows if r.contact_id in racers]
    assert len(raced) == PEOPLE, "one registration each"
    assert len({r.arrival for r in rows}) == len(rows), "one arrival number each"
    # Exactly one took the last seat: the first to arrive of the fifty.
    assert [r.status for r in raced] == ["registered"] + ["waitlisted"] * (PEOPLE - 1)
    assert stored.seats_taken == CAPACITY
    assert [str(r.status) for r in rows].count("registered") == CAPACITY
    # 49 waiting, places 1..49 in the order the database recorded arrivals.
    assert [places[r.contact_id] for r in raced[1:]] == list(range(1, PEOPLE))
    # Each was told what the database holds: the seat, or their place.
    winner = racers[raced[0].contact_id]
    assert "påmeldt" in winner.said and not WAITING.search(winner.said), winner.said
    for row in raced[1:]:
        person = racers[row.contact_id]
        told = WAITING.search(person.said)
        assert told is not None and int(told.group(1)) == places[row.contact_id], (
            person.n,
            person.on_page,
            told and told.group(0),
        )
    # Both ways in and both processes took part in the race.
    assert {(p.on_page, p.serve.url) for p in people} == {
        (page, s.url) for page in (False, True) for s in serves
    }
