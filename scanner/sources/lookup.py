"""Looking one person up in a database table: the match pushed down as SQL, read-only.

`piiscan locate` asks a table only for the rows whose classified columns hold
one of the spellings of the identifiers given, instead of reading the table.
Every value reaches the server as a bound parameter (SQLAlchemy Core
expressions: `IN` lists with expanding binds, `LIKE` through `endswith` /
`contains` with autoescape), never as SQL text: a name like `' OR 1=1 --` is
a string the server compares, nothing more. Column and table names come from
the database's own catalogue (inspection), never from the request.

Two shapes of query, chosen per table:

- `index`: every searched column is a string column with an index (or the
  primary key) and none is free text: `col IN (:spellings)` on the raw
  columns, so the server uses its indexes (BitmapOr / index_merge). The
  spellings are generated (formats, full-width digits, case) by the caller.
- `scan`: otherwise (or with `thorough`): the normalisation runs in SQL,
  `LOWER(REPLACE(REPLACE(col, ' ', ''), '-', ''))`, `CAST(col AS VARCHAR)`
  for dates and numbers, `LIKE` for free text. One pass over the table, with
  nothing sent back but the candidate rows.

The rows that come back are candidates: the caller decides, with the same
normalisation in Python, whether they are the person. The connection is the
one the database source opened: read-only sessions (PostgreSQL
`default_transaction_read_only`, MySQL `SET SESSION TRANSACTION READ ONLY`,
SQLite `mode=ro`), parameters hidden from SQLAlchemy's logs and errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from scanner.sources.base import SourceError
from scanner.sources.columns import cell_text
from scanner.sources.database import TableDataset

MAX_CANDIDATES = 10_000  # rows a lookup brings back at most (more: the result is partial)
_SEPARATORS = {
    "phone": (" ", "-", "(", ")", "+", ".", "\u3000", "\uff0d", "\u2010", "\u2212", "\u30fc"),
    "name": (" ", "\u3000", "\u30fb", "/", ",", "."),
    "jmb": (" ", "-", "\uff0d"),
    "my_number": (" ", "-", "\uff0d"),
    "passport": (" ", "-"),
    "card_last4": (" ", "-"),
    "email": (" ",),
}


@dataclass(frozen=True)
class Probe:
    """One column to search: as findings name it (`field`), the match kind, free text or a value."""

    field: str
    kind: str
    free_text: bool = False


@dataclass
class LookupResult:
    """Candidate rows (field name -> text) and how they were found."""

    key_fields: list[str]
    rows: list[dict[str, str | None]] = field(default_factory=list)
    mode: str = "scan"  # index | scan
    truncated: bool = False


def is_table(dataset: object) -> bool:
    return isinstance(dataset, TableDataset)


def lookup(dataset: TableDataset, probes: Sequence[Probe], spellings: Mapping[str, Iterable[str]],
           text_forms: Mapping[str, Iterable[str]], *, thorough: bool = False,
           limit: int = MAX_CANDIDATES) -> LookupResult:
    """The rows of `dataset` whose probed columns may hold the person.

    `spellings[kind]`: the strings a value column may hold (compared after the
    column's separators are removed, lower-cased for names and e-mails);
    `text_forms[kind]`: what free text may contain (compared lower-cased).
    """
    names = list(getattr(dataset, "names", None) or dataset.columns)
    column_of = dict(zip(names, dataset.columns, strict=False))
    table = dataset.selectable
    try:
        info = _table_info(dataset)
        usable = [p for p in probes if p.field in column_of]
        indexed = (not thorough and usable and not any(p.free_text for p in usable)
                   and all(column_of[p.field] in info.indexed and column_of[p.field] in info.strings for p in usable))
        conditions = []
        for probe in usable:
            column = table.c[column_of[probe.field]]
            if indexed:
                values = sorted(set(spellings.get(probe.kind, ())))
                if values:
                    conditions.append(column.in_(values))
            else:
                conditions += _normalised(column, probe, spellings, text_forms)
        keys = [c for c in info.primary_key if c in column_of.values()]
        result = LookupResult([names[dataset.columns.index(c)] for c in keys], mode="index" if indexed else "scan")
        if not conditions:
            return result
        statement = sa.select(*(table.c[c] for c in dataset.columns)).where(sa.or_(*conditions)).limit(limit + 1)
        with dataset.database.engine.connect() as conn:
            rows = conn.execute(statement).fetchall()
    except SQLAlchemyError as exc:
        raise dataset.database.error(exc, dataset.table) from None
    result.truncated = len(rows) > limit
    result.rows = [{names[i]: cell_text(row[i]) for i in range(len(names))} for row in rows[:limit]]
    return result


def _normalised(column: Any, probe: Probe, spellings: Mapping[str, Iterable[str]],
                text_forms: Mapping[str, Iterable[str]]) -> list[Any]:
    """Conditions comparing a normalised column with bound values (see the module docstring)."""
    text = sa.cast(column, sa.String)
    if probe.free_text:
        forms = sorted({f.lower() for f in text_forms.get(probe.kind, ()) if f})
        lowered = sa.func.lower(text)
        return [lowered.contains(form, autoescape=True) for form in forms]
    values = {v for v in spellings.get(probe.kind, ()) if v}
    if not values:
        return []
    stripped = _strip(text, _SEPARATORS.get(probe.kind, ()))
    if probe.kind == "card_last4":
        return [stripped.endswith(v, autoescape=True) for v in sorted(values) if len(v) == 4]
    if probe.kind == "birth_date":
        return [sa.func.trim(text).in_(sorted(values))]
    if probe.kind in ("name", "email"):
        return [sa.func.lower(stripped).in_(sorted({_strip_text(v, probe.kind).lower() for v in values}))]
    if probe.kind == "passport":
        return [sa.func.upper(stripped).in_(sorted({_strip_text(v, probe.kind).upper() for v in values}))]
    return [stripped.in_(sorted({_strip_text(v, probe.kind) for v in values}))]


def _strip(expression: Any, characters: Iterable[str]) -> Any:
    for ch in characters:
        expression = sa.func.replace(expression, ch, "")
    return expression


def _strip_text(value: str, kind: str) -> str:
    for ch in _SEPARATORS.get(kind, ()):
        value = value.replace(ch, "")
    return value


@dataclass
class _TableInfo:
    primary_key: list[str]
    indexed: set[str]  # columns that lead an index, a unique constraint or the primary key
    strings: set[str]  # columns of a string type (raw IN with string binds is safe on them)


def _table_info(dataset: TableDataset) -> _TableInfo:
    table = dataset.selectable
    inspector = sa.inspect(dataset.database.engine)
    schema, name = table.schema, table.name
    pk = list((inspector.get_pk_constraint(name, schema=schema) or {}).get("constrained_columns") or [])
    indexed = set(pk[:1])
    for index in inspector.get_indexes(name, schema=schema):
        columns = [c for c in index.get("column_names") or [] if c]
        if columns:
            indexed.add(columns[0])
    try:
        for unique in inspector.get_unique_constraints(name, schema=schema):
            if unique.get("column_names"):
                indexed.add(unique["column_names"][0])
    except NotImplementedError:
        pass
    strings = {c["name"] for c in inspector.get_columns(name, schema=schema) if isinstance(c["type"], sa.String)}
    return _TableInfo(pk, indexed, strings)


__all__ = ["MAX_CANDIDATES", "LookupResult", "Probe", "SourceError", "is_table", "lookup"]
