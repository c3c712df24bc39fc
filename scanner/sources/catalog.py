"""What a database holds: its relations with their declared kinds, and their column names.

Kept apart from `database` (connections, reading, sampling) because the catalog
is where dialects differ most: PostgreSQL lists partitions beside their
partitioned parent (read the parent once, not both), keeps materialized views
apart from views, and MySQL/MariaDB reflection leaves a backtick inside a
column name doubled (the information schema has the real name).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

SYSTEM_SCHEMAS = {"information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys"}


def column_names(database: Any, inspector: Any, schema: str | None, name: str) -> list[str]:
    """Column names as the catalog stores them. MySQL/MariaDB reflection parses SHOW CREATE
    TABLE and leaves a backtick inside a name doubled, which quoting then doubles again: the
    information schema gives the real name."""
    bulk = schema_columns(database, inspector, schema)
    if bulk is not None and name in bulk:
        return bulk[name]
    if database.backend not in ("mysql", "mariadb"):
        return [c["name"] for c in inspector.get_columns(name, schema=schema)]
    with database.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(:schema, DATABASE()) "
            "AND TABLE_NAME = :name ORDER BY ORDINAL_POSITION"), {"schema": schema, "name": name}).fetchall()
    return [row[0] for row in rows]


BULK_COLUMNS = {  # every relation's columns of one schema in one query (not one reflection per table)
    "postgresql": "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = COALESCE(:schema, current_schema()) "
                  "AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
                  "ORDER BY c.relname, a.attnum",
    "mysql": "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
             "COALESCE(:schema, DATABASE()) ORDER BY TABLE_NAME, ORDINAL_POSITION",
}


def schema_columns(database: Any, inspector: Any, schema: str | None) -> dict[str, list[str]] | None:
    """Column names of every relation of `schema`, fetched once per inspection (cached in the
    inspector's `info_cache`); None for SQLite, whose per-table PRAGMA is a local call. Why: a
    schema of 500 tables was inspected with 500 round trips, most of a sampled scan's time."""
    query = BULK_COLUMNS.get("mysql" if database.backend in ("mysql", "mariadb") else database.backend)
    if query is None:
        return None
    key = ("piiscan.schema_columns", schema)
    cached = inspector.info_cache.get(key)
    if cached is None:
        cached = {}
        with database.engine.connect() as conn:
            for table, column in conn.execute(sa.text(query), {"schema": schema}):
                cached.setdefault(table, []).append(column)
        inspector.info_cache[key] = cached
    return cached


def relations(database: Any, inspector: Any, schema: str | None,
               include_views: bool) -> list[tuple[str | None, str, str]]:
    """(schema, name, kind) of what a schema holds, partitions left out (their parent reads them)."""
    partitions: set[str] = set()
    parents: set[str] = set()
    if database.backend == "postgresql":
        with database.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT c.relname, c.relispartition, c.relkind FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = COALESCE(:schema, current_schema()) AND (c.relispartition OR c.relkind = 'p')"),
                {"schema": schema}).fetchall()
        partitions = {name for name, is_partition, _ in rows if is_partition}
        parents = {name for name, is_partition, kind in rows if kind == "p" and not is_partition}
    relations = [(schema, name, "partitioned_table" if name in parents else "table")
                 for name in inspector.get_table_names(schema=schema) if name not in partitions]
    if include_views:
        relations += [(schema, name, "view") for name in inspector.get_view_names(schema=schema)]
        if database.backend == "postgresql":
            relations += [(schema, name, "materialized_view")
                          for name in inspector.get_materialized_view_names(schema=schema)]
    return relations


def is_system(schema: str) -> bool:
    return schema.lower() in SYSTEM_SCHEMAS or schema.startswith(("pg_temp_", "pg_toast_temp_"))
