"""PDF documents (fpdf2): the fee claim payroll receives, and the base the
annual report is drawn on. Text in DejaVu Sans, the TrueType font matplotlib
ships, so æ, ø and å come out right on every machine; the creation date is
the document's own (the same claim gives the same bytes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from dialogs.cards.fee_claims import ClaimView, claim_facts
from dialogs.i18n import t

FONT = "DejaVu"


@cache
def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class Document(FPDF):
    """An A4 page with the house font, a title and a footer naming the page."""

    def __init__(self, *, title: str, footer: str, created: datetime) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer
        self.add_font(FONT, "", str(font_dir() / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(font_dir() / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_creator("medvirk")
        self.set_producer("medvirk")
        self.set_creation_date(created)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(20, 18, 20)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}", align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 16) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def paragraph(self, text: str, size: float = 10, *, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def rows(self, rows: Sequence[tuple[str, str]], *, label_width: float = 75) -> None:
        """Two columns: a label and its value, each wrapping in its own column."""
        for label, value in rows:
            if self.will_page_break(12):
                self.add_page()
            top = self.get_y()
            self.set_font(FONT, "B", 10)
            self.multi_cell(
                label_width - 3, 6, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            below_label = self.get_y()
            self.set_xy(self.l_margin + label_width, top)
            self.set_font(FONT, "", 10)
            self.multi_cell(0, 6, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_y(max(self.get_y(), below_label))
        self.ln(2)

    def bytes(self) -> bytes:
        return bytes(self.output())


def claim_pdf(
    view: ClaimView,
    *,
    desk: str,
    unit: str,
    cost_centre: str,
    contact: str,
    filed_by: str,
    filed_at: str,
    confirmed: str,
    created: datetime,
    locale: str = "nb",
) -> bytes:
    """The confirmed fee claim for payroll: who, the request's reference and the
    paying unit, the figures and the fee, and that payroll collects the identity
    number and bank account from the person themselves."""
    title = t(locale, "claim.pdf.title", reference=view.reference)
    pdf = Document(title=title, footer=f"medvirk · {desk} · {view.reference}", created=created)
    pdf.add_page()
    pdf.heading(title)
    if view.rates_example:
        pdf.set_text_color(160, 0, 0)
        pdf.paragraph(t(locale, "claim.pdf.example_rates"), bold=True)
        pdf.set_text_color(0, 0, 0)
    pdf.rows(
        [
            # The reference, never the assignment's title: it can tell what
            # someone lives with. The unit and cost centre are who pays.
            (t(locale, "claim.pdf.reference"), view.reference),
            (t(locale, "claim.pdf.desk"), desk),
            (t(locale, "field.unit"), unit),
            (t(locale, "field.cost_centre"), cost_centre),
            (t(locale, "claim.pdf.contact"), contact),
        ]
    )
    pdf.heading(t(locale, "claim.pdf.figures"), 12)
    facts = claim_facts(locale, view)
    pdf.rows([*facts[:-1], (t(locale, "claim.pdf.rates"), view.rates_name or "—")])
    label, total = facts[-1]
    pdf.rows([(label, total)])
    if view.fee_declined:
        pdf.paragraph(t(locale, "claim.pdf.declined"), bold=True)
    if view.travel_cheapest and view.travel_nok:
        pdf.paragraph(t(locale, "claim.pdf.travel_cheapest"))
    if view.lost_earnings_ore:
        pdf.paragraph(t(locale, "claim.pdf.lost_earnings"))
    pdf.heading(t(locale, "claim.pdf.confirmation"), 12)
    pdf.rows(
        [
            (t(locale, "claim.pdf.filed_by"), f"{filed_by} · {filed_at}"),
            (t(locale, "claim.pdf.confirmed"), confirmed),
        ]
    )
    pdf.paragraph(t(locale, "claim.pdf.payroll_collects"), bold=True)
    pdf.paragraph(t(locale, "claim.pdf.no_health_data"), size=9)
    return pdf.bytes()
