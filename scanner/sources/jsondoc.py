"""JSON documents (`.json`) and JSON Lines (`.jsonl`, `.ndjson`).

Records are flattened to dotted paths by `columns.flatten_record` (lists put
their elements under the same path, joined by a newline). A `.json` file is an
array of objects, or an object holding exactly one such array (`{"data":
[...]}`, whose records are then read), or else a single record. A `.json` file
that turns out to hold one object per line is read as JSON Lines.

JSON Lines are streamed `batch_rows` lines at a time. A bad line (invalid
JSON, not an object, undecodable bytes) is skipped and counted in
`bad_records`/`issues`, never fatal. Column order is the order of first
appearance; a later batch may hold keys an earlier one did not (a superset, in
the same order). A whole `.json` document is loaded at once: use JSON Lines
for data larger than memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, SourceError, SourceOptions
from scanner.sources.columns import flatten_record, records_to_batch
from scanner.sources.files import FileDataset, FileRef, open_bytes, read_error, sniff_encoding


class JsonLinesDataset(FileDataset):
    """One object per line, streamed."""

    kind = "table"

    def __init__(self, ref: FileRef, encoding: str):
        super().__init__(ref)
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        self.issues.clear()
        self.bad_records = 0
        try:
            with open_bytes(self.ref) as fh:
                yield from _batches(self._records(fh), batch_rows)
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - gzip/OS failures become one clear error
            raise read_error(self.ref, exc) from None

    def _records(self, lines: Iterable[bytes]) -> Iterator[dict[str, str | None]]:
        for number, raw in enumerate(lines, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                value = json.loads(raw.decode(self.encoding))
            except UnicodeDecodeError:
                self.note_bad_record(f"line {number}: not valid {self.encoding}; line skipped", kind="encoding")
                continue
            except json.JSONDecodeError as exc:
                self.note_bad_record(f"line {number}: invalid JSON ({exc.msg} at column {exc.colno}); line skipped")
                continue
            if not isinstance(value, dict):
                self.note_bad_record(f"line {number}: a JSON {type(value).__name__}, not an object; line skipped")
                continue
            yield flatten_record(value)


class JsonDocumentDataset(JsonLinesDataset):
    """A whole JSON document: an array of records, or an object holding one."""

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        self.issues.clear()
        self.bad_records = 0
        try:
            with open_bytes(self.ref) as fh:
                raw = fh.read()
            document = json.loads(raw.decode(self.encoding if self.encoding != "utf-8" else "utf-8-sig"))
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data":
                raise SourceError(self.source, f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
                                  kind="corrupt") from None
            document = None  # one object per line after all
        except Exception as exc:  # noqa: BLE001
            raise read_error(self.ref, exc) from None
        if document is None and raw.lstrip()[:1] == b"{":
            yield from super().iter_batches(batch_rows)
            return
        yield from _batches((flatten_record(r) for r in records_of(document)), batch_rows)


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


def _open(ref: FileRef, lines: bool) -> Dataset:
    encoding = sniff_encoding(ref)
    if encoding is None:
        raise SourceError(ref.source, "not a text file (cannot guess its encoding)", kind="encoding")
    return JsonLinesDataset(ref, encoding) if lines else JsonDocumentDataset(ref, encoding)


def read_json(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    yield _open(ref, lines=False)


def read_jsonl(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    yield _open(ref, lines=True)
