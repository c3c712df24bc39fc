"""Source kinds: one module each. `open_target` picks the right one for a target.

A target (parsed once by `scanner.targets`) is a directory (walked in sorted
order, honouring the include/exclude globs relative to it), a single file, or a
URL whose scheme is registered there (databases, object stores). Files go
to the reader registered for their kind in `READERS`: adding a kind is one new
module plus one line there. The kind of a file is, in order:

1. sniffed: a SQLite header (any extension) means a database; gzip is undone
   transparently and the kind taken from the name without `.gz`;
2. its extension (a rotation suffix such as `app.log.1` is ignored);
3. otherwise text when its first bytes decode as text, else binary.

Nothing met is dropped without a word: a binary file of a kind no reader
takes comes back as a `skipped` SourceError naming it (and is counted in
`SourceStats`), a file that cannot be read as a `failed` one, and the walk
goes on.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.lazy import entry as registered
from scanner.sources.base import Dataset, SourceError, SourceOptions
from scanner.sources.files import (
    GZIP_MAGIC,
    SQLITE_MAGIC,
    FileRef,
    describe_os_error,
    is_text,
    read_head,
    relative_source,
)

Reader = Callable[[FileRef, SourceOptions], Iterable[Dataset | SourceError]]


# Suffix (or sniffed kind) -> its reader, as "module:function": a reader's module and what it
# imports (SQLAlchemy, pypdf, Pillow...) load only when a file of its kind is met.
READERS: dict[str, Reader | str] = {
    ".csv": "scanner.sources.delimited:read",
    ".tsv": "scanner.sources.delimited:read",
    ".xlsx": "scanner.sources.excel:read",
    ".xlsm": "scanner.sources.excel:read",
    ".xlsb": "scanner.sources.excel:read",
    ".xls": "scanner.sources.excel:read",
    ".ods": "scanner.sources.excel:read",
    ".json": "scanner.sources.jsondoc:read_json",
    ".jsonl": "scanner.sources.jsondoc:read_jsonl",
    ".ndjson": "scanner.sources.jsondoc:read_jsonl",
    ".parquet": "scanner.sources.parquet:read",
    ".pq": "scanner.sources.parquet:read",
    ".txt": "scanner.sources.text:read",
    ".log": "scanner.sources.text:read",
    ".md": "scanner.sources.text:read",
    ".pdf": "scanner.sources.documents:read_pdf",
    ".docx": "scanner.sources.documents:read_docx",
    ".pptx": "scanner.sources.documents:read_pptx",
    ".rtf": "scanner.sources.documents:read_rtf",
    ".html": "scanner.sources.markup:read_html",
    ".htm": "scanner.sources.markup:read_html",
    ".xml": "scanner.sources.markup:read_xml",
    ".zip": "scanner.sources.archives:read_zip",
    ".tar": "scanner.sources.archives:read_tar",  # also .tar.gz: sniffed as gzip, named .tar inside
    ".tgz": "scanner.sources.archives:read_tar",
    ".png": "scanner.sources.images:read_image",
    ".jpg": "scanner.sources.images:read_image",
    ".jpeg": "scanner.sources.images:read_image",
    ".tif": "scanner.sources.images:read_image",
    ".tiff": "scanner.sources.images:read_image",
    ".eml": "scanner.sources.mail:read_eml",
    ".msg": "scanner.sources.mail:read_msg",
    "sqlite": "scanner.sources.database:read_sqlite_file",  # sniffed
    "text": "scanner.sources.text:read",  # sniffed: unknown extension, decodes as text
}


def check_limits(limits: dict[str, dict[str, Any]]) -> str | None:
    """The first `kind.key` of a `limits:` section that no source kind knows (None: all known)."""
    import dataclasses

    from scanner.sources.limits import LIMITS

    for kind, section in limits.items():
        if kind not in LIMITS:
            return kind
        known = {f.name for f in dataclasses.fields(LIMITS[kind])}
        unknown = sorted(set(section) - known)
        if unknown:
            return f"{kind}.{unknown[0]}"
    return None


def no_reader(ref: FileRef) -> SourceError:
    """The `skipped` entry of a binary file of a kind no reader takes (named, never silent)."""
    suffix = Path(ref.inner_name).suffix.lower()
    what = f"'{suffix}' files" if suffix else "files of this kind"
    return SourceError(ref.source, f"binary: piiscan has no reader for {what}", kind="binary", status="skipped")


def reader_for(kind: str) -> Reader:
    """The reader registered for a suffix or sniffed kind, imported on first use."""
    return registered(READERS, kind)


def register_reader(suffixes: Iterable[str], reader: Reader) -> None:
    """Read files ending in any of `suffixes` (`.vcf`) with `reader(ref, options)`: the one
    registration line a new source kind needs (the built-in kinds are the table above)."""
    for suffix in suffixes:
        READERS[suffix.lower()] = reader

_ROTATION = re.compile(r"(\.\d+)+$")  # app.log.1, app.log.2.3


@dataclass
class SourceStats:
    """What a walk saw besides datasets: counts for ScanStats, and the skipped paths."""

    files_seen: int = 0
    files_excluded: int = 0
    files_skipped_binary: int = 0
    skipped_binary: list[str] = field(default_factory=list)  # relative paths, for a verbose report


def describe_target(target: str) -> str:
    """How a target is shown: a URL without its password, else the path as given."""
    from scanner.targets import parse_target

    return parse_target(target).display


def open_target(
    target: str, options: SourceOptions | None = None, stats: SourceStats | None = None
) -> Iterator[Dataset | SourceError]:
    """Every dataset in a target (a path or a URL, see scanner.targets), in a deterministic order;
    failures are yielded, not raised."""
    from scanner.targets import parse_target

    yield from parse_target(target).open(options or SourceOptions(), stats)


def open_local(target, options: SourceOptions | None = None, stats: SourceStats | None = None
               ) -> Iterator[Dataset | SourceError]:
    """The scheme registry's entry for a local path target (scanner.targets)."""
    return open_path(target.path, target.display, options, stats)


def open_path(
    path: Path, shown: str, options: SourceOptions | None = None, stats: SourceStats | None = None
) -> Iterator[Dataset | SourceError]:
    """A local folder (walked), a file, or nothing there (one `not_found` error)."""
    options = options or SourceOptions()
    stats = stats if stats is not None else SourceStats()
    if path.is_dir():
        yield from _walk(path, path, options, stats)
    elif path.exists() or path.is_symlink():
        yield from open_file(path, shown, options, stats)
    else:
        yield SourceError(shown, "no such file or directory", kind="not_found")


def declared_kind_problem(path: Path, kind: str) -> str | None:
    """Why a file is not of the kind an inventory declares it to be (None: it is). Only SQLite
    is checked: a declared database that became a text file would otherwise scan clean."""
    if kind != "sqlite":
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return f"cannot open the database file: {exc.strerror or type(exc).__name__}"
    return None if head == SQLITE_MAGIC else "not a SQLite database (the inventory declares one)"


def _walk(
    directory: Path, root: Path, options: SourceOptions, stats: SourceStats
) -> Iterator[Dataset | SourceError]:
    """Files under `directory` in sorted path order, depth first; symlinked directories are not followed."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield SourceError(relative_source(directory, root), f"cannot list: {exc.strerror}",
                          kind="permission" if isinstance(exc, PermissionError) else "read_error")
        return
    for entry in entries:
        path = Path(entry.path)
        relative = relative_source(path, root)
        if entry.is_dir(follow_symlinks=False):
            if not _excluded_dir(relative, options):
                yield from _walk(path, root, options, stats)
        elif not options.wants(relative):
            stats.files_excluded += 1
        else:
            yield from open_file(path, relative, options, stats)


def _excluded_dir(relative: str, options: SourceOptions) -> bool:
    """Prune a directory an exclude glob names outright (`.git`, `archive/*` prunes `archive`)."""
    return any(_glob_match(relative, g) or _glob_match(relative + "/", g) for g in options.exclude)


def _glob_match(path: str, glob: str) -> bool:
    return fnmatch.fnmatch(path, glob) or (glob.endswith("/*") and fnmatch.fnmatch(path.rstrip("/"), glob[:-2]))


def open_file(
    path: Path, source: str, options: SourceOptions, stats: SourceStats | None = None
) -> Iterator[Dataset | SourceError]:
    """One file: sniff its kind, hand it to its reader; errors are yielded."""
    stats = stats if stats is not None else SourceStats()
    stats.files_seen += 1
    try:
        kind, ref = sniff(path, source)
        if kind is None:
            stats.files_skipped_binary += 1
            stats.skipped_binary.append(source)
            yield no_reader(ref)
            return
        yield from reader_for(kind)(ref, options)
    except SourceError as error:
        yield error


def sniff(path: Path, source: str) -> tuple[str | None, FileRef]:
    """The registry key for a file (None: binary, skip it) and its FileRef."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise SourceError(source, describe_os_error(exc)) from None
    if not stat.S_ISREG(mode):  # a FIFO or device would block or never end
        raise SourceError(source, "not a regular file (directory, FIFO, socket or device)", kind="not_regular",
                          status="skipped")
    plain = FileRef(path, source)
    magic = read_head(plain, 16)
    if magic.startswith(SQLITE_MAGIC):
        return "sqlite", plain
    compressed = magic.startswith(GZIP_MAGIC) or path.name.lower().endswith(".gz")
    ref = FileRef(path, source, compressed=compressed)
    name = ref.inner_name.lower()
    for candidate in (name, _ROTATION.sub("", name)):
        suffix = Path(candidate).suffix
        if suffix in READERS:
            return suffix, ref
    return ("text" if is_text(read_head(ref)) else None), ref


__all__ = [
    "READERS",
    "Dataset",
    "SourceError",
    "SourceOptions",
    "SourceStats",
    "check_limits",
    "declared_kind_problem",
    "describe_target",
    "open_file",
    "open_path",
    "no_reader",
    "reader_for",
    "register_reader",
    "open_target",
    "sniff",
]
