"""Validate cards against the official Adaptive Card 1.5 schema."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft6Validator

MAX_CARD_BYTES = 80 * 1024


# The official schema, vendored unchanged (tests/test_manifest.py compares it
# with ../shared/schemas), so cards are validated wherever the checkout is.
CARD_SCHEMA = Path(__file__).parent.parent / "schemas" / "adaptive-card-1.5.schema.json"


@cache
def _validator() -> Draft6Validator:
    return Draft6Validator(json.loads(CARD_SCHEMA.read_text("utf-8")))


# Teams' dynamic typeahead: an `Input.ChoiceSet`'s `choices.data`, a
# `Data.Query` answered by the bot's `application/search` invoke. Teams reads
# it in cards of any version; the 1.5 schema (whose elements allow no property
# it does not name) came before it. It is checked here and then set aside.
DATA_QUERY_KEYS = {"type", "dataset", "count", "skip", "value", "associatedInputs"}


def _without_data_queries(node: Any) -> Any:
    if isinstance(node, list):
        return [_without_data_queries(item) for item in node]
    if not isinstance(node, dict):
        return node
    query = node.get("choices.data")
    if query is not None:
        assert node.get("type") == "Input.ChoiceSet", "choices.data outside an Input.ChoiceSet"
        assert isinstance(query, dict) and query.get("type") == "Data.Query", query
        assert isinstance(query.get("dataset"), str) and query["dataset"], query
        assert set(query) <= DATA_QUERY_KEYS, query
    return {k: _without_data_queries(v) for k, v in node.items() if k != "choices.data"}


def assert_valid_card(card: dict[str, Any]) -> None:
    checked = _without_data_queries(card)
    errors = sorted(_validator().iter_errors(checked), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    size = len(json.dumps(card, ensure_ascii=False).encode("utf-8"))
    assert size < MAX_CARD_BYTES, f"card is {size} bytes"


def inputs_of(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every Input.* element by id, anywhere in the card."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input.") and "id" in node:
                found[node["id"]] = node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


def actions_of(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Action.* anywhere in the card (actions, action sets, select actions)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found
