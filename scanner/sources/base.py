"""What every source kind yields: datasets that stream record batches.

A source module turns a target (a file, a database URL) into `Dataset`s: one per
table, workbook sheet, or file. Nothing outside `scanner/sources/` knows about
file formats or SQL dialects. Detection only sees Arrow record batches.

- Tabular datasets (`kind == "table"`): one column per field; nested JSON is
  flattened to dotted paths (`traveler.passport.number`). Values may be any
  Arrow type; detection casts to string.
- Text datasets (`kind == "text"`): exactly two columns, `line` (int64, 1-based)
  and `text` (string).
"""

from __future__ import annotations

import fnmatch
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from scanner.scrubbing import scrub, scrub_name

DEFAULT_BATCH_ROWS = 65_536


@dataclass
class SourceOptions:
    """How to read targets; filled from the CLI / config."""

    include: list[str] = field(default_factory=list)  # globs relative to the scanned directory
    exclude: list[str] = field(default_factory=list)
    batch_rows: int = DEFAULT_BATCH_ROWS
    max_text_line_chars: int = 100_000
    # from the detection config (`--detection`): per-source budgets (scanner.sources.budgets.Budgets;
    # None = the configured defaults) and the limits of each kind (`limits:`: documents, archives...)
    budgets: Any = None
    limits: dict[str, dict[str, Any]] = field(default_factory=dict)

    def wants(self, relative_path: str) -> bool:
        if self.include and not any(fnmatch.fnmatch(relative_path, g) for g in self.include):
            return False
        return not any(fnmatch.fnmatch(relative_path, g) for g in self.exclude)


def limits_of(options: SourceOptions, kind: str, defaults: type[Any]) -> Any:
    """The `limits:` section of one source kind (`archives`, `documents`...) as its dataclass:
    the configured values over the defaults. The detection config is checked when it loads
    (`scanner.scan.options.source_options`), so a key unknown here is a bug, and raises."""
    section = (options.limits or {}).get(kind)
    if isinstance(section, defaults):
        return section
    return defaults(**section) if isinstance(section, dict) else defaults()


@dataclass(frozen=True)
class DirectRead:
    """How another engine (Spark) can read a dataset itself, instead of through `iter_batches`.

    A neutral description, so an engine never tests a dataset's class or reads its
    private attributes: `format` is `parquet`, `csv` or `table`; files give `path`
    (and for CSV the sniffed `encoding`, a Python codec name, and `delimiter`);
    tables give `backend`, `schema`, `name` and how their database was opened
    (`opened_as`: ("sqlite", path) or ("server", URL with password), for a JDBC
    reader only: never shown). `columns` are the names the local reader gives.
    """

    format: str
    columns: tuple[str, ...] = ()
    path: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    backend: str | None = None
    schema: str | None = None
    name: str | None = None
    opened_as: tuple[str, str] | None = field(default=None, repr=False)


class Dataset(ABC):
    """One table, sheet or file to scan."""

    kind: str = "table"  # "table" or "text"

    def __init__(self, source: str, table: str | None = None):
        # Location.source / .table, scrubbed once here (scanner.scrubbing): a file or table named
        # after a card number must not reach a result, a log or the state store
        self.source = scrub_name(source)  # relative path, or URL without password
        self.table = scrub_name(table) if table is not None else None  # table or sheet; None for a file

    @abstractmethod
    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        """Every row, in bounded-memory batches."""

    def sample(self, n: int, seed: int = 0) -> pa.Table:
        """About `n` rows spread over the whole dataset (not just the first rows).

        The default reads everything once and keeps every k-th row of each batch
        once the size is known, falling back to a reservoir; sources that can do
        better (Parquet row groups, SQL sampling) override it.
        """
        from scanner.sources.sampling import spread_sample

        return spread_sample(self.iter_batches(), n, seed=seed, total_rows=self.row_count())

    def row_count(self) -> int | None:
        """Rows in the dataset if cheap to know (metadata, COUNT(*)), else None."""
        return None

    def signature(self, updated_at_column: str | None = None) -> dict[str, Any] | None:
        """A cheap fingerprint of the content, for incremental nightly runs.

        Files: size, mtime and a content hash; tables: row count plus the
        maximum of `updated_at_column` when given. None means unknown: the
        dataset is always scanned again.
        """
        return None

    def size_bytes(self) -> int:
        """Bytes this dataset's file holds on disk (0 for a table: its size is not ours to know)."""
        return 0

    @property
    def is_file(self) -> bool:
        """True when this dataset is (part of) a file, counted once in ScanStats.files_scanned."""
        return False

    def direct_read(self) -> DirectRead | None:
        """How another engine may read this dataset itself; None: only through `iter_batches`."""
        return None

    def close(self) -> None:  # noqa: B027 - optional hook
        pass

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.source!r}, table={self.table!r})"


# How a source (file, sheet, table, archive member) ended; see ScanResult.sources.
SCANNED, PARTIAL, SKIPPED, FAILED = "scanned", "partial", "skipped", "failed"
STATUSES = (SCANNED, PARTIAL, SKIPPED, FAILED)


@dataclass
class SourceError(Exception):
    """A source could not be opened or read (or only in part). `message` must never hold a scanned value.

    `kind` is the machine-readable reason (`unsupported`, `binary`, `too_large`,
    `permission`, `encrypted`, `timeout`, `parse_error`, `encoding`, `corrupt`,
    `connection`, `budget`, `not_found`, `missing_extra`...); `status` is how the
    source ended: `failed` (nothing read), `skipped` (not read on purpose) or
    `partial` (read in part: a dataset's `issues` are partial by nature).
    """

    source: str
    message: str
    table: str | None = None
    kind: str = "read_error"
    status: str = FAILED

    def __post_init__(self) -> None:
        # the one place a source's failure is worded: names and driver text scrubbed here
        self.source = scrub_name(self.source)
        self.table = scrub_name(self.table) if self.table is not None else None
        self.message = scrub(self.message)

    def __str__(self) -> str:
        return f"{self.source}{'/' + self.table if self.table else ''}: {self.message}"
