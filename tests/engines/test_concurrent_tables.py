"""Tables of a database scanned on threads (scanner.engines.concurrent_tables): the same result,
in the same order, as one table after another; files are not sent to the table threads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from scanner.engines.concurrent_tables import ConcurrentTables
from scanner.engines.local import LocalEngine
from scanner.engines.workers import make_engine
from scanner.pipeline import ScanOptions, run_scan

TABLES = 12


@pytest.fixture
def estate(tmp_path: Path) -> Path:
    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as conn:
        for t in range(TABLES):
            conn.execute(f"CREATE TABLE t{t:02d} (name TEXT, email TEXT, phone TEXT, note TEXT)")
            conn.executemany(f"INSERT INTO t{t:02d} VALUES (?, ?, ?, ?)", [
                (["Taro Yamada", "Hanako Sato", "Ken Ito"][i % 3], f"user{t}_{i}@example.co.jp",
                 f"090-{1000 + i:04d}-{2000 + t:04d}", "window seat" if i % 2 else f"call 03-1234-{5600 + i:04d}")
                for i in range(60)])
            if t % 4 == 0:  # tables without PII in between
                conn.execute(f"CREATE TABLE u{t:02d} (code TEXT)")
                conn.executemany(f"INSERT INTO u{t:02d} VALUES (?)", [(f"X{i}",) for i in range(30)])
    (tmp_path / "people.csv").write_text("name,email\nTaro Yamada,taro@example.jp\n", encoding="utf-8")
    return tmp_path


def outcome(result) -> tuple:
    findings = [(f.location.source, f.location.table, f.location.field, f.entity_type, f.count, f.examples)
                for f in result.findings]
    sources = [(s.source, s.table, s.status, s.rows) for s in result.sources]
    return findings, sources, result.stats.rows_scanned, result.stats.cells_scanned


def test_threads_give_the_sequential_result_in_order(estate):
    one = run_scan([str(estate)], ScanOptions(jobs=1))
    many = run_scan([str(estate)], ScanOptions(jobs=4))
    assert len([s for s in one.sources if s.table]) == TABLES + 3, "every table must be scanned"
    assert any(f.location.table for f in one.findings), "the tables hold PII: an empty comparison proves nothing"
    assert outcome(many) == outcome(one)


def test_full_scan_too(estate):
    assert outcome(run_scan([str(estate)], ScanOptions(jobs=3, full=True))) == \
        outcome(run_scan([str(estate)], ScanOptions(jobs=1, full=True)))


def test_only_database_tables_go_to_threads(estate):
    from scanner.sources.database import open_sqlite_file

    table = next(d for d in open_sqlite_file(estate / "crm.db", "crm.db") if not isinstance(d, Exception))
    assert ConcurrentTables.concurrent(table)

    class FileLike:
        kind = "table"

    assert not ConcurrentTables.concurrent(FileLike())


def test_engine_choice():
    assert isinstance(make_engine(ScanOptions(jobs=2)), ConcurrentTables)
    assert isinstance(make_engine(ScanOptions(jobs=1)), LocalEngine)
    engine = make_engine(ScanOptions(jobs=2))
    assert engine.detector is engine.inner.detector  # what the scanner asks the engine for
    engine.close()
