"""Read-only everywhere (issue 13): a scan never writes beside what it reads, and what it writes
itself (reports) honours the umask."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from tests.sources.conftest import open_all, read_all


def _snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file in the folder: content hash, size and mode (byte-for-byte identity)."""
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size, p.stat().st_mode)
            for p in sorted(folder.iterdir())}


def _wal_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE people (email TEXT)")
    conn.executemany("INSERT INTO people VALUES (?)", [("a@example.com",), ("b@example.com",)])
    conn.commit()
    conn.close()  # the last connection checkpoints and removes -wal/-shm


def test_wal_sqlite_in_a_read_only_folder_is_scanned_and_the_folder_unchanged(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    _wal_database(folder / "crm.db")
    assert (folder / "crm.db").read_bytes()[18:20] == b"\x02\x02"  # WAL mode in the header
    before = _snapshot(folder)
    folder.chmod(0o555)
    try:
        opened = open_all(folder)
        assert opened.errors == []
        [people] = opened.datasets
        assert read_all(people).column("email").to_pylist() == ["a@example.com", "b@example.com"]
        assert people.sample(1).num_rows == 1 and people.row_count() == 2
        people.database.engine.dispose()
    finally:
        folder.chmod(0o755)
    assert _snapshot(folder) == before  # no -wal, no -shm, no journal, nothing touched


def test_uncheckpointed_wal_is_said_not_silently_skipped(tmp_path):
    path = tmp_path / "live.db"
    _wal_database(path)
    writer = sqlite3.connect(path)  # a live application holding changes in its -wal
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO people VALUES ('c@example.com')")
    writer.commit()
    try:
        assert (tmp_path / "live.db-wal").stat().st_size > 0
        opened = open_all(tmp_path)
        about_db = [(e.kind, e.status) for e in opened.errors if e.source == "live.db"]
        assert about_db == [("wal_not_read", "partial")]
        [people] = opened.datasets
        assert read_all(people).num_rows >= 2  # the checkpointed rows are read
    finally:
        writer.close()


@pytest.mark.parametrize(("umask", "expected"), [(0o077, 0o600), (0o022, 0o644)])
def test_report_files_honour_the_umask(tmp_path, umask, expected):
    from scanner.report.output import write_text

    old = os.umask(umask)
    try:
        written = write_text(tmp_path / "report.md", "# report\n")
    finally:
        os.umask(old)
    assert written.stat().st_mode & 0o777 == expected


def test_an_unreadable_folder_under_discover_is_an_error_entry(tmp_path, monkeypatch):
    import shutil

    from scanner.policy.config import load_inventory

    repo = Path(__file__).resolve().parents[2]
    shutil.copytree(repo / "configs", tmp_path / "configs")
    shutil.copytree(repo / "sample_data", tmp_path / "sample_data")
    locked = tmp_path / "sample_data" / "logs" / "locked"
    locked.mkdir()
    (locked / "secret.log").write_text("ken@example.org\n")
    real_scandir = os.scandir

    def scandir(path="."):  # the tests run as root, who may read any folder: deny this one here
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    targets = load_inventory(tmp_path / "configs" / "inventory.yaml").scan_targets()
    errors = [t for t in targets if t.error]
    assert [(t.display, t.error, t.error_kind) for t in errors] == [
        ("../sample_data/logs/locked", "cannot list this folder: Permission denied", "permission")]
    assert any(t.display.endswith("app.log") for t in targets)  # the rest of the folder is found
