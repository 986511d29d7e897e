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


def escape_markdown(text: str) -> str:
    """User text shown in a card: no links, mentions or formatting it did not type as text."""
    out = []
    for ch in text:
        if ch in "\\`*_{}[]()<>#+-.!|~>":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)
