"""Retention counts are exact, run in SQL on SQLite, PostgreSQL and MariaDB, and on files."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

import pytest
import sqlalchemy as sa

from scanner.policy.retention import (
    RetentionError,
    count_expired_files,
    count_expired_in_file,
    count_expired_rows,
    cutoff_for,
)
from tests.policy.conftest import ROOT

CRM = ROOT / "sample_data" / "crm.sqlite"
CUTOFF = dt.date(2025, 10, 2)  # 30 days before 2025-11-01

# (id, date kept as DATE, as text, as DATETIME, as Unix seconds, the field counted)
ROWS = [
    (1, "2025-09-30", "2025-09-30", "2025-09-30 23:59:59", "TK1234567"),
    (2, "2025-10-01", "2025/10/01", "2025-10-01 00:00:00", None),  # expired, but no value in the field
    (3, "2025-10-02", "2025-10-02", "2025-10-02 00:00:00", "TR7654321"),  # the cutoff day itself: kept
    (4, "2025-10-03", "2025-10-03", "2025-10-03 08:00:00", "TZ1111111"),
    (5, None, None, None, "MU2222222"),  # no date: never counted
    (6, "2019-01-01", "2019-01-01T10:00:00", "2019-01-01 10:00:00", "MZ3333333"),
]
EXPECTED = {  # date column -> {field: count}
    "d_date": {None: 3, "passport": 2},
    "d_text": {None: 3, "passport": 2},
    "d_datetime": {None: 3, "passport": 2},
    "d_epoch": {None: 3, "passport": 2},
}


def _epoch(text: str | None) -> int | None:
    if text is None:
        return None
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc).timestamp())


def _load(url: str, datetime_type: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            f"CREATE TABLE trips (id INTEGER PRIMARY KEY, d_date DATE, d_text VARCHAR(32), d_datetime {datetime_type}, "
            "d_epoch BIGINT, passport VARCHAR(16))"
        ))
        for row in ROWS:
            conn.execute(
                sa.text("INSERT INTO trips VALUES (:i, :a, :b, :c, :e, :p)"),
                {"i": row[0], "a": row[1], "b": row[2], "c": row[3], "e": _epoch(row[3]), "p": row[4]},
            )
    engine.dispose()


@pytest.mark.parametrize("date_column", sorted(EXPECTED))
def test_sqlite_counts_every_date_representation(tmp_path, date_column):
    url = f"sqlite:///{tmp_path / 'trips.sqlite'}"
    _load(url, "DATETIME")
    assert count_expired_rows(url, "trips", date_column, CUTOFF, [None, "passport"]) == EXPECTED[date_column]


@pytest.mark.db
@pytest.mark.parametrize("date_column", sorted(EXPECTED))
def test_postgresql_counts_in_sql(pg_url, date_column):
    _load(pg_url, "TIMESTAMP")
    assert count_expired_rows(pg_url, "trips", date_column, CUTOFF, [None, "passport"]) == EXPECTED[date_column]


@pytest.mark.db
@pytest.mark.parametrize("date_column", sorted(EXPECTED))
def test_mariadb_counts_in_sql(mysql_url, date_column):
    _load(mysql_url, "DATETIME")
    assert count_expired_rows(mysql_url, "trips", date_column, CUTOFF, [None, "passport"]) == EXPECTED[date_column]


@pytest.mark.db
def test_postgresql_connection_is_read_only(pg_url):
    _load(pg_url, "TIMESTAMP")
    count_expired_rows(pg_url, "trips", "d_date", CUTOFF)
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM trips")).scalar() == len(ROWS)
    engine.dispose()


def test_sample_crm_counts_match_an_independent_count():
    """The passport rule on the sample bookings, checked against Python over the same rows."""
    cutoff = cutoff_for(30, dt.date(2025, 11, 1))
    with sqlite3.connect(CRM) as db:
        rows = db.execute("SELECT return_date, passport_number, special_requests FROM bookings").fetchall()
    expected = {
        "passport_number": sum(1 for r, p, _ in rows if p and dt.date.fromisoformat(r) < cutoff),
        "special_requests": sum(1 for r, _, s in rows if s and dt.date.fromisoformat(r) < cutoff),
    }
    got = count_expired_rows(f"sqlite:///{CRM}", "bookings", "return_date", cutoff, list(expected))
    assert got == expected
    assert 0 < got["passport_number"] < len(rows)


def test_sqlite_is_opened_read_only():
    before = CRM.stat().st_mtime_ns
    count_expired_rows(f"sqlite:///{CRM}", "payments", "paid_at", dt.date(2024, 1, 1))
    assert CRM.stat().st_mtime_ns == before
    assert not CRM.with_name("crm.sqlite-journal").exists()


@pytest.mark.parametrize(
    ("table", "column", "problem"),
    [("bookings", "no_such_column", "no column"), ("no_such_table", "return_date", "no_such_table")],
)
def test_bad_table_or_column_is_a_clear_error(table, column, problem):
    with pytest.raises(RetentionError, match=problem):
        count_expired_rows(f"sqlite:///{CRM}", table, column, CUTOFF)


def test_files_by_modification_time(tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    for path in (old, new):
        path.write_text("a\n1\n")
    stamp = dt.datetime(2025, 9, 1).timestamp()
    os.utime(old, (stamp, stamp))
    assert count_expired_files([old, new], dt.date(2025, 10, 1)) == 1


def test_cp932_csv_with_japanese_headers_by_date_field():
    path = ROOT / "sample_data" / "exports" / "duty_free_2025-10.csv"
    text = path.read_bytes().decode("cp932").splitlines()[1:]
    cutoff = dt.date(2025, 10, 15)
    expected = sum(1 for line in text if line.split(",")[4] < cutoff.isoformat())
    got = count_expired_in_file(path, "出発日", cutoff, [None, "旅券番号"])
    assert got == {None: expected, "旅券番号": expected}
    assert 0 < expected < len(text)


def test_parquet_and_jsonl_by_date_field(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"d": ["2025-09-01", "2025-10-20", None], "v": ["x", None, "y"]}), tmp_path / "t.parquet")
    assert count_expired_in_file(tmp_path / "t.parquet", "d", CUTOFF, [None, "v"]) == {None: 1, "v": 1}
    (tmp_path / "e.jsonl").write_text('{"ts": "2025-09-01T10:00:00+09:00"}\n{"ts": "2025-10-05T00:00:00+09:00"}\n')
    assert count_expired_in_file(tmp_path / "e.jsonl", "ts", CUTOFF) == {None: 1}
