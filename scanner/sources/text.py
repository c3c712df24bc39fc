"""Plain text and logs (`.log`, `.txt`, `.md`, rotated `app.log.1`, unknown text files).

A text dataset has two columns, `line` (1-based) and `text`, so a finding can
point at the line. Encoding is guessed as for CSV. Bytes that are not valid
in that encoding are replaced (U+FFFD) and counted rather than ending the
read: one stray byte in a log must not hide the lines after it. Lines longer
than `SourceOptions.max_text_line_chars` are cut there and counted; the rest
of such a line is read and dropped, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, SourceError, SourceOptions
from scanner.sources.files import FileDataset, FileRef, read_error, sniff_encoding, text_stream

REPLACEMENT = "\ufffd"
SCHEMA = pa.schema([("line", pa.int64()), ("text", pa.string())])


class TextDataset(FileDataset):
    """One text file as numbered lines."""

    kind = "text"

    def __init__(self, ref: FileRef, encoding: str, max_line_chars: int):
        super().__init__(ref)
        self.encoding = encoding
        self.max_line_chars = max_line_chars

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        self.issues.clear()
        self.bad_records = 0
        numbers: list[int] = []
        lines: list[str] = []
        replaced = truncated = 0
        try:
            with text_stream(self.ref, self.encoding, errors="replace") as fh:
                number = 0
                while line := fh.readline(self.max_line_chars):
                    number += 1
                    if not line.endswith("\n") and len(line) >= self.max_line_chars:
                        if _drain_line(fh, self.max_line_chars):
                            truncated += 1
                    line = line.rstrip("\n")
                    if REPLACEMENT in line:
                        replaced += 1
                    numbers.append(number)
                    lines.append(line)
                    if len(lines) >= batch_rows:
                        yield _batch(numbers, lines)
                        numbers, lines = [], []
        except Exception as exc:  # noqa: BLE001 - gzip/OS failures become one clear error
            raise read_error(self.ref, exc) from None
        if lines:
            yield _batch(numbers, lines)
        if replaced:
            self.note_bad_record(f"{replaced} lines held bytes that are not valid {self.encoding}; "
                                 "they were replaced", kind="encoding")
        if truncated:
            self.note_bad_record(f"{truncated} lines longer than {self.max_line_chars} characters were cut",
                                 kind="truncated")


def _drain_line(fh, limit: int) -> bool:
    """Skip the rest of an over-long line; True when something was dropped."""
    dropped = False
    while rest := fh.readline(limit):
        if rest == "\n":
            break
        dropped = True
        if rest.endswith("\n"):
            break
    return dropped


def _batch(numbers: list[int], lines: list[str]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array(numbers, pa.int64()), pa.array(lines, pa.string())], schema=SCHEMA)


def read(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    encoding = sniff_encoding(ref)
    if encoding is None:
        raise SourceError(ref.source, "not a text file (cannot guess its encoding)", kind="encoding")
    yield TextDataset(ref, encoding, options.max_text_line_chars)
