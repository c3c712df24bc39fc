"""Counting records older than a date where they live, for the policy's retention rules.

Part of the source layer because it reads data: databases through the same
read-only engine factory the scan uses (one `SELECT COUNT(f1), COUNT(f2)…
WHERE date_col < :cutoff` per table, so millions of rows cost one server-side
scan and no value reaches piiscan); files through the same readers and
encoding sniffer, streamed batch by batch, only the named columns kept.

A record is expired when its date is strictly before the cutoff. Rows whose
date is NULL or unparseable are not counted: nothing says they are old.
Failures raise `SourceError` whose message names the table and column, never a value.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from scanner.sources.base import SourceError, SourceOptions
from scanner.sources.database import read_only_engine


# --------------------------------------------------------------------------- databases
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


def count_rows_before(url: str, table: str, date_column: str, cutoff: dt.date,
                      fields: Iterable[str | None] = (None,)) -> dict[str | None, int]:
    """For each field, the rows whose `date_column` is before `cutoff` and whose field holds a value
    (`None` counts rows regardless of any field). One read-only query for all fields."""
    fields = list(dict.fromkeys(fields))
    schema, _, name = table.rpartition(".")
    engine = read_only_engine(url)
    try:
        with engine.connect() as conn:
            columns = {c["name"].casefold(): c for c in sa.inspect(conn).get_columns(name, schema=schema or None)}
            for col in [date_column, *[f for f in fields if f]]:
                if col.casefold() not in columns:
                    raise SourceError(url, f"{table}: no column {col!r}", table, kind="retention")
            date_info = columns[date_column.casefold()]
            date_col = sa.column(date_info["name"])
            field_cols = {f: sa.column(columns[f.casefold()]["name"]) for f in fields if f}
            source = sa.table(name, date_col, *field_cols.values(), schema=schema or None)
            counts = [sa.func.count(field_cols[f]) if f else sa.func.count() for f in fields]
            query = sa.select(*counts).select_from(source).where(
                _expired_condition(conn, date_col, date_info["type"], cutoff))
            row = conn.execute(query).one()
            conn.rollback()
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None) or exc
        first_line = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
        raise SourceError(url, f"{table}.{date_column}: {type(orig).__name__}: {first_line}", table,
                          kind="retention") from None
    finally:
        engine.dispose()
    return {f: int(n or 0) for f, n in zip(fields, row, strict=True)}


# --------------------------------------------------------------------------- files
def count_files_before(paths: Iterable[str | os.PathLike[str]], cutoff: dt.date) -> int:
    """Files whose modification time is before `cutoff` (local time)."""
    limit = dt.datetime.combine(cutoff, dt.time()).timestamp()
    try:
        return sum(1 for p in paths if os.stat(p).st_mtime < limit)
    except OSError as exc:
        raise SourceError(str(getattr(exc, "filename", "") or "?"), f"cannot stat: {exc.strerror}",
                          kind="retention") from None


def count_records_before(path: str | os.PathLike[str], date_field: str, cutoff: dt.date,
                         fields: Iterable[str | None] = (None,)) -> dict[str | None, int]:
    """Per field, the records of one tabular file (CSV, Parquet, JSON Lines…) whose `date_field` is
    before `cutoff` and whose field has a value. Dates compare as ISO text (`2024/05/01` and
    `2024-05-01T…` both work). The file is streamed through its usual reader."""
    from scanner.sources import open_file

    path = Path(path)
    fields = list(dict.fromkeys(fields))
    wanted = list(dict.fromkeys([date_field, *[f for f in fields if f]]))
    out: dict[str | None, int] = dict.fromkeys(fields, 0)
    tables = [d for d in open_file(path, path.name, SourceOptions()) if not isinstance(d, SourceError)]
    if not tables or tables[0].kind != "table":
        raise SourceError(path.name, "date fields are supported in tabular files (CSV, Parquet, JSON Lines)",
                          kind="retention")
    dataset = tables[0]
    seen: set[str] = set()
    try:
        for batch in dataset.iter_batches():
            seen.update(batch.schema.names)
            present = [c for c in wanted if c in batch.schema.names]
            if date_field not in present:
                continue
            _add_expired(out, batch, date_field, cutoff, fields)
    finally:
        dataset.close()
    missing = [c for c in wanted if c not in seen]
    if missing:
        raise SourceError(path.name, f"{path.name}: no field {missing[0]!r}", kind="retention")
    return out


def _add_expired(out: dict[str | None, int], batch: pa.RecordBatch, date_field: str, cutoff: dt.date,
                 fields: list[str | None]) -> None:
    dates = batch.column(date_field)
    if not pa.types.is_string(dates.type) and not pa.types.is_large_string(dates.type):
        dates = pc.cast(dates, pa.string())
    iso = pc.utf8_slice_codeunits(pc.replace_substring(dates, "/", "-"), 0, 10)
    expired = pc.fill_null(pc.less(iso, cutoff.isoformat()), False)
    for f in fields:
        if f is not None and f not in batch.schema.names:
            continue
        mask = expired if f is None else pc.and_(expired, pc.is_valid(batch.column(f)))
        out[f] += int(pc.sum(pc.cast(mask, pa.int64())).as_py() or 0)
