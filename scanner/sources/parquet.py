"""Parquet files: columnar reads, row count from the footer, sampling by row group.

Only the requested columns are read (`iter_batches(columns=[...])`, nested
paths allowed), nested structs and lists are flattened to dotted paths
(`columns.flatten_arrow`). `sample(n)` reads a few row groups chosen at random
from equal strata of the file (so the start, middle and end are all
represented) and draws the rows from them at random: its cost is a handful of
row groups, not the file.

Arrow's Parquet reader runs in an isolated child (`parquet_child`, under the
budgets' `reader_memory_bytes` and `parser_seconds`): a page that inflates to
gigabytes or a reader crash on a corrupt file becomes this file's `failed` (or,
after some batches, `partial`) entry, never the scanning process's death. Its
batches cross a pipe as Arrow IPC, the child waiting while the pipe is full.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, DirectRead, SourceError, SourceOptions
from scanner.sources.budgets import Budgets, budgets_of, default_budgets, within_budget
from scanner.sources.columns import flatten_arrow
from scanner.sources.files import FileDataset, FileRef, read_error, spooled_copy
from scanner.sources.isolation import run_isolated, stream_isolated
from scanner.sources.parquet_child import parquet_batches, parquet_metadata, parquet_rows

BATCH_BYTES = 64 << 20  # decoded bytes per batch to aim at
MIN_SAMPLE_GROUPS = 16  # row groups read by sample() at least (when the file has that many)


class ParquetDataset(FileDataset):
    """One Parquet file as a table."""

    kind = "table"

    def __init__(self, ref: FileRef, metadata: pq.FileMetaData, budgets: Budgets | None = None):
        super().__init__(ref)
        self.metadata = metadata
        self.budgets = budgets or default_budgets()

    def row_count(self) -> int:
        return self.metadata.num_rows

    def direct_read(self) -> DirectRead | None:
        return None if self.ref.compressed else DirectRead("parquet", path=str(self.ref.path))

    def iter_batches(
        self, batch_rows: int = DEFAULT_BATCH_ROWS, columns: list[str] | None = None
    ) -> Iterator[pa.RecordBatch]:
        """Every row of the requested columns (all when None), nested ones flattened, within the
        source's time and byte budget (past it: a `budget` issue, partial)."""
        yield from within_budget(self._read(batch_rows, columns), self, self.budgets)

    def _read(self, batch_rows: int, columns: list[str] | None) -> Iterator[pa.RecordBatch]:
        self.issues.clear()
        self.bad_records = 0
        cut = 0
        try:
            for batch in self._isolated(parquet_batches, self._bounded_rows(batch_rows), columns):
                batch, cells = cap_cells(flatten_arrow(batch), self.budgets.max_cell_chars)
                cut += cells
                yield batch
        finally:
            if cut:
                self.note_bad_record(f"{cut} cells longer than max_cell_chars ({self.budgets.max_cell_chars}) "
                                     "were cut there", kind="truncated")

    def _bounded_rows(self, batch_rows: int) -> int:
        """Rows per batch such that a batch stays near BATCH_BYTES however wide its values are
        (the footer says how many bytes each row group holds): 50 values of 10 MB come a few at a time."""
        widest = 0.0
        for group in range(self.metadata.num_row_groups):
            meta = self.metadata.row_group(group)
            if meta.num_rows:
                widest = max(widest, meta.total_byte_size / meta.num_rows)
        return max(1, min(batch_rows, int(BATCH_BYTES / widest) if widest else batch_rows))

    def sample(self, n: int, seed: int = 0, columns: list[str] | None = None) -> pa.Table:
        """About `n` rows (exactly n when the file has more) from row groups spread over the file."""
        rng = np.random.default_rng(seed)
        total = self.metadata.num_rows
        groups = self.metadata.num_row_groups
        if total <= n or groups == 0:
            return _to_table(list(self.iter_batches(columns=columns)))
        chosen = _spread_groups(rng, groups, math.ceil(2 * n / (total / groups)))
        sizes = np.array([self.metadata.row_group(g).num_rows for g in chosen])
        picks = np.sort(rng.choice(int(sizes.sum()), size=min(n, int(sizes.sum())), replace=False))
        starts = np.concatenate([[0], np.cumsum(sizes)])
        rows_of: list[tuple[int, list[int]]] = []
        for position, group in enumerate(chosen):
            lo, hi = np.searchsorted(picks, [starts[position], starts[position + 1]])
            if lo != hi:
                rows_of.append((int(group), (picks[lo:hi] - starts[position]).tolist()))
        return _to_table([flatten_arrow(b) for b in self._isolated(parquet_rows, rows_of, columns)])

    def _isolated(self, produce, *args) -> Iterator[pa.RecordBatch]:
        """Batches parsed in a child process under the parser budget (see parquet_child)."""
        try:
            yield from stream_isolated(produce, local_path(self.ref), *args,
                                       memory_bytes=self.budgets.reader_memory_bytes,
                                       seconds=self.budgets.parser_seconds)
        except SourceError as error:
            raise _failed(self.ref, error) from None


def cap_cells(batch: pa.RecordBatch, max_chars: int) -> tuple[pa.RecordBatch, int]:
    """String cells longer than `max_chars` cut there; returns the batch and how many were cut."""
    arrays, cut = [], 0
    for array in batch.columns:
        if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
            long = pc.greater(pc.utf8_length(array), max_chars)
            count = pc.sum(long).as_py() or 0
            if count:
                cut += count
                array = pc.utf8_slice_codeunits(array, 0, max_chars)
        arrays.append(array)
    return (pa.RecordBatch.from_arrays(arrays, names=batch.schema.names) if cut else batch), cut


def _spread_groups(rng: np.random.Generator, groups: int, wanted: int) -> list[int]:
    """`wanted` (at least MIN_SAMPLE_GROUPS) row groups, one drawn at random from each equal stratum."""
    count = min(groups, max(MIN_SAMPLE_GROUPS, wanted))
    if count >= groups:
        return list(range(groups))
    edges = np.linspace(0, groups, count + 1).astype(int)
    return sorted({int(rng.integers(lo, hi)) for lo, hi in zip(edges[:-1], edges[1:], strict=True) if hi > lo})


def _to_table(batches: list[pa.RecordBatch]) -> pa.Table:
    if not batches:
        return pa.table({})
    return pa.Table.from_batches(batches)


def _corrupt(ref: FileRef, exc: BaseException) -> SourceError:
    error = read_error(ref, exc)
    if error.kind == "read_error" and not isinstance(exc, OSError):
        error.kind = "corrupt"
        error.message = f"not a readable Parquet file ({error.message})"
    return error


def local_path(ref: FileRef) -> str:
    """The file as a path a parser can open: a gzipped one is unpacked to a capped temporary file
    first. Its footer length is checked here, before any parser allocates for it."""
    try:
        path = spooled_copy(ref, None) if ref.compressed else str(ref.path)
        _check_footer(ref, path)
        return path
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _corrupt(ref, exc) from None


def _failed(ref: FileRef, error: SourceError) -> SourceError:
    """An isolated parser's failure as this file's error (a crash of Arrow on it: corrupt)."""
    if error.kind == "parse_error":
        error.kind = "corrupt"
        error.message = f"not a readable Parquet file ({error.message})"
    return SourceError(ref.source, error.message, error.table, kind=error.kind, status=error.status)


MAX_FOOTER_BYTES = 64 << 20  # a footer (schema + row group metadata) larger than this is a bomb, not a table


def _check_footer(ref: FileRef, path: str) -> None:
    """The footer length the file declares, checked before Arrow allocates for it."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        if size < 12:
            return  # Arrow says what is wrong with a file this short
        fh.seek(size - 8)
        tail = fh.read(8)
    declared = int.from_bytes(tail[:4], "little")
    if tail[4:] == b"PAR1" and (declared > size - 12 or declared > MAX_FOOTER_BYTES):
        raise SourceError(ref.source, f"the footer declares {declared >> 20} MiB in a file of {size >> 20} MiB",
                          kind="too_large" if declared <= size - 12 else "corrupt", status="failed")


def read(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    """Read the footer now (in an isolated child), so a corrupt file is reported before any scanning starts."""
    budgets = budgets_of(options)
    try:
        metadata = run_isolated(parquet_metadata, local_path(ref), memory_bytes=budgets.reader_memory_bytes,
                                seconds=budgets.parser_seconds)
    except SourceError as error:
        raise _failed(ref, error) if error.source == "" else error from None
    yield ParquetDataset(ref, metadata, budgets)
