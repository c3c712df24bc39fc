"""Arrow (RE2) helpers for validating a whole column of candidates at once.

Why this module exists: identifiers without a check digit (passport numbers, JMB
numbers) are validated by shape, and one Python regex call per value is too slow
for a full scan (see /work/shared/notes/architecture.md). These helpers run the
same shape checks as RE2 passes inside Arrow over the whole column; each
recognizer keeps its scalar `is_valid` as the reference that its `is_valid_many`
is tested equal to. Check-digit arithmetic (Luhn, My Number) lives next door in
`recognizers.checksums`.

Every pattern here is written for both Python `re` and RE2, so no `\\s` (whose
meaning differs between the two).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recognizers.base import NON_ASCII_DASHES

# What `compact` strips from a number: whitespace and every dash `SEP` allows.
SEPARATORS = rf"[ \t\r\n\-{NON_ASCII_DASHES}]"
_SEPARATORS_RE = re.compile(SEPARATORS)
# RE2 for `fullmatch_many`: letters and one repeated digit, the digits of a placeholder
# (000000000, M11111111).
ONE_DISTINCT_DIGIT = "|".join(f"[A-Z]*(?:{d}[A-Z]*)+" for d in range(10))


def compact(value: str) -> str:
    """Strip separators and upper-case: the scalar twin of `compact_many`."""
    return _SEPARATORS_RE.sub("", value).upper()


def as_arrow(values: Sequence[str] | pa.Array | pa.ChunkedArray) -> pa.Array:
    """A column as one Arrow string array (an Arrow array is used as it is)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())


def compact_many(values: Sequence[str] | pa.Array | pa.ChunkedArray) -> pa.Array:
    """`compact` over a whole column, in Arrow (a column already compact is returned as it is:
    one matching pass instead of two rewriting ones)."""
    column = as_arrow(values)
    if not pc.any(pc.match_substring_regex(column, _NOT_COMPACT)).as_py():
        return column
    return pc.utf8_upper(pc.replace_substring_regex(column, pattern=SEPARATORS, replacement=""))


_NOT_COMPACT = SEPARATORS[:-1] + "a-z]"  # a separator or a lower-case letter


def fullmatch_many(column: pa.Array, pattern: str) -> np.ndarray:
    """Which cells of an Arrow string column match the RE2 `pattern` whole (nulls: False)."""
    matched = pc.match_substring_regex(column, pattern=f"^(?:{pattern})$")
    return pc.fill_null(matched, False).to_numpy(zero_copy_only=False)
