"""Bulk (NumPy) check-digit validators for whole columns of candidates.

Why this module exists: python-stdnum is the reference for every check digit
piiscan uses, but one Python call per value is far too slow for a full scan
(1M card numbers: `stdnum.luhn.is_valid` 4.8 s; see
/work/shared/notes/architecture.md). A column of card numbers is all
candidates, so candidates are validated the way they are screened: in bulk.

How it works: a column (Python sequence, NumPy array, pandas Series or Arrow
array) becomes one flat UTF-8 byte buffer plus row offsets: an Arrow string
array already is one; a Python sequence is joined with newlines. Text that is
not ASCII is NFKC-normalised first (full-width digits become ASCII, as in the
scalar path). Separators (space, hyphens, the katakana long-vowel mark) are
skipped; any other character makes the row invalid. The digits of each row are
then gathered into a right-aligned `DigitMatrix` (column k = k-th digit from
the right), on which Luhn and weighted check digits are plain column sums.

Every function here is tested equal to python-stdnum on random and real
vectors (tests/recognizers/test_checksums.py). Identifier facts (IIN ranges,
lengths) live in the recognizer modules, which pass them in as tables.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Separators allowed inside a number, after NFKC. The non-ASCII ones become a space
# first, so the byte-level pass only has to know b" " and b"-".
NON_ASCII_SEPARATORS = "‐‑‒–—―−ー"
_TO_SPACE = str.maketrans({c: " " for c in NON_ASCII_SEPARATORS})
_NON_ASCII_SEPARATORS_RE2 = f"[{NON_ASCII_SEPARATORS}]"
_DELIMITER = "\n"

# Luhn: what a digit contributes in a doubled position.
_LUHN_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=np.uint8)

# My Number (個人番号) check-digit weights for the 11 digits before the check digit,
# listed from the right (2nd digit from the right first), as in the official rule
# (総務省令第85号 第5条): Qn = n + 1 for n <= 6, n - 5 for n >= 7.
MY_NUMBER_WEIGHTS_FROM_RIGHT = np.array([2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6], dtype=np.int64)

_CHUNK_ROWS = 1 << 18  # bounds the (rows x digits) gather's memory


@dataclass(frozen=True)
class DigitMatrix:
    """The digits of a column, right-aligned: `digits[i, k]` is the k-th digit from the right."""

    digits: np.ndarray  # (rows, max_digits) uint8, zero where a row is shorter
    lengths: np.ndarray  # (rows,) digits in each clean row, 0 for unclean rows
    clean: np.ndarray  # (rows,) only digits and separators, 1..max_digits digits
    head: np.ndarray  # (rows,) the first `head_digits` digits as an integer (0-padded on the right)
    head_digits: int

    def prefix(self, n: int) -> np.ndarray:
        """The first `n` (<= head_digits) digits of each row as an integer."""
        return self.head // 10 ** (self.head_digits - n)


def _flat_utf8(values: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(bytes, starts, ends, delimiter) of the NFKC form of every value: row i is
    `bytes[starts[i]:ends[i]]`; null/non-text rows are empty; `delimiter` is the byte
    between rows (-1: none)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return _flat_arrow(values)
    if hasattr(values, "tolist") and not isinstance(values, list):  # NumPy array, pandas Series
        values = values.tolist()
    values = list(values)
    try:
        joined = _DELIMITER.join(values)
    except TypeError:
        joined = None
    if joined is None or joined.count(_DELIMITER) != max(len(values) - 1, 0):
        joined = _DELIMITER.join(_as_text(v) for v in values)
    if not joined.isascii():
        joined = unicodedata.normalize("NFKC", joined).translate(_TO_SPACE)
    buf = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    cuts = np.flatnonzero(buf == ord(_DELIMITER))
    starts = np.concatenate(([0], cuts + 1)).astype(np.int64)
    ends = np.concatenate((cuts, [len(buf)])).astype(np.int64)
    if not values:
        starts, ends = starts[:0], ends[:0]
    return buf, starts, ends, ord(_DELIMITER)


def _as_text(value: object) -> str:
    """A value as text for digit checks: integers print, anything else non-text is empty."""
    if isinstance(value, str):
        return value if _DELIMITER not in value else ""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(value)
    return ""


def _flat_arrow(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if pa.types.is_integer(arr.type):
        arr = pc.cast(arr, pa.large_string())
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        empty = np.zeros(len(arr), dtype=np.int64)
        return np.zeros(0, dtype=np.uint8), empty, empty, -1
    if not pc.all(pc.string_is_ascii(arr)).as_py():
        arr = pc.replace_substring_regex(pc.utf8_normalize(arr, "NFKC"), _NON_ASCII_SEPARATORS_RE2, " ")
    arr = pc.cast(arr, pa.large_string())
    _, offset_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offset_buf, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    buf = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, dtype=np.uint8)
    starts, ends = offsets[:-1].copy(), offsets[1:].copy()
    if arr.null_count:
        nulls = arr.is_null().to_numpy(zero_copy_only=False)
        ends[nulls] = starts[nulls]
    return buf, starts, ends, -1


def digit_matrix(values: Sequence[str] | Any, max_digits: int, head_digits: int = 6) -> DigitMatrix:
    """Pack the digits of every value (separators skipped) into a `DigitMatrix`.

    Rows holding any character other than digits and separators, no digit, or more
    than `max_digits` digits are not `clean` (and have length 0).
    """
    buf, starts, ends, delimiter = _flat_utf8(values)
    rows = len(starts)
    is_digit = (buf >= 48) & (buf <= 57)
    # Non-digit bytes inside rows are few (separators, junk): find their rows by binary
    # search rather than running cumulative sums over every byte.
    non_digit = np.flatnonzero(~is_digit)
    inner = non_digit[buf[non_digit] != delimiter] if delimiter >= 0 else non_digit
    lengths = ends - starts
    clean = np.ones(rows, dtype=bool)
    packed, first = buf - np.uint8(48), starts
    if len(inner):
        lengths = lengths - (np.searchsorted(inner, ends) - np.searchsorted(inner, starts))
        separator = (buf[inner] == 32) | (buf[inner] == 45)
        odd = inner[~separator]
        clean = np.searchsorted(odd, ends) == np.searchsorted(odd, starts)
        if separator.any():  # drop every non-digit byte, then re-point rows into the packed digits
            packed = buf[is_digit] - np.uint8(48)
            first = starts - np.searchsorted(non_digit, starts)
    clean &= (lengths >= 1) & (lengths <= max_digits)
    lengths = np.where(clean, lengths, 0)

    # column-major: the check-digit sums below walk one digit position at a time
    digits = np.zeros((rows, max_digits), dtype=np.uint8, order="F")
    head = np.zeros(rows, dtype=np.int64)
    powers = 10 ** np.arange(head_digits - 1, -1, -1, dtype=np.int64)
    found = np.flatnonzero(np.bincount(lengths[clean], minlength=1)).tolist()
    for length in found:
        hd = min(length, head_digits)
        stride = int(first[1] - first[0]) if rows > 1 else length
        if len(found) == 1 and clean.all() and stride >= length and np.all(np.diff(first) == stride):
            # one length at a fixed stride (the usual column): a strided view, no gather
            block = np.lib.stride_tricks.as_strided(
                packed[first[0] :], shape=(rows, length), strides=(stride, 1), writeable=False
            )
            digits[:, :length] = block[:, ::-1]
            head[:] = block[:, :hd] @ powers[:hd]
            break
        members = np.flatnonzero(lengths == length)
        for lo in range(0, len(members), _CHUNK_ROWS):
            chunk = members[lo : lo + _CHUNK_ROWS]
            block = packed[first[chunk, None] + np.arange(length)]
            digits[chunk, :length] = block[:, ::-1]
            head[chunk] = block[:, :hd] @ powers[:hd]
    return DigitMatrix(digits=digits, lengths=lengths, clean=clean, head=head, head_digits=head_digits)


def luhn_matrix(matrix: DigitMatrix) -> np.ndarray:
    """Luhn (ISO/IEC 7812-1 annex B) over every clean row: True where the checksum is 0."""
    total = np.zeros(len(matrix.lengths), dtype=np.uint16)
    for k in range(matrix.digits.shape[1]):
        column = matrix.digits[:, k]
        total += _LUHN_DOUBLED[column] if k % 2 else column
    return matrix.clean & (total % 10 == 0)


def luhn_many(values: Sequence[str] | Any, max_digits: int = 19) -> np.ndarray:
    """Bulk `stdnum.luhn.is_valid` (of the value without separators), up to `max_digits` digits."""
    return luhn_matrix(digit_matrix(values, max_digits))


def prefix_ranges_matrix(matrix: DigitMatrix, ranges: Iterable[tuple[int, int, Iterable[int]]]) -> np.ndarray:
    """True where a row's leading digits fall in one of `ranges` and its length is allowed.

    Each range is `(low, high, lengths)`, `low` and `high` written as prefixes of the
    same digit count (e.g. `(2221, 2720, (16,))` for Mastercard's 2-series).
    """
    ranges = list(ranges)
    width = max((len(str(low)) for low, _, _ in ranges), default=1)
    # one lookup: leading `width` digits -> bit set of the lengths allowed after them
    allowed = np.zeros(10**width, dtype=np.uint64)
    for low, high, lengths in ranges:
        scale = 10 ** (width - len(str(low)))
        allowed[low * scale : (high + 1) * scale] |= np.uint64(sum(1 << n for n in set(lengths)))
    bits = allowed[matrix.prefix(width)] >> matrix.lengths.astype(np.uint64)
    return matrix.clean & (bits & np.uint64(1)).astype(bool)


def my_number_matrix(matrix: DigitMatrix) -> np.ndarray:
    """The Individual Number (個人番号) check digit, for rows of exactly 12 digits."""
    if matrix.digits.shape[1] < 12:
        return np.zeros(len(matrix.lengths), dtype=bool)
    total = matrix.digits[:, 1:12].astype(np.int64) @ MY_NUMBER_WEIGHTS_FROM_RIGHT
    check = (-total) % 11 % 10
    return matrix.clean & (matrix.lengths == 12) & (matrix.digits[:, 0] == check)


def my_number_many(values: Sequence[str] | Any) -> np.ndarray:
    """Bulk `stdnum.jp.in_.is_valid`."""
    return my_number_matrix(digit_matrix(values, 12))
