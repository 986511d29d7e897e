"""Norwegian numbers with a mod-11 check digit: the organisation number
(organisasjonsnummer, 9 digits, Brønnøysundregistrene) and the bank account
number (kontonummer, 11 digits).

The check digit is 11 minus the remainder of the weighted sum of the digits
before it, divided by 11; a remainder of 0 gives 0, and a result of 10 means no
number is ever issued with those digits. Pure: standard library only.
"""

from __future__ import annotations

ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def mod11_check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """The check digit that follows `digits`, or None where none can (11 - r = 10)."""
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 0:
        return 0
    check = 11 - remainder
    return None if check == 10 else check


def _passes(digits: str, weights: tuple[int, ...]) -> bool:
    if len(digits) != len(weights) + 1 or not (digits.isascii() and digits.isdigit()):
        return False
    return mod11_check_digit(digits[:-1], weights) == int(digits[-1])


def normalise_org_number(text: str) -> str | None:
    """The 9 digits of an organisation number written with or without spaces,
    and as a VAT number ("NO 974 760 673 MVA"), or None if it is not one.

    >>> normalise_org_number("974 760 673")
    '974760673'
    >>> normalise_org_number("NO974760673MVA")
    '974760673'
    >>> normalise_org_number("974 760 674") is None
    True
    """
    compact = "".join(text.split()).upper()
    if compact.startswith("NO"):
        compact = compact[2:]
    if compact.endswith("MVA"):
        compact = compact[:-3]
    return compact if _passes(compact, ORG_WEIGHTS) else None


def normalise_account_number(text: str) -> str | None:
    """The 11 digits of a Norwegian bank account number written with spaces or
    dots ("8601 11 17947", "8601.11.17947"), or None if it is not one."""
    compact = "".join(text.split()).replace(".", "")
    return compact if _passes(compact, ACCOUNT_WEIGHTS) else None
