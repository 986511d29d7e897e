"""The fee (honorar) of a participation, from the fee guideline's rates.

The rates come from a TOML file (`MEDVIRK_FEE_RATES`; the format is in
`docs/FEES.md`, the shipped `storage/domain/fee_rates.example.toml` is marked as an
example). The fee is computed in kroner and øre with `Decimal`:

- hours are counted by the rates' `rounding`: by default in quarter hours, a
  started quarter counting whole (in the participant's favour): 1.1 hours
  count as 1.25; or to the nearest quarter or half hour (exactly half-way
  counts up), or to the started half hour;
- attended in person, with `min_hours_in_person`, each meeting counts at least
  that many hours: the counted hours are at least meetings × the minimum;
- fee = hours × `hourly` + meetings × `per_meeting`;
- with `day_max`, each meeting day is capped: the fee is at most meetings ×
  `day_max` (a claim gives its meetings, each on a day of its own);
- a participant who declines the fee gets none (0), and still their travel
  and lost earnings, which are costs, not a fee;
- travel costs are reimbursed as claimed, beside the fee, never capped
  (`travel = "cheapest_fare"`: the claim says they are at the cheapest fare);
- lost earnings (`lost_earnings = "documented"`) are reimbursed as claimed
  against documentation, beside the fee, at most `lost_earnings_day_max` per
  meeting day (a claim without meetings counts as one day).

Pure: no database, no clock. The worked examples are in tests/test_fees.py.
The `Rates` are self-contained: whoever chooses which rates apply to a claim
passes them in.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from storage.domain.invoice_terms import InvoiceTerms, TermsError, parse_terms

EXAMPLE_RATES = Path(__file__).with_name("fee_rates.example.toml")
QUARTER = Decimal("0.25")
ORE = Decimal("0.01")
MAX_MIN_HOURS = Decimal(24)
E = TypeVar("E", bound=StrEnum)


class Rounding(StrEnum):
    """How the hours given are counted."""

    QUARTER_UP = "quarter_up"  # a started quarter counts whole (the default)
    QUARTER_NEAREST = "quarter_nearest"
    HALF_HOUR_UP = "half_hour_up"  # a started half hour counts whole
    HALF_HOUR_NEAREST = "half_hour_nearest"

    @property
    def step(self) -> Decimal:
        return QUARTER if self.name.startswith("QUARTER") else Decimal("0.5")

    @property
    def nearest(self) -> bool:
        return self.name.endswith("NEAREST")


class Travel(StrEnum):
    """What the claim says of travel costs (always reimbursed as claimed)."""

    AS_CLAIMED = "as_claimed"
    CHEAPEST_FARE = "cheapest_fare"


class LostEarnings(StrEnum):
    """Whether lost earnings (tapt arbeidsinntekt) are reimbursed."""

    NONE = "none"
    DOCUMENTED = "documented"  # as claimed, against documentation


KEYS = frozenset(
    {
        "example",
        "name",
        "hourly",
        "per_meeting",
        "day_max",
        "rounding",
        "min_hours_in_person",
        "travel",
        "lost_earnings",
        "lost_earnings_day_max",
        "invoice",
        "gathering",
    }
)


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
    rounding: Rounding = Rounding.QUARTER_UP
    # The fewest hours each meeting attended in person counts (None: no minimum).
    min_hours_in_person: Decimal | None = None
    travel: Travel = Travel.AS_CLAIMED
    lost_earnings: LostEarnings = LostEarnings.NONE
    # The most lost earnings reimbursed per meeting day (None: as documented).
    lost_earnings_day_max: Decimal | None = None
    # A desk that invoices its commissioners: its terms (`[invoice]`).
    invoice: InvoiceTerms | None = None
    # What a participant who attends a gathering is paid for the day
    # (`[gathering] day`; None: a gathering pays no fee).
    gathering_day: Decimal | None = None

    def for_a_gathering(self) -> Rates:
        """The rates a day at a gathering is computed by: one meeting at the
        day's rate, no hourly part and no day maximum; travel as these say."""
        assert self.gathering_day is not None
        return Rates(
            name=self.name,
            example=self.example,
            hourly=Decimal(0),
            per_meeting=self.gathering_day,
            rounding=self.rounding,
            travel=self.travel,
        )


@dataclass(frozen=True)
class Fee:
    hours: Decimal  # counted (rounded, and at least the in-person minimum)
    hours_fee: Decimal
    meetings_fee: Decimal
    # How much the day maximum took off (0 without one).
    capped_by: Decimal
    fee: Decimal  # 0 when declined
    travel: Decimal
    total: Decimal
    # Lost earnings reimbursed, and how much their day maximum took off.
    lost_earnings: Decimal = Decimal(0)
    lost_earnings_capped_by: Decimal = Decimal(0)
    declined: bool = False
    # The in-person minimum raised the counted hours.
    minimum_applied: bool = False


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


def _choice(raw: dict[str, Any], key: str, kind: type[E], default: E, where: str) -> E:
    value = raw.get(key, default.value)
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(f'"{member.value}"' for member in kind)
        raise RatesError(f"{where}: `{key}` must be one of {allowed}") from None


def _min_hours(raw: dict[str, Any], where: str) -> Decimal | None:
    if "min_hours_in_person" not in raw:
        return None
    value = raw["min_hours_in_person"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RatesError(f"{where}: `min_hours_in_person` must be a number of hours")
    hours = Decimal(str(value))
    if not 0 < hours <= MAX_MIN_HOURS or hours % QUARTER:
        raise RatesError(
            f"{where}: `min_hours_in_person` must be hours in quarters (0.25, 0.5, 1, ...) "
            f"above 0 and at most {MAX_MIN_HOURS}; leave it out for no minimum"
        )
    return hours


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
    lost_earnings = _choice(raw, "lost_earnings", LostEarnings, LostEarnings.NONE, where)
    lost_max = _amount(raw, "lost_earnings_day_max", where, required=False)
    if lost_max is not None and lost_earnings is LostEarnings.NONE:
        raise RatesError(f'{where}: `lost_earnings_day_max` needs `lost_earnings = "documented"`')
    if lost_max is not None and lost_max == 0:
        raise RatesError(
            f'{where}: `lost_earnings_day_max` of 0 reimburses nothing; say `lost_earnings = "none"`'
        )
    return Rates(
        name=name,
        hourly=hourly,
        per_meeting=per_meeting,
        day_max=day_max,
        example=example,
        rounding=_choice(raw, "rounding", Rounding, Rounding.QUARTER_UP, where),
        min_hours_in_person=_min_hours(raw, where),
        travel=_choice(raw, "travel", Travel, Travel.AS_CLAIMED, where),
        lost_earnings=lost_earnings,
        lost_earnings_day_max=lost_max,
        invoice=_terms(raw, where),
        gathering_day=_gathering_day(raw, where),
    )


def _gathering_day(raw: dict[str, Any], where: str) -> Decimal | None:
    if "gathering" not in raw:
        return None
    table = raw["gathering"]
    if not isinstance(table, dict) or set(table) - {"day"}:
        raise RatesError(f"{where}: `[gathering]` takes one key, `day` (kroner for the day)")
    return _amount(table, "day", f"{where} [gathering]", required=True)


def _terms(raw: dict[str, Any], where: str) -> InvoiceTerms | None:
    if "invoice" not in raw:
        return None
    try:
        return parse_terms(raw["invoice"], where)
    except TermsError as error:
        raise RatesError(str(error)) from None


def load_rates(path: str | Path | None = None) -> Rates:
    """The rates in `path` (the shipped example without one)."""
    file = Path(path) if path else EXAMPLE_RATES
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise RatesError(f"{file}: cannot be read ({error.strerror or error})") from None
    return parse_rates(text, where=str(file))


def counted_hours(
    hours: Decimal | int | float | str, rounding: Rounding = Rounding.QUARTER_UP
) -> Decimal:
    """Hours counted by `rounding` (by default in quarter hours, a started
    quarter counting whole; "nearest" counts exactly half-way up)."""
    try:
        value = Decimal(str(hours))
    except InvalidOperation:
        raise ValueError(f"not a number of hours: {hours!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"not a number of hours: {hours!r}")
    step = rounding.step
    how = ROUND_HALF_UP if rounding.nearest else ROUND_CEILING
    return (value / step).to_integral_value(rounding=how) * step


def _kroner(amount: Decimal) -> Decimal:
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def compute(
    rates: Rates,
    *,
    meetings: int,
    hours: Decimal | int | float | str,
    travel: int = 0,
    in_person: bool = False,
    lost_earnings: Decimal | int | str = 0,
    declined: bool = False,
) -> Fee:
    """The fee of `meetings` meetings and `hours` hours (attended `in_person`
    or not; `declined` by the participant), and beside it travel and lost
    earnings."""
    lost = Decimal(str(lost_earnings))
    if meetings < 0 or travel < 0 or not lost.is_finite() or lost < 0:
        raise ValueError("meetings, travel and lost earnings cannot be negative")
    if lost and rates.lost_earnings is LostEarnings.NONE:
        raise ValueError("these rates do not reimburse lost earnings")
    counted = counted_hours(hours, rates.rounding)
    minimum_applied = False
    if in_person and rates.min_hours_in_person is not None and meetings > 0:
        least = meetings * rates.min_hours_in_person
        if counted < least:
            counted, minimum_applied = least, True
    hours_fee = _kroner(counted * rates.hourly)
    meetings_fee = _kroner(meetings * rates.per_meeting)
    fee = hours_fee + meetings_fee
    capped_by = Decimal(0)
    if rates.day_max is not None and meetings > 0:
        ceiling = _kroner(meetings * rates.day_max)
        if fee > ceiling:
            capped_by, fee = fee - ceiling, ceiling
    if declined:
        fee = Decimal(0)
    lost_nok = _kroner(lost)
    lost_capped_by = Decimal(0)
    if rates.lost_earnings_day_max is not None:
        ceiling = _kroner(max(meetings, 1) * rates.lost_earnings_day_max)
        if lost_nok > ceiling:
            lost_capped_by, lost_nok = lost_nok - ceiling, ceiling
    travel_nok = Decimal(travel).quantize(ORE)
    return Fee(
        hours=counted,
        hours_fee=hours_fee,
        meetings_fee=meetings_fee,
        capped_by=capped_by,
        fee=fee,
        travel=travel_nok,
        total=fee + travel_nok + lost_nok,
        lost_earnings=lost_nok,
        lost_earnings_capped_by=lost_capped_by,
        declined=declined,
        minimum_applied=minimum_applied,
    )
