"""Other states' passport numbers in English sentences and behind the abbreviations people
type (`pp#`, `PP No`), by format, not by value (issue #15)."""

from __future__ import annotations

import pytest

from recognizers.base import normalize
from recognizers.passport import PassportRecognizer, is_valid, is_valid_many

REC = PassportRecognizer()

# one number per state format (module docstring): the shape is what is tested
FORMATS = {
    "US": "306202786", "UK": "925076473", "DE": "C01X00T47", "FR": "12AB34567", "CN": "E12345678",
    "KR": "M12345678", "IN": "J8369854", "CA": "AB123456", "AU": "N1234567",
    "PH": "P1234567A",
}  # fmt: skip

CONTEXTS = [
    "my passport number is {}",
    "My passport no. is {}, thanks",
    "pp#: {}",
    "pp# {}",
    "PP No. {}",
    "PP-No {}",
    "pp_no={}",
    "passport nr {}",
    "护照号码 {}",
]


@pytest.mark.parametrize("state", sorted(FORMATS))
@pytest.mark.parametrize("context", CONTEXTS)
def test_other_states_numbers_with_a_passport_word(state, context):
    number = FORMATS[state]
    assert [h.value for h in REC.find(normalize(context.format(number)))] == [number]


@pytest.mark.parametrize("state", sorted(set(FORMATS) - {"UK"}))  # the UK's 9 digits are the US shape
def test_without_context_only_the_japanese_shape_stands_alone(state):
    assert REC.find(normalize(f"ref {FORMATS[state]} ok")) == []


NOT_PASSPORTS = [
    "booking ref P1234567A",
    "pp# order 123456789",  # the nearer word says order
    "hotel confirmation P1234567A",
    "app#: 306202786x",  # glued to a letter: not a number of its own
]


@pytest.mark.parametrize("text", NOT_PASSPORTS)
def test_look_alikes(text):
    assert REC.find(normalize(text)) == []


def test_bulk_equals_scalar_on_the_new_formats():
    values = [*FORMATS.values(), "P1234567", "PAA123456", "AAAA12345", "P12345678A"]
    assert list(is_valid_many(values)) == [is_valid(v) for v in values]
