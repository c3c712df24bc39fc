"""Sampled tables detected in groups (scanner.scan.table_groups): each table's findings are the ones a
table-by-table scan gives, and a table that breaks (its read, or its detection) fails alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from scanner.detect.engine import Detector
from scanner.engines.concurrent_tables import ConcurrentTables
from scanner.engines.local import LocalEngine
from scanner.pipeline import ScanOptions, run_scan
from scanner.scan import table_groups
from scanner.scan.table_groups import GROUP_TABLES, scan_sampled_together
from scanner.sources.base import SourceError
from scanner.sources.database import open_sqlite_file

TABLES = 2 * GROUP_TABLES + 5  # two full groups and a short one the scanner's wait sends off


@pytest.fixture(scope="module")
def crm(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("groups") / "crm.db"
    with sqlite3.connect(path) as conn:
        for t in range(TABLES):
            rows = 20 + 37 * (t % 5)  # tables of different lengths in one group
            conn.execute(f"CREATE TABLE t{t:02d} (name TEXT, email TEXT, phone TEXT, note TEXT, code TEXT)")
            conn.executemany(f"INSERT INTO t{t:02d} VALUES (?, ?, ?, ?, ?)", [
                (["Taro Yamada", "Hanako Sato", "Ken Ito"][i % 3] if t % 3 else f"item {i}",
                 f"user{t}_{i}@example.co.jp" if t % 2 else None,
                 f"090-{1000 + i:04d}-{2000 + t:04d}",
                 "window seat" if i % 2 else f"card 4111 1111 1111 1111 for {t}",
                 f"X{i:05d}") for i in range(rows)])
    return path


def outcome(result) -> tuple:
    findings = [(f.location.source, f.location.table, f.location.field, f.entity_type, f.count, f.examples,
                 f.confidence, f.lines) for f in result.findings]
    sources = [(s.source, s.table, s.status, s.rows) for s in result.sources]
    return findings, sources, result.stats.rows_scanned, result.stats.cells_scanned


def test_groups_give_the_table_by_table_result(crm):
    one = run_scan([str(crm)], ScanOptions(jobs=1))
    grouped = run_scan([str(crm)], ScanOptions(jobs=2))
    assert len(one.sources) == TABLES and {s.status for s in one.sources} == {"scanned"}
    assert {f.entity_type for f in one.findings} >= {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD"}
    assert outcome(grouped) == outcome(one)


def datasets(crm: Path) -> list:
    return [d for d in open_sqlite_file(crm, crm.name) if not isinstance(d, Exception)][:6]


def engine() -> LocalEngine:
    return LocalEngine(ScanOptions(jobs=1))


def test_a_table_whose_sample_fails_fails_alone(crm):
    local = engine()
    alone = [local.submit(d) for d in datasets(crm)]
    tables = datasets(crm)

    def broken(*_args, **_kwargs):
        raise SourceError(tables[2].source, "the server went away", tables[2].table, "connection")

    tables[2].sample = broken
    got = scan_sampled_together(tables, local.detector, local.config, local.options, local.describe_error)
    assert [bool(g.errors) for g in got] == [False, False, True, False, False, False]
    assert got[2].errors[0].kind == "connection" and not got[2].scanned
    for i in (0, 1, 3, 4, 5):
        assert got[i].findings == alone[i].findings and got[i].rows == alone[i].rows


def test_a_detection_failure_in_a_group_stays_with_its_table(crm, monkeypatch):
    local = engine()
    alone = [local.submit(d) for d in datasets(crm)]
    real = Detector.observe_batch
    poisoned = datasets(crm)[4].table

    def observe_batch(self, stats, values, run=map):
        if len(stats) > 5 or poisoned_now["table"]:  # the group of six tables, or the poisoned one alone
            raise RuntimeError("detector bug")
        return real(self, stats, values, run)

    poisoned_now = {"table": False}
    monkeypatch.setattr(Detector, "observe_batch", observe_batch)
    calls = []
    real_observe = table_groups._observe

    def observe(reads, detector, run):
        calls.append(len(reads))
        poisoned_now["table"] = len(reads) == 1 and reads[0].dataset.table == poisoned
        return real_observe(reads, detector, run)

    monkeypatch.setattr(table_groups, "_observe", observe)
    got = scan_sampled_together(datasets(crm), local.detector, local.config, local.options, local.describe_error)
    assert calls[0] == 6 and calls[1:] == [1] * 6  # together first, then each alone
    assert [bool(g.errors) for g in got] == [False, False, False, False, True, False]
    assert "detector bug" in got[4].errors[0].message
    assert [g.findings for i, g in enumerate(got) if i != 4] == [a.findings for i, a in enumerate(alone) if i != 4]


def test_a_group_is_sent_off_when_the_scanner_waits_for_one_of_its_tables(crm):
    concurrent = ConcurrentTables(engine(), jobs=2)
    futures = [concurrent.submit(d) for d in datasets(crm)[:3]]  # fewer than a group: still gathering
    assert not any(f.done() for f in futures)
    assert futures[0].result(timeout=30).scanned  # waiting sends the group
    assert all(f.result(timeout=30).scanned for f in futures)
    concurrent.close()
