"""Norwegian national identity numbers (fødselsnummer and D-number).

A number counts when its 11 digits pass both mod-11 check digits, however it
is written: in one piece, as 6 + 5, or split anywhere by spaces (any kind),
dashes (any kind), dots or slashes, up to three in a row, with invisible
characters (zero-width space, word joiner, BOM, soft hyphen) anywhere. Text is
normalised first (Unicode NFKC, invisible characters removed, every dash a
hyphen, every space a space, every decimal digit an ASCII one), then every run
of digit groups whose lengths add up to 11 is checked.

Callers only learn *whether* text contains one; the number itself is never
returned, so it cannot leak into logs or storage by accident.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# Digit groups joined by short runs of separators (after normalising).
_RUN = re.compile(r"[0-9]+(?:[ \n./\-]{1,3}[0-9]+)*")
_GROUP = re.compile(r"[0-9]+")
REDACTED = "[fnr]"


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    k = 11 - remainder
    if k == 11:
        return 0
    if k == 10:
        return None
    return k


def is_identity_number(digits: str) -> bool:
    """True if the 11 digits pass both mod-11 checks (D-numbers included)."""
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    k1 = _check_digit(d[:9], _W1)
    if k1 is None or k1 != d[9]:
        return False
    k2 = _check_digit(d[:10], _W2)
    return k2 is not None and k2 == d[10]


def _normal_char(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cf":  # zero-width space, word joiner, BOM, soft hyphen, ...
        return ""
    if category == "Pd" or char == "\u2212":  # every dash, and the minus sign
        return "-"
    if category == "Zs" or char == "\t":
        return " "
    if char in "\r\v\f\u2028\u2029":  # line breaks stay line breaks (tracebacks)
        return "\n"
    if category == "Nd":
        return str(unicodedata.decimal(char))
    return char


def normalise(text: str) -> str:
    """The text as the detector reads it (also what a redacted log line shows)."""
    folded = unicodedata.normalize("NFKC", text)
    if folded.isascii() and not any(c in folded for c in "\t\r\v\f"):
        return folded
    return "".join(_normal_char(c) for c in folded)


def _holds_number(run: str) -> bool:
    groups = _GROUP.findall(run)
    for start in range(len(groups)):
        length = 0
        for end in range(start, len(groups)):
            length += len(groups[end])
            if length == 11:
                if is_identity_number("".join(groups[start : end + 1])):
                    return True
                break
            if length > 11:
                break
    return False


def contains_identity_number(text: str) -> bool:
    """True if the text holds something written as, and valid as, an identity number."""
    if not text or not any(c.isdigit() for c in text):
        return False
    return any(_holds_number(m.group(0)) for m in _RUN.finditer(normalise(text)))


def redact_identity_numbers(text: str) -> str:
    """The text (normalised) with every run holding an identity number replaced;
    for log lines."""
    if not text or not any(c.isdigit() for c in text):
        return text
    normal = normalise(text)
    if not any(_holds_number(m.group(0)) for m in _RUN.finditer(normal)):
        return text  # the very same object: callers may test `is`
    return _RUN.sub(lambda m: REDACTED if _holds_number(m.group(0)) else m.group(0), normal)


def shown_again(values: Mapping[str, Any], *, refused: str | None = None) -> dict[str, Any]:
    """What a refused form may show again: every value but the refused one and
    any that holds an identity number (another field may have failed first)."""
    return {
        name: value
        for name, value in values.items()
        if name != refused
        and not (isinstance(value, str) and contains_identity_number(value))
        and not (
            isinstance(value, list | tuple)
            and any(isinstance(v, str) and contains_identity_number(v) for v in value)
        )
    }
