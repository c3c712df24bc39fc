"""Triage decisions: expiry, precedence of the reviewed file, and its validation messages."""

from datetime import date
from pathlib import Path

import pytest

from scanner.configfiles import ConfigError
from scanner.state.triage import TriageEntry, effective_triage, find_triage_file, load_triage_file

FP = "0123456789abcdef0123"


@pytest.mark.parametrize(("until", "day", "active"), [
    (None, date(2030, 1, 1), True),
    (date(2026, 12, 31), date(2026, 12, 31), True),
    (date(2026, 12, 31), date(2027, 1, 1), False),
])
def test_expiry_is_inclusive(until, day, active):
    assert TriageEntry(FP, "accepted", "ok", "sato", until=until).active_on(day) is active


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="accepted, false_positive, remediated"):
        TriageEntry(FP, "ignored", "ok", "sato")


def test_reviewed_file_overrides_store_and_newest_store_entry_wins():
    stored = [TriageEntry(FP, "accepted", "second", "b", "2026-02-01T00:00:00+00:00"),
              TriageEntry(FP, "remediated", "first", "a", "2026-01-01T00:00:00+00:00"),
              TriageEntry("f" * 20, "accepted", "x", "c", "2026-01-01T00:00:00+00:00")]
    assert effective_triage(stored, [])[FP].reason == "second"
    reviewed = [TriageEntry(FP, "false_positive", "reviewed", "team", origin="configs/triage.yaml")]
    merged = effective_triage(stored, reviewed)
    assert merged[FP].status == "false_positive"
    assert merged["f" * 20].reason == "x"


def test_load_valid_file(tmp_path: Path):
    path = tmp_path / "triage.yaml"
    path.write_text(f"triage:\n  - fingerprint: {FP}\n    status: accepted\n    reason: contract clause 7\n"
                    f"    by: suzuki\n    until: 2027-03-31\n", encoding="utf-8")
    [entry] = load_triage_file(path)
    assert (entry.fingerprint, entry.status, entry.by, entry.until) == (FP, "accepted", "suzuki", date(2027, 3, 31))
    assert entry.origin == str(path)


@pytest.mark.parametrize(("text", "key", "problem"), [
    (f"- fingerprint: {FP}\n  status: ignored\n  reason: r\n  by: b\n", "0.status", "Input should be"),
    (f"- fingerprint: {FP}\n  status: accepted\n  by: b\n", "0.reason", "Field required"),
    (f"- fingerprint: {FP}\n  status: accepted\n  reason: r\n  by: b\n  untill: 2027-01-01\n", "0.untill",
     "Extra inputs"),
    (f"- fingerprint: {FP}\n  status: accepted\n  reason: r\n  by: b\n  until: someday\n", "0.until", "date"),
    ("- fingerprint: XYZ\n  status: accepted\n  reason: r\n  by: b\n", "0.fingerprint", "String should"),
    ("entries: []\n", "entries", "unknown key"),
    ("triage: {a: 1}\n", "triage", "must be a list"),
])
def test_bad_file_names_file_and_key(tmp_path: Path, text, key, problem):
    path = tmp_path / "triage.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_triage_file(path)
    assert caught.value.file == str(path)
    assert caught.value.key == key
    assert problem in caught.value.problem


@pytest.mark.parametrize("text", ["", "[]\n", "triage:\n"])
def test_empty_files_hold_no_decisions(tmp_path: Path, text):
    path = tmp_path / "triage.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_triage_file(path) == []


def test_find_triage_file_prefers_the_inventory_folder(tmp_path: Path):
    (tmp_path / "configs").mkdir()
    beside_cwd = tmp_path / "configs" / "triage.yaml"
    beside_cwd.write_text("[]", encoding="utf-8")
    inventory_dir = tmp_path / "ops"
    inventory_dir.mkdir()
    inventory = inventory_dir / "inventory.yaml"
    assert find_triage_file(inventory, cwd=tmp_path) == beside_cwd
    (inventory_dir / "triage.yaml").write_text("[]", encoding="utf-8")
    assert find_triage_file(inventory, cwd=tmp_path) == inventory_dir / "triage.yaml"
    assert find_triage_file(None, cwd=tmp_path / "ops") is None
