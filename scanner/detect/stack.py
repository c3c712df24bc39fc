"""Many short columns matched as one: each pattern compiled and run once per batch, not once per column.

Why: Arrow compiles an RE2 pattern (and warms its DFA) on every
`match_substring_regex` call. On a column of 250,000 cells that is noise; on a
table of 2,000 columns x 1,000 rows it is most of the scan (about 25 calls per
column, a fraction of a millisecond each). So the prepared cells of every column
of a wide batch are laid end to end once, a pattern runs over all of them the
first time any column asks for it, and each column reads its own slice. The
answer for every cell is the one a per-column call gives: only the number of
compilations changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Matches = Callable[[str], np.ndarray]  # pattern -> which of one column's cells match it
MAX_STACK_BYTES = 256 << 20  # past this a batch is matched column by column (int32 offsets, memory)


def match(strings: pa.Array, pattern: str) -> np.ndarray:
    """Which cells match `pattern` (null: no), one Arrow call."""
    return pc.fill_null(pc.match_substring_regex(strings, pattern), False).to_numpy(zero_copy_only=False)


class StackedColumns:
    """The prepared cells of the columns of one batch, end to end; results cached per pattern."""

    def __init__(self, columns: Sequence[pa.Array]):
        lengths = np.fromiter((len(c) for c in columns), dtype=np.int64, count=len(columns))
        self._starts = np.concatenate([[0], np.cumsum(lengths)])
        if len({c.type for c in columns}) > 1:  # string and large_string (Parquet) cannot be concatenated
            columns = [c.cast(pa.large_string()) for c in columns]
        self._stacked = pa.concat_arrays(list(columns)) if len(columns) else pa.array([], pa.string())
        self._results: dict[str, np.ndarray] = {}

    @staticmethod
    def worth_it(columns: Sequence[pa.Array], rows: int, probe_rows: int) -> bool:
        """Many columns whose batches are too short to be probed: the case where compiling dominates."""
        return (len(columns) > 1 and rows <= probe_rows
                and sum(c.nbytes for c in columns) <= MAX_STACK_BYTES)

    def matches(self, column: int) -> Matches:
        start, end = int(self._starts[column]), int(self._starts[column + 1])

        def of_column(pattern: str) -> np.ndarray:
            result = self._results.get(pattern)
            if result is None:  # two threads may both compute it once: same answer, no lock needed
                result = self._results.setdefault(pattern, match(self._stacked, pattern))
            return result[start:end]

        return of_column
