"""Consecutive nightly runs with the real pipeline over a changing copy of sample_data/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scanner.nightly import EXIT_FAILED, NightlyOptions, run_nightly

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def estate(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "configs", tmp_path / "configs")
    shutil.copytree(REPO / "sample_data", tmp_path / "sample_data")
    (tmp_path / "configs" / "triage.yaml").write_text("[]\n", encoding="utf-8")
    return tmp_path


def _run(estate: Path, **overrides) -> tuple[int, dict]:
    options = NightlyOptions(inventory=estate / "configs" / "inventory.yaml", policy=estate / "configs" / "policy.yaml",
                             state=estate / "state.db", reports=estate / "reports", **overrides)
    code = run_nightly(options)
    newest = max((estate / "reports").iterdir(), key=lambda p: int(p.name.rsplit("run", 1)[1]))
    return code, json.loads((newest / "result.json").read_text(encoding="utf-8"))


def _by_status(doc: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for v in doc["violations"]:
        out.setdefault(v["status"], set()).add(v["fingerprint"])
    return out


def test_nightly_over_a_changing_sample_estate(estate: Path):
    code, first = _run(estate)
    assert code != EXIT_FAILED
    assert first["violations"], "the sample estate has policy violations"
    assert {v["status"] for v in first["violations"]} == {"new"}
    everything = {v["fingerprint"] for v in first["violations"]}

    code, second = _run(estate)
    assert code == 0
    assert _by_status(second) == {"open": everything}
    assert second["run"]["incremental"]["skipped"] > 0
    assert second["run"]["incremental"]["scanned"] == 0

    export = next((estate / "sample_data" / "exports").glob("duty_free_*.csv"))
    gone = {v["fingerprint"] for v in second["violations"] if export.name in json.dumps(v, ensure_ascii=False)}
    export.unlink()
    code, third = _run(estate)
    assert code == 0
    statuses = _by_status(third)
    assert gone and statuses["fixed"] == gone
    assert statuses["open"] == everything - gone
    assert third["diff"]["fixed"] == len(gone) and third["diff"]["new"] == 0

    crm = estate / "sample_data" / "crm.sqlite"
    saved = crm.read_bytes()
    crm.write_bytes(b"this is not a database any more")  # the CRM is "down" for one run
    code, fourth = _run(estate)
    assert code != EXIT_FAILED
    assert any("crm" in json.dumps(e) for e in fourth["errors"])
    down = [s for s in fourth["sources"] if s["datastore"] == "crm"]
    assert [(s["status"], s["reason"]) for s in down] == [("failed", "corrupt")]
    assert "fixed" not in _by_status(fourth)
    crm.write_bytes(saved)
    code, fifth = _run(estate)
    assert _by_status(fifth) == {"open": everything - gone}


def test_a_source_that_cannot_be_read_is_named_in_the_run_and_its_notification(estate: Path, caplog):
    (estate / "sample_data" / "exports" / "broken.parquet").write_bytes(b"PAR1 not parquet at all PAR1")
    (estate / "sample_data" / "exports" / "scan.bin").write_bytes(bytes(range(256)) * 4)
    out = estate / "notified.json"
    import sys

    command = f"{sys.executable} -c \"import sys; open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())\""
    code, doc = _run(estate, notify_command=command)
    assert code != EXIT_FAILED
    ended = {s["source"].rsplit("/", 1)[-1]: (s["status"], s["reason"]) for s in doc["sources"]}
    assert ended["broken.parquet"] == ("failed", "corrupt") and ended["scan.bin"] == ("skipped", "binary")
    assert doc["stats"]["sources"]["failed"] == 1 and doc["stats"]["sources"]["skipped"] == 1
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["sources"] == doc["stats"]["sources"]
    assert {s["source"].rsplit("/", 1)[-1] for s in payload["not_scanned"]} == {"broken.parquet", "scan.bin"}
    assert "1 sources failed or were read in part" in caplog.text
    newest = max((estate / "reports").iterdir(), key=lambda p: int(p.name.rsplit("run", 1)[1]))
    assert "broken.parquet" in (newest / "report.html").read_text(encoding="utf-8")
