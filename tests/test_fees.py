"""The fee computation against worked examples (storage/domain/fees.py, docs/FEES.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storage.domain.fees import (
    EXAMPLE_RATES,
    RatesError,
    compute,
    counted_hours,
    load_rates,
    parse_rates,
)

RATES = parse_rates(
    """
    name = "Honorarsatser 2026"
    hourly = 500
    per_meeting = 100
    day_max = 2500
    """
)


@pytest.mark.parametrize(
    ("hours", "counted"),
    [(0, "0"), (1, "1"), ("1.25", "1.25"), ("1.1", "1.25"), ("1.26", "1.5"), ("7.99", "8")],
)
def test_hours_count_in_quarters_a_started_one_whole(hours, counted) -> None:
    assert counted_hours(hours) == Decimal(counted)


def test_worked_example_two_meetings_under_the_day_maximum() -> None:
    # 2 meetings of 2 h plus 1.5 h preparation: 5.5 h × 500 + 2 × 100 = 2,950.
    fee = compute(RATES, meetings=2, hours="5.5", travel=340)
    assert (fee.hours_fee, fee.meetings_fee, fee.fee) == (
        Decimal("2750.00"),
        Decimal("200.00"),
        Decimal("2950.00"),
    )
    assert fee.capped_by == 0 and fee.total == Decimal("3290.00")


def test_worked_example_a_long_day_is_capped_but_travel_is_not() -> None:
    # 1 meeting day of 7.1 h: 7.25 × 500 + 100 = 3,725, capped at 2,500.
    fee = compute(RATES, meetings=1, hours="7.1", travel=1200)
    assert fee.hours == Decimal("7.25")
    assert (fee.fee, fee.capped_by, fee.total) == (
        Decimal("2500.00"),
        Decimal("1225.00"),
        Decimal("3700.00"),
    )


def test_worked_example_oere_are_rounded_half_up() -> None:
    rates = parse_rates("hourly = 433.33")
    # 0.75 h × 433.33 = 324.9975 → 325.00; no day maximum in the file.
    fee = compute(rates, meetings=3, hours="0.75")
    assert fee.fee == Decimal("325.00") and rates.day_max is None


def test_no_meetings_means_no_day_cap() -> None:
    # Hours of written input, no meeting: paid by the hour, nothing capped.
    assert compute(RATES, meetings=0, hours=10).fee == Decimal("5000.00")


def test_the_shipped_file_is_an_example_and_says_so() -> None:
    rates = load_rates()
    assert rates.example and "ikke gyldige" in rates.name
    assert load_rates(EXAMPLE_RATES) == rates


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("hourly = ", "not valid TOML"),
        ("per_meeting = 1", "`hourly` is missing"),
        ('hourly = "500"', "must be a number"),
        ("hourly = -1", "between 0 and"),
        ("hourly = 500\nhourli = 3", "unknown key"),
        ("hourly = 500\nday_max = 0", "leave it out"),
        ("hourly = 500\nexample = 1", "true or false"),
    ],
)
def test_a_bad_rates_file_is_refused_with_the_reason(text, says) -> None:
    with pytest.raises(RatesError, match=says):
        parse_rates(text, where="rates.toml")


def test_a_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(RatesError, match="cannot be read"):
        load_rates(tmp_path / "nope.toml")


def test_bad_hours_are_refused() -> None:
    for bad in ("-1", "x", "nan", "inf"):
        with pytest.raises(ValueError):
            counted_hours(bad)
