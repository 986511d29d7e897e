"""Adaptive Card builders: pure functions returning card dicts (no I/O)."""

from __future__ import annotations

from typing import Any

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"


def card(
    body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    """An Adaptive Card 1.5 envelope."""
    result: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body,
    }
    if actions:
        result["actions"] = actions
    result.update(extra)
    return result


def text_block(text: str, **props: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **props}


def said(*, error: str | None = None, notice: str | None = None) -> list[dict[str, Any]]:
    """A card's opening lines after an answer: what went wrong, what was done."""
    lines = []
    if error:
        lines.append(text_block(error, color="Attention", weight="Bolder"))
    if notice:
        lines.append(text_block(notice, color="Good", weight="Bolder"))
    return lines


# What Teams' markdown (in cards and messages alike) may read as formatting, a
# link, an image, a mention, HTML or an entity. All are ASCII punctuation, which
# CommonMark lets a backslash make plain text.
_MARKDOWN = frozenset("\\`*_{}[]()<>#+-.!|~=&@")


def escape_markdown(text: str) -> str:
    """Anyone's words shown in a card or message, as plain text: every character
    markdown could read is escaped, a URL's `://` is broken so that nothing
    links itself, and no line starts with spaces (an indented code block).
    The one way user text reaches a card; builders call it on every such value."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(
        "".join("\\" + ch if ch in _MARKDOWN else ch for ch in line.lstrip(" \t")).replace(
            "://", "\\://"
        )
        for line in lines
    )
