"""Database sources on real servers and a real SQLite file: read-only, streamed, sampled, no leaks."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from scanner.sources import describe_target, open_target
from scanner.sources.base import SourceError, SourceOptions
from scanner.sources.database import PASSWORD_ENV, PASSWORD_FILE_ENV, display_url, parse_url, with_password
from tests.sources.conftest import open_all, read_all, terminate_piiscan_sessions

SECRET = "Zx9-very-secret-pw"
CUSTOMERS = [
    (1, "山田 太郎", "ヤマダ タロウ", "TK1234567", "2024-01-01 10:00:00"),
    (2, "佐藤 花子", "サトウ ハナコ", None, "2024-03-05 09:30:00"),
    (3, "鈴木 一郎", "スズキ イチロウ", "MU7654321", "2024-02-02 00:00:00"),
]
SPREAD_ROWS = 20_000


def fill(url: str, schema: str | None = None) -> None:
    """Customers with Japanese text, a view, a big table for sampling, and (PG) a second schema."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, 氏名 VARCHAR(50), name_kana VARCHAR(50), "
            "passport_no VARCHAR(20), updated_at TIMESTAMP NULL)"))
        conn.execute(sa.text("INSERT INTO customers VALUES (:a, :b, :c, :d, :e)"),
                     [dict(zip("abcde", row, strict=True)) for row in CUSTOMERS])
        conn.execute(sa.text("CREATE VIEW customer_names AS SELECT 氏名 FROM customers"))
        conn.execute(sa.text("CREATE TABLE spread (id INTEGER PRIMARY KEY, email VARCHAR(60))"))
        conn.execute(sa.text("INSERT INTO spread VALUES (:i, :e)"),
                     [{"i": i, "e": f"u{i}@example.com"} for i in range(SPREAD_ROWS)])
        if schema:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
            conn.execute(sa.text(f"CREATE TABLE {schema}.cards (pan VARCHAR(19))"))
            conn.execute(sa.text(f"INSERT INTO {schema}.cards VALUES ('4111111111111111')"))
    engine.dispose()


def with_secret(url: str) -> str:
    return make_url(url).set(password=SECRET).render_as_string(hide_password=False)


def check_scan(url: str, expected_tables: list[str]) -> None:
    opened = open_all(url)
    assert opened.errors == []
    assert [d.table for d in opened.datasets] == expected_tables
    customers = opened.one(display_url(url), "customers")
    batches = list(customers.iter_batches(batch_rows=2))
    assert [b.num_rows for b in batches] == [2, 1]
    table = read_all(customers).sort_by("id")
    assert table.column("氏名").to_pylist() == [r[1] for r in CUSTOMERS]
    assert table.column("passport_no").to_pylist() == ["TK1234567", None, "MU7654321"]  # NULL kept
    assert set(table.schema.types) == {pa.string()}  # every value as text
    assert customers.row_count() == 3
    signature = customers.signature("updated_at")
    assert signature["rows"] == 3 and signature["max_updated_at"].startswith("2024-03-05")
    assert customers.signature("no_such_column")["max_updated_at"] is None
    spread = opened.one(display_url(url), "spread")
    sample = spread.sample(500, seed=1)
    ids = [int(v) for v in sample.column("id").to_pylist()]
    assert 450 <= len(ids) <= 500 and len(set(ids)) == len(ids)
    assert any(i >= SPREAD_ROWS * 0.9 for i in ids) and any(i < SPREAD_ROWS * 0.1 for i in ids)
    for dataset in opened.datasets:
        assert SECRET not in dataset.source and SECRET not in repr(dataset)


@pytest.mark.db
def test_postgresql_tables_schemas_sampling_and_no_password(pg_url):
    fill(pg_url, schema="billing")
    url = with_secret(pg_url)  # trust auth ignores the password; it must still never be shown
    check_scan(url, ["customer_names", "customers", "spread", "billing.cards"])
    assert SECRET not in describe_target(url)
    cards = open_all(url).one(display_url(url), "billing.cards")
    assert read_all(cards).column("pan").to_pylist() == ["4111111111111111"]


@pytest.mark.db
def test_postgresql_sessions_are_read_only(pg_url):
    fill(pg_url)
    [customers, *_] = open_all(pg_url).datasets
    with customers.database.engine.connect() as conn, pytest.raises(sa.exc.InternalError, match="read-only"):
        conn.execute(sa.text("DELETE FROM customers"))


@pytest.mark.db
def test_postgresql_view_sample_falls_back_to_random_order(pg_url):
    fill(pg_url)
    [view] = [d for d in open_target(pg_url, SourceOptions()) if d.table == "customers"]
    from scanner.sources.database import open_database

    views = [d for d in open_database(view.database, include_views=True) if d.table == "customer_names"]
    assert views[0].sample(2).num_rows == 2


@pytest.mark.db
def test_postgresql_connection_dropped_mid_scan_is_a_connection_error(pg_url, monkeypatch):
    # the SQLAlchemy path (a binary COPY holds this small table whole after one batch; the Arrow
    # path's drop is tests/sources/test_arrow_reads.py::test_postgresql_connection_dropped_mid_read...)
    monkeypatch.setattr("scanner.sources.arrow_reads.READERS", {})
    fill(pg_url)
    spread = open_all(pg_url).one(display_url(pg_url), "spread")
    batches = spread.iter_batches(batch_rows=100)
    next(batches)
    assert terminate_piiscan_sessions(pg_url)
    with pytest.raises(SourceError) as caught:
        for _ in batches:
            pass
    assert caught.value.kind == "connection" and caught.value.table == "spread"


@pytest.mark.db
def test_mariadb_tables_sampling_and_no_password(mysql_url):
    fill(mysql_url)
    check_scan(mysql_url, ["customer_names", "customers", "spread"])


@pytest.mark.db
def test_mariadb_sessions_are_read_only(mysql_url):
    fill(mysql_url)
    [customers, *_] = open_all(mysql_url).datasets
    with customers.database.engine.connect() as conn, pytest.raises(sa.exc.DatabaseError, match="READ ONLY"):
        conn.execute(sa.text("DELETE FROM customers"))


@pytest.mark.db
def test_bare_mysql_scheme_uses_pymysql(mysql_url):
    fill(mysql_url)
    bare = mysql_url.replace("mysql+pymysql://", "mysql://")
    assert parse_url(bare).drivername == "mysql+pymysql"
    assert [d.table for d in open_all(bare).datasets] == ["customer_names", "customers", "spread"]


@pytest.mark.db
def test_wrong_password_or_dead_server_is_a_connection_error_without_the_password(mysql_url):
    bad_password = make_url(mysql_url).set(password=SECRET).render_as_string(hide_password=False)
    dead_server = f"postgresql://postgres:{SECRET}@127.0.0.1:1/nowhere"
    for url in (bad_password, dead_server):
        [error] = list(open_target(url, SourceOptions()))
        assert isinstance(error, SourceError) and error.kind == "connection"
        assert SECRET not in str(error) and SECRET not in repr(error)
        assert error.source == display_url(url) and "@127.0.0.1" in error.source


def test_password_comes_from_env_then_secrets_file(tmp_path, monkeypatch):
    url = make_url("postgresql+psycopg://scanner@db.example:5432/crm")
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.delenv(PASSWORD_FILE_ENV, raising=False)
    assert with_password(url).password is None
    secret_file = tmp_path / "pw"
    secret_file.write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv(PASSWORD_FILE_ENV, str(secret_file))
    assert with_password(url).password == "from-file"
    monkeypatch.setenv(PASSWORD_ENV, "from-env")
    assert with_password(url).password == "from-env"
    assert with_password(url.set(password="in-url")).password == "in-url"
    assert display_url(url.set(password="in-url")) == "postgresql+psycopg://scanner@db.example:5432/crm"


def make_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER, 氏名 TEXT, passport_no TEXT, updated_at TEXT)")
        conn.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", [(r[0], r[1], r[3], r[4]) for r in CUSTOMERS])
    conn.close()


@pytest.mark.parametrize("name", ["crm.db", "crm.sqlite3", "no_extension"])
def test_sqlite_file_in_a_directory_is_scanned_read_only(tmp_path, name):
    path = tmp_path / name
    make_sqlite(path)
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns, sorted(p.name for p in tmp_path.iterdir()))
    opened = open_all(tmp_path)
    [customers] = opened.datasets
    assert (customers.source, customers.table) == (name, "customers")
    assert read_all(customers).column("passport_no").to_pylist() == ["TK1234567", None, "MU7654321"]
    assert customers.sample(2).num_rows == 2
    assert customers.signature("updated_at") == {"kind": "table", "rows": 3, "updated_at_column": "updated_at",
                                                "max_updated_at": "2024-03-05 09:30:00"}
    with customers.database.engine.connect() as conn, pytest.raises(sa.exc.OperationalError, match="readonly"):
        conn.execute(sa.text("DELETE FROM customers"))
    after = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns, sorted(p.name for p in tmp_path.iterdir()))
    assert after == before  # no write, no journal left behind


def test_sqlite_url_target(sqlite_path):
    make_sqlite(sqlite_path)
    url = f"sqlite:///{sqlite_path}"
    [customers] = open_all(url).datasets
    assert customers.source == url and customers.table == "customers"
    assert customers.row_count() == 3


# --- issue 13: timeouts, declared kinds, partitions, quoting --------------------------------------

@pytest.mark.db
def test_postgresql_locked_table_times_out_and_the_rest_is_scanned(pg_url, monkeypatch):
    from scanner.sources import database
    from scanner.sources.budgets import Budgets

    fill(pg_url)
    monkeypatch.setattr(database, "default_budgets", lambda: Budgets(lock_timeout_ms=300, statement_timeout_ms=5000))
    locker = sa.create_engine(pg_url).connect()
    transaction = locker.begin()
    locker.execute(sa.text("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE"))
    try:
        opened = open_all(pg_url)
        outcomes = {}
        for dataset in opened.datasets:
            try:
                outcomes[dataset.table] = read_all(dataset).num_rows
            except SourceError as error:
                outcomes[dataset.table] = error.kind
    finally:
        transaction.rollback()
        locker.close()
    assert outcomes["customers"] == "timeout"
    assert outcomes["spread"] == SPREAD_ROWS  # the rest of the database is scanned


@pytest.mark.db
def test_postgresql_views_materialized_views_and_partitions_once(pg_url):
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        for statement in (
            "CREATE TABLE people (id INT, email TEXT)",
            "INSERT INTO people VALUES (1, 'a@example.com')",
            "CREATE VIEW people_view AS SELECT email FROM people",
            "CREATE MATERIALIZED VIEW people_snapshot AS SELECT email FROM people",
            "CREATE TABLE events (day DATE, email TEXT) PARTITION BY RANGE (day)",
            "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
            "CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
            "INSERT INTO events VALUES ('2026-05-01', 'b@example.com'), ('2027-05-01', 'c@example.com')",
        ):
            conn.execute(sa.text(statement))
    engine.dispose()
    opened = open_all(pg_url)
    kinds = {d.table: d.relation for d in opened.datasets}
    assert kinds == {"events": "partitioned_table", "people": "table", "people_snapshot": "materialized_view",
                     "people_view": "view"}
    events = opened.one(display_url(pg_url), "events")
    assert sorted(read_all(events).column("email").to_pylist()) == ["b@example.com", "c@example.com"]
    snapshot = opened.one(display_url(pg_url), "people_snapshot")
    assert read_all(snapshot).column("email").to_pylist() == ["a@example.com"]


@pytest.mark.db
def test_mariadb_identifiers_with_backticks_and_quotes_are_readable(mysql_url):
    engine = sa.create_engine(mysql_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE `odd``table` (`e``mail` VARCHAR(60), `it's` VARCHAR(10))"))
        conn.execute(sa.text("INSERT INTO `odd``table` VALUES ('a@example.com', 'x')"))
    engine.dispose()
    [dataset] = open_all(mysql_url).datasets
    assert dataset.table == "odd`table"
    table = read_all(dataset)
    assert table.column("e`mail").to_pylist() == ["a@example.com"]
    assert table.column("it's").to_pylist() == ["x"]


@pytest.mark.db
def test_mariadb_sessions_have_a_statement_time_limit(mysql_url):
    fill(mysql_url)
    [customers, *_] = [d for d in open_all(mysql_url).datasets if d.table == "customers"]
    with customers.database.engine.connect() as conn:
        limit = conn.execute(sa.text("SELECT @@SESSION.max_statement_time")).scalar()
    assert float(limit) > 0


def test_sensitive_table_and_column_names_are_scrubbed(sqlite_path):
    with sqlite3.connect(sqlite_path) as conn:
        conn.execute('CREATE TABLE "refund_4532011475538514" ("TK1234567" TEXT, email TEXT)')
        conn.execute("INSERT INTO refund_4532011475538514 VALUES ('x', 'a@example.com')")
    conn.close()
    [dataset] = open_all(f"sqlite:///{sqlite_path}").datasets
    assert dataset.table == "refund_4532********8514"
    assert read_all(dataset).schema.names == ["TK*****67", "email"]
