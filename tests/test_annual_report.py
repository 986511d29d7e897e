"""The annual report on a generated year of 2,000 requests built through the
domain (tests/support/year.py), on both databases: the figures agree with
what was built, no group under 5 people is shown, `medvirk report` writes a
PDF (its pages kept as PNGs in test-artifacts/) and a spreadsheet of the same
figures, and the `statistikk` card links the PDF with a signed link."""

from __future__ import annotations

import asyncio
import io
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pypdfium2
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dialogs.reports import report_pdf, report_xlsx, sections
from storage import reminders as store
from storage.db.models import Contact, ReadEntry, Rsvp, SurveyAnswer
from storage.reports.annual import AnnualFigures, annual, spread
from tests.support.cards import actions_of, assert_valid_card
from tests.support.channel import setup_channel
from tests.support.cli import medvirk
from tests.support.env import OSLO
from tests.support.reminders import seed_reachable_contacts
from tests.support.year import generate_year

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=OSLO)


def pdf_pages(data: bytes, name: str | None = None) -> list[str]:
    """The text of each page; with a name, the pages as PNGs to look at."""
    document = pypdfium2.PdfDocument(data)
    try:
        texts = []
        for number, page in enumerate(document, start=1):
            texts.append(page.get_textpage().get_text_range())
            if name:
                ARTIFACTS.mkdir(exist_ok=True)
                page.render(scale=1.5).to_pil().save(ARTIFACTS / f"{name}-{number}.png")
        return texts
    finally:
        document.close()


def test_the_90th_percentile_is_by_nearest_rank() -> None:
    assert spread([]).median is None
    assert spread([3.0]) == spread([3.0])
    ten = [float(n) for n in range(1, 11)]
    assert (spread(ten).median, spread(ten).p90, spread(ten).count) == (5.5, 9.0, 10)
    assert spread([1.0, 2.0, 100.0]).p90 == 100.0


@pytest.mark.volume
async def test_a_generated_year_in_the_report(db, database_url, tmp_path) -> None:
    made = await generate_year(db, year=2026, count=2000, zone=OSLO)
    async with db.sessions() as session:
        figures = await annual(session, 2026, zone=OSLO, now=NOW)
    assert figures.requests == made.requests == 2000
    assert sum(figures.by_unit.values()) == sum(figures.by_type.values()) == 2000
    assert figures.to_claim.count == made.claimed
    assert figures.matched == made.matched == figures.to_match.count
    assert figures.share_matched == round(made.matched / 2000, 3)
    assert 0 < figures.to_claim.median <= figures.to_claim.p90
    assert figures.to_claim.median < figures.to_match.median <= figures.to_match.p90
    assert figures.by_status["completed"] == made.completed
    assert figures.participants == 80 and sum(figures.by_role.values()) == 80
    assert 0 < figures.claims <= made.claims and figures.fees_nok > 0 and figures.hours > 0
    assert 3 <= figures.requester_rating <= 5 and 2 <= figures.participant_rating <= 5
    (gathering,) = figures.gatherings
    assert gathering.yes + gathering.no == 40

    # The CLI's PDF and spreadsheet hold the same figures.
    pdf_file, xlsx_file = tmp_path / "report.pdf", tmp_path / "report.xlsx"
    for out in (pdf_file, xlsx_file):
        done = medvirk(database_url, "report", "2026", "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert "2000 requests of 2026" in done.stdout
    text = "\n".join(pdf_pages(pdf_file.read_bytes(), "annual-report"))
    for expected in (
        "Brukermedvirkning 2026: årsrapport",
        "Hovedtall",
        "Dager fra innsendt til tatt (median / 90. persentil)",
        "Brukermedvirkere etter rolle",
        "Årlig fellessamling 2026",
        "Hjerteklinikken",
        "Øyeavdelingen",
    ):
        assert expected in text, expected
    book = load_workbook(io.BytesIO(xlsx_file.read_bytes()))
    assert book.sheetnames == [
        "Oversikt",
        "Bestillinger",
        "Brukermedvirkere",
        "Samlinger og undersøkelser",
    ]
    cells = {
        row[0]: row[1]
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        if row and row[0] is not None
    }
    for section in sections(figures, "nb"):
        for label, value in section.rows:
            if label in cells and isinstance(value, int):
                assert cells[label] == value, label
    assert cells["Bestillinger"] == 2000
    assert cells["Hjerteklinikken"] == figures.by_unit["Hjerteklinikken"]

    bad = medvirk(database_url, "report", "2026", "--out", str(tmp_path / "report.docx"))
    assert bad.returncode != 0 and ".pdf or .xlsx" in bad.stderr
    assert "Traceback" not in bad.stderr


async def test_groups_under_five_are_never_shown(db) -> None:
    await generate_year(db, year=2026, count=40, zone=OSLO, participants=7)
    async with db.sessions() as session:
        figures = await annual(session, 2026, zone=OSLO, now=NOW)
    # 7 participants over four roles: no role has 5.
    assert figures.participants == 7
    assert set(figures.by_role.values()) == {None}
    assert figures.claims < 5 and figures.fees_nok is None and figures.requester_rating is None
    text = "\n".join(pdf_pages(report_pdf(figures, "en", made=NOW)))
    assert "Participants by role" in text and "fewer than 5" in text
    role_lines = [line for line in text.splitlines() if line.startswith(("Patient", "Youth"))]
    assert role_lines and all("fewer than 5" in line for line in role_lines)
    book = load_workbook(io.BytesIO(report_xlsx(figures, "en", made=NOW)))
    cells = {
        row[0]: row[1] for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
    }
    assert cells["Patient"] == "fewer than 5" and cells["Requests"] == 40


async def test_the_statistics_card_links_the_report(bot, clock) -> None:
    await setup_channel(bot)
    await generate_year(bot.db, year=2026, count=30, zone=OSLO, participants=10)
    member = bot.teams.user("Medlem 01", "aad-member-01")
    reply = await member.say_in_channel("statistikk 2026")
    (card,) = reply.cards
    assert_valid_card(card)
    assert "Hovedtall" in str(card) and "Andel som fikk brukermedvirker" in str(card)
    (download,) = [a for a in actions_of(card) if a.get("type") == "Action.OpenUrl"]
    path = urlsplit(download["url"]).path
    assert path.startswith("/r/")
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{bot.url}{path}") as resp:
            assert resp.status == 200 and resp.content_type == "application/pdf"
            data = await resp.read()
        assert "Brukermedvirkning 2026: årsrapport" in pdf_pages(data)[0]
        async with http.get(f"{bot.url}{path[:-3]}xyz") as resp:
            assert resp.status == 404
            assert "Traceback" not in await resp.text()
        clock.advance(timedelta(days=8))
        async with http.get(f"{bot.url}{path}") as resp:
            assert resp.status == 410


async def test_small_gathering_and_survey_counts_are_hidden(db) -> None:
    """Three who said no to a gathering, or two who answered a survey, are
    people a colleague could name: such counts are hidden like small groups."""
    await seed_reachable_contacts(db, 12, "http://127.0.0.1:1")
    at = NOW - timedelta(days=30)
    async with db.transaction() as session:
        contacts = list(await session.scalars(select(Contact.id).order_by(Contact.id)))
        gathering = await store.add_gathering(
            session,
            title="Nettverkssamling",
            starts_at=at,
            ends_at=None,
            place=None,
            register_url=None,
            register_by=None,
            groups=None,
            remind=[],
            remind_register=[],
            zone=OSLO,
            now=at - timedelta(days=60),
        )
        survey = await store.add_survey(
            session,
            title="Årlig undersøkelse",
            url="https://example.org/s",
            closes_at=at,
            opens_at=None,
            groups=None,
            remind=[],
            zone=OSLO,
            now=at - timedelta(days=60),
        )
        session.add_all(
            [
                Rsvp(gathering_id=gathering.id, contact_id=c, coming=i < 9, at=at)
                for i, c in enumerate(contacts)
            ]
            + [SurveyAnswer(survey_id=survey.id, contact_id=c, at=at) for c in contacts[:2]]
        )
    async with db.sessions() as session:
        figures = await annual(session, 2026, zone=OSLO, now=NOW)
    ((gathered,), (surveyed,)) = figures.gatherings, figures.surveys
    assert (gathered.yes, gathered.no, surveyed.yes) == (9, None, None)
    rows = dict(next(s for s in sections(figures, "en") if s.title.startswith("Gatherings")).rows)
    assert rows == {f"Nettverkssamling ({at.date().isoformat()})": "9 / fewer than 5"}
    rows = dict(next(s for s in sections(figures, "en") if s.title.startswith("Surveys")).rows)
    assert list(rows.values()) == ["fewer than 5"]
    text = "\n".join(pdf_pages(report_pdf(figures, "en", made=NOW)))
    assert "9 / fewer than 5" in text


async def test_the_report_link_draws_the_pdf_once_a_day(bot, clock) -> None:
    """Many who open the shared link, at once or later the same day, get the
    PDF drawn once; another language, or the next day, draws it anew."""
    await setup_channel(bot)
    await generate_year(bot.db, year=2026, count=30, zone=OSLO, participants=10)
    member = bot.teams.user("Medlem 01", "aad-member-01")
    english = bot.teams.user("Medlem 02", "aad-member-02", locale="en-US")
    links = []
    for user in (member, english):
        (card,) = (await user.say_in_channel("statistikk 2026")).cards
        (download,) = [a for a in actions_of(card) if a.get("type") == "Action.OpenUrl"]
        links.append(urlsplit(download["url"]).path)
    pdfs = bot.services.report_pdfs

    async with aiohttp.ClientSession() as http:

        async def download(path: str) -> bytes:
            async with http.get(f"{bot.url}{path}") as resp:
                assert resp.status == 200
                return await resp.read()

        first = await asyncio.gather(*(download(links[0]) for _ in range(5)))
        assert await download(links[0]) == first[0] and set(first) == {first[0]}
        assert pdfs.renders == 1
        assert "annual report" in pdf_pages(await download(links[1]))[0].lower()
        assert pdfs.renders == 2
        clock.advance(timedelta(days=1))
        await download(links[0])
        assert pdfs.renders == 3
    async with bot.db.sessions() as session:
        reads = await session.scalar(
            select(func.count())
            .select_from(ReadEntry)
            .where(ReadEntry.reader == "link", ReadEntry.what == "report 2026 of desks 1")
        )
    assert reads == 8, "every download is on the read audit, drawn or not"


def test_the_charts_register_their_font_once() -> None:
    from matplotlib import font_manager

    figures = AnnualFigures(2026, requests=3, by_unit=Counter({"Hjerteklinikken": 3}))
    report_pdf(figures, "nb", made=NOW)
    fonts = len(font_manager.fontManager.ttflist)
    for _ in range(3):
        report_pdf(figures, "nb", made=NOW)
    assert len(font_manager.fontManager.ttflist) == fonts
