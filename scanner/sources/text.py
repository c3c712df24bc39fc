"""Plain text and logs (`.log`, `.txt`, `.md`, rotated `app.log.1`, unknown text files).

A text dataset has two columns, `line` (1-based) and `text`, so a finding can
point at the line. Encoding is guessed as for CSV. Bytes that are not valid
in that encoding are replaced (U+FFFD) and counted rather than ending the
read: one stray byte in a log must not hide the lines after it. A line longer
than the window (`budgets.text_window_chars`, at most
`SourceOptions.max_text_line_chars`) is read in overlapping windows, each a
row with the line's number: never loaded whole (a 30 MB single-line log stays
in bounded memory) and never dropped (an e-mail in its middle is found).
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, SourceError, SourceOptions
from scanner.sources.budgets import budgets_of, default_budgets, within_budget
from scanner.sources.files import FileDataset, FileRef, open_bytes, read_error, sniff_encoding

REPLACEMENT = "\ufffd"
SCHEMA = pa.schema([("line", pa.int64()), ("text", pa.string())])


class TextDataset(FileDataset):
    """One text file as numbered lines."""

    kind = "text"

    def __init__(self, ref: FileRef, encoding: str, max_line_chars: int, overlap: int = 1000):
        super().__init__(ref)
        self.encoding = encoding
        self.max_line_chars = max_line_chars  # a longer line is read in windows of this size
        self.overlap = min(overlap, max_line_chars // 2)

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        """Every batch, within the source's time and byte budget (past it: a `budget` issue, partial)."""
        yield from within_budget(self._read(batch_rows), self, default_budgets())

    def _read(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        """Lines in batches: the file is read in large byte chunks cut at a newline,
        decoded once per chunk and split into lines in Arrow (tens of MB/s, bounded memory).

        A line longer than `max_line_chars` becomes several rows with the same line
        number: overlapping windows, so a value cut by one window is whole in the next."""
        self.issues.clear()
        self.bad_records = 0
        replaced = windowed = 0
        number = 0
        window, overlap = self.max_line_chars, self.overlap
        try:
            for kind, piece in _pieces(self.ref, self.encoding, CHUNK_BYTES, window, overlap):
                if kind == "windows":  # parts of one over-long line (number + 1) that goes on
                    texts = [w if isinstance(w, str) else w.decode("utf-8", errors="replace") for w in piece]
                    windowed += 1
                    yield pa.RecordBatch.from_arrays(
                        [pa.array([number + 1] * len(texts), pa.int64()), pa.array(texts, pa.string())], schema=SCHEMA)
                    continue
                lines, text = _split_lines(piece, self.encoding)
                if ("\r" if isinstance(piece, str) else b"\r") in piece:  # else trimming copies for nothing
                    lines = pc.utf8_rtrim(lines, characters="\r")
                if text is not None and REPLACEMENT in text:
                    replaced += int(pc.sum(pc.match_substring(lines, REPLACEMENT)).as_py())
                numbers = pa.array(np.arange(number + 1, number + 1 + len(lines), dtype=np.int64))
                number += len(lines)
                long = _longer_than(lines, window)
                if long is not None:
                    windowed += int(pc.sum(long).as_py())
                    numbers, lines = _windowed(numbers, lines, window, overlap)
                for start in range(0, len(lines), batch_rows):
                    yield pa.RecordBatch.from_arrays([numbers.slice(start, batch_rows), lines.slice(start, batch_rows)],
                                                     schema=SCHEMA)
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - gzip/OS failures become one clear error
            raise read_error(self.ref, exc) from None
        if replaced:
            self.note_bad_record(f"{replaced} lines held bytes that are not valid {self.encoding}; "
                                 "they were replaced", kind="encoding")
        if windowed:  # read whole, in windows: not an error, but a reader of the counts should know
            log.debug("%s: %d lines longer than %d characters read in overlapping windows",
                      self.source, windowed, window)


log = logging.getLogger(__name__)
CHUNK_BYTES = 8 << 20


def _longer_than(lines: pa.Array, window: int) -> pa.Array | None:
    """Which lines have more than `window` characters, or None when none has. A line has at
    least as many bytes as characters, so their byte lengths (read off the offsets) rule
    most chunks out without counting characters."""
    if not pc.any(pc.greater(pc.binary_length(lines), window)).as_py():
        return None
    long = pc.greater(pc.utf8_length(lines), window)
    return long if pc.any(long).as_py() else None


def _windowed(numbers: pa.Array, lines: pa.Array, window: int, overlap: int) -> tuple[pa.Array, pa.Array]:
    """Lines longer than `window` split into overlapping windows that keep their line number."""
    out_numbers: list[int] = []
    out_lines: list[str] = []
    for number, line in zip(numbers.to_pylist(), lines.to_pylist(), strict=True):
        if line is None or len(line) <= window:
            out_numbers.append(number)
            out_lines.append(line)
            continue
        for start in range(0, len(line) - overlap, window - overlap):
            out_numbers.append(number)
            out_lines.append(line[start:start + window])
    return pa.array(out_numbers, pa.int64()), pa.array(out_lines, pa.string())


UTF8_FAMILY = {"utf-8", "utf_8", "utf8", "ascii", "us-ascii"}


def _split_lines(chunk: str | bytes, encoding: str) -> tuple[pa.Array, str | None]:
    """The lines of a chunk as an Arrow string array, plus the decoded text when
    Python had to decode it (for counting replaced bytes).

    UTF-8 bytes are split and validated in Arrow, without a Python decode and
    re-encode; a chunk with invalid bytes falls back to a decode that replaces them.
    """
    if isinstance(chunk, bytes):
        raw_lines = pc.list_flatten(pc.split_pattern(_binary_scalar_array(chunk), b"\n"))
        if chunk.isascii():  # valid UTF-8 as it is: no validating pass
            return raw_lines.view(pa.large_string() if pa.types.is_large_binary(raw_lines.type) else pa.string()), None
        try:
            return raw_lines.cast(pa.string()), None
        except pa.ArrowInvalid:
            chunk = chunk.decode(encoding, errors="replace")
    return pc.list_flatten(pc.split_pattern(pa.array([chunk]), "\n")), chunk


def _binary_scalar_array(chunk: bytes) -> pa.Array:
    """`chunk` as a one-element Arrow binary array over its own bytes (no copy)."""
    large = len(chunk) >= 2**31 - 1
    offsets = np.array([0, len(chunk)], dtype=np.int64 if large else np.int32)
    return pa.Array.from_buffers(pa.large_binary() if large else pa.binary(), 1,
                                 [None, pa.py_buffer(offsets), pa.py_buffer(chunk)])


def _pieces(ref: FileRef, encoding: str, chunk_bytes: int, window: int,
            overlap: int) -> Iterator[tuple[str, str | bytes | list[str | bytes]]]:
    """The file as ("lines", chunk) items that each end at a line end (the last one may
    not), and ("windows", [...]) items: overlapping windows of a line longer than
    what one chunk holds, which goes on in the next item. Raw bytes for UTF-8
    files (Arrow validates them), decoded text for other encodings. Memory stays
    bounded (a chunk plus a window) whatever the file holds: nothing is dropped.
    """
    as_bytes = encoding.lower() in UTF8_FAMILY  # utf-8-sig goes through the decoder, which drops the BOM
    newline: str | bytes = b"\n" if as_bytes else "\n"
    decoder = None if as_bytes else codecs.getincrementaldecoder(encoding)(errors="replace")
    carry: str | bytes = newline[:0]
    with open_bytes(ref) as fh:
        while True:
            raw = fh.read(chunk_bytes)
            final = not raw
            text = carry + (raw if decoder is None else decoder.decode(raw, final=final))
            if final:
                if text:
                    yield "lines", text[:-1] if text.endswith(newline) else text
                return
            cut = text.rfind(newline)
            if cut >= 0:
                yield "lines", text[:cut]
                carry = text[cut + 1 :]
                continue
            windows: list[str | bytes] = []
            at = 0
            while len(text) - at > window + overlap:  # one line longer than a chunk: windows off its head
                end = _boundary(text, at + window)
                end = end if end > at + overlap else at + window  # invalid bytes: cut anyway
                windows.append(text[at:end])
                at = max(_boundary(text, end - overlap), at + 1)
            if windows:
                yield "windows", windows
            carry = text[at:]


def _boundary(text: str | bytes, at: int) -> int:
    """`at`, moved back to a character start in UTF-8 bytes (never splits a character)."""
    if isinstance(text, str):
        return at
    while at > 0 and (text[at] & 0xC0) == 0x80:
        at -= 1
    return at


def read(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    encoding = sniff_encoding(ref)
    if encoding is None:
        raise SourceError(ref.source, "not a text file (cannot guess its encoding)", kind="encoding")
    budgets = budgets_of(options)
    window = min(options.max_text_line_chars, budgets.text_window_chars)
    yield TextDataset(ref, encoding, window, budgets.text_window_overlap)
