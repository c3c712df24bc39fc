"""Worker processes (`--processes N`) give what a scan in one process gives.

Why: datasets go to worker processes as pickled references, are scanned there
with a detector of their own, and come back out of order; the result must not
depend on any of that: the same findings, errors and counts, in the same order,
and a worker that dies loses nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa

from scanner.model import ScanResult
from scanner.pipeline import Scanner, ScanOptions, run_scan, scan_inventory
from scanner.sources.base import Dataset

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


def _essence(result: ScanResult) -> tuple:
    """Everything a report shows, but the timings and the options."""
    doc = result.to_dict()
    stats = {k: v for k, v in doc["stats"].items() if k != "seconds"}
    return (json.dumps(doc["findings"], sort_keys=True), json.dumps(doc["errors"], sort_keys=True),
            json.dumps(doc.get("violations"), sort_keys=True), stats)


def test_the_sample_estate_scans_the_same_in_worker_processes(tmp_path):
    """Every source kind of the estate: SQLite tables, CP932 CSV, xlsx sheets, Parquet,
    JSONL, logs; plus files that fail to read, whose errors must come out the same."""
    estate = tmp_path / "estate"
    shutil.copytree(SAMPLE, estate)
    (estate / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    (estate / "unreadable.csv").symlink_to(estate / "gone.csv")  # unreadable for root too: no target
    one = run_scan([str(estate)], ScanOptions(full=True, processes=1))
    two = run_scan([str(estate)], ScanOptions(full=True, processes=2))
    assert _essence(two) == _essence(one)
    assert one.findings and one.stats.datasets >= 10
    sources_with_errors = {e.source for e in one.errors}
    assert "broken.parquet" in sources_with_errors
    assert "unreadable.csv" in sources_with_errors
    assert json.dumps([s.to_dict() for s in two.sources]) == json.dumps([s.to_dict() for s in one.sources])
    assert {s.status for s in one.sources if s.source == "broken.parquet"} == {"failed"}


def test_the_inventory_scan_and_its_violations_are_the_same_in_worker_processes():
    one = scan_inventory(None, None, ScanOptions(processes=1))
    two = scan_inventory(None, None, ScanOptions(processes=2))
    assert _essence(two) == _essence(one)
    assert one.violations


class _DiesInAWorker(Dataset):
    """A dataset whose read kills the process it runs in, unless that is the main one."""

    kind = "table"

    def __init__(self, main_pid: int):
        super().__init__("dies.csv")
        self.main_pid = main_pid

    def iter_batches(self, batch_rows: int = 1000):
        if os.getpid() != self.main_pid:
            os._exit(3)
        yield pa.record_batch({"email": [f"user{i}@example.com" for i in range(50)]})

    def sample(self, n: int, seed: int = 0) -> pa.Table:
        return pa.Table.from_batches(list(self.iter_batches()))


class _ScannerOfDyingDatasets(Scanner):
    def datasets(self, target, walk):
        return [_DiesInAWorker(os.getpid()) for _ in range(3)]


def test_a_worker_that_dies_loses_no_dataset(caplog):
    scanner = _ScannerOfDyingDatasets(ScanOptions(processes=2), ["x"])
    scanner.scan_target("x")
    result = scanner.finish()
    assert [f.entity_type for f in result.findings] == ["EMAIL_ADDRESS"] * 3
    assert not result.errors and result.stats.datasets == 3
    assert "worker processes failed" in caplog.text


def test_unchanged_datasets_are_carried_over_by_the_main_process(tmp_path):
    """The change tracker is asked in the main process, and its carried-over findings join the rest."""
    for name in ("a.csv", "b.csv", "c.csv"):
        (tmp_path / name).write_text("id,email\n" + "".join(f"{i},u{i}@example.com\n" for i in range(30)),
                                     encoding="utf-8")
    previous = run_scan([str(tmp_path / "b.csv")], ScanOptions()).findings[0].to_dict()

    class Tracker:
        def unchanged(self, source, table, signature):
            return source == "b.csv"

        def previous_findings(self, source, table):
            return [previous | {"source": "b.csv", "count": 7}]

    result = run_scan([str(tmp_path)], ScanOptions(processes=2), change_tracker=Tracker())
    assert [(f.location.source, f.count) for f in result.findings] == [("a.csv", 30), ("b.csv", 7), ("c.csv", 30)]
    assert result.extra["incremental"] == {"skipped": 1, "scanned": 2}


def test_a_change_tracker_that_fails_is_an_error_of_that_dataset(tmp_path):
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("id,email\n1,u1@example.com\n", encoding="utf-8")

    class Broken:
        def unchanged(self, source, table, signature):
            return source == "b.csv"

        def previous_findings(self, source, table):
            raise RuntimeError("state row unreadable")

    result = run_scan([str(tmp_path)], ScanOptions(processes=2), change_tracker=Broken())
    assert [f.location.source for f in result.findings] == ["a.csv"]
    assert [(e.source, e.kind) for e in result.errors] == [("b.csv", "read_error")]
    assert "state row unreadable" in result.errors[0].message


def test_workers_that_cannot_start_leave_the_scan_to_this_process(monkeypatch, caplog):
    import scanner.engines.workers

    def no_pool(self, options):
        raise OSError(38, "Function not implemented")  # e.g. no POSIX semaphores on the host

    monkeypatch.setattr(scanner.engines.workers.WorkerPool, "__init__", no_pool)
    one = run_scan([str(SAMPLE)], ScanOptions(processes=1))
    two = run_scan([str(SAMPLE)], ScanOptions(processes=2))
    assert _essence(two) == _essence(one)
    assert "worker processes failed" in caplog.text
