"""JSON documents (`.json`) and JSON Lines (`.jsonl`, `.ndjson`).

Records are flattened to dotted paths by `columns.flatten_record` (lists put
their elements under the same path, joined by a newline). A `.json` file is an
array of objects, or an object holding exactly one such array (`{"data":
[...]}`, whose records are then read), or else a single record. A `.json` file
that turns out to hold one object per line is read as JSON Lines.

JSON Lines are streamed `batch_rows` lines at a time. A bad line (invalid
JSON, not an object, undecodable bytes, nested deeper than `max_json_depth`)
is skipped and counted in `bad_records`/`issues`, never fatal. A line longer
than `max_json_line_bytes` is never held whole: it is read as overlapping text
windows into a `text` column (free text: its values are still found). Column order is the order of first
appearance; a later batch may hold keys an earlier one did not (a superset, in
the same order). A whole `.json` document is loaded at once up to
`max_json_line_bytes`; a larger one is read as text windows (partial).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

import pyarrow as pa

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, SourceError, SourceOptions
from scanner.sources.budgets import Budgets, budgets_of, default_budgets, within_budget
from scanner.sources.columns import flatten_record, records_to_batch
from scanner.sources.files import FileDataset, FileRef, open_bytes, read_error, sniff_encoding


class JsonLinesDataset(FileDataset):
    """One object per line, streamed."""

    kind = "table"

    def __init__(self, ref: FileRef, encoding: str, budgets: Budgets | None = None):
        super().__init__(ref)
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self.budgets = budgets or default_budgets()

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        """Every batch, within the source's time and byte budget (past it: a `budget` issue, partial)."""
        yield from within_budget(self._read(batch_rows), self, default_budgets())

    def _read(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        self.issues.clear()
        self.bad_records = 0
        try:
            with open_bytes(self.ref) as fh:
                yield from _batches(self._records(_lines(fh, self.budgets.max_json_line_bytes)), batch_rows)
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - gzip/OS failures become one clear error
            raise read_error(self.ref, exc) from None

    def _records(self, lines: Iterable[tuple[bytes, bool]]) -> Iterator[dict[str, str | None]]:
        number = 0
        in_long_line = False  # inside a line too long to parse: read as text windows
        for raw, complete in lines:
            if in_long_line or not complete:
                in_long_line = not complete
                if complete:
                    number += 1
                    self.note_bad_record(f"line {number}: longer than max_json_line_bytes; read as text, "
                                         "not parsed", kind="too_large")
                yield from self._windows(raw)
                continue
            number += 1
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            record = self._parse(raw, number)
            if record is not None:
                yield record

    def _parse(self, raw: bytes, number: int) -> dict[str, str | None] | None:
        """One line as a flat record, or None (counted) when it is not a usable JSON object."""
        try:
            value = json.loads(raw.decode(self.encoding))
            if not isinstance(value, dict):
                self.note_bad_record(f"line {number}: a JSON {type(value).__name__}, not an object; line skipped")
                return None
            if depth(value) > self.budgets.max_json_depth:
                self.note_bad_record(f"line {number}: nested deeper than max_json_depth "
                                     f"({self.budgets.max_json_depth}); line skipped", kind="too_large")
                return None
            return flatten_record(value)
        except UnicodeDecodeError:
            self.note_bad_record(f"line {number}: not valid {self.encoding}; line skipped", kind="encoding")
        except json.JSONDecodeError as exc:
            self.note_bad_record(f"line {number}: invalid JSON ({exc.msg} at column {exc.colno}); line skipped")
        except RecursionError:
            self.note_bad_record(f"line {number}: nested too deeply to parse; line skipped", kind="too_large")
        return None

    def _windows(self, raw: bytes) -> Iterator[dict[str, str | None]]:
        """Overlapping text windows of a part of an over-long line, as records of one `text` column."""
        window, overlap = self.budgets.text_window_chars, self.budgets.text_window_overlap
        text = raw.decode(self.encoding, errors="replace")
        for start in range(0, max(len(text) - overlap, 1), window - overlap):
            yield {TEXT_COLUMN: text[start:start + window]}


TEXT_COLUMN = "text"  # the column an over-long line (or document) is read into, as free text
READ_BYTES = 8 << 20


def _lines(fh: IO[bytes], max_line: int) -> Iterator[tuple[bytes, bool]]:
    """(bytes, complete) per line, never more than `max_line` (+ an overlap) bytes at once:
    a longer line comes as several parts, the last one complete."""
    overlap = 4096
    while True:
        raw = fh.readline(max_line)
        if not raw:
            return
        if raw.endswith(b"\n") or len(raw) < max_line:
            yield raw, True
            continue
        yield raw, False  # the head of an over-long line; its parts overlap so no value is cut
        tail = raw[-overlap:]
        while True:
            raw = fh.readline(READ_BYTES)
            if not raw:
                return
            complete = raw.endswith(b"\n")
            yield tail + raw, complete
            if complete:
                break
            tail = raw[-overlap:]


def depth(value: Any) -> int:
    """How deeply a parsed JSON value nests (iteratively: a deep value must not exhaust the stack)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


class JsonDocumentDataset(JsonLinesDataset):
    """A whole JSON document: an array of records, or an object holding one.

    A document larger than `max_json_line_bytes` is not parsed (it would be held
    whole, several times over): it is read as overlapping text windows instead,
    and recorded as partial.
    """

    def _read(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        self.issues.clear()
        self.bad_records = 0
        limit = self.budgets.max_json_line_bytes
        try:
            with open_bytes(self.ref) as fh:
                raw = fh.read(limit + 1)
                if len(raw) > limit:
                    self.note_bad_record("larger than max_json_line_bytes: read as text, not parsed",
                                         kind="too_large")
                    yield from _batches(self._windows_of_stream(raw, fh), batch_rows)
                    return
            document = json.loads(raw.decode(self.encoding if self.encoding != "utf-8" else "utf-8-sig"))
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data":
                raise SourceError(self.source, f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
                                  kind="corrupt") from None
            document = None  # one object per line after all
        except RecursionError:
            raise SourceError(self.source, "nested too deeply to parse", kind="too_large") from None
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise read_error(self.ref, exc) from None
        if document is None and raw.lstrip()[:1] == b"{":
            yield from super()._read(batch_rows)
            return
        if depth(document) > self.budgets.max_json_depth:
            raise SourceError(self.source, f"nested deeper than max_json_depth ({self.budgets.max_json_depth})",
                              kind="too_large")
        yield from _batches((flatten_record(r) for r in records_of(document)), batch_rows)

    def _windows_of_stream(self, head: bytes, fh: IO[bytes]) -> Iterator[dict[str, str | None]]:
        overlap = 4096
        part = head
        while part:
            yield from self._windows(part)
            more = fh.read(READ_BYTES)
            part = part[-overlap:] + more if more else b""


def records_of(document: Any) -> list[Any]:
    """The records a JSON document holds (see the module docstring)."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        arrays = [v for v in document.values() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)]
        if len(arrays) == 1:
            return arrays[0]
    return [document]


def _batches(records: Iterable[dict[str, str | None]], batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Group flat records into batches; columns grow in order of first appearance."""
    columns: dict[str, None] = {}
    chunk: list[dict[str, str | None]] = []
    for record in records:
        for key in record:
            columns.setdefault(key, None)
        chunk.append(record)
        if len(chunk) >= batch_rows:
            yield records_to_batch(chunk, list(columns))
            chunk = []
    if chunk:
        yield records_to_batch(chunk, list(columns))


def _open(ref: FileRef, lines: bool, options: SourceOptions) -> Dataset:
    encoding = sniff_encoding(ref)
    if encoding is None:
        raise SourceError(ref.source, "not a text file (cannot guess its encoding)", kind="encoding")
    kind = JsonLinesDataset if lines else JsonDocumentDataset
    return kind(ref, encoding, budgets_of(options))


def read_json(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    yield _open(ref, lines=False, options=options)


def read_jsonl(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    yield _open(ref, lines=True, options=options)
