"""Fill a database through the previous release's own code, and dump every row.

    git worktree add /tmp/prev 2721339   # the release before desks (schema 0014)
    /work/main/.venv/bin/python tests/support/previous_release.py /tmp/prev \\
        tests/fixtures/previous_release_0014.json

Runs with the checkout's packages first on the path (its `bot`, `storage` and
`tests.support`, never this tree's): the app is started in-process on a fresh
SQLite file as its scenario tests start it (the fake connector as Teams, a
real SMTP server on loopback), and a year of work is done the way that
release did it: the channel registered and an order given over HTTP, requests
moved to every status by their use cases, a pool with every participant
status, invitations in every state, agreements signed, fee claims filed,
confirmed, sent to payroll and paid, evaluations asked, answered and reminded,
reminders to subscribers (gatherings, surveys, RSVPs, answers), reads audited,
and the outbox drained (some messages left queued). Nothing is written with
hand-made INSERTs.

The dump (JSON) has every table but `alembic_version`: its columns with the
kind of value each holds (`datetime` in UTC, `date`, `json`, `bool`, `int`,
`str`), its primary key and its rows in key order, in an order that satisfies
the foreign keys. tests/test_desk_migration.py loads it into a database
migrated to 0014 on SQLite and PostgreSQL, without git at test time.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

# Dump format, written and read here and in tests/test_desk_migration.py.
FORMAT = 1


def _use_checkout(checkout: Path) -> None:
    """Import the checkout's packages, not this tree's."""
    here = Path(__file__).resolve().parents[2]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() not in (here, here / "tests")]
    sys.path.insert(0, str(checkout))
    for name in list(sys.modules):
        if name.split(".")[0] in ("bot", "storage", "dialogs", "scheduler", "tests"):
            del sys.modules[name]


def _kind(column: Any) -> str:
    import sqlalchemy as sa

    from storage.db.models import UTCDateTime

    kind = column.type
    if isinstance(kind, UTCDateTime | sa.DateTime):
        return "datetime"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.JSON):
        return "json"
    if isinstance(kind, sa.Boolean):
        return "bool"
    if isinstance(kind, sa.Integer):
        return "int"
    return "str"


def _encoded(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind in ("datetime", "date"):
        assert isinstance(value, datetime | date)
        return value.isoformat()
    if kind == "str":
        return str(value)  # a status enum is its string
    return value


async def dump(url: str, commit: str) -> dict[str, Any]:
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    from storage.db.models import Base

    engine = create_async_engine(url)
    tables: dict[str, Any] = {}
    async with engine.connect() as conn:
        revision = await conn.scalar(sa.text("SELECT version_num FROM alembic_version"))
        for table in Base.metadata.sorted_tables:
            kinds = {c.name: _kind(c) for c in table.columns}
            key = [c.name for c in table.primary_key.columns]
            rows = (await conn.execute(sa.select(table).order_by(*table.primary_key))).mappings()
            tables[table.name] = {
                "columns": kinds,
                "key": key,
                "rows": [{c: _encoded(row[c], k) for c, k in kinds.items()} for row in rows],
            }
    await engine.dispose()
    return {"format": FORMAT, "commit": commit, "revision": revision, "tables": tables}


async def fill(url: str, mail_dir: Path) -> None:
    """A year of the previous release's work on the database at `url`."""
    import aiohttp
    from aiohttp.test_utils import TestServer
    from sqlalchemy import select

    from bot.app import create_app
    from storage import evaluations, invitations, pool
    from storage import fee_claims as claims
    from storage.db.models import Evaluation
    from storage.domain.clock import FixedClock
    from storage.domain.requests import Status
    from storage.outbox.send_budget import SharedSlots
    from storage.privacy import erasure
    from storage.reminders import answers, contacts
    from storage.requests import moves
    from tests.support import builders, reminders
    from tests.support.channel import REQUESTER, requester, seed_request, setup_channel
    from tests.support.env import OSLO
    from tests.support.fake_connector import FakeConnector
    from tests.support.fee_claim_builders import RATES
    from tests.support.harness import Harness, make_settings
    from tests.support.order import confirm, fill_order
    from tests.support.participants import PAYROLL, coordinator
    from tests.support.smtp import SmtpServer
    from tests.support.teams import TeamsClient

    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=OSLO))
    connector = FakeConnector()
    await connector.start()
    smtp = SmtpServer().start()
    settings = make_settings(
        url,
        MEDVIRK_SMTP_URL=smtp.url,
        MEDVIRK_PAYROLL_EMAIL=PAYROLL,
        MEDVIRK_MAIL_DIR=str(mail_dir),
    )
    app = create_app(settings, clock=clock, run_scheduler=False)
    server = TestServer(app)
    await server.start_server()
    http = aiohttp.ClientSession()
    bot = Harness(app, server, TeamsClient(http, str(server.make_url("")).rstrip("/"), connector))
    db = bot.db
    owner = builders.OWNER
    try:
        # The channel registered, the team's members, the requester's chat.
        await setup_channel(bot)
        await coordinator(bot).say("hjelp")
        # An order over HTTP, to the end; another left half-way (its dialog state).
        rita = requester(bot)
        await fill_order(rita)
        await confirm(rita)
        halfway = bot.teams.user("Hans Halvveis", "aad-halfway")
        await halfway.say("bestill")
        await halfway.say("Et panel som ikke ble ferdig bestilt")

        # A request in every status.
        for status in (
            Status.SUBMITTED,
            Status.MATCHED,
            Status.AGREEMENT_SIGNED,
        ):
            await builders.request_in(db, clock, status, title=f"Forespørsel {status.value}")
        working = await builders.request_in(db, clock, Status.IN_PROGRESS, title="I arbeid")
        claimed = await seed_request(db, clock, title="Bare tatt")
        declined = await seed_request(db, clock, title="Avslått")
        cancelled = await seed_request(db, clock, title="Trukket")
        async with db.transaction() as session:
            await moves.claim(session, claimed, owner, now=clock.now())
            await moves.move_status(session, working, owner, Status.IN_PROGRESS, now=clock.now())
            await moves.claim(session, declined, owner, now=clock.now())
            await moves.move_status(
                session, declined, owner, Status.DECLINED, now=clock.now(), comment="Utenfor"
            )
            await moves.cancel_by_requester(
                session, cancelled, REQUESTER.aad_object_id or "", now=clock.now()
            )
        await bot.drain()

        # A completed request: three from the pool said yes and signed; its
        # fee claims and evaluations are open.
        done, ids = await builders.completed_request(
            bot, clock, ["Per Pasient", "Kari Pasient", "Ola Pårørende"]
        )
        per, kari, ola = ids["Per Pasient"], ids["Kari Pasient"], ids["Ola Pårørende"]

        # The rest of the pool: waiting for consent, paused, invited and
        # saying no, invited and not answering (expired), invited and open,
        # one who leaves, one erased.
        async with db.transaction() as session:
            values = pool.validate(
                {
                    "name": "Vera Venter",
                    "email": "vera@example.com",
                    "roles": "next_of_kin",
                    "formats": "digital",
                },
                areas=bot.services.settings.areas,
            )
            await pool.add_asking_consent(session, values, added_by="Medlem 00", now=clock.now())
        names = [
            "Pål Pause",
            "Nina Nei",
            "Tor Taus",
            "Åse Åpen",
            "Lise Leave",
            "Erik Erase",
        ]
        people = {
            n: await builders.participant_with_consent(
                db, clock, n, areas=bot.services.settings.areas[:1]
            )
            for n in names
        }
        open_request = await builders.request_in(
            db, clock, Status.IN_PROGRESS, title="Panel med invitasjoner", participant_count=3
        )
        async with db.transaction() as session:
            await pool.set_paused(
                session, await pool.get(session, people["Pål Pause"]), True, now=clock.now()
            )
            invited = {}
            for name in ("Nina Nei", "Tor Taus", "Åse Åpen", "Lise Leave"):
                made = await invitations.invite(
                    session, open_request, people[name], owner, now=clock.now(), days=3
                )
                invited[name] = made.invitation.id
            await invitations.answer_invitation(
                session,
                invitations.Answerer(participant_id=people["Nina Nei"]),
                invited["Nina Nei"],
                accept=False,
                via="page",
                now=clock.now(),
            )
            await invitations.answer_invitation(
                session,
                invitations.Answerer(participant_id=people["Lise Leave"]),
                invited["Lise Leave"],
                accept=True,
                via="page",
                now=clock.now(),
            )
        async with db.transaction() as session:
            await invitations.answer_invitation(
                session,
                invitations.Answerer(participant_id=people["Åse Åpen"]),
                invited["Åse Åpen"],
                accept=True,
                via="page",
                now=clock.now() + timedelta(days=1),
            )
        await bot.drain()

        # Fee claims: Per's confirmed, sent to payroll and paid; Kari's
        # confirmed where no payroll address is set (it waits for `claims
        # pdf`); Ola's a draft filed twice.
        filer = moves.Actor(REQUESTER.aad_object_id or "", REQUESTER.name)
        figures = {"meetings": 2, "hours": "3,5", "travel_nok": 240}
        filed = {
            p: await claims.file(db, filer, done, p, figures, rates=RATES, now=clock.now())
            for p in (per, kari, ola)
        }
        await claims.file(
            db, filer, done, ola, {"meetings": 1, "hours": 2}, rates=RATES, now=clock.now()
        )
        for p, payroll in ((per, PAYROLL), (kari, "")):
            claim = filed[p].claim
            await claims.confirm(
                db,
                claims.Confirmer.on_page(p),
                claim.id,
                claim.revision,
                payroll_email=payroll,
                now=clock.now(),
            )
        await bot.drain()
        clock.advance(timedelta(days=1))
        await claims.mark_paid(db, filed[per].claim.id, now=clock.now())

        # Evaluations: the requester's and Per's answered, the others reminded.
        async with db.transaction() as session:
            mine = await evaluations.requester_evaluation(session, done)
            assert mine is not None
            await evaluations.answer(
                session,
                mine.id,
                {"rating": "5", "impact": "Nytt informasjonsskriv", "would_use_again": "yes"},
                participant_id=None,
                via="card",
                now=clock.now(),
            )
        async with db.transaction() as session:
            pers = await session.scalar(select(Evaluation).where(Evaluation.participant_id == per))
            assert pers is not None
            await evaluations.answer(
                session,
                pers.id,
                {"rating": "4", "fee_info_clear": "yes", "comment": "Godt møte"},
                participant_id=per,
                via="page",
                now=clock.now(),
            )
        await bot.drain()
        clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=OSLO))  # a working morning
        async with db.transaction() as session:
            await evaluations.due_reminders(session, now=clock.now(), zone=OSLO)
        async with db.transaction() as session:  # Tor never answered
            await invitations.expire_due(session, now=clock.now())
        gro = await builders.participant_with_consent(db, clock, "Gro Gjest")
        async with db.transaction() as session:  # Gro has not answered yet
            await invitations.invite(session, open_request, gro, owner, now=clock.now(), days=14)
        # Lise leaves the pool (her yes withdrawn, her row kept nameless);
        # Erik is erased.
        async with db.transaction() as session:
            lise = await pool.get(session, people["Lise Leave"])
            await erasure.withdraw(session, lise, now=clock.now(), payroll_email=PAYROLL)
            erik = await pool.get(session, people["Erik Erase"])
            await erasure.erase(session, erik, now=clock.now(), payroll_email=PAYROLL)
        await bot.drain()

        # The coordinator's suggestions and the pool's list, posted in the channel
        # (after Erik's erasure and Lise's leaving replaced the first ones).
        suggested = await coordinator(bot).invoke("suggest", {"request_id": open_request})
        assert suggested.status == 200, suggested.body
        await bot.drain()

        # Reminders: subscribers in Teams, a gathering and a survey, a round
        # sent, an RSVP and an answer, a cancelled gathering.
        await reminders.subscribe(bot, "Medlem 01", "aad-member-01", ["contacts", "employees"])
        await reminders.subscribe(bot, "Kari Kontakt", "aad-contact", ["participants"], "en-US")
        async with db.transaction() as session:
            await contacts.upsert_contact(
                session,
                key="mail:kontakt@example.com",
                aad_object_id=None,
                name="Kontakt på e-post",
                locale="nb",
                email="kontakt@example.com",
                groups=["contacts"],
                now=clock.now(),
            )
        soon = clock.now() + timedelta(hours=2)
        gathering = await reminders.add_gathering(
            bot,
            clock,
            starts_at=soon + timedelta(days=1),
            ends_at=soon + timedelta(days=1, hours=6),
            register_by=None,
            remind=reminders.store.parse_offsets("1d", "--remind"),
            remind_register=[],
            groups=["contacts", "participants"],
        )
        survey = await reminders.add_survey(
            bot,
            clock,
            closes_at=soon + timedelta(days=7),
            remind=reminders.store.parse_offsets("7d", "--remind"),
        )
        cancelled_gathering = await reminders.add_gathering(
            bot, clock, title="Avlyst samling", register_by=None, remind_register=[]
        )
        async with db.transaction() as session:
            await reminders.store.cancel_gathering(session, cancelled_gathering, now=clock.now())
        clock.advance(timedelta(hours=3))
        await bot.tick()
        await bot.drain()
        async with db.transaction() as session:
            contact = await contacts.find_contact(session, "mail:kontakt@example.com")
            assert contact is not None
            await answers.record_rsvp(session, gathering, contact, True, now=clock.now())
            await answers.record_answered(session, survey, contact, now=clock.now())

        # The send budget a PostgreSQL deployment's processes share.
        await SharedSlots(db).take(3, 1, 1_796_000_000)
        await SharedSlots(db, "smtp").take(2, 1, 1_796_000_000)

        # Reads noted in the audit: the overview in the channel.
        await coordinator(bot).say_in_channel("oversikt")
        # A last order, its card and notices left in the outbox.
        await seed_request(db, clock, title="Siste bestilling")
    finally:
        await http.close()
        await server.close()
        smtp.stop()
        await connector.close()


async def filled_and_dumped(commit: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/medvirk.db"
        await fill(url, Path(tmp) / "mail")
        return await dump(url, commit)


def main(checkout: Path, out: Path) -> None:
    import subprocess

    _use_checkout(checkout)
    found = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    # A `git archive` export has no .git: its commit is written beside it.
    commit = found.stdout.strip() if found.returncode == 0 else ""
    commit = commit or (checkout / ".commit").read_text().strip()
    dumped = asyncio.run(filled_and_dumped(commit))
    out.write_text(json.dumps(dumped, ensure_ascii=False, indent=1) + "\n")
    counts = {name: len(t["rows"]) for name, t in dumped["tables"].items()}
    print(f"commit {commit}, revision {dumped['revision']}: {counts}")
    empty = [name for name, n in counts.items() if not n]
    if empty:
        print(f"empty tables: {empty}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
