import pytest

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
        "150765  00565",  # two spaces is not one of the allowed forms
        "150765/00565",
        "kontonummer 1234.56.78903",
        "15076500566",
    ],
)
def test_other_digits_do_not(text: str) -> None:
    assert not contains_identity_number(text)


def test_redaction_hides_only_identity_numbers() -> None:
    assert redact_identity_numbers("a 15076500565 b 12345678901") == "a [fnr] b 12345678901"
