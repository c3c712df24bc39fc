"""What a Parquet file is parsed with, run in an isolated child (`scanner.sources.isolation`).

Arrow's Parquet reader is native code that allocates what a file declares: a
page that says it inflates to gigabytes, a corrupt dictionary, a malformed
footer can exhaust memory or crash the process. These functions run in a child
process with a memory limit, so such a file becomes a `failed` or `partial`
source and the scan goes on. They are top-level and import only Arrow, so the
fork server starts each child in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyarrow as pa
import pyarrow.parquet as pq


def parquet_metadata(path: str) -> pq.FileMetaData:
    """The footer (schema, row groups), parsed here rather than in the scanning process."""
    parquet = pq.ParquetFile(path, pre_buffer=False)
    try:
        return parquet.metadata
    finally:
        parquet.close()


def parquet_batches(path: str, batch_rows: int, columns: Sequence[str] | None) -> Iterator[pa.RecordBatch]:
    """Every row of the requested columns, `batch_rows` at a time (no pre-buffering: it would hold
    every column chunk read until the end)."""
    parquet = pq.ParquetFile(path, pre_buffer=False)
    try:
        yield from parquet.iter_batches(batch_size=batch_rows, columns=list(columns) if columns else None)
    finally:
        parquet.close()


def parquet_rows(path: str, picks: Sequence[tuple[int, Sequence[int]]],
                 columns: Sequence[str] | None) -> Iterator[pa.RecordBatch]:
    """The given rows of the given row groups (`(group, row offsets within it)`), for a sample."""
    parquet = pq.ParquetFile(path, pre_buffer=False)
    try:
        for group, rows in picks:
            table = parquet.read_row_group(group, columns=list(columns) if columns else None)
            yield from table.take(pa.array(rows)).combine_chunks().to_batches()
    finally:
        parquet.close()
