"""Arrow-native reads of a table's rows: the driver fills Arrow buffers, no Python object per cell.

Why: through SQLAlchemy every cell becomes a Python object and then text
(`columns.cell_text`), which made a full scan of a PostgreSQL table 15x slower
than `COPY ... TO STDOUT`. Measured on 1M x 8 text columns (benchmarks/results.md),
the fastest reader per backend is used:

- PostgreSQL: ADBC (`adbc-driver-postgresql`, binary COPY into Arrow);
- SQLite: ADBC (`adbc-driver-sqlite`), the file opened `mode=ro&immutable=1`;
- MySQL/MariaDB: connectorx (its `arrow_stream`), the session made read-only first.

The same guarantees as the SQLAlchemy path (`database.py`), which stays for
inspection, counts and as the fallback when a driver is not installed or refuses
the statement before its first batch: sessions are read-only on the server
(PostgreSQL `default_transaction_read_only`, MySQL `SET SESSION TRANSACTION READ
ONLY`, SQLite a read-only immutable URI), with the lock and statement timeouts of
`budgets`. The statement is the one the SQLAlchemy path would run (compiled
with literal values). Cells become the text `cell_text` gives: strings, integers,
decimals and booleans cast in Arrow, integral floats without `.0`, anything else
(times, bytes, JSON, UUIDs) through `cell_text` value by value.
"""

from __future__ import annotations

import atexit
import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scanner.sources.base import SourceError
from scanner.sources.budgets import Budgets
from scanner.sources.columns import cell_text

log = logging.getLogger(__name__)

Reader = Callable[[tuple[str, str], str, list[str], Budgets, int], Iterator[pa.RecordBatch]]


class ArrowReadError(Exception):
    """A driver failed once rows had been yielded (or on a timeout): reported, no fallback."""

    def __init__(self, original: BaseException):
        super().__init__(str(original))
        self.original = original


def arrow_rows(dataset: Any, statement: Any, batch_rows: int,
               setup: Sequence[str] = ()) -> Iterator[pa.RecordBatch] | None:
    """A `database.TableDataset`'s rows for `statement` (a SQLAlchemy select) read Arrow-native,
    or None: the SQLAlchemy path reads them. Driver errors become the dataset's SourceError
    (password scrubbed, timeouts tagged) through `Database.error`."""
    database = dataset.database
    sql = str(statement.compile(dialect=database.engine.dialect, compile_kwargs={"literal_binds": True}))
    try:
        batches = read(database.opened_as, database.backend, sql, dataset.names, dataset.budgets, batch_rows, setup)
    except ArrowReadError as exc:
        raise _error(database, exc, dataset.table) from None
    return None if batches is None else _reported(batches, database, dataset.table)


def _reported(batches: Iterator[pa.RecordBatch], database: Any, table: str) -> Iterator[pa.RecordBatch]:
    try:
        yield from batches
    except ArrowReadError as exc:
        raise _error(database, exc, table) from None


def _error(database: Any, exc: ArrowReadError, table: str) -> SourceError:
    error = database.error(exc.original, table)
    if _is_timeout(exc.original):
        error.kind = "timeout"
    elif _is_connection(exc.original):
        error.kind = "connection"
    return error


def _is_connection(exc: BaseException) -> bool:
    """A session lost mid-read (ADBC's OperationalError/IO, connectorx's runtime error on a closed socket)."""
    text = str(exc).lower()
    return type(exc).__name__ in ("OperationalError", "InterfaceError") or any(
        word in text for word in ("terminat", "connection", "closed", "broken pipe", "lost"))


def read(opened_as: tuple[str, str] | None, backend: str, sql: str, names: Sequence[str], budgets: Budgets,
         batch_rows: int, setup: Sequence[str] = ()) -> Iterator[pa.RecordBatch] | None:
    """Batches of text columns named `names`, or None when no Arrow reader applies (no driver
    installed, an unknown backend, or the driver refused before its first batch)."""
    reader = READERS.get(backend)
    if reader is None or opened_as is None:
        return None
    try:
        batches = reader(opened_as, sql, list(setup), budgets, batch_rows)
        first = next(batches, None)
    except ImportError:
        return None
    except Exception as exc:  # noqa: BLE001 - any refusal before the first row: the SQLAlchemy path reads it
        if _is_timeout(exc):
            raise ArrowReadError(exc) from None
        log.debug("Arrow reader declined (%s): SQLAlchemy reads the table", type(exc).__name__)
        return None
    if first is not None and backend in ("mysql", "mariadb") and any(pa.types.is_decimal(f.type) for f in first.schema):
        batches.close()  # connectorx widens DECIMAL(p,s) to scale 10 ("12.3000000000"): not the text SQLAlchemy gives
        return None
    return _as_text(first, batches, names)


def _as_text(first: pa.RecordBatch | None, rest: Iterator[pa.RecordBatch],
             names: Sequence[str]) -> Iterator[pa.RecordBatch]:
    try:
        if first is not None:
            yield text_batch(first, names)
        for batch in rest:
            yield text_batch(batch, names)
    except ArrowReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - reported by the caller as this table's error
        raise ArrowReadError(exc) from None


def _is_timeout(exc: BaseException) -> bool:
    """PostgreSQL 55P03/57014 (ADBC keeps the SQLSTATE), MariaDB/MySQL 1969/3024 (in the text)."""
    from scanner.sources.db_limits import is_timeout

    text = str(exc).lower()
    return is_timeout(exc) or "timeout" in text or "max_statement_time" in text or "1969" in text


# --- cells as text, the way cell_text writes them ---------------------------------------------------
def text_batch(batch: pa.RecordBatch, names: Sequence[str]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([text_column(column) for column in batch.columns], names=list(names))


def text_column(column: pa.Array) -> pa.Array:
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return column.cast(pa.string())
    if pa.types.is_integer(kind) or pa.types.is_decimal(kind) or pa.types.is_boolean(kind):
        return pc.cast(column, pa.string())
    if pa.types.is_floating(kind):
        values = column.to_numpy(zero_copy_only=False)
        with np.errstate(invalid="ignore"):
            integral = np.isnan(values) | (np.isfinite(values) & (np.mod(values, 1) == 0) & (np.abs(values) < 1e16))
        if integral.all():  # NaN here is a NULL (to_numpy): cast keeps it NULL
            return pc.cast(pc.cast(column, pa.int64()), pa.string())
        return pa.array([cell_text(v) for v in column.to_pylist()], type=pa.string())
    if pa.types.is_null(kind):
        return pa.nulls(len(column), pa.string())
    return pa.array([cell_text(v) for v in column.to_pylist()], type=pa.string())


# --- one reader per backend -----------------------------------------------------------------------------
def _server_url(opened_as: tuple[str, str]) -> Any:
    from sqlalchemy.engine import make_url

    return make_url(opened_as[1])


def _postgresql(opened_as: tuple[str, str], sql: str, setup: list[str], budgets: Budgets,
                batch_rows: int) -> Iterator[pa.RecordBatch]:
    import adbc_driver_postgresql.dbapi as adbc

    url = _server_url(opened_as)
    options = (f"-c default_transaction_read_only=on -c lock_timeout={budgets.lock_timeout_ms} "
               f"-c statement_timeout={budgets.statement_timeout_ms}")
    query = {k: v for k, v in url.query.items() if isinstance(v, str)}
    query |= {"options": options, "application_name": "piiscan", "connect_timeout": "10"}
    auth = quote(url.username or "", safe="") + (f":{quote(url.password, safe='')}" if url.password else "")
    uri = (f"postgresql://{auth}{'@' if auth else ''}{url.host or ''}{f':{url.port}' if url.port else ''}"
           f"/{quote(url.database or '', safe='')}?{urlencode(query, quote_via=quote)}")
    conn = _CONNECTIONS.take(uri, lambda: adbc.connect(uri, autocommit=True))
    try:
        with conn.cursor() as cursor:
            for statement in setup:
                cursor.execute(statement)
                cursor.fetchall()
            cursor.execute(sql)
            yield from _rebatch(cursor.fetch_record_batch(), batch_rows)
    except BaseException:
        conn.close()  # a failed session (a timeout, a dropped connection) is not reused
        raise
    _CONNECTIONS.give_back(uri, conn)


class _Idle:
    """Open ADBC PostgreSQL sessions kept for the next table: opening one costs ~50 ms (the driver
    reads the server's type catalog), which a scan of 500 small tables would pay 1,000 times.
    A session is used by one reader at a time (taken, then given back when its rows are read);
    all are closed when the process ends."""

    def __init__(self, keep: int = 8):
        import threading

        self._lock = threading.Lock()
        self._idle: dict[str, list[Any]] = {}
        self._keep = keep

    def take(self, uri: str, connect: Callable[[], Any]) -> Any:
        with self._lock:
            idle = self._idle.get(uri)
            if idle:
                return idle.pop()
        return connect()

    def give_back(self, uri: str, conn: Any) -> None:
        with self._lock:
            idle = self._idle.setdefault(uri, [])
            if len(idle) < self._keep:
                idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        with self._lock:
            conns = [c for idle in self._idle.values() for c in idle]
            self._idle.clear()
        for conn in conns:
            try:
                conn.close()
            except Exception:  # noqa: BLE001,S110 - closing at exit: nothing left to report to
                pass


_CONNECTIONS = _Idle()
atexit.register(_CONNECTIONS.close)


def _sqlite(opened_as: tuple[str, str], sql: str, setup: list[str], budgets: Budgets,
            batch_rows: int) -> Iterator[pa.RecordBatch]:
    import adbc_driver_sqlite.dbapi as adbc

    uri = f"{Path(opened_as[1]).resolve().as_uri()}?mode=ro&immutable=1"
    with adbc.connect(uri) as conn, conn.cursor() as cursor:
        cursor.execute(sql)
        yield from _rebatch(cursor.fetch_record_batch(), batch_rows)


def _mysql(opened_as: tuple[str, str], sql: str, setup: list[str], budgets: Budgets,
           batch_rows: int) -> Iterator[pa.RecordBatch]:
    import connectorx as cx

    url = _server_url(opened_as)
    auth = quote(url.username or "", safe="") + (f":{quote(url.password, safe='')}" if url.password else "")
    uri = (f"mysql://{auth}{'@' if auth else ''}{url.host or '127.0.0.1'}:{url.port or 3306}"
           f"/{quote(url.database or '', safe='')}")
    session = ["SET SESSION TRANSACTION READ ONLY"]
    if budgets.statement_timeout_ms:
        session.append(_mysql_timeout(opened_as, budgets))
    reader = cx.read_sql(uri, sql, return_type="arrow_stream", batch_size=batch_rows,
                         pre_execution_query=session + setup)
    yield from _rebatch(reader, batch_rows)


def _mysql_timeout(opened_as: tuple[str, str], budgets: Budgets) -> str:
    """The statement timeout this server knows: asked once per server through the SQLAlchemy
    hook's own choice (MariaDB `max_statement_time`, MySQL `max_execution_time`)."""
    known = _TIMEOUT_STATEMENT.get(opened_as[1])
    if known is None:
        import sqlalchemy as sa
        from sqlalchemy.pool import NullPool

        engine = sa.create_engine(_server_url(opened_as), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                version = str(conn.execute(sa.text("SELECT VERSION()")).scalar() or "")
        finally:
            engine.dispose()
        known = (f"SET SESSION max_statement_time = {budgets.statement_timeout_ms / 1000:g}" if "mariadb" in
                 version.lower() else f"SET SESSION max_execution_time = {int(budgets.statement_timeout_ms)}")
        _TIMEOUT_STATEMENT[opened_as[1]] = known
    return known


_TIMEOUT_STATEMENT: dict[str, str] = {}  # server URL -> its timeout statement (what statement_timeout_hook sets)


def _rebatch(reader: Any, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """The driver's batches cut to at most `batch_rows` rows (budgets count rows per batch)."""
    for batch in reader:
        for start in range(0, batch.num_rows, batch_rows):
            yield batch.slice(start, batch_rows)


READERS: dict[str, Reader] = {"postgresql": _postgresql, "sqlite": _sqlite, "mysql": _mysql, "mariadb": _mysql}
