"""Parquet files: columnar reads, row count from the footer, sampling by row group.

Only the requested columns are read (`iter_batches(columns=[...])`, nested
paths allowed), nested structs and lists are flattened to dotted paths
(`columns.flatten_arrow`). `sample(n)` reads a few row groups chosen at random
from equal strata of the file (so the start, middle and end are all
represented) and draws the rows from them at random: its cost is a handful of
row groups, not the file.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, DirectRead, SourceError, SourceOptions
from scanner.sources.columns import flatten_arrow
from scanner.sources.files import FileDataset, FileRef, open_bytes, read_error

MIN_SAMPLE_GROUPS = 16  # row groups read by sample() at least (when the file has that many)


class ParquetDataset(FileDataset):
    """One Parquet file as a table."""

    kind = "table"

    def __init__(self, ref: FileRef, metadata: pq.FileMetaData):
        super().__init__(ref)
        self.metadata = metadata

    def row_count(self) -> int:
        return self.metadata.num_rows

    def direct_read(self) -> DirectRead | None:
        return None if self.ref.compressed else DirectRead("parquet", path=str(self.ref.path))

    def iter_batches(
        self, batch_rows: int = DEFAULT_BATCH_ROWS, columns: list[str] | None = None
    ) -> Iterator[pa.RecordBatch]:
        """Every row of the requested columns (all when None), nested ones flattened."""
        parquet = open_parquet(self.ref)
        try:
            for batch in parquet.iter_batches(batch_size=batch_rows, columns=columns):
                yield flatten_arrow(batch)
        except Exception as exc:  # noqa: BLE001
            raise _corrupt(self.ref, exc) from None
        finally:
            parquet.close()

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
        parquet = open_parquet(self.ref)
        batches: list[pa.RecordBatch] = []
        try:
            for position, group in enumerate(chosen):
                lo, hi = np.searchsorted(picks, [starts[position], starts[position + 1]])
                if lo == hi:
                    continue
                table = parquet.read_row_group(group, columns=columns)
                table = table.take(pa.array(picks[lo:hi] - starts[position]))
                batches.extend(flatten_arrow(b) for b in table.combine_chunks().to_batches())
        except Exception as exc:  # noqa: BLE001
            raise _corrupt(self.ref, exc) from None
        finally:
            parquet.close()
        return _to_table(batches)


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


def open_parquet(ref: FileRef) -> pq.ParquetFile:
    """The file's reader (a gzipped Parquet file is unpacked in memory first).

    Without pre-buffering: with it, `iter_batches` keeps every column chunk it has
    read until the reader closes (measured: 600 MB held at the end of a 620 MB file,
    against a flat 250 MB without, at the same speed).
    """
    try:
        if ref.compressed:
            with open_bytes(ref) as fh:
                return pq.ParquetFile(pa.BufferReader(fh.read()), pre_buffer=False)
        return pq.ParquetFile(ref.path, pre_buffer=False)
    except Exception as exc:  # noqa: BLE001
        raise _corrupt(ref, exc) from None


def read(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    """Read the footer now, so a corrupt file is reported before any scanning starts."""
    parquet = open_parquet(ref)
    metadata = parquet.metadata
    parquet.close()
    yield ParquetDataset(ref, metadata)
