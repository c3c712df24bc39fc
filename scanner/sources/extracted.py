"""Text pulled out of a container format (document, e-mail, OCRed image) as a text dataset.

Parsers are top-level functions `(path, source, *args) -> Extracted` returning plain
data (numbered texts and notes), so that `run_parser` can run them in a child
process with a memory and time limit (`scanner.sources.isolation.run_isolated`,
when that module exists) and a crash in a parser becomes a `failed` source.
`ExtractedDataset` then serves the rows as a text dataset (`line`, `text`) whose
`line` means what the dataset's `table` says (pages, paragraphs, slides, or
plain lines when `table` is None).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyarrow as pa

from scanner.sources.base import DEFAULT_BATCH_ROWS, SourceError, SourceOptions, limits_of
from scanner.sources.files import FileDataset, FileRef, read_error
from scanner.sources.limits import DocumentLimits

SCHEMA = pa.schema([("line", pa.int64()), ("text", pa.string())])



def limits_from(options: SourceOptions) -> DocumentLimits:
    """The `documents:` section of the detection config's `limits:`, over the defaults above."""
    return limits_of(options, "documents", DocumentLimits)


@dataclass
class Extracted:
    """What a parser returns: numbered texts and the non-fatal problems (no values in messages)."""

    rows: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)
    chars: int = 0

    def add(self, number: int, text: str, limits: DocumentLimits, unit: str) -> bool:
        """Keep one row; False once the character budget is spent (the caller stops)."""
        text = text.replace("\x00", "").strip()
        if not text:
            return True
        if len(text) > limits.max_row_chars:
            self.notes.append(("truncated", f"{unit} {number} longer than {limits.max_row_chars} characters was cut"))
            text = text[: limits.max_row_chars]
        if self.chars + len(text) > limits.max_chars:
            self.notes.append(("budget", f"text budget of {limits.max_chars} characters reached at {unit} {number}; "
                                         "the rest was not read"))
            return False
        self.chars += len(text)
        self.rows.append((number, text))
        return True


class ExtractedDataset(FileDataset):
    """A document (or e-mail, or OCRed image) already turned into numbered texts."""

    kind = "text"

    def __init__(self, ref: FileRef, extracted: Extracted, table: str | None = None):
        super().__init__(ref, table)
        self.rows = extracted.rows
        self.notes = extracted.notes

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        self.issues.clear()
        self.bad_records = 0
        for kind, message in self.notes:
            self.note_bad_record(message, kind=kind)
        for start in range(0, len(self.rows), batch_rows):
            part = self.rows[start : start + batch_rows]
            numbers = pa.array(np.fromiter((n for n, _ in part), dtype=np.int64, count=len(part)))
            yield pa.RecordBatch.from_arrays([numbers, pa.array([t for _, t in part], pa.string())], schema=SCHEMA)

    def row_count(self) -> int | None:
        return len(self.rows)


def run_parser(func: Any, ref: FileRef, *args: Any) -> Extracted:
    """Run a top-level parser, in a child process with limits when isolation is available."""
    try:
        from scanner.sources import isolation
    except ImportError:
        isolation = None  # type: ignore[assignment]
    try:
        if isolation is not None and hasattr(isolation, "run_isolated"):
            return isolation.run_isolated(func, str(ref.path), ref.source, *args,
                                          memory_bytes=ISOLATED_MEMORY, seconds=ISOLATED_SECONDS)
        return func(str(ref.path), ref.source, *args)
    except SourceError as error:
        raise (replace(error, source=ref.source) if not error.source else error) from None  # isolation leaves it ""
    except Exception as exc:  # noqa: BLE001 - a broken document is reported, the scan goes on
        raise _parse_error(ref, exc) from None


ISOLATED_MEMORY = 1 << 30
ISOLATED_SECONDS = 300.0


def _parse_error(ref: FileRef, exc: BaseException) -> SourceError:
    error = read_error(ref, exc)
    if error.kind == "read_error" and not isinstance(exc, OSError):
        error.kind = "parse_error"
    return error
