"""The help card."""

from __future__ import annotations

from typing import Any

from dialogs.cards import card, text_block
from dialogs.i18n import t


def help_card(locale: str, links: dict[str, str]) -> dict[str, Any]:
    return card(
        [
            text_block(t(locale, "help.title"), size="Large", weight="Bolder"),
            text_block(t(locale, "help.body")),
        ],
        actions=[
            {
                "type": "Action.OpenUrl",
                "title": t(locale, "help.resource_page"),
                "url": links["resource_page"],
            },
            {
                "type": "Action.OpenUrl",
                "title": t(locale, "help.elearning"),
                "url": links["elearning"],
            },
        ],
    )
