"""Personal data: purge after retention, forget a person, the audit trail, log redaction."""

import io
import logging
import os
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.cli import RedactIdentityNumbers
from storage.db.models import AuditEntry, Contact, ConversationRef, Desk, Request
from storage.domain.requests import Status
from storage.privacy import purge
from storage.privacy.erasure import forget
from storage.reports import year_figures
from storage.requests.completion import set_status
from storage.requests.moves import Actor, claim
from tests.support.channel import seed_request
from tests.support.cli import medvirk
from tests.support.env import OSLO
from tests.support.tables import every_row

OWNER = Actor("aad-owner", "Olga Owner")


async def _closed(db, clock, **overrides) -> int:
    request_id = await seed_request(db, clock, **overrides)
    async with db.transaction() as session:
        await claim(session, request_id, OWNER, now=clock.now())
        await set_status(
            session, request_id, OWNER, Status.DECLINED, now=clock.now(), comment="Ingen kandidat"
        )
    return request_id


async def test_purge_keeps_figures_and_drops_personal_data(db, clock) -> None:
    old = await _closed(db, clock, title="Gammel")
    clock.advance(timedelta(days=800))
    recent = await _closed(db, clock, title="Ny")
    still_open = await seed_request(db, clock, title="Åpen")
    async with db.transaction() as session:
        result = await purge(session, older_than=timedelta(days=730), now=clock.now())
    assert result.requests == 1
    async with db.sessions() as session:
        purged = await session.get(Request, old)
        assert (
            purged.title is None and purged.requester_name is None and purged.decline_reason is None
        )
        assert purged.assignment_type == "research" and purged.status == "declined"
        assert (await session.get(Request, recent)).title == "Ny"
        assert (await session.get(Request, still_open)).requester_name == "Rita Rekvirent"
        audit = list(await session.scalars(select(AuditEntry).where(AuditEntry.request_id == old)))
        assert all(a.actor_name is None and a.comment is None for a in audit)
        figures = await year_figures(session, 2026, zone=OSLO)
    assert figures.total >= 1 and figures.by_outcome["declined"] >= 1


async def test_forget_a_person(bot, clock) -> None:
    user = bot.teams.user("Rita Rekvirent", "aad-requester")
    await user.say("abonner")
    request_id = await seed_request(bot.db, clock)
    async with bot.db.transaction() as session:
        counts = await forget(session, "aad-requester")
    assert counts["conversation_refs"] == 1 and counts["requests"] == 1
    async with bot.db.sessions() as session:
        assert await session.scalar(select(Contact)) is None
        assert await session.scalar(select(ConversationRef)) is None
        request = await session.get(Request, request_id)
        assert request.requester_name is None and request.requester_aad_id is None
        audit = list(await session.scalars(select(AuditEntry)))
        assert all(a.actor_aad_id != "aad-requester" for a in audit)


async def test_cli_purge_forget_audit(db, database_url, clock) -> None:
    request_id = await _closed(db, clock)
    async with db.sessions() as session:
        reference = (await session.get(Request, request_id)).reference
    done = medvirk(database_url, "audit", reference)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert "-> submitted" in lines[0] and "-> claimed" in lines[1] and "Olga Owner" in lines[1]
    assert "declined" in lines[2] and "Ingen kandidat" in lines[2]
    assert medvirk(database_url, "audit", "BM-1999-0001").returncode == 2
    assert "0 requests purged" in medvirk(database_url, "purge", "--older-than", "24months").stdout
    bad = medvirk(database_url, "purge", "--older-than", "soon")
    assert bad.returncode == 2 and "--older-than" in bad.stderr
    done = medvirk(database_url, "forget", "aad-requester")
    assert done.returncode == 0 and "requests 1" in done.stdout


async def test_tracebacks_and_database_errors_carry_no_personal_data(db, clock) -> None:
    """The redaction covers a logged exception, and database errors do not quote
    the values of the statement that failed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactIdentityNumbers())
    logger = logging.getLogger("medvirk.test.redaction")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("bad answer 150765 005 65")
        except ValueError:
            logger.exception("turn failed")
        with pytest.raises(IntegrityError) as err:
            async with db.transaction() as session:
                session.add(Desk(code="one", name_nb="Personal Name", created_at=clock.now()))
                session.add(Desk(code="one", name_nb="Personal Name", created_at=clock.now()))
        logger.error("database failed", exc_info=err.value)
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Traceback" in text and "[fnr]" in text
    assert "005 65" not in text and "00565" not in text
    assert "Personal Name" not in str(err.value) and "Personal Name" not in text


def test_log_lines_never_carry_identity_numbers(caplog) -> None:
    logger = logging.getLogger("medvirk.test")
    handler = logging.StreamHandler()
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "text %s", ("15076500565",), None)
    RedactIdentityNumbers().filter(record)
    assert "15076500565" not in record.getMessage() and "[fnr]" in record.getMessage()
    del logger, handler


PIA = {"aad": "aad-pia", "user": "29:aad-pia", "name": "Pia Personvern", "email": "pia@sykehus.no"}


async def test_after_forget_no_table_holds_the_person(bot, clock) -> None:
    from storage.requests import Requester, submit_request
    from tests.support.channel import ANSWERS, MEMBERS, setup_channel

    await setup_channel(bot)
    bot.connector.add_member(PIA["aad"], PIA["name"])
    pia = bot.teams.user(PIA["name"], PIA["aad"])
    await pia.say("abonner")  # a contact with a conversation reference
    first = await seed_request(bot.db, clock, title="Første")
    await pia.invoke("claim", {"request_id": first})  # owner, audit row, a notice naming her
    other = await seed_request(bot.db, clock, title="Andre")
    colleague = bot.teams.user("Medlem 01", MEMBERS[1][0])
    await colleague.invoke("claim", {"request_id": other})
    await colleague.invoke("assign", {"request_id": other, "assignee": PIA["aad"]})
    async with bot.db.transaction() as session:  # her own order, with her e-mail
        await submit_request(
            session,
            ANSWERS,
            Requester(PIA["user"], PIA["aad"], PIA["name"], PIA["email"], "nb"),
            now=clock.now(),
        )
    await bot.drain()
    await colleague.invoke("release", {"request_id": other})  # a notice still pending
    await pia.say("bestill")
    await pia.say("Et halvferdig prosjekt")  # a half-finished order in dialog state
    before = "\n".join(await every_row(bot.db))
    assert all(value in before for value in PIA.values())

    async with bot.db.transaction() as session:
        await forget(session, PIA["aad"])

    left = [row for row in await every_row(bot.db) if any(v in row for v in PIA.values())]
    assert left == []
    assert "Et halvferdig prosjekt" not in "\n".join(await every_row(bot.db))


async def test_forget_matches_exactly_never_by_pattern(bot, clock) -> None:
    user = bot.teams.user("Kari", "aad-kari")
    await user.say("abonner")
    await user.say("bestill")
    before = await every_row(bot.db)
    async with bot.db.transaction() as session:
        await forget(session, "___")
        await forget(session, "%")
    assert await every_row(bot.db) == before


async def test_purge_drops_abandoned_dialogs_finished_messages_and_nameless_requests(
    bot, clock
) -> None:
    from storage.db.models import DialogStateRow, OutboxMessage
    from storage.privacy import purge_short_lived
    from storage.requests import Requester, submit_request
    from tests.support.channel import ANSWERS

    user = bot.teams.user("Kari", "aad-kari")
    await user.say("bestill")  # begun, never finished
    async with bot.db.transaction() as session:
        nameless = await submit_request(
            session, ANSWERS, Requester("29:anon", None, None, None, "nb"), now=clock.now()
        )
    async with bot.db.transaction() as session:
        await claim(session, nameless.id, OWNER, now=clock.now())
        await set_status(
            session, nameless.id, OWNER, Status.DECLINED, now=clock.now(), comment="Nei"
        )
    await bot.drain()
    clock.advance(timedelta(days=31))
    async with bot.db.transaction() as session:
        short = await purge_short_lived(session, now=clock.now())
    assert short.dialog_states >= 1 and short.outbox_rows >= 1
    async with bot.db.sessions() as session:
        assert await session.scalar(select(DialogStateRow)) is None
        assert all(r.state == "pending" for r in await session.scalars(select(OutboxMessage)))
    clock.advance(timedelta(days=800))
    async with bot.db.transaction() as session:
        result = await purge(session, older_than=timedelta(days=730), now=clock.now())
    assert result.requests == 1
    async with bot.db.sessions() as session:
        row = await session.get(Request, nameless.id)
    assert row.title is None and row.requester_user_id == "anonymised"


async def test_a_person_forgotten_by_the_cli_is_reachable_again_after_writing(bot, clock) -> None:
    """The serving process does not trust its memory of a saved reference for
    long: after `forget` (another process), the person's next turn saves it again."""
    user = bot.teams.user("Kari", "aad-kari")
    await user.say("hjelp")
    async with bot.db.transaction() as session:
        await forget(session, "aad-kari")
    clock.advance(timedelta(minutes=2))
    await user.say("hjelp")
    async with bot.db.sessions() as session:
        assert await session.scalar(
            select(ConversationRef).where(ConversationRef.key == "aad-kari")
        )


async def test_reads_are_audited_who_and_what_never_the_content(bot, clock, database_url) -> None:
    from tests.support.channel import MEMBERS, setup_channel

    await setup_channel(bot)
    request_id = await seed_request(bot.db, clock, title="Hemmelig tittel")
    member = bot.teams.user("Medlem 01", MEMBERS[1][0])
    owner = bot.teams.user("Medlem 02", MEMBERS[2][0])
    await owner.invoke("claim", {"request_id": request_id})
    await owner.invoke("refresh", {"request_id": request_id})  # its owner: not a read to note
    await member.invoke("refresh", {"request_id": request_id})
    await member.say_in_channel("oversikt")
    await member.say_in_channel("statistikk 2026")
    assert medvirk(database_url, "export", "--out", os.devnull).returncode == 0
    reference = await fetch_reference(bot.db, request_id)
    assert medvirk(database_url, "audit", reference).returncode == 0

    listed = medvirk(database_url, "audit", "--reader")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert any(MEMBERS[1][0] in line and f"refresh {reference}" in line for line in lines)
    assert not any(MEMBERS[2][0] in line for line in lines)
    assert any(MEMBERS[1][0] in line and "overview" in line for line in lines)
    assert any("statistics 2026" in line for line in lines)
    assert any("cli:" in line and "export" in line for line in lines)
    assert any("cli:" in line and f"audit {reference}" in line for line in lines)
    assert "Hemmelig" not in listed.stdout
    mine = medvirk(database_url, "audit", "--reader", MEMBERS[1][0]).stdout.splitlines()
    assert len(mine) == 3 and all(MEMBERS[1][0] in line for line in mine)


async def fetch_reference(db, request_id: int) -> str:
    async with db.sessions() as session:
        return (await session.get(Request, request_id)).reference
