"""The participant's pages are readable by everyone: every visible form field
has a label, the language is declared, and every colour pair of the house
style passes WCAG 2.1 AA contrast (4.5:1 for text)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from dialogs.rendering import TEMPLATES, render

PAGE_CONTEXT = {
    "person_consent.html": {
        "title": "T",
        "greeting": "G",
        "version": "1",
        "retention_months": 36,
        "action": "/p/x",
        "form_token": "f",
        "data_link": "/p/x/link",
    },
    "page_message.html": {"title": "T", "message": "M", "form_token": "f", "data_link": "/p/x/l"},
    "page_confirm.html": {
        "title": "T",
        "question": "Q",
        "button": "B",
        "answer": "stay",
        "action": "/p/x",
        "form_token": "f",
        "data_link": "/p/x/link",
    },
    "person_page.html": {
        "title": "T",
        "message": "M",
        "error": "E",
        "facts": [("a", "b")],
        "fields": [
            {
                "name": "name",
                "label": "Navn",
                "type": "text",
                "value": "",
                "max": 120,
                "autocomplete": "name",
            }
        ],
        "choices": [
            {"name": "formats", "label": "Kan delta", "options": [("digital", "Digitalt", True)]}
        ],
        "paused": False,
        "stay_asked": True,
        "action": "/p/x",
        "form_token": "f",
    },
    "invitation_page.html": {
        "title": "T",
        "message": None,
        "greeting": "G",
        "intro": "I",
        "facts": [("a", "b")],
        "description_label": "D",
        "description": "d",
        "fee_url": "https://example.org",
        "open": True,
        # Both forms at once, so both are checked: the answer, and "signed".
        "sign": True,
        "signed": False,
        "title_only": "T",
        "agreement_url": "https://example.org/a",
        "confidentiality_url": "https://example.org/c",
        "action": "/p/x/i/1",
        "form_token": "f",
        "data_link": "/p/x/link",
    },
    "evaluation_page.html": {
        "title": "T",
        "message": "M",
        "error": "E",
        "greeting": "G",
        "open": True,
        "ratings": ("1", "2", "3", "4", "5"),
        "values": {"rating": "4", "fee_info_clear": "yes", "comment": "c"},
        "action": "/p/x/e/1",
        "form_token": "f",
        "data_link": "/p/x/link",
    },
    "claim_page.html": {
        "title": "T",
        "message": "M",
        "error": "E",
        "greeting": "G",
        "facts": [("a", "b")],
        "open": True,
        "declined": True,
        "asks_travel": True,
        "travel_nok": 120,
        "status_text": "S",
        "revision": 2,
        "action": "/p/x/c/1",
        "form_token": "f",
        "data_link": "/p/x/link",
    },
    "gathering_open.html": {
        "title": "T",
        "facts": [("a", "b")],
        "kept_days": 60,
        "action": "/g/open/x",
        "form_token": "f",
        "values": {"name": "N"},
        "errors": {"email": "E"},
    },
    "gathering_evaluation.html": {
        "title": "T",
        "message": "M",
        "error": "E",
        "rating": 4,
        "comment": "C",
        "comment_max": 1000,
        "action": "/ge/x",
        "form_token": "f",
    },
}


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.labels_for: set[str] = set()
        self.open_labels = 0
        self.wrapped: list[bool] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.labels_for.add(str(a["for"]))
        if tag == "input" and a.get("type") != "hidden":
            self.inputs.append(a)
            self.wrapped.append(self.open_labels > 0)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1


@pytest.mark.parametrize("name", sorted(PAGE_CONTEXT))
@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_every_field_is_labelled_and_the_language_declared(name: str, locale: str) -> None:
    parser = _Form()
    parser.feed(render(name, locale, **PAGE_CONTEXT[name]))
    assert parser.lang == locale
    for field, wrapped in zip(parser.inputs, parser.wrapped, strict=True):
        assert wrapped or field.get("id") in parser.labels_for, field


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_text_colour_of_the_house_style_passes_aa() -> None:
    css = (TEMPLATES / "_base.html").read_text("utf-8")
    colours = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", css))
    backgrounds = set(re.findall(r"background:\s*(#[0-9a-fA-F]{6})", css))
    assert colours and backgrounds
    # Every text colour on the page's white, and the button's white on its blue.
    for colour in colours - {"#ffffff"}:
        assert contrast(colour, "#ffffff") >= 4.5, colour
    for background in backgrounds - {"#ffffff"}:
        assert contrast("#ffffff", background) >= 4.5, background
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
