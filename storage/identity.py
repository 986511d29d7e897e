"""Norwegian national identity numbers (fødselsnummer and D-number).

A number counts when written as 11 digits, or as 6 + 5 digits separated by one
space, dot or hyphen, and both mod-11 check digits hold. Callers only learn
*whether* text contains one; the number itself is never returned, so it cannot
leak into logs or storage by accident.
"""

from __future__ import annotations

import re

_CANDIDATE = re.compile(r"(?<!\d)(\d{6})[ .\-]?(\d{5})(?!\d)")
_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


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
    if len(digits) != 11 or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    k1 = _check_digit(d[:9], _W1)
    if k1 is None or k1 != d[9]:
        return False
    k2 = _check_digit(d[:10], _W2)
    return k2 is not None and k2 == d[10]


def contains_identity_number(text: str) -> bool:
    """True if the text holds something written as, and valid as, an identity number."""
    if not text:
        return False
    for match in _CANDIDATE.finditer(text):
        if is_identity_number(match.group(1) + match.group(2)):
            return True
    return False


def redact_identity_numbers(text: str) -> str:
    """Replace every identity number in text; for logs of input that was refused."""
    return _CANDIDATE.sub(
        lambda m: "[fnr]" if is_identity_number(m.group(1) + m.group(2)) else m.group(0), text
    )
