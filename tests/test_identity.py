import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from storage.domain.identity import (
    contains_identity_number,
    is_identity_number,
    redact_identity_numbers,
)

# Synthetic numbers that pass both mod-11 checks (commonly used test numbers).
VALID = ["15076500565", "29029900157"]
VALID_D_NUMBERS = ["41018036736"]
# One digit off, or a first check digit that would be 10.
INVALID = ["15076500566", "15076500575", "12345678901", "01010100000", "01129955131"]


@pytest.mark.parametrize("number", VALID + VALID_D_NUMBERS)
def test_valid_numbers_are_recognised(number: str) -> None:
    assert is_identity_number(number)


@pytest.mark.parametrize("number", INVALID)
def test_invalid_numbers_are_not(number: str) -> None:
    assert not is_identity_number(number)


@pytest.mark.parametrize(
    "text",
    [
        "15076500565",
        "pasient 150765 00565 skal være med",
        "150765.00565",
        "150765-00565",
        "D-nummer 41018036736.",
        # Ways around the first detector, found in review:
        "150765  00565",  # two spaces
        "150765/00565",  # slash
        "150765 005 65",
        "15.07.65 00565",
        "1507\u200b6500565",  # zero-width space
        "1507\u20606500565",  # word joiner
        "\ufeff15076500565",  # byte-order mark
        "150765\u00a000565",  # no-break space
        "15076\u00ad500565",  # soft hyphen
        "150765\u201300565",  # en dash
        "\uff11\uff15\uff10\uff17\uff16\uff15\uff10\uff10\uff15\uff16\uff15",  # full-width
    ],
)
def test_written_forms_count(text: str) -> None:
    assert contains_identity_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "telefon 55 97 50 00",
        "1507650056512",  # longer run of digits: not an 11-digit number
        "kontonummer 1234.56.78903",
        "15076500566",
        # Found by the property test below: a date and times whose digits pass
        # both checks when read across a colon.
        "01.01.1900 og 01.01.1900 og 16.5.01 18:03-20:03 kr",
        # Found the same way: a date with its year in full, then five digits
        # whose month and year and the five pass both checks ("07194697346").
        "01.07.1946\n97346",
    ],
)
def test_other_digits_do_not(text: str) -> None:
    assert not contains_identity_number(text)


def test_redaction_hides_only_identity_numbers() -> None:
    assert redact_identity_numbers("a 15076500565 b 12345678901") == "a [fnr] b 12345678901"


SEPARATORS = [" ", "  ", ".", "-", "/", "\u00a0", "\u2009", "\u2013", "\u2014", "\u2212", " - "]
INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u200c", "\u200d"]


@settings(max_examples=300, deadline=None)
@given(
    number=st.sampled_from(VALID + VALID_D_NUMBERS),
    cuts=st.lists(st.integers(1, 10), max_size=4, unique=True),
    separator=st.sampled_from(SEPARATORS),
    invisible=st.lists(st.tuples(st.integers(0, 11), st.sampled_from(INVISIBLE)), max_size=3),
    before=st.sampled_from(["", "pasient ", "nr: ", "(", "«"]),
    after=st.sampled_from(["", " er med", ".", ")", "»"]),
)
def test_any_valid_number_split_anywhere_is_found(
    number: str,
    cuts: list[int],
    separator: str,
    invisible: list[tuple[int, str]],
    before: str,
    after: str,
) -> None:
    pieces, last = [], 0
    for cut in sorted(cuts):
        pieces.append(number[last:cut])
        last = cut
    pieces.append(number[last:])
    written = separator.join(pieces)
    for position, char in sorted(invisible, reverse=True):
        position = min(position, len(written))
        written = written[:position] + char + written[position:]
    text = before + written + after
    assert contains_identity_number(text), repr(text)
    assert not contains_identity_number(redact_identity_numbers(text))


# -- looser written forms, property-tested ----------------------------------------------------

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control(digits: str, weights: tuple[int, ...]) -> int | None:
    k = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return None if k == 10 else k % 11


def valid(digits: str) -> bool:
    """Both control digits right: written here again, independent of the detector."""
    return _control(digits[:9], W1) == int(digits[9]) and _control(digits[:10], W2) == int(
        digits[10]
    )


@st.composite
def birth_dates(draw) -> tuple[int, int, int, int]:
    """(day, month, two-digit year, century) of a real calendar date."""
    return (
        draw(st.integers(1, 28)),
        draw(st.integers(1, 12)),
        draw(st.integers(0, 99)),
        draw(st.sampled_from([19, 20])),
    )


@st.composite
def numbers(draw, *, checks: str) -> tuple[tuple[int, int, int, int], str, bool]:
    """A birth date, 11 digits starting with it (D-numbers add 40 to the day),
    and whether the digits are a D-number. `checks`: "valid" (both control
    digits right), or "any" (five random digits: almost always wrong)."""
    date = draw(birth_dates())
    day, month, year, _ = date
    d_number = draw(st.booleans())
    first = f"{day + 40 if d_number else day:02d}{month:02d}{year:02d}"
    if checks == "any":
        return date, first + draw(st.text("0123456789", min_size=5, max_size=5)), d_number
    individual = draw(st.integers(0, 999))
    base = f"{first}{individual:03d}"
    k1 = _control(base, W1)
    k2 = _control(f"{base}{k1}", W2) if k1 is not None else None
    assume(k1 is not None and k2 is not None)
    return date, f"{base}{k1}{k2}", d_number


LOOSE = " \n._,:;+|/\\-"
separators = st.one_of(
    st.sampled_from(["_", ",", ":", "+", " | ", "    ", "\n", "\r\n", "\t\t", " ;  "]),
    st.text(LOOSE, min_size=1, max_size=10),
)


@st.composite
def written(draw, number: tuple[tuple[int, int, int, int], str, bool]) -> str:
    """One way a person types it: in one piece, 6 + 5 with any separators, or
    the birth date written as a date (not for D-numbers) and then the five."""
    (day, month, year, century), digits, d_number = number
    forms = ["whole", "split"] + ([] if d_number else ["dated"])
    form = draw(st.sampled_from(forms))
    if form == "whole":
        return digits
    if form == "split":
        return digits[:6] + draw(separators) + digits[6:]
    mark = draw(st.sampled_from(".-/"))
    full = f"{century}{year:02d}"
    date = draw(
        st.sampled_from(
            [
                f"{day:02d}{mark}{month:02d}{mark}{full}",
                f"{day:02d}{mark}{month:02d}{mark}{year:02d}",
                f"{day}{mark}{month}{mark}{full}",
                f"{full}-{month:02d}-{day:02d}",
            ]
        )
    )
    return date + draw(separators) + digits[6:]


CONTEXT_BEFORE = st.sampled_from(["", "pasient ", "Fnr: ", "(", "«", "nr.\n"])
CONTEXT_AFTER = st.sampled_from(["", " er med", ".", ")", "»", "\nHilsen Per"])


@settings(max_examples=400, deadline=None)
@given(data=st.data(), before=CONTEXT_BEFORE, after=CONTEXT_AFTER)
def test_a_valid_number_is_found_however_it_is_written(data, before: str, after: str) -> None:
    number = data.draw(numbers(checks="valid"))
    text = before + data.draw(written(number)) + after
    assert contains_identity_number(text), repr(text)
    assert not contains_identity_number(redact_identity_numbers(text)), repr(text)


@settings(max_examples=400, deadline=None)
@given(data=st.data(), before=CONTEXT_BEFORE, after=CONTEXT_AFTER)
def test_the_same_forms_count_only_when_the_control_digits_are_right(
    data, before: str, after: str
) -> None:
    number = data.draw(numbers(checks="any"))
    text = before + data.draw(written(number)) + after
    assert contains_identity_number(text) == valid(number[1]), repr(text)


@pytest.mark.parametrize(
    "text",
    [
        "150765_00565",
        "150765,00565",
        "150765:00565",
        "150765+00565",
        "150765 | 00565",
        "150765    00565",
        "150765\n00565",
        "15.07.1965 00565",
        "15.07.65 00565",
        "15/07/1965 00565",
        "1965-07-15 00565",
        "410180 | 36736",
    ],
)
def test_the_forms_the_first_detector_missed(text: str) -> None:
    assert contains_identity_number(text)
    assert redact_identity_numbers(f"a {text} b") == "a [fnr] b"


@st.composite
def ordinary_numbers(draw) -> str:
    """Numbers people write in a request: phone numbers, dates and times,
    amounts, references, counts."""
    kind = draw(st.sampled_from(["phone", "date", "amount", "reference", "time", "count"]))
    if kind == "phone":
        n = f"{draw(st.sampled_from('49'))}{draw(st.integers(0, 9_999_999)):07d}"
        style = draw(st.sampled_from(["plain", "3-2-3", "2-2-2-2"]))
        body = {
            "plain": n,
            "3-2-3": f"{n[:3]} {n[3:5]} {n[5:]}",
            "2-2-2-2": f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}",
        }[style]
        return draw(st.sampled_from(["", "+47 ", "0047 "])) + body
    if kind in ("date", "time"):
        day, month, year, century = draw(birth_dates())
        mark = draw(st.sampled_from(".-/"))
        date = draw(
            st.sampled_from(
                [
                    f"{day:02d}{mark}{month:02d}{mark}{century}{year:02d}",
                    f"{century}{year:02d}-{month:02d}-{day:02d}",
                    f"{day}.{month}.{year:02d}",
                ]
            )
        )
        if kind == "date":
            return date
        hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
        return f"{date} {hour:02d}:{minute:02d}" + draw(
            st.sampled_from(["", f"-{(hour + 2) % 24:02d}:{minute:02d}"])
        )
    if kind == "amount":
        kroner = draw(st.integers(0, 9_999_999))
        grouped = f"{kroner:,}".replace(",", draw(st.sampled_from([" ", ".", "\u00a0", ""])))
        return grouped + draw(st.sampled_from(["", ",-", f",{draw(st.integers(0, 99)):02d}"]))
    if kind == "reference":
        return f"BM-{draw(st.integers(2020, 2099))}-{draw(st.integers(0, 9999)):04d}"
    return str(draw(st.integers(0, 100_000)))


@settings(max_examples=600, deadline=None)
@given(items=st.lists(ordinary_numbers(), min_size=1, max_size=4))
def test_ordinary_numbers_are_not_identity_numbers(items: list[str]) -> None:
    text = " og ".join(items) + " kr"
    assert not contains_identity_number(text), repr(text)
    assert redact_identity_numbers(text) is text
