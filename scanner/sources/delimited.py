"""CSV and TSV files, streamed with pyarrow so a multi-GB export stays in bounded memory.

The encoding is guessed from the first 64 KiB (UTF-8, UTF-8 with BOM, CP932;
see `files.detect_encoding`); a non-UTF-8 file is transcoded on the fly by
Arrow's transcoding stream, so nothing is ever decoded whole. Every column is
read as a string (a JMB number `000123456` must keep its zeros). The first
row is the header; ragged rows are skipped and counted, never fatal.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.csv as pacsv

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, DirectRead, SourceError, SourceOptions
from scanner.sources.budgets import budgets_of, default_budgets, within_budget
from scanner.sources.columns import unique_names
from scanner.sources.files import (
    HEAD_BYTES,
    CappedReader,
    FileDataset,
    FileRef,
    read_error,
    read_head,
    sniff_encoding,
)

BLOCK_BYTES = 1 << 19  # Arrow parses this much at a time; a read holds a few such blocks (at worst ~40)
WIDE_BLOCK_BYTES = 32 << 20  # the most a block of a very wide file may take
SNIFF_DELIMITERS = ",\t;|"
UTF8 = ("utf-8", "utf-8-sig")  # Arrow reads these natively and drops a BOM itself


class DelimitedDataset(FileDataset):
    """One CSV/TSV file as a table of string columns."""

    kind = "table"

    def __init__(self, ref: FileRef, encoding: str, delimiter: str, header: list[str],
                 max_columns: int = 1 << 30, row_bytes: int = 0):
        super().__init__(ref)
        self.encoding = encoding
        self.delimiter = delimiter
        self.header = header  # raw header cells as Arrow will see them
        # a block of a very wide file holds a few rows at 512 KiB: hundreds of tiny batches whose
        # per-column cost dwarfs the data (20,000 columns ran for minutes); aim at ~256 rows a block
        self.block_bytes = min(WIDE_BLOCK_BYTES, max(BLOCK_BYTES, row_bytes * 256))
        self.wide = len(header) > max_columns  # only the first max_columns are read (the rest: partial)
        self.header_read = header[:max_columns] if self.wide else header
        self.columns = unique_names(self.header_read)

    def direct_read(self) -> DirectRead | None:
        if not self.columns:
            return None
        return DirectRead("csv", tuple(self.columns), path=str(self.ref.path), encoding=self.encoding,
                          delimiter=self.delimiter)

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        """Every batch, within the source's time and byte budget (past it: a `budget` issue, partial)."""
        yield from within_budget(self._read(batch_rows), self, default_budgets())

    def _read(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        self.issues.clear()
        self.bad_records = 0
        if not self.columns:
            return
        try:
            stream = self._stream()
        except OSError as exc:
            raise read_error(self.ref, exc) from None
        try:
            reader = pacsv.open_csv(
                stream,
                read_options=pacsv.ReadOptions(block_size=self.block_bytes, encoding="utf8"),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter, newlines_in_values=True, invalid_row_handler=self._bad_row
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={name: pa.string() for name in self.header_read},
                    strings_can_be_null=False,
                    include_columns=self.header_read if self.wide else None,
                ),
            )
            if self.wide:
                self.note_bad_record(f"more than {len(self.header_read)} columns (max_columns): only the first "
                                     f"{len(self.header_read)} were read", kind="too_large")
            for block in reader:
                names = self.columns if len(self.columns) == block.num_columns else unique_names(block.schema.names)
                block = pa.RecordBatch.from_arrays(block.columns, names=names)
                for start in range(0, block.num_rows, batch_rows):
                    yield block.slice(start, batch_rows)
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - parse/encoding/gzip failures become one clear error
            raise read_error(self.ref, exc) from None
        finally:
            stream.close()

    def _stream(self) -> pa.NativeFile:
        """The file as a stream for Arrow, through Python file objects on purpose.

        Arrow's own OSFile is read ahead by a background thread up to ~40
        blocks; reads through a Python file object stay close to the parser
        (measured: ~5 blocks held instead of ~40, same speed). Python's gzip
        also reports a truncated stream, which Arrow's decompressor does not.
        """
        raw = CappedReader(gzip.open(self.ref.path, "rb"), self.ref) if self.ref.compressed else open(self.ref.path, "rb")
        stream: pa.NativeFile = pa.PythonFile(raw, mode="r")
        if self.encoding not in UTF8:
            stream = pa.transcoding_input_stream(stream, self.encoding, "utf-8")
        return stream

    def _bad_row(self, row: pacsv.InvalidRow) -> str:
        where = f"row {row.number}" if row.number is not None else "a row"
        self.note_bad_record(
            f"{where} has {row.actual_columns} fields, expected {row.expected_columns}; row skipped"
        )
        return "skip"


def sniff_delimiter(text: str, name: str) -> str:
    """Tab for .tsv; otherwise what csv.Sniffer finds among `, TAB ; |`, defaulting to a comma."""
    if name.lower().endswith(".tsv"):
        return "\t"
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=SNIFF_DELIMITERS).delimiter
    except csv.Error:
        return ","


def read(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    """Open a delimited file: guess encoding and delimiter, read the header row."""
    head = read_head(ref)
    encoding = sniff_encoding(ref)
    if encoding is None:
        raise SourceError(ref.source, "not a text file (cannot guess its encoding)", kind="encoding")
    text = codecs.getincrementaldecoder(encoding)("replace").decode(head, final=False)
    delimiter = sniff_delimiter(text, ref.inner_name)
    header = next((row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row), [])
    max_columns = budgets_of(options).max_columns
    if "\n" not in text.lstrip("\r\n") and len(head) >= HEAD_BYTES and header:
        header, max_columns = header[:-1], min(max_columns, len(header) - 1)  # the head cut its last name
    first_line = head.find(b"\n")
    row_bytes = first_line if first_line >= 0 else len(head)
    yield DelimitedDataset(ref, encoding, delimiter, header, max_columns, row_bytes)
