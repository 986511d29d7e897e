import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.identity import contains_identity_number, is_identity_number, redact_identity_numbers

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
