"""Server-rendered HTML (answer pages, e-mails) and plain text, from the Jinja2
templates in `dialogs/templates/`, in the reader's language."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dialogs.i18n import t

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


def render(name: str, locale: str, *, desk_name: str | None = None, **context: Any) -> str:
    """A template filled in, with `t(key, **params)` translating into `locale`;
    `desk_name`: the desk that writes (its pages and e-mails say so), which
    the texts name as `desk` (a neutral name where no one desk writes)."""
    env = _html if name.endswith(".html") else _text
    return env.get_template(name).render(
        t=partial(t, locale),
        lang=HTML_LANG.get(locale, "nb"),
        locale=locale,
        desk_name=desk_name,
        desk=desk_name or t(locale, "desks.generic"),
        **context,
    )


def greeting(locale: str, name: str | None) -> str:
    """The opening line of an e-mail or page: by name when we have one."""
    return t(locale, "mail.greeting", name=name) if name else t(locale, "mail.greeting_anonymous")
