"""The annual report on a generated year of 2,000 requests built through the
domain (bench/year.py), on both databases: the figures agree with
what was built, no group under 5 people is shown, `medvirk report` writes a
PDF (its pages kept as PNGs in test-artifacts/) and a spreadsheet of the same
figures, and the `statistikk` card links the PDF with a signed link."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pypdfium2
from openpyxl import load_workbook

from bench.year import generate_year
from dialogs.report import report_pdf, report_xlsx, sections
from storage.annual import annual, spread
from tests.support.cards import actions_of, assert_valid_card
from tests.support.channel import setup_channel
from tests.support.cli import medvirk
from tests.support.env import OSLO

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
