"""Payment card numbers in clear (カード番号, PAN): entity ``CREDIT_CARD``.

What it is
    The primary account number PCI DSS calls cardholder data: 13-19 digits
    (ISO/IEC 7812-1). The first digits are the issuer identification number
    (IIN/BIN) that names the scheme; the last digit is a Luhn check digit. Written
    contiguous or grouped 4-4-4-4 (most), 4-6-5 (American Express) or 4-6-4 (Diners
    Club 14 digits).

How a PAN is checked (`validate`)
    Luhn (python-stdnum ``stdnum.luhn`` is the reference; the bulk path in
    `recognizers.checksums` is tested equal to it) plus the scheme's IIN range and
    length from `recognizers.card_iin.IIN_RANGES`. Schemes without a documented
    range there (private-label cards) are not reported: the Luhn check alone passes
    one random number in ten, too many for 16-digit ids in logs.

Sources
    ISO/IEC 7812-1; PCI DSS v4.0 requirements 3.3-3.5 (what may be kept and shown);
    python-stdnum ``stdnum.luhn``.

>>> validate("4111 1111 1111 1111")
'4111111111111111'
>>> is_valid("4111 1111 1111 1112")
False
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from stdnum import luhn
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from recognizers import masks
from recognizers.base import PatternSpec, PiiRecognizer
from recognizers.card_iin import (
    AFTER,
    BEFORE,
    CARD_WORDS,
    IIN_TABLE,
    NOT_CARD_FIELDS,
    NOT_CARD_WORDS,
    card_brand,
    compact,
    grouped,
)
from recognizers.checksums import digit_matrix, luhn_matrix, prefix_ranges_matrix
from recognizers.spec import EntitySpec, Redaction

ENTITY = "CREDIT_CARD"


def validate(number: str) -> str:
    """The compact PAN; raises InvalidFormat / InvalidLength / InvalidChecksum /
    InvalidComponent (no known scheme's IIN range and length) saying why not."""
    digits = compact(number)
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidFormat("a PAN holds digits and separators only")
    if not 13 <= len(digits) <= 19:
        raise InvalidLength("a PAN has 13 to 19 digits")
    luhn.validate(digits)
    if card_brand(digits) is None:
        raise InvalidComponent("no known card scheme issues this IIN at this length")
    return digits


def is_valid(number: str) -> bool:
    """A full PAN: 13-19 digits (separators allowed), Luhn-valid, in a known IIN range."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def is_valid_many(values: Sequence[str]) -> np.ndarray:
    """`is_valid` for a whole column at once (NumPy Luhn + IIN; `is_valid` is the reference)."""
    matrix = digit_matrix(values, 19)
    return luhn_matrix(matrix) & prefix_ranges_matrix(matrix, IIN_TABLE) & (matrix.lengths >= 13)


is_valid_pan = is_valid  # the names callers used before the split
is_valid_pan_many = is_valid_many


def _luhn_digits(text: str) -> bool:
    """The report-side guard's check: any 13-19 digit run that passes Luhn is masked."""
    digits = re.sub(r"[^0-9]", "", text)
    return 13 <= len(digits) <= 19 and luhn.is_valid(digits)


SPEC = EntitySpec(
    label_en="Card number",
    label_ja="カード番号",
    category="payment_card",
    mask=masks.card,
    # digit runs with optional single spaces/hyphens, not glued to other digits
    redaction=Redaction(r"(?<![0-9])[0-9](?:[ \-]?[0-9]){12,18}(?![0-9])", _luhn_digits, order=20),
)


# PAN shapes (groups of digits); the same table makes the Python patterns, the RE2
# prefilter and the RE2 whole-cell pattern, so the three cannot drift apart.
_PAN_SHAPES: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("pan_4444_3", ("[0-9]{4}", "[0-9]{4}", "[0-9]{4}", "[0-9]{4}", "[0-9]{3}"), 0.6),
    ("pan_4444", ("[0-9]{4}", "[0-9]{4}", "[0-9]{4}", "[0-9]{4}"), 0.6),
    ("pan_465", ("[0-9]{4}", "[0-9]{6}", "[0-9]{5}"), 0.6),
    ("pan_464", ("[0-9]{4}", "[0-9]{6}", "[0-9]{4}"), 0.6),
)
# Track 1 puts the PAN right after the format code B; a track 2 reader may write D for =.
_PAN_BEFORE = rf"(?:(?<![0-9A-Za-z])B(?=[0-9]{{12,19}}\^)|{BEFORE})"
_PAN_AFTER = rf"(?:{AFTER}|(?=D[0-9]{{7}}))"


class CreditCardRecognizer(PiiRecognizer):
    """CREDIT_CARD: a full PAN in clear (Luhn + IIN range + length)."""

    BULK_VALIDATION = True  # validate_many is vectorised

    ENTITY: ClassVar[str] = ENTITY
    SPEC: ClassVar[EntitySpec] = SPEC
    PREFILTER: ClassVar[str] = "|".join(
        ["[0-9]{13,19}"] + [grouped(groups, python=False) for _, groups, _ in _PAN_SHAPES[1:]]
    )
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec("pan", rf"{_PAN_BEFORE}(?P<value>[0-9]{{13,19}}){_PAN_AFTER}", 0.5),
        *(
            PatternSpec(name, rf"{BEFORE}(?P<value>{grouped(groups, python=True)}){AFTER}", score)
            for name, groups, score in _PAN_SHAPES
        ),
    )
    VALUE_PATTERN: ClassVar[str | None] = (
        "^(?:" + "|".join(["[0-9]{13,19}"] + [grouped(g, python=False) for _, g, _ in _PAN_SHAPES]) + ")$"
    )
    CONTEXT: ClassVar[tuple[str, ...]] = CARD_WORDS
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = NOT_CARD_WORDS
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"card_?(?:number|no|num|nbr)",
        r"(?:^|_)card$",
        r"(?:^|_)pan(?:_|$)",
        r"(?:^|_)cc_?(?:number|no|num)?(?:_|$)",
        r"ccn",
        r"credit_?card",
        r"カード番号",
        r"クレジット",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = NOT_CARD_FIELDS

    def validate(self, candidate: str) -> bool:
        return is_valid(candidate)

    def validate_many(self, candidates: Sequence[str]) -> np.ndarray:
        return is_valid_many(candidates)
