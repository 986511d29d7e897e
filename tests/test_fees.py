"""The fee computation against worked examples (storage/domain/fees.py, docs/FEES.md)."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from storage.domain.fees import (
    EXAMPLE_RATES,
    Fee,
    LostEarnings,
    Rates,
    RatesError,
    Rounding,
    Travel,
    compute,
    counted_hours,
    load_rates,
    parse_rates,
)

FEES_DOC = Path(__file__).resolve().parents[1] / "docs" / "FEES.md"

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
        ('hourly = 500\nrounding = "half_hour"', "`rounding` must be one of"),
        ("hourly = 500\nrounding = 30", "`rounding` must be one of"),
        ("hourly = 500\nmin_hours_in_person = 0", "`min_hours_in_person` must be hours"),
        ("hourly = 500\nmin_hours_in_person = 0.4", "in quarters"),
        ('hourly = 500\nmin_hours_in_person = "1"', "must be a number of hours"),
        ('hourly = 500\ntravel = "taxi"', "`travel` must be one of"),
        ("hourly = 500\nlost_earnings = true", "`lost_earnings` must be one of"),
        ("hourly = 500\nlost_earnings_day_max = 3000", 'needs `lost_earnings = "documented"`'),
        ('hourly = 500\nlost_earnings = "documented"\nlost_earnings_day_max = 0', "nothing"),
        ("hourly = 500\nmin_hours = 1", "unknown key"),
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


# -- the rules a guideline may have ----------------------------------------------------------


def test_a_rates_file_without_the_new_keys_keeps_the_rules_it_had() -> None:
    assert RATES.rounding is Rounding.QUARTER_UP and RATES.min_hours_in_person is None
    assert (RATES.travel, RATES.lost_earnings) == (Travel.AS_CLAIMED, LostEarnings.NONE)
    # In person or not: without a minimum it changes nothing.
    assert compute(RATES, meetings=1, hours="0.5", in_person=True).hours == Decimal("0.5")


@pytest.mark.parametrize(
    ("rounding", "hours", "counted"),
    [
        ("quarter_up", "1.01", "1.25"),
        ("quarter_nearest", "1.12", "1"),
        ("quarter_nearest", "1.125", "1.25"),
        ("half_hour_up", "1.01", "1.5"),
        ("half_hour_nearest", "1.24", "1"),
        ("half_hour_nearest", "1.25", "1.5"),
        ("half_hour_nearest", "1.75", "2"),
    ],
)
def test_each_rounding_counts_the_hours_as_it_says(rounding, hours, counted) -> None:
    assert counted_hours(hours, Rounding(rounding)) == Decimal(counted)


def test_the_in_person_minimum_is_per_meeting() -> None:
    rates = parse_rates("hourly = 500\nmin_hours_in_person = 1")
    fee = compute(rates, meetings=2, hours="1.5", in_person=True)
    assert (fee.hours, fee.minimum_applied) == (Decimal(2), True)
    # Not in person, or no meeting at all: no minimum.
    assert compute(rates, meetings=2, hours="1.5").hours == Decimal("1.5")
    assert compute(rates, meetings=0, hours="0.5", in_person=True).hours == Decimal("0.5")


def test_lost_earnings_are_refused_by_rates_that_do_not_reimburse_them() -> None:
    with pytest.raises(ValueError, match="lost earnings"):
        compute(RATES, meetings=1, hours=1, lost_earnings=100)


def test_lost_earnings_are_capped_per_meeting_day_and_a_claim_without_meetings_is_one_day() -> None:
    rates = parse_rates(
        'hourly = 500\nlost_earnings = "documented"\nlost_earnings_day_max = 1000.5'
    )
    two_days = compute(rates, meetings=2, hours=4, lost_earnings=2500)
    assert (two_days.lost_earnings, two_days.lost_earnings_capped_by) == (
        Decimal("2001.00"),
        Decimal("499.00"),
    )
    assert compute(rates, meetings=0, hours=2, lost_earnings=2500).lost_earnings == Decimal(
        "1000.50"
    )


def test_a_declined_fee_keeps_the_counted_hours_and_the_day_cap_it_would_have_had() -> None:
    fee = compute(RATES, meetings=1, hours="7.1", travel=100, declined=True)
    assert (fee.hours, fee.capped_by, fee.fee, fee.total) == (
        Decimal("7.25"),
        Decimal("1225.00"),
        Decimal(0),
        Decimal("100.00"),
    )


# -- Helse Bergen's guideline, as docs/FEES.md writes it ---------------------------------------


def doc_rates() -> Rates:
    """The rates file in docs/FEES.md's section on Helse Bergen's guideline."""
    text = FEES_DOC.read_text(encoding="utf-8")
    section = text.split("## Helse Bergen's guideline written as a rates file", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.S)
    assert block is not None, "no TOML block in the Helse Bergen section"
    return parse_rates(block.group(1), where="docs/FEES.md")


HELSE_BERGEN = doc_rates()


def test_the_helse_bergen_rates_in_the_doc_parse_to_its_rules() -> None:
    rates = doc_rates()
    assert rates.rounding is Rounding.HALF_HOUR_NEAREST
    assert rates.min_hours_in_person == Decimal(1)
    assert (rates.travel, rates.lost_earnings) == (Travel.CHEAPEST_FARE, LostEarnings.DOCUMENTED)
    # Its kroner are placeholders until someone puts in the guideline's: an example.
    assert rates.example and rates.hourly == Decimal(500)


def test_every_toml_block_in_the_doc_parses() -> None:
    blocks = re.findall(r"```toml\n(.*?)```", FEES_DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    for block in blocks:
        parse_rates(block, where="docs/FEES.md")


def hb(hours: str, **kw) -> Fee:
    return compute(HELSE_BERGEN, meetings=1, hours=hours, **kw)


def test_helse_bergen_1_h_10_min_in_person_counts_1_hour() -> None:
    fee = hb("1.17", in_person=True)
    assert (fee.hours, fee.fee, fee.total) == (Decimal(1), Decimal("500.00"), Decimal("500.00"))
    assert not fee.minimum_applied


def test_helse_bergen_40_min_in_person_counts_the_1_hour_minimum() -> None:
    fee = hb("0.67", in_person=True)
    assert (fee.hours, fee.fee, fee.minimum_applied) == (Decimal(1), Decimal("500.00"), True)


def test_helse_bergen_2_h_20_min_digital_counts_2_and_a_half_hours() -> None:
    fee = hb("2.33")
    assert (fee.hours, fee.fee, fee.total) == (
        Decimal("2.5"),
        Decimal("1250.00"),
        Decimal("1250.00"),
    )


def test_helse_bergen_1_h_15_min_digital_is_half_way_and_counts_up_to_1_and_a_half() -> None:
    assert hb("1.25").fee == Decimal("750.00")


def test_helse_bergen_10_min_digital_rounds_to_nothing() -> None:
    fee = hb("0.17")
    assert (fee.hours, fee.fee, fee.total) == (Decimal(0), Decimal(0), Decimal(0))


def test_helse_bergen_a_declined_fee_still_reimburses_travel() -> None:
    fee = hb("2", in_person=True, travel=340, declined=True)
    assert (fee.hours, fee.fee, fee.total, fee.declined) == (
        Decimal(2),
        Decimal(0),
        Decimal("340.00"),
        True,
    )


def test_helse_bergen_lost_earnings_are_reimbursed_beside_fee_and_travel() -> None:
    fee = hb("3", in_person=True, travel=120, lost_earnings=1800)
    assert (fee.fee, fee.travel, fee.lost_earnings, fee.total) == (
        Decimal("1500.00"),
        Decimal("120.00"),
        Decimal("1800.00"),
        Decimal("3420.00"),
    )


def test_helse_bergen_with_a_cap_on_lost_earnings_pays_at_most_the_cap() -> None:
    text = FEES_DOC.read_text(encoding="utf-8")
    assert "# lost_earnings_day_max = 3000" in text
    rates = replace(HELSE_BERGEN, lost_earnings_day_max=Decimal(1500))
    fee = compute(rates, meetings=1, hours="3", in_person=True, lost_earnings=1800)
    assert (fee.lost_earnings, fee.lost_earnings_capped_by, fee.total) == (
        Decimal("1500.00"),
        Decimal("300.00"),
        Decimal("3000.00"),
    )
