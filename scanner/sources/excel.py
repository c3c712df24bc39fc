"""Spreadsheets (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) read with python-calamine.

Each sheet is its own dataset (`table` = sheet name). The header is the first
row that fills at least half as many cells as the widest of the first rows
(report titles such as 「参加者名簿」 above the table are skipped); wholly empty rows
are skipped. Cells become text by
`columns.cell_text` (integral floats lose `.0`, dates are ISO 8601), so a
phone number Excel stored as a float still looks like one. Calamine holds
one sheet at a time, read row by row into batches.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from python_calamine import CalamineWorkbook

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, SourceOptions
from scanner.sources.columns import cell_text, unique_names
from scanner.sources.files import FileDataset, FileRef, open_bytes, read_error


def open_workbook(ref: FileRef) -> CalamineWorkbook:
    try:
        if ref.compressed:
            with open_bytes(ref) as fh:
                return CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
        return CalamineWorkbook.from_path(str(ref.path))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        error = read_error(ref, exc)
        if not isinstance(exc, OSError):
            error.kind, error.message = "corrupt", f"not a readable workbook ({error.message})"
        raise error from None


class SheetDataset(FileDataset):
    """One worksheet as a table of string columns."""

    kind = "table"

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        workbook = open_workbook(self.ref)
        try:
            rows = workbook.get_sheet_by_name(self.table).iter_rows()
            yield from _batches(rows, batch_rows)
        except Exception as exc:  # noqa: BLE001
            raise read_error(self.ref, exc, table=self.table) from None
        finally:
            workbook.close()


HEADER_LOOKAHEAD = 10  # non-empty rows examined to find the header below any title rows


def _batches(rows: Iterator[list[Any]], batch_rows: int) -> Iterator[pa.RecordBatch]:
    header: list[str] | None = None
    chunk: list[list[str | None]] = []
    for cells in _data_rows(rows):
        if header is None:
            header = unique_names(cells)
            continue
        if len(cells) > len(header):  # a row wider than its header: name the extra columns
            header = unique_names(header + [""] * (len(cells) - len(header)))
        chunk.append(cells)
        if len(chunk) >= batch_rows:
            yield _to_batch(chunk, header)
            chunk = []
    if chunk and header is not None:
        yield _to_batch(chunk, header)


def _data_rows(rows: Iterator[list[Any]]) -> Iterator[list[str | None]]:
    """Non-empty rows as text, starting at the header row (title rows above it dropped)."""
    head: list[list[str | None]] = []
    for raw in rows:
        cells = [cell_text(v) for v in raw]
        if not any(c not in (None, "") for c in cells):
            continue
        if head is not None:
            head.append(cells)
            if len(head) < HEADER_LOOKAHEAD:
                continue
            yield from head[_header_index(head):]
            head = None
            continue
        yield cells
    if head:
        yield from head[_header_index(head):]


def _header_index(head: list[list[str | None]]) -> int:
    filled = [sum(c not in (None, "") for c in row) for row in head]
    widest = max(filled)
    return next(i for i, n in enumerate(filled) if n >= max(2, widest / 2) or n == widest)


def _to_batch(rows: list[list[str | None]], header: list[str]) -> pa.RecordBatch:
    arrays = [pa.array([row[i] if i < len(row) else None for row in rows], type=pa.string())
              for i in range(len(header))]
    return pa.RecordBatch.from_arrays(arrays, names=header)


def read(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    """One dataset per sheet, in workbook order."""
    workbook = open_workbook(ref)
    names = list(workbook.sheet_names)
    workbook.close()
    for name in names:
        yield SheetDataset(ref, table=name)
