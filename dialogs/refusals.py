"""A refusal in the reader's language: the one way a `Refused` becomes text
(the router's answer, a card's notice, a page, the CLI)."""

from __future__ import annotations

from dialogs.cards import escape_markdown
from dialogs.i18n import CATALOG, t
from storage.domain.refusal import Refused

# Parameters that are a person's own words (a name): escaped in Teams' markdown.
_WORDS = frozenset({"owner", "name"})


def refusal_text(locale: str, refused: Refused, *, markdown: bool = True) -> str:
    """`refused` translated into `locale`: a request's status by its name, and,
    for Teams (`markdown`), a person's words escaped."""
    params: dict[str, object] = dict(refused.params)
    for name in _WORDS & params.keys():
        if markdown and isinstance(params[name], str):
            params[name] = escape_markdown(str(params[name]))
    status = params.get("status")
    if isinstance(status, str) and f"status.{status}" in CATALOG:
        params["status"] = t(locale, f"status.{status}")
    return t(locale, refused.key, **params)
