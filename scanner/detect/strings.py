"""A column's cells as detection reads them: strings, NFKC-normalised, trimmed, without empties.

Why its own module, and why the byte checks: trimming and dropping empty cells
are each a full copy of the column (about 100-200 ns a cell in Arrow), paid on
every batch of every scan, while most columns and log lines have no space at
either end and no empty cell. So the first and last byte of every cell are read
straight from the Arrow buffers (NumPy, a few ns a cell) and a copy is made only
when one would change something. The answers are the ones the copies give.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# The ASCII bytes `utf8_trim_whitespace` trims (tab to carriage return, the four separators
# 0x1C-0x1F, space): measured against pyarrow, see tests/detect/test_strings.py.
_TRIMMED = np.zeros(256, dtype=bool)
_TRIMMED[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


def prepare_strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Cast any Arrow column to trimmed NFKC strings (nulls stay null)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        try:
            values = pc.cast(values, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = pa.array([None if v is None else str(v) for v in values.to_pylist()], type=pa.string())
    if not _all_ascii(values):  # NFKC leaves ASCII as it is
        return pc.utf8_trim_whitespace(pc.utf8_normalize(values, "NFKC"))
    if not _edges(values, _TRIMMED):  # nothing to trim: no copy
        return values
    return pc.utf8_trim_whitespace(values)


def non_empty(values: pa.Array, line_numbers: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The prepared strings of a batch without nulls and empty cells, with their numbers."""
    strings = prepare_strings(values)
    if strings.null_count == 0 and not _has_empty(strings):
        return strings, line_numbers
    keep = pc.fill_null(pc.not_equal(strings, ""), False)
    return pc.filter(strings, keep), pc.filter(line_numbers, keep)


def _offsets(strings: pa.Array) -> np.ndarray:
    kind = np.int64 if pa.types.is_large_string(strings.type) else np.int32
    offsets = np.frombuffer(strings.buffers()[1], dtype=kind)
    return offsets[strings.offset: strings.offset + len(strings) + 1]


def _all_ascii(strings: pa.Array) -> bool:
    """True when no byte of the cells is past 0x7F: one NumPy max over the data buffer, a tenth
    of Arrow's per-cell `string_is_ascii` (bytes of null slots count too: at worst a needless NFKC)."""
    if not len(strings) or strings.buffers()[2] is None:
        return True
    offsets = _offsets(strings)
    data = np.frombuffer(strings.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    return not len(data) or int(data.max()) < 0x80


def _has_empty(strings: pa.Array) -> bool:
    """True when a (non-null) cell is ""."""
    return bool(len(strings)) and bool((np.diff(_offsets(strings)) == 0).any())


def _edges(strings: pa.Array, table: np.ndarray) -> bool:
    """True when the first or last byte of a non-empty cell is in `table` (an ASCII column)."""
    if not len(strings) or strings.buffers()[2] is None:
        return False
    offsets = _offsets(strings)
    data = np.frombuffer(strings.buffers()[2], dtype=np.uint8)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    return bool(table[data[starts[filled]]].any() or table[data[ends[filled] - 1]].any())
