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
    if database.backend not in ("mysql", "mariadb"):
        return [c["name"] for c in inspector.get_columns(name, schema=schema)]
    with database.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(:schema, DATABASE()) "
            "AND TABLE_NAME = :name ORDER BY ORDINAL_POSITION"), {"schema": schema, "name": name}).fetchall()
    return [row[0] for row in rows]


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
