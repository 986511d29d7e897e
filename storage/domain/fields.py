"""The request's canonical fields and their rules, independent of any UI.

Field names are card input ids, database columns, export columns and CLI names
alike. `validate()` turns raw input (card value or typed text) into a typed
value or raises `Refused` whose `key` is a message-catalog key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from storage.domain.identity import contains_identity_number
from storage.domain.refusal import Refused


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    INTEGER = "integer"
    DATE = "date"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    required: bool = True
    min_length: int = 0
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    multiline: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


ASSIGNMENT_TYPES = (
    "research",
    "service_development",
    "planning",
    "product_development",
    "education",
    "council",
    "other",
)
LEVELS = ("system", "service", "individual")
PARTICIPANT_PROFILES = ("patient", "next_of_kin", "youth", "user_organisation", "any")
MEETING_FORMATS = ("physical", "digital", "hybrid")

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", Kind.TEXT, min_length=3, max_length=120),
    FieldSpec("description", Kind.TEXT, min_length=1, max_length=4000, multiline=True),
    FieldSpec("assignment_type", Kind.CHOICE, choices=ASSIGNMENT_TYPES),
    FieldSpec("level", Kind.CHOICE, choices=LEVELS),
    FieldSpec("participant_profile", Kind.CHOICE, choices=PARTICIPANT_PROFILES),
    FieldSpec("participant_count", Kind.INTEGER, minimum=1, maximum=20),
    FieldSpec("start_date", Kind.DATE),
    FieldSpec("end_date", Kind.DATE, required=False),
    FieldSpec("meeting_format", Kind.CHOICE, choices=MEETING_FORMATS),
    FieldSpec("workload", Kind.TEXT, min_length=1, max_length=200),
    FieldSpec("unit", Kind.TEXT, min_length=1, max_length=120),
    FieldSpec("honorarium_ack", Kind.BOOLEAN),
    FieldSpec("cost_centre", Kind.TEXT, required=False, max_length=40),
    FieldSpec("needed_by", Kind.DATE),
)
FIELDS_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean_text(value: str) -> str:
    """Strip control characters (other than tab/newline) and surrounding space."""
    return value.translate(_CONTROL).strip()


# An RFC 2047 encoded word (`=?charset?q|b?…?=`): mail readers decode it, and
# Python 3.11.7's e-mail folding decoded one into a header of its own
# (CVE-2024-6923). Nobody types one; refused wherever text may reach a header.
# Its parts hold no `?` (as Python's decoder requires), which keeps the search
# linear: with `.*?` for the text, 35,000 characters of `=?a?q?x` took 3.3 s.
_ENCODED_WORD = re.compile(r"=\?[^?]*\?[bq]\?[^?]*\?=", re.IGNORECASE)


def contains_encoded_word(text: str) -> bool:
    return _ENCODED_WORD.search(text) is not None


def check_text(text: str) -> None:
    """What no free text may hold: an identity number, an encoded word."""
    if contains_identity_number(text):
        raise Refused("error.identity_number")
    if contains_encoded_word(text):
        raise Refused("error.encoded_word")


def validate(name: str, raw: Any, *, today: date, answers: dict[str, Any] | None = None) -> Any:
    """Validate one field's raw value against its rule and the answers given so far.

    Returns the typed value (str, int, date as ISO string, bool) or None for an
    empty optional field.
    """
    spec = FIELDS_BY_NAME[name]
    answers = answers or {}
    if isinstance(raw, str):
        raw = clean_text(raw)
    if raw is None or raw == "":
        if spec.required:
            raise Refused("error.field.required")
        return None
    if spec.kind is Kind.TEXT:
        return _validate_text(spec, raw)
    if spec.kind is Kind.CHOICE:
        if raw not in spec.choices:
            raise Refused("error.field.choice")
        return raw
    if spec.kind is Kind.INTEGER:
        return _validate_integer(spec, raw)
    if spec.kind is Kind.BOOLEAN:
        if raw is True or (isinstance(raw, str) and raw.lower() == "true"):
            return True
        raise Refused("error.honorarium_ack")
    return _validate_date(name, raw, today=today, answers=answers)


def _validate_text(spec: FieldSpec, raw: Any) -> str:
    if not isinstance(raw, str):
        raise Refused("error.field.text")
    check_text(raw)
    if len(raw) < spec.min_length:
        raise Refused("error.field.too_short", min=spec.min_length)
    if spec.max_length is not None and len(raw) > spec.max_length:
        raise Refused("error.field.too_long", max=spec.max_length, length=len(raw))
    return raw


# Longest display name kept (requester, owner, contact): the columns' length.
NAME_MAX = 200
# Longest comment on a move (a decline reason is shown on the card and sent).
COMMENT_MAX = 1000


def free_text(raw: Any, *, max_length: int, min_length: int = 0) -> str | None:
    """Free text from anywhere outside the order dialog (a decline reason, a
    gathering's place, a survey's title), under the order's rules: control
    characters stripped, no identity number or encoded word, and the length checked here (a
    card's `maxLength` is only a hint to the client). None when empty."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise Refused("error.field.text")
    if len(raw) > max_length * 4:
        # Refused before any further work on it.
        raise Refused("error.field.too_long", max=max_length, length=len(raw))
    text = clean_text(raw)
    if not text:
        return None
    check_text(text)
    if len(text) < min_length:
        raise Refused("error.field.too_short", min=min_length)
    if len(text) > max_length:
        raise Refused("error.field.too_long", max=max_length, length=len(text))
    return text


def _validate_integer(spec: FieldSpec, raw: Any) -> int:
    if isinstance(raw, bool):
        raise Refused("error.field.integer", min=spec.minimum, max=spec.maximum)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if text.endswith(".0"):
            text = text[:-2]
        if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 6:
            raise Refused("error.field.integer", min=spec.minimum, max=spec.maximum)
        raw = int(text)
    if not isinstance(raw, int):
        raise Refused("error.field.integer", min=spec.minimum, max=spec.maximum)
    if (spec.minimum is not None and raw < spec.minimum) or (
        spec.maximum is not None and raw > spec.maximum
    ):
        raise Refused("error.field.range", min=spec.minimum, max=spec.maximum)
    return raw


def parse_date(raw: Any) -> date:
    """ISO `YYYY-MM-DD`, also `DD.MM.YYYY` as Norwegians type it."""
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise Refused("error.field.date")
    text = raw.strip()
    try:
        if len(text) >= 10 and text[4] == "-":
            return date.fromisoformat(text[:10])
        parts = text.replace("/", ".").split(".")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        pass
    raise Refused("error.field.date")


def _validate_date(name: str, raw: Any, *, today: date, answers: dict[str, Any]) -> str:
    value = parse_date(raw)
    start = answers.get("start_date")
    start_date = date.fromisoformat(start) if start else None
    if name in ("start_date", "needed_by") and value < today:
        raise Refused("error.date.past")
    if name == "end_date" and start_date and value < start_date:
        raise Refused("error.date.end_before_start", start=start_date.isoformat())
    if name == "needed_by" and start_date and value > start_date:
        raise Refused("error.date.needed_after_start", start=start_date.isoformat())
    return value.isoformat()


def validate_all(answers: dict[str, Any], *, today: date) -> dict[str, Any]:
    """Re-check a whole request before it is stored (an edit may break a later rule)."""
    result: dict[str, Any] = {}
    for spec in FIELDS:
        result[spec.name] = validate(spec.name, answers.get(spec.name), today=today, answers=result)
    return result


def dependent_fields(name: str) -> tuple[str, ...]:
    """Fields whose rules read `name`: re-check them after `name` is edited."""
    if name == "start_date":
        return ("end_date", "needed_by")
    return ()
