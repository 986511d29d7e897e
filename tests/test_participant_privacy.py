"""A participant's own page (see, correct, pause, withdraw), erasure from every
table (withdrawal, `participants forget`, `medvirk forget`) and retention."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import aiohttp
from sqlalchemy import select

from bot import jobs
from storage import desks, pool
from storage.db import scope
from storage.db.models import Invitation, Participant, ParticipantDesk, Request
from storage.pool import matching
from tests.support.channel import card_of, fetch, seed_request, setup_channel
from tests.support.cli import medvirk
from tests.support.participants import (
    PERSON,
    add_by_card,
    coordinator,
    local,
    open_and_answer,
    own_data_link,
    participant_named,
    person_links,
)
from tests.support.smtp import parts
from tests.support.tables import every_row
from tests.test_invitations import claimed_request, invitation_links

NEEDLES = ("Per Pasient", "per.pasient@example.com", "+4791234567", "912 34 567")


PER = "per.pasient@example.com"


async def consented(bot, smtp) -> str:
    """Per added from the channel and said yes; the link to his data, asked
    for on the consent page and read from the mail it came in."""
    await setup_channel(bot)
    await add_by_card(bot, organisation="Kreftforeningen", municipality="Bergen")
    await bot.drain()
    (link,) = set(person_links(smtp.inbox.messages[-1]))
    async with aiohttp.ClientSession() as http:
        status, _ = await open_and_answer(http, local(bot, link), answer="yes")
        assert status == 200
        return await own_data_link(bot, smtp, http, local(bot, link), PER)


async def test_the_own_page_shows_and_corrects_their_data(start_bot, smtp, clock) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    link = await consented(bot, smtp)
    async with aiohttp.ClientSession() as http:
        async with http.get(link) as resp:
            page = await resp.text()
        assert "Opplysningene dine" in page and "Kreftforeningen" in page and "Kreft" in page
        assert 'for="f-phone"' in page and 'id="f-phone"' in page  # labelled inputs
        clock.advance(timedelta(minutes=59))
        status, saved = await open_and_answer(
            http,
            link,
            answer="update",
            name="Per Pasient",
            email=PER,
            phone="912 34 567",
            municipality="Askøy",
            availability="Kvelder",
            formats=["digital"],
            languages=["nn"],
        )
        assert status == 200 and "Endringane er lagra" in saved  # now in nynorsk
        for bad in (
            {"phone": "123"},
            {"availability": "fnr 15076500565"},
            {"phone": "", "email": ""},
        ):
            fields = {
                "answer": "update",
                "name": "Per Pasient",
                "email": PER,
                "phone": "+4791234567",
                "formats": ["digital"],
                **bad,
            }
            status, refused = await open_and_answer(http, link, **fields)
            assert status == 400, bad
            assert "15076500565" not in refused
        # An hour after it was sent, the link to his data is dead.
        clock.advance(timedelta(minutes=1, seconds=1))
        async with http.get(link) as resp:
            assert resp.status == 410 and "Kreftforeningen" not in await resp.text()
    p = await participant_named(bot.db, "Per Pasient")
    assert (p.phone, p.municipality, p.availability) == ("+4791234567", "Askøy", "Kvelder")
    assert (p.formats, p.languages, p.locale) == (["digital"], ["nn"], "nn")
    assert p.last_active_at == clock.now() - timedelta(minutes=1, seconds=1)


async def test_pause_keeps_them_out_of_suggestions_until_they_resume(
    start_bot, smtp, clock
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    link = await consented(bot, smtp)
    request_id = await claimed_request(bot, clock, meeting_format="digital")

    def names(card) -> str:
        return str(card).replace("\\\\", "")

    async with aiohttp.ClientSession() as http:
        status, page = await open_and_answer(http, link, answer="pause")
        assert status == 200 and "på pause" in page
        suggested = card_of(
            await coordinator(bot).invoke("suggest", {"request_id": request_id, "in_place": True})
        )
        assert "Per Pasient" not in names(suggested)
        status, page = await open_and_answer(http, link, answer="resume")
        assert status == 200 and "Velkommen tilbake" in page
    suggested = (await coordinator(bot).invoke("suggest", {"request_id": request_id})).card
    assert "Per Pasient" in names(suggested)


async def test_withdrawing_erases_them_and_keeps_only_counts(start_bot, smtp, clock) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    link = await consented(bot, smtp)
    request_id = await claimed_request(bot, clock, participant_count=1)
    per = (await participant_named(bot.db, "Per Pasient")).id
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    async with aiohttp.ClientSession() as http:
        status, page = await open_and_answer(http, link, answer="withdraw")
        assert status == 200 and "trukket fra utvalget" in page
        async with http.get(link) as resp:
            assert resp.status == 404  # the link is nobody's now
    rows = await every_row(bot.db)
    for needle in (*NEEDLES, "Kreftforeningen", "Bergen"):
        assert not [r for r in rows if needle in r], needle
    async with bot.db.sessions() as session:
        left = await session.get(Participant, per)
        invitation = await session.scalar(select(Invitation))
    assert (left.status, left.roles, left.name, left.areas) == ("left", ["patient"], None, [])
    assert invitation.status == "withdrawn"
    assert (await fetch(bot.db, request_id)).match_summary["waiting"] == 0


async def test_forget_erases_a_matched_participant_from_every_table(
    start_bot, smtp, clock, database_url
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await consented(bot, smtp)
    request_id = await claimed_request(bot, clock, participant_count=1)
    per = (await participant_named(bot.db, "Per Pasient")).id
    await coordinator(bot).invoke("invite", {"request_id": request_id, "participant_id": per})
    await bot.drain()
    (invite,) = invitation_links(smtp, "per.pasient@example.com")
    async with aiohttp.ClientSession() as http:
        await open_and_answer(http, local(bot, invite), answer="yes")
    assert (await fetch(bot.db, request_id)).match_summary["accepted"] == ["Per Pasient"]

    done = medvirk(database_url, "participants", "forget", str(per))
    assert done.returncode == 0, done.stderr
    assert "erased from every table" in done.stdout
    rows = await every_row(bot.db)
    for needle in NEEDLES:
        assert not [r for r in rows if needle in r], needle
    assert (await fetch(bot.db, request_id)).match_summary["accepted"] == []


async def test_medvirk_forget_by_email_erases_the_participant(start_bot, smtp, database_url):
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await consented(bot, smtp)
    done = medvirk(database_url, "forget", "Per.Pasient@example.com")
    assert done.returncode == 0, done.stderr
    assert "participants 1" in done.stdout
    assert await participant_named(bot.db, "Per Pasient") is None


async def test_retention_erases_the_silent_and_asks_the_long_inactive(
    start_bot, smtp, clock
) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url, MEDVIRK_PARTICIPANT_RETENTION="36months")
    await consented(bot, smtp)  # Per, active
    await add_by_card(bot, name="Nina Ny", email="nina@example.com", phone="")  # never answers
    await bot.drain()
    clock.advance(timedelta(days=31))
    await jobs.participant_retention(bot.services)
    assert await participant_named(bot.db, "Nina Ny") is None
    assert await participant_named(bot.db, "Per Pasient") is not None

    clock.advance(timedelta(days=36 * 30))
    await jobs.participant_retention(bot.services)
    await bot.drain()
    asked = smtp.inbox.messages[-1]
    assert asked["Subject"] == "Vil du fortsatt være brukermedvirker?"
    assert "30 dager" in parts(asked)["text/plain"]
    (link,) = set(person_links(asked))  # the consent mail's link has long expired
    async with aiohttp.ClientSession() as http:
        status, page = await open_and_answer(http, local(bot, link), answer="stay")
    assert status == 200 and "fortsatt med i utvalget" in page
    per = await participant_named(bot.db, "Per Pasient")
    assert per.retention_asked_at is None and per.last_active_at == clock.now()

    # Asked again a long time later, and silent: erased 30 days after.
    clock.advance(timedelta(days=36 * 30 + 1))
    await jobs.participant_retention(bot.services)
    clock.advance(timedelta(days=31))
    await jobs.participant_retention(bot.services)
    assert await participant_named(bot.db, "Per Pasient") is None


async def test_a_person_link_expires(start_bot, smtp, clock) -> None:
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    await setup_channel(bot)
    await add_by_card(bot)
    await bot.drain()
    (link,) = set(person_links(smtp.inbox.messages[-1]))
    clock.advance(timedelta(days=31))
    async with aiohttp.ClientSession() as http:
        async with http.get(local(bot, link)) as resp:
            assert resp.status == 410 and "utløpt" in await resp.text()
    assert (await participant_named(bot.db, PERSON["name"])).status == "pending"


async def test_participants_in_the_cli(database_url, tmp_path) -> None:
    csv = tmp_path / "pool.csv"
    csv.write_text(
        "name,email,phone,roles,areas,formats,languages\n"
        "Anne Pasient,anne@example.com,,patient,cancer;elderly,physical;digital,nb\n"
        "Berit Pårørende,,+47 912 34 568,next_of_kin,,digital,nn\n",
        encoding="utf-8",
    )
    done = medvirk(database_url, "participants", "import", str(csv))
    assert done.returncode == 0, done.stderr
    assert (
        "2 participants imported (pending): 2 asked for consent "
        "(0 in Teams, 1 by e-mail, 1 by SMS), 0 not reachable" in done.stdout
    )
    added = medvirk(
        database_url,
        "participants",
        "add",
        "--name",
        "Cato",
        "--email",
        "cato@example.com",
        "--roles",
        "youth",
        "--formats",
        "digital",
    )
    assert added.returncode == 0 and "asked for consent by e-mail" in added.stdout
    bad = medvirk(
        database_url,
        "participants",
        "add",
        "--name",
        "Dora",
        "--phone",
        "12",
        "--roles",
        "patient",
        "--formats",
        "digital",
    )
    assert bad.returncode != 0 and "phone" in bad.stderr and "Traceback" not in bad.stderr
    fnr = medvirk(
        database_url,
        "participants",
        "add",
        "--name",
        "Eva 15076500565",
        "--email",
        "eva@example.com",
        "--roles",
        "patient",
        "--formats",
        "digital",
    )
    assert fnr.returncode != 0 and "15076500565" not in fnr.stderr + fnr.stdout
    listing = medvirk(database_url, "participants", "list", "--status", "pending")
    assert listing.stdout.count("pending") == 3
    shown = medvirk(database_url, "participants", "show", "1")
    assert "anne@example.com" in shown.stdout and "areas: cancer,elderly" in shown.stdout
    onboarded = medvirk(
        database_url,
        "participants",
        "onboard",
        "1",
        "--elearning",
        "2026-11-30",
        "--confidentiality",
        "2026-12-01",
    )
    assert onboarded.returncode == 0, onboarded.stderr
    assert (
        "confidentiality declaration: 2026-12-01"
        in medvirk(database_url, "participants", "show", "1").stdout
    )
    bad_day = medvirk(database_url, "participants", "onboard", "1", "--elearning", "30.11")
    assert bad_day.returncode != 0 and "YYYY-MM-DD" in bad_day.stderr
    paused = medvirk(database_url, "participants", "pause", "1")
    assert paused.returncode != 0 and "pending" in paused.stderr  # not before consent
    gone = medvirk(database_url, "participants", "forget", "2")
    assert gone.returncode == 0
    assert "Berit" not in medvirk(database_url, "participants", "list").stdout
    audit = medvirk(database_url, "audit", "--reader")
    assert "participant 1" in audit.stdout and "participants" in audit.stdout


def test_every_consent_text_version_exists_in_every_language() -> None:
    folder = Path(__file__).resolve().parents[1] / "dialogs" / "templates" / "consent"
    versions = {p.name.split(".")[0] for p in folder.glob("v*.html")}
    assert f"v{pool.CONSENT_VERSION}" in versions
    for version in versions:
        for locale in ("nb", "nn", "en"):
            assert (folder / f"{version}.{locale}.html").exists(), (version, locale)


async def test_a_participant_lets_another_desk_ask_them_on_their_page(
    start_bot, smtp, clock
) -> None:
    """A consent per desk, with its time and text version; that desk's pool
    shows them and its requests are suggested them; unticked, neither."""
    bot = await start_bot(MEDVIRK_SMTP_URL=smtp.url)
    added = medvirk(bot.db.url, "desks", "add", "--code", "alrek", "--name", "Alrek ressurssenter")
    assert added.returncode == 0, added.stderr
    link = await consented(bot, smtp)
    async with bot.db.sessions() as session:
        alrek = await desks.known(session, "alrek")
    fields = {
        "answer": "update",
        "name": "Per Pasient",
        "email": PER,
        "phone": "912 34 567",
        "formats": ["digital"],
    }
    async with aiohttp.ClientSession() as http:
        async with http.get(link) as resp:
            page = await resp.text()
        assert "Alrek ressurssenter" in page and f'name="desks" value="{alrek.id}"' in page
        status, saved = await open_and_answer(http, link, **fields, desks=[str(alrek.id)])
        assert status == 200 and f'value="{alrek.id}" checked' in saved
    per = await participant_named(bot.db, "Per Pasient")
    async with bot.db.sessions() as session:
        (row,) = await session.scalars(select(ParticipantDesk))
    assert (row.participant_id, row.desk_id) == (per.id, alrek.id)
    assert row.consented_at == clock.now() and row.consent_version == pool.CONSENT_VERSION
    request_id = await seed_request(bot.db, clock, meeting_format="digital", desk_id=alrek.id)
    async with bot.db.sessions() as session:
        request = await session.get(Request, request_id)
        with scope.within({alrek.id}):
            assert await session.get(Participant, per.id) is not None
            suggested = await matching.suggest(session, request, now=clock.now())
    assert [s.candidate.participant_id for s in suggested] == [per.id]
    async with aiohttp.ClientSession() as http:
        status, _ = await open_and_answer(http, link, **fields)
        assert status == 200
    async with bot.db.sessions() as session:
        assert list(await session.scalars(select(ParticipantDesk))) == []
        with scope.within({alrek.id}):
            assert await session.get(Participant, per.id) is None
            assert await matching.suggest(session, request, now=clock.now()) == []
