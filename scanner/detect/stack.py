"""Many short columns matched as one: each pattern compiled and run once per batch, not once per column.

Why: Arrow compiles an RE2 pattern (and warms its DFA) on every
`match_substring_regex` call. On a column of 250,000 cells that is noise; on a
table of 2,000 columns x 1,000 rows it is most of the scan (about 25 calls per
column, a fraction of a millisecond each). So the prepared cells of every column
of a wide batch are laid end to end once, a pattern runs over all of them the
first time any column asks for it, and each column reads its own slice. The
answer for every cell is the one a per-column call gives: only the number of
compilations changes.

Whole-cell patterns are probed first, as a long column's batch is: a column
without a field-name hint is classified only when most of its cells (the
unhinted share, 0.6 by default) match, so when none of `STACK_PROBE` evenly
spread cells of a column match, the pattern is not run over that column at all
(a miss has odds under 0.4^64). Without it every short column paid for every
identifier's pattern on every cell, ten times what a long column pays.

The same goes past matching: each identifier validates the matched cells of all
the columns in one call (`validated`; each column then applies its own column
rules), and free text is screened and confirmed for the whole batch
(`detect.text._screen_stacked`, `_find_stacked`, reading cells with `take`).
A batch is the columns of one wide table or the samples of up to 16 small ones
(`scanner.scan.table_groups`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MAX_STACK_BYTES = 256 << 20  # past this a batch is matched column by column (int32 offsets, memory)
STACK_PROBE = 64  # cells probed per column of a stacked batch (columns of more than 2x this many)
T = TypeVar("T")


def match(strings: pa.Array, pattern: str) -> np.ndarray:
    """Which cells match `pattern` (null: no), one Arrow call."""
    return pc.fill_null(pc.match_substring_regex(strings, pattern), False).to_numpy(zero_copy_only=False)


class StackedColumns:
    """The prepared cells of the columns of one batch, end to end; results cached per pattern."""

    def __init__(self, columns: Sequence[pa.Array], probe_size: int = STACK_PROBE):
        self._lengths = np.fromiter((len(c) for c in columns), dtype=np.int64, count=len(columns))
        self._starts = np.concatenate([[0], np.cumsum(self._lengths)])
        if len({c.type for c in columns}) > 1:  # string and large_string (Parquet) cannot be concatenated
            columns = [c.cast(pa.large_string()) for c in columns]
        self._stacked = pa.concat_arrays(list(columns)) if len(columns) else pa.array([], pa.string())
        self._results: dict[str, np.ndarray] = {}  # every cell
        # pattern -> (which columns were matched, the cells of the stack: zeros outside those columns)
        self._probed_results: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._wanted: dict[str, np.ndarray] = {}  # pattern -> per column: announced by `want`
        self._validated: dict[tuple[str, str, int], np.ndarray] = {}  # (pattern, recognizer, pass) -> valid cells
        self._probe_hits: dict[str, np.ndarray] = {}  # pattern -> per column: may match
        self._probe_size = probe_size
        self._locks: dict[Any, threading.Lock] = {}  # per cached answer: computed by one thread only
        self._probed = self._lengths > 2 * probe_size  # a probe reads at most half a column's cells
        self._probe_cells: pa.Array | None = None
        if probe_size > 0 and self._probed.any():
            picks = [self._starts[k] + np.linspace(0, self._lengths[k] - 1, probe_size).astype(np.int64)
                     for k in np.flatnonzero(self._probed)]
            self._probe_cells = self._stacked.take(pa.array(np.concatenate(picks)))

    @staticmethod
    def worth_it(columns: Sequence[pa.Array], rows: int, probe_rows: int) -> bool:
        """Many columns whose batches are too short to be probed: the case where compiling dominates."""
        return (len(columns) > 1 and rows <= probe_rows
                and sum(c.nbytes for c in columns) <= MAX_STACK_BYTES)

    def matches(self, column: int) -> ColumnMatches:
        return ColumnMatches(self, column)

    def slice(self, result: np.ndarray, column: int) -> np.ndarray:
        return result[int(self._starts[column]):int(self._starts[column + 1])]

    def every_cell(self, pattern: str) -> np.ndarray:
        return self._once(self._results, pattern, lambda: match(self._stacked, pattern))

    def _once(self, cache: dict[Any, T], key: Any, compute: Callable[[], T]) -> T:
        """`cache[key]`, computed by the first thread that asks while the others wait for it.
        Why a lock: the columns of a batch run on `--jobs` threads and ask for the same
        patterns at about the same time; without it each computed a pass over the whole
        batch (measured on 2,000 x 1,000 cells: one pass in six was a duplicate)."""
        value = cache.get(key)
        if value is None:
            with self._locks.setdefault((id(cache), key), threading.Lock()):  # setdefault is atomic
                value = cache.get(key)
                if value is None:
                    value = cache[key] = compute()
        return value

    def may_match(self, column: int, pattern: str) -> bool:
        """False when none of the column's probed cells match (True for a column too short to probe)."""
        if self._probe_cells is None or not self._probed[column]:
            return True
        return bool(self._hits(pattern)[column])

    def _hits(self, pattern: str) -> np.ndarray:
        """Per column: may match `pattern` (a probed cell matches, or the column is not probed)."""
        def compute() -> np.ndarray:
            hits = np.ones(len(self._lengths), dtype=bool)
            if self._probe_cells is not None:
                hits[self._probed] = match(self._probe_cells, pattern).reshape(-1, self._probe_size).any(axis=1)
            return hits

        return self._once(self._probe_hits, pattern, compute)

    def want(self, pattern: str, column: int) -> None:
        """`column` needs every cell matched against `pattern` (its name hints at the entity:
        no probe), whatever the probe says; said before any column asks, so one pass covers all."""
        wanted = self._wanted.get(pattern)
        if wanted is None:
            wanted = self._wanted[pattern] = np.zeros(len(self._lengths), dtype=bool)
        wanted[column] = True

    def cells_of(self, column: int, pattern: str) -> np.ndarray:
        """`pattern` over one column that wants it or whose probe matched, computed in one pass over
        all such columns (not every column of the batch: the others stay unmatched)."""
        if pattern in self._results:
            return self.slice(self._results[pattern], column)
        covered, computed = self._pass_of(pattern, column)
        if not covered[column]:  # asked by a column nobody announced and its probe ruled out: its own pass
            return match(self.slice_array(column), pattern)
        return self.slice(computed, column)

    def _pass_of(self, pattern: str, column: int | None) -> tuple[np.ndarray, np.ndarray]:
        """(columns covered, cells matched) of `pattern`'s one pass over the columns whose probe
        matched or that want it (and `column`, the first to ask)."""
        def compute() -> tuple[np.ndarray, np.ndarray]:
            covered = self._hits(pattern).copy()
            if column is not None:
                covered[column] = True
            if pattern in self._wanted:
                covered |= self._wanted[pattern]
            if covered.all():
                return covered, self.every_cell(pattern)
            keep = np.repeat(covered, self._lengths)
            computed = np.zeros(len(keep), dtype=bool)
            computed[keep] = match(self._stacked.filter(pa.array(keep)), pattern)
            return covered, computed

        return self._once(self._probed_results, pattern, compute)

    def prepare(self, pattern: str, validators: Sequence[tuple[str, Callable[[pa.Array], np.ndarray]]]) -> None:
        """Compute ahead what the columns will ask of `pattern`: its pass and its validations
        (`validators`: (name, validate_many) as `validated` takes them).

        Why: the columns of a batch run on `--jobs` threads in the same recognizer order, so
        they all wanted the same pattern at the same time and waited for one thread to
        compute it. Prepared first, a pattern per thread, the passes (Arrow, outside the
        GIL) run side by side. The answers are the ones the columns would have computed."""
        if pattern not in self._results:
            covered = self._hits(pattern) | self._wanted.get(pattern, np.zeros(len(self._lengths), dtype=bool))
            if not covered.any():
                return
            self._pass_of(pattern, None)
        for name, validate_many in validators:
            self._validated_all(pattern, name, validate_many)

    def validated(self, column: int, pattern: str, name: str,
                  validate_many: Callable[[pa.Array], np.ndarray]) -> np.ndarray | None:
        """Per cell of `column`: matched `pattern` (as `cells_of` answered) and passed `validate_many`,
        which runs once over the matched cells of every column that pass covered (`name`: the
        recognizer's). None when the column was matched on its own: it validates on its own too."""
        if pattern in self._results:
            matched = self._results[pattern]
        elif pattern in self._probed_results:
            covered, matched = self._probed_results[pattern]
            if not covered[column]:
                return None
        else:
            return None
        return self.slice(self._validated_all(pattern, name, validate_many), column)

    def _validated_all(self, pattern: str, name: str, validate_many: Callable[[pa.Array], np.ndarray]) -> np.ndarray:
        """Per cell of the stack: matched `pattern` and passed `validate_many` (computed once per
        pass: a column's answer always comes from the pass its matches came from)."""
        matched = self._results[pattern] if pattern in self._results else self._probed_results[pattern][1]

        def compute() -> np.ndarray:
            at = np.flatnonzero(matched)
            result = np.zeros(len(matched), dtype=bool)
            if len(at):
                result[at] = validate_many(self._stacked.take(pa.array(at)))
            return result

        return self._once(self._validated, (pattern, name, id(matched)), compute)

    def start(self, column: int) -> int:
        """Where the column's cells begin in the stack."""
        return int(self._starts[column])

    def take(self, positions: np.ndarray) -> pa.Array:
        """The stacked cells at `positions` (stack coordinates)."""
        return self._stacked.take(pa.array(positions))

    def slice_array(self, column: int) -> pa.Array:
        start, end = int(self._starts[column]), int(self._starts[column + 1])
        return self._stacked.slice(start, end - start)


class ColumnMatches:
    """One column's view of a stacked batch: which of its cells match a pattern."""

    def __init__(self, stack: StackedColumns, column: int):
        self._stack = stack
        self._column = column

    def __call__(self, pattern: str) -> np.ndarray:
        """Every cell of the column, as a per-column call would answer."""
        return self._stack.slice(self._stack.every_cell(pattern), self._column)

    def may_match(self, pattern: str) -> bool:
        """False when the column's probe rules the whole-cell `pattern` out (see the module doc)."""
        return self._stack.may_match(self._column, pattern)

    def cells(self, pattern: str) -> np.ndarray:
        """As `__call__`, for a column whose probe matched or that announced it wants `pattern`."""
        return self._stack.cells_of(self._column, pattern)

    def validated(self, pattern: str, name: str, validate_many: Callable[[pa.Array], np.ndarray]) -> np.ndarray | None:
        """Which of the column's cells matched `pattern` (after `cells`) and pass `validate_many`."""
        return self._stack.validated(self._column, pattern, name, validate_many)

