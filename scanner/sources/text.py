"""Plain text and logs (`.log`, `.txt`, `.md`, rotated `app.log.1`, unknown text files).

A text dataset has two columns, `line` (1-based) and `text`, so a finding can
point at the line. Encoding is guessed as for CSV. Bytes that are not valid
in that encoding are replaced (U+FFFD) and counted rather than ending the
read: one stray byte in a log must not hide the lines after it. Lines longer
than `SourceOptions.max_text_line_chars` are cut there and counted; the rest
of such a line is read and dropped, so memory stays bounded.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, SourceError, SourceOptions
from scanner.sources.files import FileDataset, FileRef, open_bytes, read_error, sniff_encoding

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
        """Lines in batches: the file is read in large byte chunks cut at a newline,
        decoded once per chunk and split into lines in Arrow (tens of MB/s, bounded memory)."""
        self.issues.clear()
        self.bad_records = 0
        replaced = truncated = 0
        number = 0
        try:
            for chunk in _chunks(self.ref, self.encoding, CHUNK_BYTES, self.max_line_chars):
                lines, text = _split_lines(chunk, self.encoding)
                lines = pc.utf8_rtrim(lines, characters="\r")
                long = pc.greater(pc.utf8_length(lines), self.max_line_chars)
                if pc.any(long).as_py():
                    truncated += int(pc.sum(long).as_py())
                    lines = pc.utf8_slice_codeunits(lines, 0, self.max_line_chars)
                if text is not None and REPLACEMENT in text:
                    replaced += int(pc.sum(pc.match_substring(lines, REPLACEMENT)).as_py())
                for start in range(0, len(lines), batch_rows):
                    part = lines.slice(start, batch_rows)
                    numbers = pa.array(np.arange(number + 1, number + 1 + len(part), dtype=np.int64))
                    number += len(part)
                    yield pa.RecordBatch.from_arrays([numbers, part], schema=SCHEMA)
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - gzip/OS failures become one clear error
            raise read_error(self.ref, exc) from None
        if replaced:
            self.note_bad_record(f"{replaced} lines held bytes that are not valid {self.encoding}; "
                                 "they were replaced", kind="encoding")
        if truncated:
            self.note_bad_record(f"{truncated} lines longer than {self.max_line_chars} characters were cut",
                                 kind="truncated")


CHUNK_BYTES = 8 << 20


UTF8_FAMILY = {"utf-8", "utf_8", "utf8", "ascii", "us-ascii"}


def _split_lines(chunk: str | bytes, encoding: str) -> tuple[pa.Array, str | None]:
    """The lines of a chunk as an Arrow string array, plus the decoded text when
    Python had to decode it (for counting replaced bytes).

    UTF-8 bytes are split and validated in Arrow, without a Python decode and
    re-encode; a chunk with invalid bytes falls back to a decode that replaces them.
    """
    if isinstance(chunk, bytes):
        raw_lines = pc.list_flatten(pc.split_pattern(pa.array([chunk], pa.binary()), b"\n"))
        try:
            return raw_lines.cast(pa.string()), None
        except pa.ArrowInvalid:
            chunk = chunk.decode(encoding, errors="replace")
    return pc.list_flatten(pc.split_pattern(pa.array([chunk]), "\n")), chunk


def _chunks(ref: FileRef, encoding: str, chunk_bytes: int, max_line_chars: int) -> Iterator[str | bytes]:
    """The file as chunks that each end at a line end (the last one may not): raw
    bytes for UTF-8 files (Arrow validates them), decoded text for other encodings.

    A line longer than a chunk is cut to `max_line_chars` and the rest of it
    skipped, so memory stays bounded whatever the file holds.
    """
    as_bytes = encoding.lower() in UTF8_FAMILY  # utf-8-sig goes through the decoder, which drops the BOM
    newline: str | bytes = b"\n" if as_bytes else "\n"
    decoder = None if as_bytes else codecs.getincrementaldecoder(encoding)(errors="replace")
    carry: str | bytes = newline[:0]
    skipping = False
    with open_bytes(ref) as fh:
        while True:
            raw = fh.read(chunk_bytes)
            final = not raw
            text = carry + (raw if decoder is None else decoder.decode(raw, final=final))
            if skipping:  # inside an over-long line: drop up to its end
                cut = text.find(newline)
                if cut < 0:
                    carry = newline[:0]
                    if final:
                        return
                    continue
                text, skipping = text[cut + 1 :], False
            if final:
                if text:
                    yield text[:-1] if text.endswith(newline) else text
                return
            cut = text.rfind(newline)
            if cut < 0:
                if len(text) > max(chunk_bytes, max_line_chars):  # one huge line: keep its head
                    yield _head(text, max_line_chars)
                    carry, skipping = newline[:0], True
                else:
                    carry = text
                continue
            yield text[:cut]
            carry = text[cut + 1 :]


def _head(text: str | bytes, max_line_chars: int) -> str | bytes:
    """The first characters of an over-long line (bytes are cut at a character boundary)."""
    if isinstance(text, str):
        return text[: max_line_chars + 1]
    return text[: max_line_chars * 4 + 4].decode("utf-8", errors="ignore")[: max_line_chars + 1].encode("utf-8")


def read(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    encoding = sniff_encoding(ref)
    if encoding is None:
        raise SourceError(ref.source, "not a text file (cannot guess its encoding)", kind="encoding")
    yield TextDataset(ref, encoding, options.max_text_line_chars)
