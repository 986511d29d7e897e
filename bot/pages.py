"""Server-rendered HTML (answer pages, e-mails) and plain text, from the Jinja2
templates in `bot/templates/`, in the reader's language."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dialogs.i18n import DEFAULT_LOCALE, LOCALES, t

TEMPLATES = Path(__file__).parent / "templates"

_html = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)
_text = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=False,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)

HTML_LANG = {"nb": "nb", "nn": "nn", "en": "en"}


def render(name: str, locale: str, **context: Any) -> str:
    """A template filled in, with `t(key, **params)` translating into `locale`."""
    env = _html if name.endswith(".html") else _text
    return env.get_template(name).render(
        t=partial(t, locale), lang=HTML_LANG.get(locale, "nb"), **context
    )


def page_locale(request: web.Request) -> str:
    """The reader's language from the browser's Accept-Language; bokmål if none fits."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith(("nn", "nno")):
            return "nn"
        if tag.startswith(("nb", "no", "nob")):
            return "nb"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LOCALE


def html_page(name: str, locale: str, *, status: int = 200, **context: Any) -> web.Response:
    response = web.Response(
        text=render(name, locale if locale in LOCALES else DEFAULT_LOCALE, **context),
        status=status,
        content_type="text/html",
        charset="utf-8",
    )
    # The pages hold a person's own link: never cached or shown in a frame.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
