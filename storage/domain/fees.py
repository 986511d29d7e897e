"""The fee (honorar) of a participation, from the fee guideline's rates.

The rates come from a TOML file (`MEDVIRK_FEE_RATES`; the format is in
`docs/FEES.md`, the shipped `storage/domain/fee_rates.example.toml` is marked as an
example). The fee is computed in kroner and øre with `Decimal`:

- hours are counted in quarter hours, a started quarter counting whole (in the
  participant's favour): 1.1 hours count as 1.25;
- fee = hours × `hourly` + meetings × `per_meeting`;
- with `day_max`, each meeting day is capped: the fee is at most meetings ×
  `day_max` (a claim gives its meetings, each on a day of its own);
- travel costs are reimbursed as claimed, beside the fee, never capped.

Pure: no database, no clock. The worked examples are in tests/test_fees.py.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

EXAMPLE_RATES = Path(__file__).with_name("fee_rates.example.toml")
QUARTER = Decimal("0.25")
ORE = Decimal("0.01")
KEYS = frozenset({"example", "name", "hourly", "per_meeting", "day_max"})


class RatesError(ValueError):
    """The rates file cannot be used (the message says why, and where)."""


@dataclass(frozen=True)
class Rates:
    name: str
    hourly: Decimal
    per_meeting: Decimal = Decimal(0)
    day_max: Decimal | None = None
    # The shipped example: claims say their figures are not the guideline's.
    example: bool = False


@dataclass(frozen=True)
class Fee:
    hours: Decimal  # counted, in quarter hours
    hours_fee: Decimal
    meetings_fee: Decimal
    # How much the day maximum took off (0 without one).
    capped_by: Decimal
    fee: Decimal
    travel: Decimal
    total: Decimal


def _amount(raw: dict[str, Any], key: str, where: str, *, required: bool) -> Decimal | None:
    if key not in raw:
        if required:
            raise RatesError(f"{where}: `{key}` is missing")
        return None
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RatesError(f"{where}: `{key}` must be a number of kroner")
    amount = Decimal(str(value))
    if amount < 0 or amount > 1_000_000:
        raise RatesError(f"{where}: `{key}` must be between 0 and 1000000 kroner")
    return amount


def parse_rates(text: str, *, where: str = "fee rates") -> Rates:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RatesError(f"{where}: not valid TOML ({error})") from None
    unknown = set(raw) - KEYS
    if unknown:
        raise RatesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    name = raw.get("name", "")
    if not isinstance(name, str) or len(name) > 200:
        raise RatesError(f"{where}: `name` must be a text of at most 200 characters")
    example = raw.get("example", False)
    if not isinstance(example, bool):
        raise RatesError(f"{where}: `example` must be true or false")
    hourly = _amount(raw, "hourly", where, required=True)
    assert hourly is not None
    per_meeting = _amount(raw, "per_meeting", where, required=False) or Decimal(0)
    day_max = _amount(raw, "day_max", where, required=False)
    if day_max is not None and day_max == 0:
        raise RatesError(f"{where}: `day_max` of 0 would make every fee 0; leave it out instead")
    return Rates(
        name=name, hourly=hourly, per_meeting=per_meeting, day_max=day_max, example=example
    )


def load_rates(path: str | Path | None = None) -> Rates:
    """The rates in `path` (the shipped example without one)."""
    file = Path(path) if path else EXAMPLE_RATES
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise RatesError(f"{file}: cannot be read ({error.strerror or error})") from None
    return parse_rates(text, where=str(file))


def counted_hours(hours: Decimal | int | float | str) -> Decimal:
    """Hours in quarter hours, a started quarter counting whole."""
    try:
        value = Decimal(str(hours))
    except InvalidOperation:
        raise ValueError(f"not a number of hours: {hours!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"not a number of hours: {hours!r}")
    return (value / QUARTER).to_integral_value(rounding=ROUND_CEILING) * QUARTER


def compute(
    rates: Rates, *, meetings: int, hours: Decimal | int | float | str, travel: int = 0
) -> Fee:
    """The fee of `meetings` meetings and `hours` hours, and travel beside it."""
    if meetings < 0 or travel < 0:
        raise ValueError("meetings and travel cannot be negative")
    counted = counted_hours(hours)
    hours_fee = (counted * rates.hourly).quantize(ORE, rounding=ROUND_HALF_UP)
    meetings_fee = (meetings * rates.per_meeting).quantize(ORE, rounding=ROUND_HALF_UP)
    fee = hours_fee + meetings_fee
    capped_by = Decimal(0)
    if rates.day_max is not None and meetings > 0:
        ceiling = (meetings * rates.day_max).quantize(ORE, rounding=ROUND_HALF_UP)
        if fee > ceiling:
            capped_by, fee = fee - ceiling, ceiling
    travel_nok = Decimal(travel).quantize(ORE)
    return Fee(
        hours=counted,
        hours_fee=hours_fee,
        meetings_fee=meetings_fee,
        capped_by=capped_by,
        fee=fee,
        travel=travel_nok,
        total=fee + travel_nok,
    )
