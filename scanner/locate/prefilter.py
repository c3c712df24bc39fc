"""Whole-column screening in Arrow, so files stream at scan speed and Python sees few rows.

Comparing every cell in Python (normalise, hash, look up) costs ~80 µs a row:
a minute and more for a million-row CSV or log. Instead each batch is screened
in Arrow, which runs in C++ without the GIL:

- value fields: `utf8_normalize(NFKC)` -> `utf8_lower` -> separators removed
  (RE2) -> `is_in` the person's spellings normalised the same way in Python
  (`python_form`); card last-four fields with `ends_with`;
- running text (log lines, free-text cells): NFKC + lower, then one RE2
  pattern, the union of every spelling (digits may carry separators).

Only the rows or lines that pass go to the exact rules of matching.py, so the
screen may be loose but must never miss: both sides normalise alike, and every
spelling the rules accept is in the sets. Kunrei romaji and other spellings not
generated are only found by `--thorough`, which skips the screen.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scanner.locate.identifiers import Person

_STRIP = {  # separators dropped before comparing (after NFKC, so full-width forms are already ASCII)
    "phone": " \t\r\n-()./+\u30fc\u2010\u2212",
    "name": " \t\r\n\u30fb/,.'-",
    "birth_date": " \t\r\n-/.:",
    "email": " \t\r\n",
}
_STRIP_DEFAULT = " \t\r\n-"
_GAP = r"[^0-9a-z]{0,3}"


def _strip_pattern(kind: str) -> str:
    """One character class, valid for both Python `re` and RE2 (characters written literally)."""
    chars = _STRIP.get(kind, _STRIP_DEFAULT)
    return "[" + "".join("\\" + c if c in "]\\-^[" else c for c in chars) + "]"


def python_form(kind: str, value: str) -> str:
    """What `arrow_form` makes of one value, in Python (for the spelling sets)."""
    return re.sub(_strip_pattern(kind), "", unicodedata.normalize("NFKC", value).lower())


def arrow_form(kind: str, column: pa.Array) -> pa.Array:
    text = pc.utf8_lower(pc.utf8_normalize(column.cast(pa.string()), form="NFKC"))
    return pc.replace_substring_regex(text, pattern=_strip_pattern(kind), replacement="")


def _digits_pattern(digits: str) -> str:
    return _GAP.join(digits)


class Prefilter:
    """The screens for one run's people."""

    def __init__(self, people: list[Person]):
        self.last4: set[str] = set()
        forms: dict[str, set[str]] = {}
        parts: set[str] = set()
        for person in people:
            for kind in person.match_kinds:
                spellings = person.spellings(kind)
                if kind == "card_last4":
                    self.last4 |= set(person.keys.get(kind, ()))
                    continue
                forms.setdefault(kind, set()).update(python_form(kind, s) for s in spellings)
                parts |= _text_parts(person, kind, spellings)
        self.values: dict[str, pa.Array] = {kind: pa.array(sorted(f - {""})) for kind, f in forms.items()}
        ordered = sorted(parts, key=len, reverse=True)
        self.text_pattern = "|".join(ordered) if ordered else None
        self.text_pattern_failed = False

    def rows(self, batch: pa.RecordBatch, fields: dict[str, set[str]], text_fields: dict[str, set[str]]) -> np.ndarray:
        """Indices of the rows that may hold one of the people."""
        hit = np.zeros(batch.num_rows, dtype=bool)
        names = set(batch.schema.names)
        for name, kinds in fields.items():
            if name not in names:
                continue
            column = batch.column(name)
            for kind in kinds:
                if kind == "card_last4":
                    digits = pc.replace_substring_regex(arrow_form(kind, column), pattern=r"\D", replacement="")
                    for last4 in self.last4:
                        hit |= _mask(pc.ends_with(digits, last4))
                elif kind in self.values:
                    hit |= _mask(pc.is_in(arrow_form(kind, column), value_set=self.values[kind]))
        for name in text_fields:
            if name in names:
                hit |= self.text_mask(batch.column(name))
        return np.flatnonzero(hit)

    def text_mask(self, column: pa.Array) -> np.ndarray:
        """Which texts (lines, free-text cells) may hold one of the people."""
        if self.text_pattern is None:
            return np.zeros(len(column), dtype=bool)
        text = pc.utf8_lower(pc.utf8_normalize(column.cast(pa.string()), form="NFKC"))
        try:
            return _mask(pc.match_substring_regex(text, pattern=self.text_pattern))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            # RE2 refuses a union too large to compile (bulk mode, thousands of names): judge every text
            self.text_pattern_failed = True
            return np.asarray(pc.is_valid(column).to_numpy(zero_copy_only=False), dtype=bool)


def _mask(result: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(result, False).to_numpy(zero_copy_only=False), dtype=bool)


def _text_parts(person: Person, kind: str, spellings: set[str]) -> set[str]:
    """RE2 alternatives that running text holding this identifier must match."""
    if kind == "name":
        return {re.escape(f) for f in person.names.text_forms}
    if kind in ("phone", "jmb", "my_number"):
        out = set()
        for key in person.keys.get(kind, ()):
            digits = key.lstrip("+")
            if kind == "phone" and digits.startswith("0"):
                out.add(r"(?:0|81)" + _GAP + _digits_pattern(digits[1:]))
            else:
                out.add(_digits_pattern(digits))
        return out
    return {re.escape(unicodedata.normalize("NFKC", s).lower()) for s in spellings | set(person.keys.get(kind, ()))}
