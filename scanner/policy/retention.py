"""Counting records kept past their retention period, without reading them.

Retention is checked where the data lives: one `SELECT COUNT(field) ... WHERE
date_col < :cutoff` per field, run read-only, so a table of millions of rows
costs one index or table scan on the server and no value ever reaches piiscan.
Files are counted by modification time, or (Parquet, CSV, JSON Lines) by a date
field read as one column with Arrow.

A record is expired when its date is strictly before `today - days`. Rows whose
date is NULL or unparseable are not counted: nothing says they are old.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool


class RetentionError(Exception):
    """A retention count could not be made; the message names the store and column, never a value."""


def cutoff_for(days: int, today: dt.date | None = None) -> dt.date:
    """The first date that is still inside the retention period."""
    return (today or dt.date.today()) - dt.timedelta(days=days)


# --------------------------------------------------------------------------- databases
def read_only_engine(url: str) -> Engine:
    """An engine that cannot write: SQLite opened with mode=ro, servers in read-only transactions."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).resolve()
            if not path.is_file():
                raise RetentionError(f"SQLite file not found: {path.name}")
            return sa.create_engine(f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true", poolclass=NullPool)
    return sa.create_engine(parsed, poolclass=NullPool)


def _begin_read_only(conn: Connection) -> None:
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.execute(sa.text("SET TRANSACTION READ ONLY"))
    elif dialect in ("mysql", "mariadb"):
        conn.execute(sa.text("SET SESSION TRANSACTION READ ONLY"))


def _split(table: str) -> tuple[str | None, str]:
    schema, _, name = table.rpartition(".")
    return (schema or None), name


def _expired_condition(conn: Connection, column: sa.ColumnClause, col_type: sa.types.TypeEngine, cutoff: dt.date):
    """`column < cutoff`, written for the column's declared type and the dialect.

    SQLite keeps dates as text (or numbers) whatever the declared type, so its
    `date()` normalises ISO text (`2024-05-01`, `2024-05-01 10:00:00`,
    `2024-05-01T10:00:00`) before comparing. Servers compare real DATE/DATETIME
    columns directly and CAST text columns; integer columns are Unix seconds.
    """
    epoch = int(dt.datetime.combine(cutoff, dt.time(), tzinfo=dt.timezone.utc).timestamp())
    is_number = isinstance(col_type, sa.Integer | sa.Numeric)
    if conn.dialect.name == "sqlite":
        if is_number:
            return sa.func.date(column, "unixepoch") < cutoff.isoformat()
        return sa.func.date(sa.func.replace(column, "/", "-")) < cutoff.isoformat()
    if is_number:
        return column < epoch
    if isinstance(col_type, sa.DateTime):
        return column < sa.bindparam("cutoff", dt.datetime.combine(cutoff, dt.time()), type_=sa.DateTime())
    if isinstance(col_type, sa.Date):
        return column < sa.bindparam("cutoff", cutoff, type_=sa.Date())
    return sa.cast(column, sa.Date) < sa.bindparam("cutoff", cutoff, type_=sa.Date())


def count_expired_rows(
    url: str,
    table: str,
    date_column: str,
    cutoff: dt.date,
    fields: Iterable[str | None] = (None,),
    *,
    engine: Engine | None = None,
) -> dict[str | None, int]:
    """For each field, the rows whose `date_column` is before `cutoff` and whose field holds a value.

    `None` in `fields` counts rows regardless of any field. One query per call:
    `SELECT COUNT(f1), COUNT(f2), ... FROM table WHERE <date_column before cutoff>`.
    """
    fields = list(dict.fromkeys(fields))
    own_engine = engine is None
    engine = engine or read_only_engine(url)
    schema, name = _split(table)
    try:
        with engine.connect() as conn:
            _begin_read_only(conn)
            columns = {c["name"].casefold(): c for c in sa.inspect(conn).get_columns(name, schema=schema)}
            for col in [date_column, *[f for f in fields if f]]:
                if col.casefold() not in columns:
                    raise RetentionError(f"{table}: no column {col!r}")
            date_info = columns[date_column.casefold()]
            date_col = sa.column(date_info["name"])
            field_cols = {f: sa.column(columns[f.casefold()]["name"]) for f in fields if f}
            source = sa.table(name, date_col, *field_cols.values(), schema=schema)
            counts = [sa.func.count(field_cols[f]) if f else sa.func.count() for f in fields]
            query = sa.select(*counts).select_from(source).where(
                _expired_condition(conn, date_col, date_info["type"], cutoff)
            )
            row = conn.execute(query).one()
            conn.rollback()
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None) or exc
        first_line = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
        raise RetentionError(f"{table}.{date_column}: {type(orig).__name__}: {first_line}") from None
    finally:
        if own_engine:
            engine.dispose()
    return {f: int(n or 0) for f, n in zip(fields, row, strict=True)}


# --------------------------------------------------------------------------- files
def count_expired_files(paths: Iterable[str | os.PathLike[str]], cutoff: dt.date) -> int:
    """Files whose modification time is before `cutoff` (local time)."""
    limit = dt.datetime.combine(cutoff, dt.time()).timestamp()
    return sum(1 for p in paths if os.stat(p).st_mtime < limit)


def _read_date_column(path: Path, date_field: str, fields: list[str]):
    """The date column (and the fields to count) of a Parquet, CSV or JSON Lines file as an Arrow table."""
    import pyarrow.csv as pacsv
    import pyarrow.json as pajson
    import pyarrow.parquet as pq

    wanted = list(dict.fromkeys([date_field, *fields]))
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pq.read_table(path, columns=wanted)
    if suffix in (".csv", ".tsv"):
        encoding = _sniff_encoding(path)
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=encoding),
            parse_options=pacsv.ParseOptions(delimiter="\t" if suffix == ".tsv" else ","),
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted, column_types={c: "string" for c in wanted}
            ),
        )
    if suffix in (".jsonl", ".ndjson", ".json"):
        table = pajson.read_json(path)
        missing = [c for c in wanted if c not in table.column_names]
        if missing:
            raise KeyError(missing[0])
        return table.select(wanted)
    raise RetentionError(f"{path.name}: date fields are supported in Parquet, CSV and JSON Lines files")


def _sniff_encoding(path: Path) -> str:
    head = path.read_bytes()[:65536]
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(head).best()
        return best.encoding if best else "cp932"


def count_expired_in_file(
    path: str | os.PathLike[str], date_field: str, cutoff: dt.date, fields: Iterable[str | None] = (None,)
) -> dict[str | None, int]:
    """Per field, the records of one file whose `date_field` is before `cutoff` and whose field has a value.

    Dates are compared as ISO text (`2024/05/01` and `2024-05-01T...` both work).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    path = Path(path)
    fields = list(dict.fromkeys(fields))
    try:
        table = _read_date_column(path, date_field, [f for f in fields if f])
    except KeyError as exc:
        raise RetentionError(f"{path.name}: no field {exc.args[0]!r}") from None
    except (pa.ArrowInvalid, OSError) as exc:
        raise RetentionError(f"{path.name}: cannot read the date field ({type(exc).__name__})") from None
    dates = table.column(date_field)
    if not pa.types.is_string(dates.type) and not pa.types.is_large_string(dates.type):
        dates = pc.cast(dates, pa.string())
    iso = pc.utf8_slice_codeunits(pc.replace_substring(dates, "/", "-"), 0, 10)
    expired = pc.fill_null(pc.less(iso, cutoff.isoformat()), False)
    out: dict[str | None, int] = {}
    for f in fields:
        mask = expired if f is None else pc.and_(expired, pc.is_valid(table.column(f)))
        out[f] = int(pc.sum(pc.cast(mask, pa.int64())).as_py() or 0)
    return out
