"""PHONE_NUMBER's checks, one number at a time: the reference the Arrow passes must equal.

Why apart from `recognizers.phone`: the recognizer (patterns, context, column rules),
these checks (libphonenumber, region JP unless `+country`) and their vectorised twins
(`recognizers.phone_arrow`) change for different reasons; the twins are tested against
these (tests/recognizers/test_phone_vectorised.py).
"""

from __future__ import annotations

import functools
import re

import phonenumbers
from stdnum.exceptions import InvalidComponent, InvalidLength

EXTENSION = re.compile(r",? ?(?:x|ext\.?|extension|内線) ?\d{1,6}$", re.IGNORECASE)

# Japanese mobile numbers (070/080/090, then a non-zero digit and seven more) are valid
# by their shape alone, as libphonenumber's JP metadata says; checking them here saves
# its ~100 µs parse on the most common numbers in Japanese data.
JP_MOBILE = re.compile(r"(?:0|81)[789]0[1-9]\d{7}")


def is_valid_phone(candidate: str) -> bool:
    """True when libphonenumber accepts `candidate` (JP when it has no `+country` prefix);
    an extension (`x123`, `ext. 123`, `内線123`) after the number is not part of the check."""
    candidate = EXTENSION.sub("", candidate)
    digits = re.sub(r"\D", "", candidate)
    if not 9 <= len(digits) <= 15:
        return False
    stripped = candidate.strip()
    if not (stripped.startswith(("+", "0", "(0")) or stripped.startswith("(+")):
        return False
    if JP_MOBILE.fullmatch(digits) and (stripped.startswith("+81") or not stripped.startswith("+")):
        return True
    return _libphonenumber(stripped, "JP", valid=True)


@functools.lru_cache(maxsize=3 * 65_536)  # JP validity, and validity and possibility abroad
def _libphonenumber(number: str, region: str, valid: bool) -> bool:
    """libphonenumber's answer for `number` read as dialled in `region`: a valid number
    (`valid`), else a possible length only; remembered, as a parse costs ~100 µs."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) if valid else phonenumbers.is_possible_number(parsed)


def validate(value: str) -> str:
    """The number; InvalidLength outside 9-15 digits, InvalidComponent when no numbering plan
    (JP for a number without `+country`) has it."""
    digits = re.sub(r"\D", "", EXTENSION.sub("", value))
    if not 9 <= len(digits) <= 15:
        raise InvalidLength("a phone number has 9 to 15 digits")
    if not is_valid_phone(value):
        raise InvalidComponent("no numbering plan has this number (JP unless it starts with +country)")
    return value


def is_valid(value: str) -> bool:
    return is_valid_phone(value)


# Where a number written in its national format (no `+country`) may be from, tried in this
# order after JP: the countries whose travellers and suppliers a Japanese agency sees most.
FOREIGN_REGIONS = ("US", "CN", "KR", "TW", "HK", "GB", "AU", "FR", "DE", "IT", "ES", "SG", "TH", "IL", "IN", "PH",
                   "VN", "ID", "MY", "NZ")


def is_possible_abroad(candidate: str) -> bool:
    """True when `candidate` has a possible length for its country (`+country`, an `00` / `011`
    prefix) or for one of `FOREIGN_REGIONS`: libphonenumber's length check, without the
    number-range check that test data (`+1-374-…`, Ofcom's drama numbers) fails. Only ever
    asked right after a phone word."""
    number = EXTENSION.sub("", candidate).strip()
    digits = re.sub(r"\D", "", number)
    if not 9 <= len(digits) <= 15 or len(set(digits)) <= 2:  # 0000000000, 1212121212: placeholders
        return False
    regions = ("GB",) if number.startswith("00") else ("US",) if number.startswith(("+", "011")) else FOREIGN_REGIONS
    return any(_libphonenumber(number, region, valid=False) for region in regions)


def is_valid_national_abroad(candidate: str) -> bool:
    """True when `candidate`, a number without `+country`, is valid in one of `FOREIGN_REGIONS`
    (only ever asked next to a phone word: alone, 9-11 digits are too common)."""
    number = EXTENSION.sub("", candidate).strip()
    if not 8 <= sum(ch.isdigit() for ch in number) <= 12:
        return False
    return any(_libphonenumber(number, region, valid=True) for region in FOREIGN_REGIONS)


def loose_dashed(candidate: str) -> bool:
    """The context-only shape: three dash-separated groups with 10-11 digits in all."""
    return 10 <= sum(ch.isdigit() for ch in candidate) <= 11


LOST_ZERO = re.compile(r"[1-9][0-9]{8,9}")  # 9-10 digits: a Japanese number without its trunk 0
LOOSE_CELL = re.compile(r"\(?\d{2,5}\)?[-‐‑−ー ]?\d{1,4}[-‐‑−ー]\d{3,4}")


def possible_or_valid_abroad(candidate: str) -> bool:
    """`national_abroad`'s answer for a number `is_valid_phone` declines."""
    return is_possible_abroad(candidate) or is_valid_national_abroad(candidate)


def accepts_national_abroad(candidate: str) -> bool:
    """`PhoneRecognizer.accept_match` for the `national_abroad` pattern: the length check before
    the validity check abroad, ~6x cheaper and (pure functions, or-ed) the same answer."""
    return is_valid_phone(candidate) or possible_or_valid_abroad(candidate)


def lost_zero_valid(cell: str) -> bool:
    """The lost-leading-zero rule of `PhoneRecognizer.validate_field` for one cell."""
    cell = cell.strip()
    return bool(LOST_ZERO.fullmatch(cell)) and is_valid_phone("0" + cell)
