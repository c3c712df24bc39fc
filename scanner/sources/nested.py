"""Files inside other files (archive members, e-mail attachments, objects in a bucket),
scanned by the same readers as files on disk.

Why a temporary file: every reader takes a `FileRef` and several need a real,
seekable file (Parquet footers, SQLite, zip directories, calamine). So a member
is copied, streamed and bounded (`max_bytes`), into a private temporary
directory (under `$TMPDIR`), handed to `scanner.sources.sniff` and `READERS`
exactly as a file on disk, and deleted when the container's reader moves on.
Memory stays at one copy buffer whatever the member's size.

The datasets come back wrapped in `MemberDataset`, which:
- shows the member as `container!path/in/container` (the `source` the reader
  was given);
- keys its signature on the member's content hash (or the object's ETag), not on
  the temporary file, so incremental runs skip unchanged members;
- refuses to be pickled, so a worker process never receives a dataset whose
  file this process deletes: members are scanned here, before the container's
  reader resumes (the pipeline scans a dataset it cannot send before it asks
  for the next one).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from scanner.sources.base import DEFAULT_BATCH_ROWS, SKIPPED, Dataset, SourceError, SourceOptions

COPY_BLOCK = 1 << 20
_UNSAFE = re.compile(r"[^\w.\-]+")


class MemberDataset(Dataset):
    """A dataset read from a temporary copy of a member; stays in this process."""

    def __init__(self, inner: Dataset, signature: dict[str, Any] | None):
        self.inner = inner
        self.kind = inner.kind
        self.source = inner.source
        self.table = inner.table
        self._signature = signature

    def __getattr__(self, name: str) -> Any:  # issues, bad_records, ref... of the reader's dataset
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        return self.inner.iter_batches(batch_rows)

    def sample(self, n: int, seed: int = 0) -> pa.Table:
        return self.inner.sample(n, seed)

    def row_count(self) -> int | None:
        return self.inner.row_count()

    def signature(self, updated_at_column: str | None = None) -> dict[str, Any] | None:
        if self._signature is None:
            return None
        return {**self._signature, "table": self.table}

    def size_bytes(self) -> int:
        return self.inner.size_bytes() if hasattr(self.inner, "size_bytes") else 0

    @property
    def is_file(self) -> bool:
        return True

    def direct_read(self) -> None:
        return None  # the temporary copy is gone by the time another engine would read it

    def close(self) -> None:
        self.inner.close()

    def __reduce__(self) -> Any:
        raise TypeError("a member of a container is scanned in the process that extracted it")


def safe_name(name: str) -> str:
    """A file name for the temporary copy that keeps the member's extension (it picks the reader)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1] or "member"
    stem, dot, suffix = base.rpartition(".")
    cleaned = _UNSAFE.sub("_", f"{stem[-60:]}.{suffix[-20:]}" if dot else base[-80:]).lstrip(".")
    return cleaned or "member"


def copy_bounded(stream: IO[bytes], target: Path, max_bytes: int) -> tuple[int, str] | None:
    """Copy at most `max_bytes`; (size, sha256) or None when the stream holds more."""
    digest = hashlib.sha256()
    size = 0
    with open(target, "wb") as out:
        while True:
            block = stream.read(COPY_BLOCK)
            if not block:
                return size, digest.hexdigest()
            size += len(block)
            if size > max_bytes:
                return None
            digest.update(block)
            out.write(block)


def dispatch_stream(stream: IO[bytes], name: str, source: str, options: SourceOptions, *, nesting: int,
                    max_bytes: int, signature: dict[str, Any] | None = None) -> Iterator[Dataset | SourceError]:
    """Scan one member given as a byte stream: copy it (bounded), then hand it to its reader."""
    workdir = Path(tempfile.mkdtemp(prefix="piiscan-member-"))
    try:
        path = workdir / safe_name(name)
        copied = copy_bounded(stream, path, max_bytes)
        if copied is None:
            yield SourceError(source, f"larger than {max_bytes >> 20} MiB once unpacked: not read",
                              kind="too_large", status=SKIPPED)
            return
        size, sha256 = copied
        yield from dispatch_path(path, source, options, nesting=nesting,
                                 signature=signature or {"kind": "member", "size": size, "sha256": sha256})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def dispatch_path(path: Path, source: str, options: SourceOptions, *, nesting: int,
                  signature: dict[str, Any] | None) -> Iterator[Dataset | SourceError]:
    """A local copy of a member through `sniff` and `READERS`, its datasets wrapped."""
    from scanner.sources import no_reader, reader_for, sniff

    try:
        kind, ref = sniff(path, source)
        if kind is None:
            yield no_reader(ref)
            return
        for item in reader_for(kind)(replace(ref, nesting=nesting), options):
            yield item if isinstance(item, SourceError) else MemberDataset(item, signature)
    except SourceError as error:
        yield error
    except Exception as exc:  # noqa: BLE001 - a bad member is reported, the container goes on
        yield SourceError(source, f"cannot read this member ({type(exc).__name__})", kind="parse_error")
