"""A schema's columns in one query (scanner.sources.catalog.schema_columns): the names reflection
gives, table by table, for odd names, views and dropped columns; one round trip, not one per table."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from scanner.sources.base import SourceOptions
from scanner.sources.catalog import schema_columns
from scanner.sources.database import TableDataset, open_url

TABLES = 30


def create(url: str, backend: str) -> None:
    q = '"' if backend == "postgresql" else "`"
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        for t in range(TABLES):
            conn.execute(sa.text(f"CREATE TABLE t{t:02d} (id INT, name TEXT, {q}E-mail Address{q} TEXT, c{t} TEXT)"))
        conn.execute(sa.text(f"CREATE TABLE {q}Mixed Case{q} (a TEXT, {q}b c{q} TEXT, z TEXT)"))
        conn.execute(sa.text(f"ALTER TABLE {q}Mixed Case{q} DROP COLUMN {q}b c{q}"))
        conn.execute(sa.text("CREATE VIEW v_names AS SELECT name FROM t00"))
    engine.dispose()


@pytest.fixture(params=["postgresql", "mysql"])
def server(request) -> tuple[str, str]:
    url = request.getfixturevalue("pg_url" if request.param == "postgresql" else "mysql_url")
    create(url, request.param)
    return url, request.param


def test_one_query_gives_the_names_reflection_gives(server):
    url, _ = server
    engine = sa.create_engine(url, poolclass=NullPool)
    inspector = sa.inspect(engine)

    class Db:
        backend = engine.dialect.name

    Db.engine = engine
    bulk = schema_columns(Db, inspector, None)
    names = inspector.get_table_names() + inspector.get_view_names()
    assert len(names) == TABLES + 2
    for name in names:
        assert bulk[name] == [c["name"] for c in inspector.get_columns(name)], name
    assert bulk["Mixed Case"] == ["a", "z"]
    engine.dispose()


def test_opening_a_database_lists_columns_in_a_few_queries(server):
    url, _ = server
    statements: list[str] = []
    original = sa.create_engine

    def counting_engine(*args, **kwargs):
        engine = original(*args, **kwargs)
        sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        return engine

    import scanner.sources.database as database

    database.sa.create_engine = counting_engine
    try:
        datasets = [d for d in open_url(url, SourceOptions()) if isinstance(d, TableDataset)]
    finally:
        database.sa.create_engine = original
    assert len(datasets) == TABLES + 2
    assert {d.table: d.columns for d in datasets}["t07"] == ["id", "name", "E-mail Address", "c7"]
    # schemas, relations and one query for every relation's columns: not one per table
    assert len(statements) < TABLES, statements
