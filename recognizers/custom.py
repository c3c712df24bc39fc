"""Custom identifiers from YAML: one generic recognizer, instantiated per entry.

Why: a company has identifiers of its own (a member number, an employee code, a
loyalty card) that no built-in recognizer knows. `custom_identifiers:` in
configs/detection.yaml declares each with a pattern (RE2, so the vectorised
engine screens whole columns with it), an optional built-in validator (check
digits from python-stdnum), context words, field-name hints and a score; this
module turns an entry into a `PiiRecognizer` like any other, so it runs through
the same prefilter, whole-cell pass, find() and masking.

The built-in validators (`VALIDATORS`) check the value NFKC-normalised, without
separators; the digit checks read its digits only (``MC4992739871`` is checked
as ``4992739871``), the ISO 7064 alphanumeric ones its letters and digits:

====================  ======================================================
name                  check
====================  ======================================================
``luhn``              Luhn / ISO/IEC 7812-1 annex B (``stdnum.luhn``)
``my_number``         Japanese Individual Number check digit (``stdnum.jp.in_``)
``mod11``             ISO 7064 MOD 11-2, check character 0-9 or X (``stdnum.iso7064.mod_11_2``)
``mod11_10``          ISO 7064 MOD 11,10 (``stdnum.iso7064.mod_11_10``)
``mod97``             ISO 7064 MOD 97-10, as in IBANs (``stdnum.iso7064.mod_97_10``)
``verhoeff``          Verhoeff dihedral check digit (``stdnum.verhoeff``)
``damm``              Damm quasigroup check digit (``stdnum.damm``)
====================  ======================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from stdnum import damm, luhn, verhoeff
from stdnum.iso7064 import mod_11_2, mod_11_10, mod_97_10
from stdnum.jp import in_

from recognizers import masks
from recognizers.base import PatternSpec, PiiRecognizer, normalize
from recognizers.spec import EntitySpec

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_NOT_DIGIT = re.compile(r"[^0-9]")


def _digits_only(check: Callable[[str], bool]) -> Callable[[str], bool]:
    """`check` on the digits of the value (a letter prefix such as ``MC`` is not checked)."""

    def run(value: str) -> bool:
        digits = _NOT_DIGIT.sub("", value)
        return bool(digits) and check(digits)

    return run


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "luhn": _digits_only(luhn.is_valid),
    "my_number": _digits_only(lambda v: len(v) == 12 and in_.is_valid(v)),
    "mod11": lambda v: len(v) >= 2 and mod_11_2.is_valid(v.upper()),
    "mod11_10": _digits_only(mod_11_10.is_valid),
    "mod97": lambda v: len(v) >= 3 and mod_97_10.is_valid(v.upper()),
    "verhoeff": _digits_only(verhoeff.is_valid),
    "damm": _digits_only(damm.is_valid),
}


def run_validator(name: str, value: str) -> bool:
    """`VALIDATORS[name]` on `value` without separators (NFKC first)."""
    return VALIDATORS[name](_NOT_ALNUM.sub("", normalize(value)))


@dataclass(frozen=True)
class CustomIdentifier:
    """One `custom_identifiers:` entry, already checked (scanner.detect.config does that)."""

    entity: str
    pattern: str  # RE2 and Python `re` at once (the common subset): matched in NFKC text
    validator: str | None = None
    context: tuple[str, ...] = ()
    context_required: bool = False
    field_hints: tuple[str, ...] = ()
    negative_hints: tuple[str, ...] = ()
    score: float = 0.6
    label_en: str | None = None
    label_ja: str | None = None
    category: str | None = None
    keep_start: int = 2
    keep_end: int = 2

    @property
    def spec(self) -> EntitySpec:
        return EntitySpec(
            label_en=self.label_en or self.entity,
            label_ja=self.label_ja or self.label_en or self.entity,
            category=self.category,
            mask=masks.Keep(self.keep_start, self.keep_end),
        )


# Not part of a longer token: no letter or digit right before or after the match.
_BEFORE = r"(?<![0-9A-Za-z])"
_AFTER = r"(?![0-9A-Za-z])"


class CustomRecognizer(PiiRecognizer):
    """A recognizer built from a `CustomIdentifier` (the class attributes become the entry's)."""

    ENTITY = "CUSTOM"
    SPEC = EntitySpec("Custom identifier", "カスタム識別子", None)
    PREFILTER = ""
    PATTERNS: tuple[PatternSpec, ...] = ()

    def __init__(self, definition: CustomIdentifier, supported_language: str = "en"):
        self.definition = definition
        self.ENTITY = definition.entity
        self.SPEC = definition.spec
        self.PREFILTER = definition.pattern
        self.PATTERNS = (
            PatternSpec(f"custom_{definition.entity.lower()}",
                        rf"{_BEFORE}(?P<value>(?:{definition.pattern})){_AFTER}", definition.score),
        )
        self.VALUE_PATTERN = f"^(?:{definition.pattern})$"
        self.CONTEXT = definition.context
        self.CONTEXT_REQUIRED = definition.context_required
        self.NEGATIVE_CONTEXT = tuple(w for w in definition.negative_hints if not _looks_like_regex(w))
        self.FIELD_HINTS = definition.field_hints
        self.FIELD_NEGATIVE_HINTS = tuple(_as_field_regex(w) for w in definition.negative_hints)
        # a pattern hit alone must be able to reach the free-text threshold
        self.MIN_SCORE = min(PiiRecognizer.MIN_SCORE, definition.score)
        super().__init__(supported_language=supported_language, name=f"Custom:{definition.entity}")

    def validate(self, candidate: str) -> bool:
        name = self.definition.validator
        return True if name is None else run_validator(name, candidate)

    def validate_many(self, candidates: Sequence[str]) -> np.ndarray:
        if self.definition.validator is None:
            return np.ones(len(candidates), dtype=bool)
        values = candidates.to_pylist() if hasattr(candidates, "to_pylist") else list(candidates)
        return np.fromiter((self.validate(c) for c in values), dtype=bool, count=len(values))


def _looks_like_regex(word: str) -> bool:
    return bool(re.search(r"[\\^$()\[\]|*+?{}]", word))


def _as_field_regex(word: str) -> str:
    """A negative hint as a field-name regex: a regex stays, a word is matched literally
    (in the normalised name, where spaces are `_`)."""
    return word if _looks_like_regex(word) else re.escape(word.lower().replace(" ", "_"))


def custom_recognizers(definitions: Sequence[CustomIdentifier], language: str = "en") -> list[CustomRecognizer]:
    """One recognizer per entry, in the file's order."""
    return [CustomRecognizer(d, supported_language=language) for d in definitions]
