"""Spreadsheets (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) read with python-calamine.

Each sheet is its own dataset (`table` = sheet name). The header is the first
row that fills at least half as many cells as the widest of the first rows
(report titles such as 「参加者名簿」 above the table are skipped); wholly empty rows
are skipped. Cells become text by
`columns.cell_text` (integral floats lose `.0`, dates are ISO 8601), so a
phone number Excel stored as a float still looks like one. Calamine holds
one sheet at a time, read row by row into batches.

Calamine allocates the whole rectangle a sheet spans (cells at A1 and
XFD1048576 ask for 512 GiB and abort the process), so a sheet is read in two
guarded steps: the `<dimension>` each worksheet declares is checked against
`max_sheet_cells` before anything is parsed, and the sheet itself is parsed in
a child process (`isolation.run_isolated`, under `parser_memory_bytes`) that
writes its batches to temporary Arrow IPC files this process then streams. A
sheet too large or a parser crash is a `failed` sheet; the rest is scanned.
A gzipped workbook is unpacked to a temporary file first, capped in bytes
and ratio.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc
from python_calamine import CalamineWorkbook

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, SourceError, SourceOptions
from scanner.sources.budgets import Budgets, budgets_of
from scanner.sources.columns import cell_text, unique_names
from scanner.sources.files import FileDataset, FileRef, read_error, spooled_copy
from scanner.sources.isolation import run_isolated


def open_workbook(path: str) -> CalamineWorkbook:
    return CalamineWorkbook.from_path(path)


def _unreadable(ref: FileRef, exc: BaseException, table: str | None = None) -> SourceError:
    error = read_error(ref, exc, table=table)
    if not isinstance(exc, (OSError, SourceError)):
        error.kind, error.message = "corrupt", f"not a readable workbook ({error.message})"
    return error


class SheetDataset(FileDataset):
    """One worksheet as a table of string columns, parsed in an isolated child process."""

    kind = "table"

    def __init__(self, ref: FileRef, sheet: str, path: str, budgets: Budgets):
        super().__init__(ref, table=sheet)
        self.sheet = sheet  # as the workbook names it (self.table is scrubbed)
        self.path = path  # the workbook on disk (a temporary copy of a gzipped one)
        self.budgets = budgets

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        folder = tempfile.mkdtemp(prefix="piiscan-sheet-")
        try:
            try:
                parts = run_isolated(sheet_to_ipc, self.path, self.sheet, folder, batch_rows,
                                     memory_bytes=self.budgets.parser_memory_bytes,
                                     seconds=self.budgets.parser_seconds)
            except SourceError as error:
                error.source, error.table = self.source, self.table
                raise
            for part in range(parts):
                with ipc.open_stream(pa.memory_map(str(Path(folder) / f"{part:06d}.arrow"))) as reader:
                    yield from reader
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def sheet_to_ipc(path: str, sheet: str, folder: str, batch_rows: int) -> int:
    """In the isolated child: the sheet's batches written to `folder` as numbered IPC streams."""
    workbook = open_workbook(path)
    parts = 0
    try:
        for batch in _batches(workbook.get_sheet_by_name(sheet).iter_rows(), batch_rows):
            with ipc.new_stream(str(Path(folder) / f"{parts:06d}.arrow"), batch.schema) as writer:
                writer.write_batch(batch)
            parts += 1
    finally:
        workbook.close()
    return parts


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


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


def _column_number(letters: bytes | None) -> int:
    number = 0
    for letter in letters or b"A":
        number = number * 26 + letter - 64
    return number


def declared_cells(path: str) -> dict[str, int]:
    """Rows x columns each worksheet of an OOXML workbook declares in its `<dimension>`, by sheet name.

    Only the head of each worksheet part is read (the element comes first); a
    workbook that is not a zip (`.xls`, `.ods`...) or declares nothing gives {}.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                return {}
            workbook = archive.read("xl/workbook.xml")[: 4 << 20]
            rels = archive.read("xl/_rels/workbook.xml.rels")[: 4 << 20] if "xl/_rels/workbook.xml.rels" in names else b""
            targets = {m.group(1): m.group(2) for m in _REL.finditer(rels)}
            targets |= {m.group(2): m.group(1) for m in _REL_REVERSED.finditer(rels)}
            found: dict[str, int] = {}
            for match in _SHEET.finditer(workbook):
                target = targets.get(match.group(2), b"").decode("utf-8", "replace").lstrip("/")
                part = target if target.startswith("xl/") else f"xl/{target}"
                if part not in names:
                    continue
                with archive.open(part) as fh:
                    dimension = _DIMENSION.search(fh.read(64 << 10))
                if dimension and dimension.group(4):
                    rows = int(dimension.group(4)) - int(dimension.group(2) or 1) + 1
                    columns = _column_number(dimension.group(3)) - _column_number(dimension.group(1)) + 1
                    found[match.group(1).decode("utf-8", "replace")] = max(rows, 1) * max(columns, 1)
            return found
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return {}


def read(ref: FileRef, options: SourceOptions) -> Iterator[Dataset | SourceError]:
    """One dataset per sheet, in workbook order; a sheet declaring too many cells is a failed entry."""
    budgets = budgets_of(options)
    path = str(ref.path)
    if ref.compressed:
        path = spooled_copy(ref, budgets)
    try:
        workbook = open_workbook(path)
        names = list(workbook.sheet_names)
        workbook.close()
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        raise _unreadable(ref, exc) from None
    declared = declared_cells(path)
    for name in names:
        cells = declared.get(name, 0)
        if cells > budgets.max_sheet_cells:
            yield SourceError(ref.source, f"the sheet declares {cells:.3g} cells, more than max_sheet_cells "
                                          f"({budgets.max_sheet_cells:.3g}): not read", table=name, kind="too_large")
            continue
        yield SheetDataset(ref, name, path, budgets)
