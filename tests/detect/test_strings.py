"""detect.strings skips the trim and the empty-cell filter when they would change nothing: the
answers must be exactly those of always trimming and filtering (the reference below)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.detect import strings
from scanner.detect.strings import non_empty, prepare_strings


def reference(values: pa.Array, numbers: pa.Array) -> tuple[pa.Array, pa.Array]:
    """What detection did before: always NFKC (when not ASCII), trim, then drop nulls and ""."""
    if not pc.all(pc.string_is_ascii(values)).as_py():
        values = pc.utf8_normalize(values, "NFKC")
    trimmed = pc.utf8_trim_whitespace(values)
    keep = pc.fill_null(pc.not_equal(trimmed, ""), False)
    return pc.filter(trimmed, keep), pc.filter(numbers, keep)


EDGES = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\u3000", "\xa0", ""]
CELL = st.one_of(
    st.none(),
    st.builds(lambda a, body, b: a + body + b, st.sampled_from(EDGES),
              st.text(alphabet=st.sampled_from(list("abc 019-@.") + ["予", "ｱ", "é"]), max_size=12),
              st.sampled_from(EDGES)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CELL, max_size=30), st.booleans(), st.integers(0, 5))
def test_same_cells_as_always_trimming_and_filtering(cells, large, offset):
    array = pa.array(cells, type=pa.large_string() if large else pa.string())
    array = array.slice(min(offset, len(array)))  # a slice: buffers shared, offset non-zero
    numbers = pa.array(np.arange(1, len(array) + 1, dtype=np.int64))
    got, got_numbers = non_empty(array, numbers)
    want, want_numbers = reference(array, numbers)
    assert got.to_pylist() == want.to_pylist()
    assert got_numbers.to_pylist() == want_numbers.to_pylist()


def test_the_trimmed_ascii_bytes_are_arrows():
    trimmed = [b for b in range(128) if pc.utf8_trim_whitespace(pa.array([chr(b) + "x"]))[0].as_py() == "x"]
    assert trimmed == np.flatnonzero(strings._TRIMMED).tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=20), st.integers(0, 5))
def test_the_ascii_check_is_arrows(cells, offset):
    array = pa.array(cells, type=pa.string()).slice(offset)
    expected = pc.all(pc.string_is_ascii(array)).as_py()
    assert strings._all_ascii(array) == (True if expected is None else expected)


def test_clean_ascii_cells_are_not_copied():
    array = pa.array(["ab", "c d", "090-1234-5678"])
    assert prepare_strings(array) is array
    prepared, _ = non_empty(array, pa.array([1, 2, 3]))
    assert prepared is array
