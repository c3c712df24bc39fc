"""Arrow-native table reads (scanner.sources.arrow_reads) on real servers: the same text the
SQLAlchemy path gives, read-only sessions, timeouts reported as `timeout`.

The drivers (adbc-driver-postgresql, adbc-driver-sqlite, connectorx) are main dependencies, so
their import is not skipped: a missing driver is a failing test, not a silent fallback.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from scanner.sources import arrow_reads
from scanner.sources.base import SourceError, SourceOptions
from scanner.sources.budgets import Budgets
from scanner.sources.database import TableDataset, open_url
from tests.sources.conftest import terminate_piiscan_sessions

ROWS = [  # text, integer, decimal, float, boolean, date, NULLs, Japanese
    ("Taro Yamada", 1, "12.30", 1.0, True, "2024-01-31", "taro@example.co.jp"),
    ("山田 太郎", 2, "0.50", 2.5, False, "1999-12-01", None),
    (None, None, None, None, None, None, "090-1234-5678"),
] + [(f"name {i}", i, f"{i}.00", float(i), i % 2 == 0, "2020-02-02", f"user{i}@example.com") for i in range(3, 300)]
DDL = {
    "postgresql": "CREATE TABLE people (name text, n integer, amount numeric(10,2), score double precision, "
                  "ok boolean, born date, contact text)",
    # DECIMAL on MySQL is left to SQLAlchemy (test_mysql_decimal_is_read_by_sqlalchemy)
    "mysql": "CREATE TABLE people (name TEXT, n INT, amount VARCHAR(20), score DOUBLE, ok BOOLEAN, born DATE, "
             "contact TEXT) CHARACTER SET utf8mb4",
    "sqlite": "CREATE TABLE people (name TEXT, n INTEGER, amount TEXT, score REAL, ok INTEGER, born TEXT, contact TEXT)",
}


def fill(url: str, backend: str) -> None:
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text(DDL[backend]))
        conn.execute(sa.text("INSERT INTO people VALUES (:a, :b, :c, :d, :e, :f, :g)"),
                     [dict(zip("abcdefg", row, strict=True)) for row in ROWS])
    engine.dispose()


def the_table(url: str) -> TableDataset:
    datasets = [d for d in open_url(url, SourceOptions()) if isinstance(d, TableDataset)]
    assert [d.table for d in datasets] == ["people"]
    return datasets[0]


def sqlalchemy_rows(dataset: TableDataset) -> pa.Table:
    """What the SQLAlchemy path reads (the reference the Arrow path must equal)."""
    with dataset.database.engine.connect() as conn:
        rows = conn.execute(dataset._select()).fetchall()
    return pa.Table.from_batches([dataset._to_batch(rows)])


def arrow_table(dataset: TableDataset) -> pa.Table:
    batches = arrow_reads.arrow_rows(dataset, dataset._select(), 100)
    assert batches is not None, "the Arrow driver declined: the test would only compare SQLAlchemy with itself"
    batches = list(batches)
    assert all(b.num_rows <= 100 for b in batches)
    return pa.Table.from_batches(batches)


def rows_of(table: pa.Table) -> list[tuple]:
    return sorted((tuple(r.values()) for r in table.to_pylist()), key=repr)


@pytest.fixture(params=["postgresql", "mysql", "sqlite"])
def database_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "people.db"
        fill(f"sqlite:///{path}", "sqlite")
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_url" if request.param == "postgresql" else "mysql_url")
    fill(url, request.param)
    return url


def test_arrow_read_gives_the_sqlalchemy_text(database_url):
    dataset = the_table(database_url)
    expected = sqlalchemy_rows(dataset)
    got = arrow_table(dataset)
    assert got.schema == expected.schema and got.num_rows == len(ROWS)
    assert rows_of(got) == rows_of(expected)


def test_iter_batches_and_sample_read_arrow_native(database_url, monkeypatch):
    dataset = the_table(database_url)
    used = []
    real = arrow_reads.read

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        used.append(result is not None)
        return result

    monkeypatch.setattr(arrow_reads, "read", spy)
    full = pa.Table.from_batches(list(dataset.iter_batches(64)))
    sample = dataset.sample(50, seed=1)
    assert len(used) >= 2 and all(used)  # the full read, the sample (after its head read: the table is larger)
    assert full.num_rows == len(ROWS) and 0 < sample.num_rows <= 50
    assert set(rows_of(sample)) <= set(rows_of(full))


def test_a_table_smaller_than_its_sample_is_read_once_and_counted_from_its_rows(database_url, monkeypatch):
    dataset = the_table(database_url)

    def no_count() -> int:
        raise AssertionError("a table smaller than the sample needs no COUNT(*)")

    monkeypatch.setattr(dataset, "_count", no_count)
    sample = dataset.sample(len(ROWS) + 5, seed=1)
    assert sample.num_rows == len(ROWS) and dataset.row_count() == len(ROWS)
    assert rows_of(sample) == rows_of(sqlalchemy_rows(dataset))


def test_a_table_as_large_as_its_sample_is_still_counted_and_sampled(database_url):
    dataset = the_table(database_url)
    sample = dataset.sample(len(ROWS) - 1, seed=1)
    assert sample.num_rows <= len(ROWS) - 1 and dataset.row_count() == len(ROWS)


def test_a_sample_that_draws_no_row_falls_back_to_the_first_rows(database_url, monkeypatch):
    dataset = the_table(database_url)
    monkeypatch.setattr(dataset, "_sample", lambda statement, seed: dataset._table([]))  # an unlucky draw
    sample = dataset.sample(len(ROWS) - 1, seed=1)
    assert sample.num_rows == len(ROWS) - 1
    assert set(rows_of(sample)) <= set(rows_of(sqlalchemy_rows(dataset)))


def test_text_column_matches_cell_text():
    from scanner.sources.columns import cell_text

    floats = [1.0, 2.5, None, 1e17, -3.0, 0.1]
    assert arrow_reads.text_column(pa.array(floats)).to_pylist() == [cell_text(v) for v in floats]
    whole = [1.0, None, -42.0]
    assert arrow_reads.text_column(pa.array(whole)).to_pylist() == [cell_text(v) for v in whole]
    assert arrow_reads.text_column(pa.array([True, None])).to_pylist() == ["true", None]


def test_postgresql_session_is_read_only(pg_url):
    fill(pg_url, "postgresql")
    dataset = the_table(pg_url)
    # a writing statement is refused by the server before any row: declined, and nothing was written
    assert arrow_reads.read(dataset.database.opened_as, "postgresql", "CREATE TABLE written (a int)",
                            ["a"], Budgets(), 10) is None
    engine = sa.create_engine(pg_url, poolclass=NullPool)
    with engine.connect() as conn:
        assert "written" not in sa.inspect(conn).get_table_names()
    engine.dispose()


def test_sqlite_file_is_opened_read_only(tmp_path):
    path = tmp_path / "people.db"
    fill(f"sqlite:///{path}", "sqlite")
    before = path.read_bytes()
    assert arrow_reads.read(("sqlite", str(path)), "sqlite", "CREATE TABLE written (a int)", ["a"], Budgets(),
                            10) is None
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("people.db-*"))  # no journal, no -wal
    assert sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master WHERE name='written'").fetchone() == (0,)


def test_postgresql_statement_timeout_is_a_timeout(pg_url):
    fill(pg_url, "postgresql")
    dataset = the_table(pg_url)
    dataset.budgets = Budgets(statement_timeout_ms=100)
    slow = sa.select(sa.literal_column("pg_sleep(2)::text").label("name"))
    with pytest.raises(SourceError) as caught:
        arrow_reads.arrow_rows(dataset, slow, 10)
    assert caught.value.kind == "timeout" and caught.value.table == "people"


def test_mysql_decimal_is_read_by_sqlalchemy(mysql_url):
    """connectorx widens DECIMAL(10,2) to scale 10: such a table is declined, its text stays '12.30'."""
    engine = sa.create_engine(mysql_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE people (name TEXT, amount DECIMAL(10,2))"))
        conn.execute(sa.text("INSERT INTO people VALUES ('Taro Yamada', 12.30)"))
    engine.dispose()
    dataset = the_table(mysql_url)
    assert arrow_reads.arrow_rows(dataset, dataset._select(), 100) is None
    assert pa.Table.from_batches(list(dataset.iter_batches())).to_pylist() == [{"name": "Taro Yamada", "amount": "12.30"}]


def test_postgresql_connection_dropped_mid_read_is_a_connection_error(pg_url):
    engine = sa.create_engine(pg_url, poolclass=NullPool)
    with engine.begin() as conn:  # large enough that COPY is still streaming after the first batch
        conn.execute(sa.text("CREATE TABLE people AS SELECT 'name ' || g AS name, repeat('x', 200) AS note "
                             "FROM generate_series(1, 400000) g"))
    engine.dispose()
    dataset = the_table(pg_url)
    batches = arrow_reads.arrow_rows(dataset, dataset._select(), 1000)
    assert batches is not None
    next(batches)
    assert terminate_piiscan_sessions(pg_url)
    with pytest.raises(SourceError) as caught:
        for _ in batches:
            pass
    assert caught.value.kind == "connection" and caught.value.table == "people"
