"""Databases through SQLAlchemy: PostgreSQL, MySQL/MariaDB and SQLite, read-only.

One dataset per table, view and materialized view (`TableDataset.relation`
declares which: a view repeats its tables' data, a materialized view holds its
own copy, and both can expose data the tables' grants hide). A partitioned
table is read once, through its parent; its partitions are not listed again. `table` is `schema.table` outside the default schema,
else the bare name. For MySQL a schema *is* a database: a URL naming one scans
that database only; a URL naming none scans every non-system database.

Read-only, enforced by the server or the file system, not by good intentions:
PostgreSQL sessions start with `default_transaction_read_only=on`; MySQL
sessions run `SET SESSION TRANSACTION READ ONLY`; SQLite files are opened with
the `file:…?mode=ro&immutable=1` URI, so a scan can never write, even a journal
or the `-wal`/`-shm` files of a WAL database (whose unmerged `-wal` changes are
then not read: said as a `partial` entry).

Budgets (configs/detection.yaml `budgets:`): PostgreSQL sessions get
`lock_timeout` and `statement_timeout`, MariaDB `max_statement_time` (MySQL
`max_execution_time`), so a table locked ACCESS EXCLUSIVE by another session
fails with kind `timeout` and the rest of the database is scanned; a table
read past `seconds_per_source` / `bytes_per_source` stops there (partial).
Identifiers are quoted by SQLAlchemy with each dialect's own rules (a
backtick inside a MariaDB column name is doubled, a quote inside a PostgreSQL
name is doubled).

Rows are streamed with a server-side cursor (`yield_per`): every value becomes
text (`columns.cell_text`), NULL stays NULL. `sample(n)` asks the server for a
random spread of rows instead of reading the table:

- PostgreSQL: `TABLESAMPLE BERNOULLI(p) REPEATABLE(seed)` with p giving ~1.5 n
  rows, then `ORDER BY random() LIMIT n` (seeded with `setseed`). BERNOULLI
  reads every page but keeps rows independently, so the sample is spread
  row by row; only ~1.5 n rows are sorted. Views, which cannot be
  TABLESAMPLEd, fall back to `ORDER BY random() LIMIT n`.
- MySQL/MariaDB: `WHERE RAND(seed) < p ORDER BY RAND(seed+1) LIMIT n`: one scan,
  a sort of ~1.5 n rows.
- SQLite: the same with `abs(random()) % 1e6 < p·1e6` (SQLite's random cannot be
  seeded, so SQLite samples differ between runs).

`row_count()` is an exact `COUNT(*)`, computed once per dataset: an estimate
(`pg_class.reltuples`, `information_schema.TABLES`) is unset or stale on fresh
tables, and the sampling rate and the nightly signature need the real figure.

Credentials: a password in the URL is used but never shown; a URL without one
takes it from `PIISCAN_DB_PASSWORD`, else from the file named by
`PIISCAN_DB_PASSWORD_FILE` (first line; the Docker/Kubernetes secrets
convention). Every displayed URL, error and repr has the password removed,
and statement parameters are hidden from SQLAlchemy's error messages.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from scanner.sources.arrow_reads import arrow_rows
from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, DirectRead, SourceError, SourceOptions
from scanner.sources.budgets import Budgets, default_budgets, within_budget
from scanner.sources.catalog import column_names, is_system, relations
from scanner.sources.columns import cell_text, unique_names
from scanner.sources.db_limits import is_timeout, statement_timeout_hook

PASSWORD_ENV = "PIISCAN_DB_PASSWORD"
PASSWORD_FILE_ENV = "PIISCAN_DB_PASSWORD_FILE"
DRIVERS = {  # what a bare scheme means: the drivers piiscan ships with
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}
CONNECT_TIMEOUT_S = 10
OVERSAMPLE = 1.5


def parse_url(target: str) -> URL:
    """The URL with piiscan's default driver for a bare scheme (`mysql://` → PyMySQL)."""
    url = make_url(target)
    if url.drivername in DRIVERS:
        url = url.set(drivername=DRIVERS[url.drivername])
    return url


def display_url(url: URL | str) -> str:
    """The URL as shown anywhere (Location.source, logs, errors): never with its password."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except (ArgumentError, ValueError):
            return display_url_text(url)
    # URL is a NamedTuple: `_replace` is its public API. `url.set(password=None)` would keep the
    # password, since SQLAlchemy 2.1 reads None as "leave unchanged".
    return url._replace(password=None).render_as_string(hide_password=False)


def with_password(url: URL) -> URL:
    """Fill a missing password from the environment or the secrets file (see the module docstring)."""
    if url.password is not None or url.get_backend_name() == "sqlite":
        return url
    password = os.environ.get(PASSWORD_ENV)
    secrets_file = os.environ.get(PASSWORD_FILE_ENV)
    if password is None and secrets_file:
        try:
            lines = Path(secrets_file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise SourceError(display_url(url), f"cannot read the secrets file named by {PASSWORD_FILE_ENV}: "
                                                f"{exc.strerror}", kind="connection") from None
        password = lines[0].strip() if lines else None
    return url.set(password=password) if password else url


def sqlite_engine(path: Path) -> Engine:
    """A read-only engine on a SQLite file: `mode=ro` makes every write fail, and `immutable=1`
    tells SQLite nothing else changes the file, so it takes no locks and never creates the
    `-wal`/`-shm` files a WAL database would otherwise get beside it (a read-only folder works)."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return sa.create_engine("sqlite://", creator=connect, poolclass=NullPool, hide_parameters=True)


def server_engine(url: URL, budgets: Budgets | None = None) -> Engine:
    """An engine whose every session is read-only on the server side, with lock and statement
    timeouts (`budgets`): a table locked by someone else fails fast instead of hanging the run."""
    budgets = budgets or default_budgets()
    backend = url.get_backend_name()
    connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S}
    if backend == "postgresql":
        options = (f"-c default_transaction_read_only=on -c lock_timeout={budgets.lock_timeout_ms} "
                   f"-c statement_timeout={budgets.statement_timeout_ms}")
        connect_args |= {"options": options, "application_name": "piiscan"}
    elif backend in ("mysql", "mariadb"):
        connect_args |= {"init_command": "SET SESSION TRANSACTION READ ONLY", "charset": "utf8mb4"}
    engine = sa.create_engine(url, poolclass=NullPool, hide_parameters=True, connect_args=connect_args)
    if backend in ("mysql", "mariadb") and budgets.statement_timeout_ms:
        sa.event.listen(engine, "connect", statement_timeout_hook(budgets))
    return engine


def read_only_engine(url: str) -> Engine:
    """The one read-only engine factory for a database URL (scan, retention counts, look-ups):
    a SQLite file opened read-only, a server whose every session is read-only. The password
    comes from the URL, the environment or the secrets file (`with_password`)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or not Path(database).is_file():
            raise SourceError(display_url(url), f"SQLite file not found: {Path(database).name or database}",
                              kind="not_found")
        return sqlite_engine(Path(database))
    return server_engine(with_password(parsed))


class Database:
    """One connected datastore: its engine, how it is shown, and how to describe its errors."""

    def __init__(self, engine: Engine, source: str, secret: str | None = None,
                 opened_as: tuple[str, str] | None = None):
        self.engine = engine
        self.source = source
        self._secret = secret  # only to scrub it from driver messages
        # how to open it again, ("sqlite", path) or ("server", URL): an engine does not
        # pickle, and a worker process (scanner.parallel) opens its own
        self._opened_as = opened_as

    def __reduce__(self) -> tuple[Any, ...]:
        if self._opened_as is None:
            raise TypeError(f"{self!r} cannot be reopened in another process")
        return (_reopen, (self._opened_as, self.source, self._secret))

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def opened_as(self) -> tuple[str, str] | None:
        """("sqlite", path) or ("server", URL with its password): how to open it again, never shown."""
        return self._opened_as

    def error(self, exc: BaseException, table: str | None = None) -> SourceError:
        """A SourceError for a driver failure: connection problems tagged, password scrubbed."""
        if isinstance(exc, SourceError):
            return exc
        original = getattr(exc, "orig", None) or exc
        text = (str(original).strip().splitlines() or [type(original).__name__])[0][:200]
        if self._secret:
            text = text.replace(self._secret, "***")
        connection = isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError)) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated
        )
        kind = "timeout" if is_timeout(original) else "connection" if connection else "read_error"
        return SourceError(self.source, f"{type(original).__name__}: {text}", table=table, kind=kind)

    def __repr__(self) -> str:
        return f"Database({self.source!r})"


def _reopen(opened_as: tuple[str, str], source: str, secret: str | None) -> Database:
    kind, where = opened_as
    engine = sqlite_engine(Path(where)) if kind == "sqlite" else server_engine(make_url(where))
    return Database(engine, source, secret, opened_as)


class TableDataset(Dataset):
    """One table (or view) of a database."""

    kind = "table"

    def __init__(self, database: Database, schema: str | None, name: str, columns: Sequence[str], table: str,
                 relation: str = "table", budgets: Budgets | None = None):
        super().__init__(database.source, table)
        self.relation = relation  # table | view | materialized_view | partitioned_table: what the catalog declares
        self.budgets = budgets or default_budgets()
        self.database = database
        self.columns = list(columns)  # as the database names them: for SQL only
        self.names = unique_names(self.columns)  # as batches (and so findings) name them: scrubbed
        self.selectable = sa.table(name, *(sa.column(c) for c in self.columns), schema=schema)
        self.issues: list[SourceError] = []
        self._rows: int | None = None

    def direct_read(self) -> DirectRead | None:
        table = self.selectable
        return DirectRead("table", tuple(self.columns), backend=self.database.backend, schema=table.schema,
                          name=table.name, opened_as=self.database.opened_as)

    def _select(self, source: sa.FromClause | None = None) -> sa.Select:
        source = self.selectable if source is None else source
        return sa.select(*(source.c[c] for c in self.columns))

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS, limit: int | None = None) -> Iterator[pa.RecordBatch]:
        if not self.columns:  # PostgreSQL allows tables without columns: nothing to read
            return
        self.issues.clear()
        statement = self._select() if limit is None else self._select().limit(limit)
        yield from within_budget(self._rows_in_batches(batch_rows, statement), self, self.budgets)

    def _rows_in_batches(self, batch_rows: int, statement: sa.Select) -> Iterator[pa.RecordBatch]:
        fast = arrow_rows(self, statement, batch_rows)  # Arrow-native when its driver is installed
        if fast is not None:
            yield from fast
            return
        try:
            with self.database.engine.connect() as conn:
                result = conn.execution_options(yield_per=batch_rows).execute(statement)
                for rows in result.partitions(batch_rows):
                    yield self._to_batch(rows)
        except SQLAlchemyError as exc:
            raise self.database.error(exc, self.table) from None

    def _to_batch(self, rows: Sequence[Sequence[Any]]) -> pa.RecordBatch:
        arrays = [pa.array([cell_text(row[i]) for row in rows], type=pa.string()) for i in range(len(self.columns))]
        return pa.RecordBatch.from_arrays(arrays, names=self.names)

    def _scalar(self, statement: sa.Select) -> Any:
        try:
            with self.database.engine.connect() as conn:
                return conn.execute(statement).scalar()
        except SQLAlchemyError as exc:
            raise self.database.error(exc, self.table) from None

    def _count(self) -> int:
        return int(self._scalar(sa.select(sa.func.count()).select_from(self.selectable)))

    def row_count(self) -> int:
        if self._rows is None:
            self._rows = self._count()
        return self._rows

    def sample(self, n: int, seed: int = 0) -> pa.Table:
        """About `n` rows spread over the table, chosen by the server (see the module docstring).

        The first `n + 1` rows are read before any count: most tables of an estate are
        smaller than a sample, and then those rows are the whole table and their number
        its count (one query instead of two, and no COUNT(*) session per table)."""
        if self._rows is None and self.columns:
            head = self._table(list(self.iter_batches(limit=n + 1)))
            if head.num_rows <= n and not self.issues:
                self._rows = head.num_rows
                return head
            self.issues.clear()  # a budget that stopped the head read does not apply to the sample
        total = self.row_count()
        if total <= n or not self.columns:
            return self._table(list(self.iter_batches()))
        rate = min(1.0, OVERSAMPLE * n / total)
        try:
            sample = self._sample(self._sample_statement(rate, n, seed), seed)
        except SourceError as error:
            if error.kind == "connection" or self.database.backend != "postgresql":
                raise
            # a view cannot be TABLESAMPLEd: sort the whole relation instead
            sample = self._sample(self._select().order_by(sa.func.random()).limit(n), seed)
        if sample.num_rows == 0:  # a Bernoulli draw over a few rows can keep none: never sample a table to nothing
            return self._table(list(self.iter_batches(limit=n)))
        return sample

    def _sample_statement(self, rate: float, n: int, seed: int) -> sa.Select:
        backend = self.database.backend
        if backend == "postgresql":
            sampled = sa.tablesample(self.selectable, sa.func.bernoulli(100.0 * rate), seed=sa.literal_column(str(int(seed))))
            return self._select(sampled).order_by(sa.func.random()).limit(n)
        if backend in ("mysql", "mariadb"):
            return self._select().where(sa.func.rand(seed) < rate).order_by(sa.func.rand(seed + 1)).limit(n)
        threshold = int(rate * 1_000_000)
        return (self._select().where(sa.func.abs(sa.func.random()) % 1_000_000 < threshold)
                .order_by(sa.func.random()).limit(n))

    def _sample(self, statement: sa.Select, seed: int) -> pa.Table:
        seeded = [f"SELECT setseed({(seed % 1000) / 1000.0})"] if self.database.backend == "postgresql" else []
        if (fast := arrow_rows(self, statement, 1 << 30, seeded)) is not None:
            return self._table(list(fast))
        try:
            with self.database.engine.connect() as conn:
                if self.database.backend == "postgresql":
                    conn.execute(sa.select(sa.func.setseed((seed % 1000) / 1000.0)))
                rows = conn.execute(statement).fetchall()
        except SQLAlchemyError as exc:
            raise self.database.error(exc, self.table) from None
        return self._table([self._to_batch(rows)] if rows else [])

    def _table(self, batches: list[pa.RecordBatch]) -> pa.Table:
        schema = pa.schema([(c, pa.string()) for c in self.names])
        return pa.Table.from_batches(batches, schema=schema)

    def signature(self, updated_at_column: str | None = None) -> dict[str, Any]:
        """Row count now, plus MAX(updated_at_column) when the table has that column (read-only queries)."""
        signature: dict[str, Any] = {"kind": "table", "rows": self._count(), "updated_at_column": None,
                                     "max_updated_at": None}
        if updated_at_column and updated_at_column in self.columns:
            latest = self._scalar(sa.select(sa.func.max(self.selectable.c[updated_at_column])))
            signature |= {"updated_at_column": updated_at_column, "max_updated_at": cell_text(latest)}
        return signature


def open_url(target: str, options: SourceOptions, include_views: bool = True) -> Iterator[Dataset | SourceError]:
    """Every table of the database a SQLAlchemy URL names; failures come back as SourceError."""
    shown = display_url(target)
    try:
        url = parse_url(target)
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            if database in ("", ":memory:"):
                yield SourceError(shown, "an in-memory SQLite database has nothing to scan", kind="connection")
                return
            engine = sqlite_engine(Path(database))
            opened_as = ("sqlite", str(Path(database).resolve()))
            yield from _unread_wal(Path(database), shown)
        else:
            url = with_password(url)
            engine = server_engine(url)
            opened_as = ("server", url.render_as_string(hide_password=False))
    except SourceError as error:
        yield error
        return
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        yield SourceError(shown, f"not a usable database URL ({type(exc).__name__})", kind="connection")
        return
    yield from open_database(Database(engine, shown, secret=url.password, opened_as=opened_as),
                             include_views=include_views,
                             whole_server=url.get_backend_name() in ("mysql", "mariadb") and not url.database)


def check_url(text: str) -> None:
    """Raise TargetError for a database URL that cannot be used as written (a port that is not a
    number, a malformed host part); the message never holds the password."""
    from scanner.targets import TargetError

    try:
        url = make_url(text)
        port = url.port
    except (ArgumentError, ValueError):
        raise TargetError(f"not a usable database URL: {display_url_text(text)} (check the host and port)") from None
    if port is not None and not 0 < port < 65536:
        raise TargetError(f"port {port} out of range in {display_url(url)}")


def display_url_text(text: str) -> str:
    """A URL that SQLAlchemy cannot parse, shown without anything between `//` and `@`'s password."""
    from scanner.targets import hide_password

    return hide_password(text)


def open_target(target: Any, options: SourceOptions, stats: Any = None) -> Iterator[Dataset | SourceError]:
    """The scheme registry's entry (scanner.targets): every table of a database target."""
    yield from open_url(target.url, options)


def read_sqlite_file(ref: Any, options: SourceOptions) -> Iterator[Dataset | SourceError]:
    """The reader of a file sniffed as SQLite in a directory walk (`READERS["sqlite"]`)."""
    return open_sqlite_file(ref.path, ref.source)


def open_sqlite_file(path: Path, source: str) -> Iterator[Dataset | SourceError]:
    """A SQLite file met in a directory walk, read-only."""
    yield from _unread_wal(path, source)
    yield from open_database(Database(sqlite_engine(path), source, opened_as=("sqlite", str(path.resolve()))))


def _unread_wal(path: Path, source: str) -> Iterator[SourceError]:
    """A `-wal` file beside the database holds changes not yet checkpointed: an immutable read
    does not see them (reading them would mean writing the `-shm` index). Said, not silent."""
    try:
        pending = Path(f"{path}-wal").stat().st_size
    except OSError:
        return
    if pending:
        yield SourceError(source, "a write-ahead log (-wal) beside the database holds changes not yet "
                                  "checkpointed: they are not read (piiscan never writes beside a database)",
                          kind="wal_not_read", status="partial")


def open_database(
    database: Database, include_views: bool = True, whole_server: bool = False
) -> Iterator[Dataset | SourceError]:
    """Inspect schemas and relations; one dataset per table, view and materialized view (each
    declares its kind), one SourceError per relation that fails. A partitioned table is read
    through its parent, once: its partitions are not listed again."""
    try:
        inspector = sa.inspect(database.engine)
        default = inspector.default_schema_name
        schemas: list[str | None] = [None]
        if database.backend == "postgresql" or whole_server:
            schemas = [s for s in inspector.get_schema_names() if not is_system(s)]
            schemas.sort(key=lambda s: (s != default, s))
        found: list[tuple[str | None, str, str]] = []
        for schema in schemas:
            found.extend(sorted(relations(database, inspector, schema, include_views), key=lambda r: r[1]))
    except SQLAlchemyError as exc:
        yield database.error(exc)
        return
    for schema, name, relation in found:
        shown = name if schema in (None, default) else f"{schema}.{name}"
        try:
            columns = column_names(database, inspector, schema, name)
        except SQLAlchemyError as exc:
            yield database.error(exc, shown)
            continue
        yield TableDataset(database, None if schema == default else schema, name, columns, shown, relation)
