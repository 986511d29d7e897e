"""Norwegian national identity numbers (fødselsnummer and D-number).

A number counts when its 11 digits pass both mod-11 check digits, however it
is written: in one piece, as 6 + 5, or split anywhere by spaces (any kind),
dashes (any kind), dots or slashes, up to three in a row, with invisible
characters (zero-width space, word joiner, BOM, soft hyphen) anywhere. Text is
normalised first (Unicode NFKC, invisible characters removed, every dash a
hyphen, every space a space, every decimal digit an ASCII one), then every run
of digit groups whose lengths add up to 11 is checked.

Written more loosely it counts too when it is 6 + 5 and its first six digits
are a birth date (D-numbers and test numbers included): the parts joined by up to ten
spaces, line breaks, backslashes or any of `_,:;+|/.-` (`150765_00565`,
`150765 | 00565`, `150765:00565`), or the date written as a date before the five digits
(`15.07.1965 00565`, `15/07/65 00565`, `1965-07-15 00565`). The date keeps the
looser forms from catching ordinary numbers that happen to pass the checks.

Callers only learn *whether* text contains one; the number itself is never
returned, so it cannot leak into logs or storage by accident.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# Digit groups joined by runs of separators (after normalising); a strict join
# needs nothing more, a loose one a birth date in the first six digits.
_SEPARATORS = r"[ \n._,:;+|/\\\-]{1,10}"
_STRICT_JOIN = re.compile(r"[ \n./\-]{1,3}")
_RUN = re.compile(rf"[0-9]+(?:{_SEPARATORS}[0-9]+)*")
_SPLIT = re.compile(f"({_SEPARATORS})")
# A birth date written as a date, then the five digits.
_DAY_FIRST = re.compile(
    rf"(?<![0-9])([0-9]{{1,2}})([./-])([0-9]{{1,2}})\2([0-9]{{4}}|[0-9]{{2}}){_SEPARATORS}"
    r"([0-9]{5})(?![0-9])"
)
_YEAR_FIRST = re.compile(
    rf"(?<![0-9])([0-9]{{4}})([./-])([0-9]{{1,2}})\2([0-9]{{1,2}}){_SEPARATORS}"
    r"([0-9]{5})(?![0-9])"
)
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


# What `_normal_char` may change: anything but printable ASCII and the line feed.
_UNUSUAL = re.compile(r"[^\n\x20-\x7e]")
_NO_DIGITS = str.maketrans("", "", "0123456789")


def normalise(text: str) -> str:
    """The text as the detector reads it (also what a redacted log line shows)."""
    folded = unicodedata.normalize("NFKC", text)
    return _UNUSUAL.sub(lambda m: _normal_char(m.group(0)), folded)


def _enough_digits(normal: str) -> bool:
    return len(normal) - len(normal.translate(_NO_DIGITS)) >= 11


def _birth_date(digits: str) -> bool:
    """The first six digits are a day and a month (D-numbers add 40 to the day;
    H-numbers 40 and test numbers 80 to the month)."""
    day, month = int(digits[:2]), int(digits[2:4])
    day -= 40 if day > 40 else 0
    month -= 80 if month > 80 else 40 if month > 40 else 0
    return 1 <= day <= 31 and 1 <= month <= 12


def _holds_number(run: str) -> bool:
    """Some 11 digits of the run begin with a birth date, pass both checks and
    are written in a strict form (joined by short runs of space, dot, slash,
    hyphen or line break), or as 6 + 5."""
    parts = _SPLIT.split(run)
    groups, joins = parts[0::2], parts[1::2]
    for start in range(len(groups)):
        length, strict = 0, True
        for end in range(start, len(groups)):
            if end > start:
                strict = strict and _STRICT_JOIN.fullmatch(joins[end - 1]) is not None
            length += len(groups[end])
            if length == 11:
                digits = "".join(groups[start : end + 1])
                # Every number begins with a birth date; a loose join counts only
                # between the two parts of 6 + 5: read across any split, dates and
                # times ("16.5.01 18:03-20:03", "01.07.1946 97346") pass checks by chance.
                loose_six_five = end == start + 1 and len(groups[start]) == 6
                if (
                    is_identity_number(digits)
                    and _birth_date(digits)
                    and (strict or loose_six_five)
                ):
                    return True
                break
            if length > 11:
                break
    return False


def _written_date(match: re.Match[str]) -> bool:
    if match.re is _DAY_FIRST:
        day, month, year, rest = match.group(1), match.group(3), match.group(4), match.group(5)
    else:
        year, month, day, rest = match.group(1), match.group(3), match.group(4), match.group(5)
    digits = f"{int(day):02d}{int(month):02d}{year[-2:]}{rest}"
    return is_identity_number(digits) and _birth_date(digits)


def _found(normal: str) -> Iterator[tuple[int, int]]:
    """Where the normalised text holds a number, as (start, end) spans."""
    for match in _RUN.finditer(normal):
        if _holds_number(match.group(0)):
            yield match.span()
    for pattern in (_DAY_FIRST, _YEAR_FIRST):
        for match in pattern.finditer(normal):
            if _written_date(match):
                yield match.span()


def contains_identity_number(text: str) -> bool:
    """True if the text holds something written as, and valid as, an identity number."""
    if not text or not any(c.isdigit() for c in text):
        return False
    normal = normalise(text)
    return _enough_digits(normal) and next(_found(normal), None) is not None


def redact_identity_numbers(text: str) -> str:
    """The text (normalised) with every run holding an identity number replaced;
    for log lines."""
    if not text or not any(c.isdigit() for c in text):
        return text
    normal = normalise(text)
    spans = sorted(_found(normal)) if _enough_digits(normal) else []
    if not spans:
        return text  # the very same object: callers may test `is`
    out, last = [], 0
    for start, end in spans:
        if end <= last:
            continue
        if start < last:
            start = last
        else:
            out.append(normal[last:start])
            out.append(REDACTED)
        last = end
    out.append(normal[last:])
    return "".join(out)


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
