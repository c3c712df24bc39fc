"""Truncated or masked card numbers (マスク済みカード番号): entity ``CREDIT_CARD_MASKED``.

What it is
    A PAN with at most the first six (or eight) and the last four digits shown
    (PCI DSS 3.4), e.g. ``410704******4127``, ``XXXX-XXXX-XXXX-2301``, ``**** 1234``.
    PCI DSS allows storing and showing it, so it is reported apart from a PAN in
    clear. A bare last four (``1234``) is only evidence in a field named for it
    (``card_last4``, ``下4桁``); see `MaskedCardRecognizer`.

>>> validate("4107 04** **** 4127")
'410704******4127'
>>> is_valid("1234")
False
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from recognizers import masks
from recognizers.base import SEP_RE2, PatternSpec, PiiRecognizer, normalize, normalize_field_name
from recognizers.card_iin import CARD_WORDS, IIN_RANGES, MASK_CHARS, M, compact, grouped
from recognizers.credit_card import CreditCardRecognizer
from recognizers.spec import EntitySpec

ENTITY = "CREDIT_CARD_MASKED"
SPEC = EntitySpec(label_en="Card number (masked)", label_ja="カード番号(マスク済み)",
                  category="payment_card_masked", mask=masks.masked_card)

_MASKED_RE = re.compile(rf"(?P<lead>[0-9]{{0,8}})(?P<mask>{M}+)(?P<last>[0-9]{{4}})")
_MASK_BEFORE = r"(?<![0-9A-Za-z*•●#])(?<![0-9][.\-])"
_MASK_AFTER = r"(?![0-9A-Za-z*•●#])(?![.\-][0-9])"


def validate(value: str) -> str:
    """The compact masked PAN: optional first 1-8 digits, hidden digits, the last four.

    With leading digits shown, they must start a known scheme's PAN of the total
    length (else InvalidComponent); with none shown, at least four hidden digits
    (``****1234``). A bare last four is InvalidFormat here (see
    `MaskedCardRecognizer.validate_field`).
    """
    value = compact(value)
    m = _MASKED_RE.fullmatch(value)
    if not m:
        raise InvalidFormat("a masked PAN is leading digits, mask characters, then the last four")
    lead, total = m.group("lead"), len(m.group(0))
    if not lead:
        if len(m.group("mask")) < 4 or total > 19:
            raise InvalidLength("a masked PAN hides at least four digits and has at most 19")
        return value
    if not 12 <= total <= 19:
        raise InvalidLength("a masked PAN with leading digits has 12 to 19 positions")
    if not any(iin.admits(lead, total) for iin in IIN_RANGES):
        raise InvalidComponent("the leading digits start no known card scheme's PAN of this length")
    return value


def is_valid(value: str) -> bool:
    """True when `validate` accepts `value`."""
    try:
        return bool(validate(value))
    except ValidationError:
        return False


is_masked_pan = is_valid  # the name callers used before the split


def is_last_four(value: str) -> bool:
    """Exactly four digits: a last four, when the field says so."""
    return bool(re.fullmatch(r"[0-9]{4}", normalize(value).strip()))


_G = f"[0-9{MASK_CHARS}]"
_MASKED_SHAPES: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("masked_4444", (f"{_G}{{4}}", f"{_G}{{4}}", f"{_G}{{4}}", "[0-9]{4}"), 0.6),
    ("masked_465", (f"{_G}{{4}}", f"{_G}{{6}}", f"{_G}?[0-9]{{4}}"), 0.6),
    ("masked_short", (f"{M}{{4}}", "[0-9]{4}"), 0.55),
)
_MASKED_CONTIGUOUS = rf"[0-9]{{0,8}}{M}{{2,15}}[0-9]{{4}}"


class MaskedCardRecognizer(PiiRecognizer):
    """CREDIT_CARD_MASKED: a truncated or masked PAN (first 6-8 / last 4 at most).

    Columns: `VALUE_PATTERN` also accepts a bare four digits, because a
    ``card_last4`` / ``カード下4桁`` column holds nothing else. Four digits alone are
    not evidence (years, prices, PINs), so `validate`/`validate_many` reject them and
    `validate_field(values, field_name)` accepts them only when the field name
    matches `LAST4_FIELD_HINTS`. The column classifier should call `validate_field`
    when a recognizer has it (cells matching `HINTED_ONLY_VALUE_PATTERN` then count
    only in such fields). Free text never yields a bare four digits.
    """

    ENTITY: ClassVar[str] = ENTITY
    SPEC: ClassVar[EntitySpec] = SPEC
    # every accepted form ends with a mask character, maybe a separator, then the last four
    PREFILTER: ClassVar[str] = f"{M}{SEP_RE2}?[0-9]{{4}}"
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec("masked_contiguous", rf"{_MASK_BEFORE}(?P<value>{_MASKED_CONTIGUOUS}){_MASK_AFTER}", 0.6),
        *(
            PatternSpec(
                name, rf"{_MASK_BEFORE}(?P<value>{grouped(groups, python=True)}){_MASK_AFTER}", score
            )
            for name, groups, score in _MASKED_SHAPES
        ),
    )
    HINTED_ONLY_VALUE_PATTERN: ClassVar[str] = "^[0-9]{4}$"
    VALUE_PATTERN: ClassVar[str | None] = (
        "^(?:"
        + "|".join(
            [_MASKED_CONTIGUOUS] + [grouped(g, python=False) for _, g, _ in _MASKED_SHAPES] + ["[0-9]{4}"]
        )
        + ")$"
    )
    CONTEXT: ClassVar[tuple[str, ...]] = CARD_WORDS + ("ending in", "ending with", "last 4", "下4桁", "末尾")
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ("password", "パスワード", "pin", "暗証番号")
    FIELD_HINTS: ClassVar[tuple[str, ...]] = CreditCardRecognizer.FIELD_HINTS + (
        r"mask",
        r"truncat",
        r"last_?4",
        r"last_?four",
        r"下4桁",
        r"下四桁",
        r"末尾",
    )
    LAST4_FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"last_?4",
        r"last_?four",
        r"下4桁",
        r"下四桁",
        r"末尾4桁",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = (
        r"exp",
        r"cvv",
        r"cvc",
        r"year",
        r"yyyy",
        r"pin",
        r"password",
        r"amount",
        r"price",
        r"postal",
        r"zip",
    )

    def __init__(self, supported_language: str = "en", name: str | None = None):
        super().__init__(supported_language=supported_language, name=name)
        self._last4_re = re.compile("|".join(f"(?:{h})" for h in self.LAST4_FIELD_HINTS))

    def validate(self, candidate: str) -> bool:
        return is_valid(candidate)

    def validate_field(self, candidates: Sequence[str], field_name: str | None,
                       valid: np.ndarray | None = None) -> np.ndarray:
        """`validate_many`, plus bare last fours when `field_name` is a last-four field."""
        valid = self.validate_many(candidates) if valid is None else valid.copy()
        if self.field_hint(field_name) > 0 and self._last4_re.search(normalize_field_name(field_name or "")):
            valid |= np.fromiter((is_last_four(c) for c in candidates), dtype=bool, count=len(candidates))
        return valid
