"""What every file-backed source shares: the file reference, transparent gzip,
encoding detection, the content signature and the non-fatal issues list.

Reader modules (delimited, excel, jsondoc, parquet, text) only parse; opening
bytes, guessing the encoding and turning OS errors into `SourceError`s happens
here once, so every kind reports problems the same way and none of them can
put a cell value into a message.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from scanner.sources.base import Dataset, SourceError

HEAD_BYTES = 64 * 1024  # enough to guess an encoding / delimiter, small enough to read for every file
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"
MAX_ISSUES = 20  # per dataset: the count is exact, the examples are capped


@dataclass(frozen=True)
class FileRef:
    """A file to read: where it is, how it is shown, and whether it is gzipped."""

    path: Path  # what to open
    source: str  # Location.source: relative to the scanned directory, or as given
    compressed: bool = False  # gzip: read transparently
    nesting: int = 0  # containers (archives, e-mails) this file was taken out of; 0 for a file on disk

    @property
    def inner_name(self) -> str:
        """The name that tells the kind: without the `.gz` suffix when compressed."""
        name = self.path.name
        return name[:-3] if self.compressed and name.lower().endswith(".gz") else name


def describe_os_error(exc: OSError) -> str:
    """`cannot read: Permission denied` - the OS reason, never file content."""
    return f"cannot read: {exc.strerror or type(exc).__name__}"


def read_error(ref: FileRef, exc: BaseException, table: str | None = None) -> SourceError:
    """Map a low-level failure to a SourceError whose message names the problem, not the data.

    Parser messages (pyarrow, json, zlib) describe positions and expectations;
    they are cut to their first line and length-capped so that no reader can
    echo a long cell value back.
    """
    if isinstance(exc, SourceError):
        return exc
    if isinstance(exc, UnicodeDecodeError):
        return SourceError(ref.source, f"not valid {exc.encoding} text (byte offset {exc.start} of a block)",
                           table=table, kind="encoding")
    if isinstance(exc, EOFError):
        return SourceError(ref.source, "broken gzip stream: the compressed data ends early (truncated file?)",
                           table=table, kind="corrupt")
    if isinstance(exc, (gzip.BadGzipFile, zlib.error)):
        return SourceError(ref.source, f"broken gzip stream ({_safe(str(exc))})", table=table, kind="corrupt")
    if isinstance(exc, OSError) and exc.strerror:
        return SourceError(ref.source, describe_os_error(exc), table=table)
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "gzip" in text.lower() or "zlib" in text.lower() or "decompress" in text.lower():
        return SourceError(ref.source, f"broken gzip stream ({_safe(text)})", table=table, kind="corrupt")
    if "utf8" in text.lower() or "utf-8" in text.lower() or "decode" in text.lower():
        return SourceError(ref.source, f"bad text encoding ({_safe(text)})", table=table, kind="encoding")
    return SourceError(ref.source, f"{type(exc).__name__}: {_safe(text)}", table=table)


def _safe(text: str, limit: int = 160) -> str:
    """Parser messages sometimes quote the offending row ("Row #3: ..."): keep only the reason."""
    for marker in (": '", ': "', "Row: ", "row: ", "line: "):
        cut = text.find(marker)
        if cut != -1:
            text = text[:cut]
    return text[:limit]


@contextmanager
def open_bytes(ref: FileRef) -> Iterator[IO[bytes]]:
    """The file's (decompressed) bytes; gzip is undone transparently, capped (see `CappedReader`)."""
    with open(ref.path, "rb") as raw:
        if ref.compressed:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield CappedReader(unzipped, ref)  # type: ignore[misc]
        else:
            yield raw


RATIO_CHECKED_AFTER = 64 << 20  # small files may compress far better than any ratio: judged past this


class CappedReader(io.RawIOBase):
    """A decompressed stream that stops a bomb: past `max_decompressed_bytes`, or past
    `max_compression_ratio` times the compressed size (once 64 MiB are out), it raises
    SourceError(kind="too_large") instead of inflating on."""

    def __init__(self, inner: IO[bytes], ref: FileRef):
        from scanner.sources.budgets import default_budgets

        budgets = default_budgets()
        self.inner, self.ref, self.out = inner, ref, 0
        try:
            compressed = ref.path.stat().st_size
        except OSError:
            compressed = 0
        self.limit = min(budgets.max_decompressed_bytes,
                         max(RATIO_CHECKED_AFTER, int(compressed * budgets.max_compression_ratio)))

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.limit + 1 - self.out
        data = self.inner.read(min(size, self.limit + 1 - self.out) if self.out <= self.limit else 1)
        self._count(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        line = self.inner.readline(size if size is not None and size >= 0 else self.limit + 1 - self.out)
        self._count(len(line))
        return line

    def __iter__(self) -> Iterator[bytes]:  # type: ignore[override]
        return iter(self.readline, b"")

    def _count(self, count: int) -> None:
        self.out += count
        if self.out > self.limit:
            raise SourceError(self.ref.source, f"decompresses to more than {self.limit >> 20} MiB "
                                               "(max_decompressed_bytes / max_compression_ratio): a bomb?",
                              kind="too_large", status="partial")


_SPOOLED: list[str] = []
_SPOOLED_BY: dict[str, str] = {}


def spooled_copy(ref: FileRef, budgets: Any) -> str:
    """A gzipped file unpacked to a temporary file (capped like any read), for parsers that want a path.

    Removed when the process exits; the decompressed bytes never sit in memory.
    """
    import atexit
    import shutil
    import tempfile

    key = f"{ref.path}:{ref.path.stat().st_mtime_ns}"
    if key in _SPOOLED_BY:
        return _SPOOLED_BY[key]
    handle = tempfile.NamedTemporaryFile(prefix="piiscan-", suffix="-" + ref.inner_name[-40:], delete=False)
    if not _SPOOLED:
        atexit.register(lambda: [os.unlink(p) for p in _SPOOLED if os.path.exists(p)])
    _SPOOLED.append(handle.name)
    try:
        with handle, open_bytes(ref) as fh:
            shutil.copyfileobj(fh, handle, 1 << 20)
    except Exception as exc:  # noqa: BLE001
        os.unlink(handle.name)
        _SPOOLED.remove(handle.name)
        error = read_error(ref, exc)
        error.status = "failed"
        raise error from None
    _SPOOLED_BY[key] = handle.name
    return handle.name


def read_head(ref: FileRef, size: int = HEAD_BYTES) -> bytes:
    """The first `size` (decompressed) bytes, for sniffing; errors become SourceError."""
    try:
        with open_bytes(ref) as fh:
            return fh.read(size)
    except Exception as exc:  # noqa: BLE001 - any reader failure is reported, the scan goes on
        raise read_error(ref, exc) from None


_ISO2022_JP = re.compile(rb"\x1b\$[@B]")  # ESC $ @ / ESC $ B: switch to JIS X 0208
JAPANESE_FALLBACK = "cp932"  # Windows Shift_JIS: what Excel in Japan writes; a superset of shift_jis
_CP932_STRAYS = frozenset("\x80\uf8f0\uf8f1\uf8f2\uf8f3")


def detect_encoding(head: bytes) -> str | None:
    """The text encoding of a file from its first bytes, or None when it is not text.

    Order: a BOM decides (UTF-8 with BOM, UTF-16); then strict UTF-8 (a
    multi-byte character cut at the end of the head is allowed); then CP932,
    the usual encoding of Japanese exports; then charset-normalizer's best
    guess for anything else (EUC-JP, Latin-1...). Text that is UTF-8 but for a
    stray byte or two stays UTF-8 (readers replace or report such bytes). NUL
    bytes without a UTF-16 BOM mean binary.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        return None
    if _ISO2022_JP.search(head):  # 7-bit JIS: ASCII to every other test, but escapes into kanji
        return "iso2022_jp"
    for encoding in ("utf-8", JAPANESE_FALLBACK):
        try:
            decoded = codecs.getincrementaldecoder(encoding)("strict").decode(head, final=False)
        except UnicodeDecodeError:
            continue
        # CP932 maps the stray bytes 0x80, 0xA0, 0xFD-0xFF to private-use U+F8F0-U+F8F3: not Japanese text
        if encoding == "utf-8" or not _CP932_STRAYS.intersection(decoded):
            return encoding
    decoded = codecs.getincrementaldecoder("utf-8")("replace").decode(head, final=False)
    if decoded.count("\ufffd") <= max(2, len(decoded) // 200):  # UTF-8 with a few stray bytes (a log)
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    return best.encoding if best is not None else None


def sniff_encoding(ref: FileRef) -> str | None:
    """`detect_encoding` on the head, plus the middle and the end when the head is plain ASCII.

    Exports often start with ASCII ids and dates and meet their first kana far
    into the file; guessing UTF-8 from an ASCII head would then fail mid-read.
    Only uncompressed files can be probed this way (a seek is free there).
    """
    head = read_head(ref)
    size = ref.path.stat().st_size if not ref.compressed else 0
    if not head.isascii() or size <= len(head):
        return detect_encoding(head)
    probe = bytearray(head)
    try:
        with open(ref.path, "rb") as fh:
            for offset in (size // 2, max(size - HEAD_BYTES, len(head))):
                fh.seek(offset)
                chunk = fh.read(HEAD_BYTES)
                start = chunk.find(b"\n") + 1  # resynchronise on a line start, never mid-character
                probe += b"\n" + chunk[start:]
    except OSError as exc:
        raise read_error(ref, exc) from None
    return detect_encoding(bytes(probe))


def is_text(head: bytes) -> bool:
    return not head or detect_encoding(head) is not None


class FileDataset(Dataset):
    """A dataset read from one file: knows its FileRef, its signature and its non-fatal issues.

    `issues` collects problems that did not stop the read (a bad JSON line, a
    ragged CSV row): each is a SourceError with a count-bearing message and no
    values. The scan engine copies them into ScanResult.errors after iterating.
    """

    def __init__(self, ref: FileRef, table: str | None = None):
        super().__init__(ref.source, table)
        self.ref = ref
        self.issues: list[SourceError] = []
        self.bad_records = 0

    def note_bad_record(self, message: str, kind: str = "bad_record") -> None:
        """Count one skipped record; keep the first few messages (which must hold no values)."""
        self.bad_records += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(SourceError(self.source, message, table=self.table, kind=kind))

    def signature(self, updated_at_column: str | None = None) -> dict[str, Any] | None:
        return file_signature(self.ref)

    @property
    def is_file(self) -> bool:
        return True

    def size_bytes(self) -> int:
        try:
            return self.ref.path.stat().st_size
        except OSError:
            return 0


def file_signature(ref: FileRef) -> dict[str, Any]:
    """Size, mtime and SHA-256 of the file as stored (compressed bytes for .gz), streamed."""
    try:
        stat = ref.path.stat()
        digest = hashlib.sha256()
        with open(ref.path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise read_error(ref, exc) from None
    return {"kind": "file", "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest.hexdigest()}


@contextmanager
def text_stream(ref: FileRef, encoding: str, errors: str = "strict") -> Iterator[io.TextIOWrapper]:
    """The file as decoded text with universal newlines (gzip undone)."""
    with open_bytes(ref) as fh:
        yield io.TextIOWrapper(fh, encoding=encoding, errors=errors, newline=None)


def relative_source(path: Path, root: Path) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")
