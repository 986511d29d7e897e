"""The annual report as a PDF with charts (fpdf2, matplotlib) and as a
spreadsheet of the same figures (openpyxl). Both are built from one list of
sections, so they cannot disagree. Pure: figures in, bytes out."""

from __future__ import annotations

import io
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dialogs.cards.order import choice_label
from dialogs.i18n import t
from dialogs.pdf import Document, font_dir
from storage.reports.annual import AnnualFigures, Spread

# Units beyond this many are summed as "others" in the chart (the table lists all).
CHART_UNITS = 12
Cell = str | int | float | None


@dataclass(frozen=True)
class Section:
    sheet: str
    title: str
    header: tuple[str, str]
    rows: list[tuple[str, Cell]]


def _spread(locale: str, s: Spread) -> str:
    if s.median is None:
        return t(locale, "annual.none")
    return f"{_decimal(locale, s.median)} / {_decimal(locale, s.p90)} (n = {s.count})"


def _decimal(locale: str, value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text if locale == "en" else text.replace(".", ",")


def _share(locale: str, value: float | None) -> str:
    return "—" if value is None else f"{_decimal(locale, value * 100)} %"


def _hidden(locale: str, value: int | None) -> Cell:
    return t(locale, "annual.hidden") if value is None else value


def _counted(counts: Counter[str], label: Callable[[str], str]) -> list[tuple[str, Cell]]:
    return [(label(code), n) for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def sections(figures: AnnualFigures, locale: str) -> list[Section]:
    """Every figure of the report, in order, as label and value."""

    def tr(key: str) -> str:
        return t(locale, key)

    figure, count = (
        (tr("annual.figure"), tr("annual.value")),
        (tr("annual.figure"), tr("annual.count")),
    )
    overview: list[tuple[str, Cell]] = [
        (tr("annual.requests"), figures.requests),
        (tr("annual.matched_share"), _share(locale, figures.share_matched)),
        (tr("annual.to_claim"), _spread(locale, figures.to_claim)),
        (tr("annual.to_match"), _spread(locale, figures.to_match)),
        (tr("annual.participants"), _hidden(locale, figures.participants)),
        (tr("annual.new_participants"), _hidden(locale, figures.new_participants)),
        (tr("annual.outside"), figures.outside),
        (tr("annual.claims"), figures.claims),
        (tr("annual.hours"), figures.hours if figures.hours is not None else tr("annual.hidden")),
        (
            tr("annual.fees"),
            figures.fees_nok if figures.fees_nok is not None else tr("annual.hidden"),
        ),
        (
            tr("annual.travel"),
            figures.travel_nok if figures.travel_nok is not None else tr("annual.hidden"),
        ),
    ]
    evaluation: list[tuple[str, Cell]] = [
        (
            f"{tr('annual.requester_rating')} ({figures.requester_answers} {tr('annual.answers')})",
            figures.requester_rating
            if figures.requester_rating is not None
            else tr("annual.hidden"),
        ),
        (tr("annual.would_use_again"), _share(locale, figures.would_use_again)),
        (
            f"{tr('annual.participant_rating')} ({figures.participant_answers} {tr('annual.answers')})",
            figures.participant_rating
            if figures.participant_rating is not None
            else tr("annual.hidden"),
        ),
        (tr("annual.fee_info_clear"), _share(locale, figures.fee_info_clear)),
    ]
    sheet_overview = tr("annual.sheet.overview")
    sheet_requests = tr("annual.sheet.requests")
    sheet_people = tr("annual.sheet.participants")
    sheet_meetings = tr("annual.sheet.gatherings")
    return [
        Section(sheet_overview, tr("annual.headline"), figure, overview),
        Section(sheet_overview, tr("annual.evaluation"), figure, evaluation),
        Section(sheet_requests, tr("stats.by_unit"), count, _counted(figures.by_unit, str)),
        Section(
            sheet_requests,
            tr("stats.by_type"),
            count,
            _counted(figures.by_type, lambda c: choice_label(locale, "assignment_type", c)),
        ),
        Section(
            sheet_requests,
            tr("annual.outside_by_commissioner"),
            count,
            _counted(figures.by_commissioner, str),
        ),
        Section(
            sheet_requests,
            tr("annual.outside_by_type"),
            count,
            _counted(figures.outside_by_type, lambda c: choice_label(locale, "assignment_type", c)),
        ),
        Section(
            sheet_requests,
            tr("annual.invoiced"),
            (tr("annual.figure"), tr("annual.kroner")),
            [
                (name, round(amount, 2))
                for name, amount in sorted(figures.invoiced.items(), key=lambda kv: -kv[1])
            ],
        ),
        Section(
            sheet_requests,
            tr("stats.by_level"),
            count,
            _counted(figures.by_level, lambda c: choice_label(locale, "level", c)),
        ),
        Section(
            sheet_requests,
            tr("stats.by_outcome"),
            count,
            _counted(figures.by_status, lambda c: t(locale, f"status.{c}")),
        ),
        Section(
            sheet_people,
            tr("annual.by_role"),
            count,
            [(t(locale, f"role.{r}"), _hidden(locale, n)) for r, n in figures.by_role.items()],
        ),
        Section(
            sheet_meetings,
            tr("annual.gatherings"),
            count,
            [
                (
                    f"{g.title} ({g.when.date().isoformat()})",
                    f"{_text(_hidden(locale, g.yes))} / {_text(_hidden(locale, g.no))}",
                )
                for g in figures.gatherings
            ],
        ),
        Section(
            sheet_meetings,
            tr("annual.registered"),
            (tr("annual.figure"), tr("annual.registered_columns")),
            [
                (
                    f"{g.title} ({g.when.date().isoformat()})",
                    " / ".join(
                        _text(_hidden(locale, n))
                        for n in (g.registered, g.waitlisted, g.cancelled, g.attended, g.no_shows)
                    )
                    + f" · {g.rating if g.rating is not None else tr('annual.hidden')}",
                )
                for g in figures.registered
            ],
        ),
        Section(
            sheet_meetings,
            tr("annual.surveys"),
            count,
            [
                (f"{s.title} ({s.when.date().isoformat()})", _hidden(locale, s.yes))
                for s in figures.surveys
            ],
        ),
    ]


# -- charts ----------------------------------------------------------------------------------


_FONT_LOCK = threading.Lock()


def _register_font() -> None:
    """Our DejaVu Sans in matplotlib's font list, once per process (charts are
    drawn in worker threads; adding it on every call grew the list each time)."""
    from matplotlib import font_manager

    path = str(font_dir() / "DejaVuSans.ttf")
    with _FONT_LOCK:
        if all(font.fname != path for font in font_manager.fontManager.ttflist):
            font_manager.fontManager.addfont(path)


def _bar_chart(title: str, bars: list[tuple[str, int]], *, colour: str = "#00509e") -> bytes:
    """A horizontal bar chart as PNG (matplotlib's object API: no global state,
    safe in a worker thread)."""
    from matplotlib.figure import Figure

    _register_font()
    height = 1.2 + 0.32 * max(1, len(bars))
    figure = Figure(figsize=(7.0, height), dpi=150)
    axes = figure.add_subplot()
    labels = [label if len(label) <= 40 else label[:39] + "…" for label, _ in bars][::-1]
    values = [value for _, value in bars][::-1]
    drawn = axes.barh(labels, values, color=colour)
    axes.bar_label(drawn, padding=3, fontsize=8)
    axes.set_title(title, fontsize=11, loc="left", fontfamily="DejaVu Sans")
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.12)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def _units(figures: AnnualFigures, locale: str) -> list[tuple[str, int]]:
    top = figures.by_unit.most_common()
    if len(top) <= CHART_UNITS:
        return top
    rest = sum(n for _, n in top[CHART_UNITS - 1 :])
    return [*top[: CHART_UNITS - 1], (t(locale, "annual.others"), rest)]


def charts(figures: AnnualFigures, locale: str) -> list[bytes]:
    found = [
        _bar_chart(t(locale, "stats.by_unit"), _units(figures, locale)),
        _bar_chart(
            t(locale, "stats.by_type"),
            [
                (choice_label(locale, "assignment_type", c), n)
                for c, n in figures.by_type.most_common()
            ],
            colour="#2e7d32",
        ),
        _bar_chart(
            t(locale, "stats.by_level"),
            [(choice_label(locale, "level", c), n) for c, n in figures.by_level.most_common()],
            colour="#6a1b9a",
        ),
    ]
    shown_roles = [(t(locale, f"role.{r}"), n) for r, n in figures.by_role.items() if n is not None]
    if shown_roles:
        found.append(_bar_chart(t(locale, "annual.by_role"), shown_roles, colour="#ad5700"))
    return found


# -- the documents ---------------------------------------------------------------------------


def _text(value: Cell) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")
    return "—" if value is None else str(value)


def report_pdf(figures: AnnualFigures, locale: str, *, made: datetime) -> bytes:
    title = t(locale, "annual.title", year=figures.year)
    pdf = Document(title=title, footer=title, created=made)
    pdf.add_page()
    pdf.heading(title, 18)
    pdf.paragraph(t(locale, "annual.made", date=made.strftime("%d.%m.%Y")), size=9)
    all_sections = sections(figures, locale)
    for section in all_sections[:2]:
        pdf.heading(section.title, 12)
        pdf.rows([(label, _text(value)) for label, value in section.rows], label_width=110)
    for chart in charts(figures, locale):
        if pdf.get_y() > 200:
            pdf.add_page()
        pdf.image(io.BytesIO(chart), w=pdf.epw)
        pdf.ln(4)
    pdf.add_page()
    for section in all_sections[2:]:
        if pdf.get_y() > 240:
            pdf.add_page()
        pdf.heading(section.title, 12)
        rows = [(label, _text(value)) for label, value in section.rows]
        pdf.rows(rows or [(t(locale, "annual.none"), "")], label_width=120)
    return pdf.bytes()


def report_xlsx(figures: AnnualFigures, locale: str, *, made: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.properties.creator = "medvirk"
    book.properties.title = t(locale, "annual.title", year=figures.year)
    book.properties.created = book.properties.modified = made.replace(tzinfo=None)
    sheets: dict[str, Any] = {}
    first: Any = book.active
    for section in sections(figures, locale):
        sheet = sheets.get(section.sheet)
        if sheet is None:
            if not sheets:
                sheet = first
                sheet.title = section.sheet[:31]
            else:
                sheet = book.create_sheet(section.sheet[:31])
            sheets[section.sheet] = sheet
        else:
            sheet.append([])
        sheet.append([section.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append(list(section.header))
        for label, value in section.rows:
            # Labels are text (a unit named "=1+1" stays text).
            sheet.append([_cell_text(label), value])
    for sheet in book.worksheets:
        sheet.column_dimensions["A"].width = 70
        sheet.column_dimensions["B"].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
