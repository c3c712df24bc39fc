"""Last line of defence: no report ever prints a full card, passport or My Number.

Findings and violations are masked where they are made (scanner.detect.masking),
so for a result the scanner wrote this changes nothing. But a report can be
rendered from any JSON file (hand-edited, written by an older tool, or holding
an error message that quoted a raw line), and a leaked PAN in a report filed to
a ticket system is an incident. So every string a report prints goes through
`redact`, which re-masks anything shaped like an unmasked identifier with the
same `mask` rules, using python-stdnum's check digits to avoid masking innocent
numbers.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from stdnum import luhn
from stdnum.jp import in_ as my_number

from scanner.detect.masking import mask

# Digit runs with optional single spaces/hyphens between digits, not glued to other digits.
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9](?:[ \-]?[0-9]){11,18}(?![0-9])")
# A long hex token is a hash (a fingerprint), whatever digit runs it happens to hold.
_HEX_TOKEN = re.compile(r"[0-9a-fA-F]{32,}")
# Japanese passport: two capital letters and seven digits (e.g. TK1234567).
_PASSPORT = re.compile(r"(?<![0-9A-Za-z])[A-Z]{2}[0-9]{7}(?![0-9A-Za-z])")
# Magnetic-stripe track 1 (%B<PAN>^...) and track 2 (;<PAN>=...).
_TRACK = re.compile(r"%B[0-9]{12,19}\^[^?\s]*\??|;[0-9]{12,19}=[0-9]*\??")


def _inside_hash(match: re.Match[str]) -> bool:
    source, start, end = match.string, match.start(), match.end()
    while start > 0 and source[start - 1].isascii() and source[start - 1].isalnum():
        start -= 1
    while end < len(source) and source[end].isascii() and source[end].isalnum():
        end += 1
    return bool(_HEX_TOKEN.fullmatch(source[start:end]))


def _mask_digits(match: re.Match[str]) -> str:
    text = match.group(0)
    if _inside_hash(match):
        return text
    digits = "".join(ch for ch in text if ch.isdigit())
    # Check digits decide: a 14-digit timestamp or an order number is not a card.
    if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
        return mask("CREDIT_CARD", text)
    if len(digits) == 12 and my_number.is_valid(digits):
        return mask("JP_MY_NUMBER", text)
    return text


def redact(text: str) -> str:
    """`text` with every unmasked card number, track data, My Number or passport number masked."""
    if not text:
        return text
    # Full-width digits and letters (４１１１…) are folded first so they cannot slip past.
    folded = unicodedata.normalize("NFKC", text)
    if folded != text and (_DIGIT_RUN.search(folded) or _PASSPORT.search(folded) or _TRACK.search(folded)):
        text = folded
    text = _TRACK.sub(lambda m: mask("CARD_TRACK_DATA", m.group(0)), text)
    text = _DIGIT_RUN.sub(_mask_digits, text)
    return _PASSPORT.sub(lambda m: mask("PASSPORT_NUMBER", m.group(0)), text)


def redact_value(value: Any) -> Any:
    """`redact` applied to every string inside `value` (dicts, lists, scalars); other types unchanged."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(v) for v in value]
    return value
