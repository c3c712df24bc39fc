"""The whole tool, as a user runs it: CLI in a subprocess, real files, real outputs.

The no-leak test scans the sample estate at DEBUG with every report format and
searches every byte written (stdout, stderr, JSON, HTML, xlsx XML, CSV,
Markdown) for the raw card numbers, passport numbers, My Numbers and track data
that the estate holds.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SHARED_EVAL

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"
EVAL_DEV = SHARED_EVAL / "dev"


def piiscan(*args: str, cwd: Path = REPO, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "scanner.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def raw_secrets() -> set[str]:
    """Values that must never be printed: full PANs, passport numbers, My Numbers, track data."""
    con = sqlite3.connect(f"file:{SAMPLE / 'crm.sqlite'}?mode=ro", uri=True)
    try:
        values = {r[0] for r in con.execute("select card_number from payments") if r[0] and "*" not in r[0]}
        values |= {r[0] for r in con.execute("select passport_number from bookings") if r[0]}
        values |= {r[0] for r in con.execute("select kojin_bango from legacy_import_2019") if r[0]}
    finally:
        con.close()
    log = (SAMPLE / "logs" / "app.log").read_text(encoding="utf-8")
    values |= set(re.findall(r";(\d{12,19}=\d{6,})\?", log))
    values |= set(re.findall(r"%B(\d{12,19})\^", log))
    return {re.sub(r"[\s-]", "", v) for v in values if len(v) >= 8}


def all_text_written(report_dir: Path, *streams: str) -> str:
    parts = list(streams)
    for path in sorted(report_dir.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                parts += [book.read(name).decode("utf-8", "replace") for name in book.namelist()]
        elif path.is_file():
            parts.append(path.read_text(encoding="utf-8-sig", errors="replace"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def inventory_scan(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("scan")
    proc = piiscan("scan", "--format", "json", "--output", str(out / "stdout.json"), "--report", str(out / "report"),
                   "--log-level", "DEBUG", "--lang", "en")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {"dir": out, "proc": proc, "doc": json.loads((out / "stdout.json").read_text(encoding="utf-8"))}


def test_inventory_scan_finds_every_violation_kind(inventory_scan):
    kinds = {v["kind"] for v in inventory_scan["doc"]["violations"]}
    assert kinds >= {"purpose_not_permitted", "prohibited_data", "clear_pan", "retention_exceeded", "shadow_data",
                     "recipient_excess"}
    assert inventory_scan["doc"]["impact"], "impact per datastore"


def test_inventory_scan_writes_every_report_format(inventory_scan):
    names = {p.name for p in (inventory_scan["dir"] / "report").iterdir()}
    assert {"report.html", "report.xlsx", "report.md", "violations.csv", "findings.csv", "result.json"} <= names


def test_nothing_written_holds_a_raw_value(inventory_scan):
    secrets = raw_secrets()
    assert len(secrets) > 50, "the estate must hold raw values for this test to mean anything"
    proc = inventory_scan["proc"]
    assert "DEBUG" in proc.stderr, "the scan ran at DEBUG, so every log line is in the haystack"
    text = all_text_written(inventory_scan["dir"], proc.stdout, proc.stderr)
    squeezed = re.sub(r"[\s\-]", "", text)
    leaked = sorted(s for s in secrets if s in text or s in squeezed)
    assert not leaked, f"{len(leaked)} raw values leaked"
    for finding in inventory_scan["doc"]["findings"]:
        if finding["entity_type"] == "CARD_SECURITY_CODE":
            assert all(set(e) <= {"*"} for e in finding["examples"])


def test_result_matches_the_published_schema(inventory_scan):
    from scanner.schema import validate_result

    validate_result(inventory_scan["doc"])


def test_directory_scan_table_output():
    proc = piiscan("scan", "sample_data/exports", "sample_data/logs")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "PASSPORT_NUMBER" in proc.stdout and "CARD_TRACK_DATA" in proc.stdout


def test_bad_input_is_recorded_and_the_scan_goes_on(tmp_path):
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not parquet PAR1")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "顧客.csv").write_bytes("氏名,メールアドレス\n山田 太郎,taro@example.jp\n".encode("cp932"))
    proc = piiscan("scan", str(tmp_path), "--format", "json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(proc.stdout)
    assert [e["source"] for e in doc["errors"]] == ["broken.parquet"]
    assert doc["stats"]["files_skipped_binary"] == 1
    ended = {s["source"]: (s["status"], s["reason"]) for s in doc["sources"]}
    assert ended == {"blob.bin": ("skipped", "binary"), "broken.parquet": ("failed", "corrupt"),
                     "顧客.csv": ("scanned", None)}
    assert doc["stats"]["sources"] == {"scanned": 1, "partial": 0, "skipped": 1, "failed": 1}
    assert "1 sources failed" in proc.stderr
    found = {(f["source"], f["field"], f["entity_type"]) for f in doc["findings"]}
    assert ("顧客.csv", "メールアドレス", "EMAIL_ADDRESS") in found
    assert ("顧客.csv", "氏名", "PERSON") in found


def test_broken_config_is_one_clear_error_and_exit_2(tmp_path):
    bad = tmp_path / "policy.yaml"
    bad.write_text("version: 1\ncategories: 7\n", encoding="utf-8")
    proc = piiscan("scan", "--policy", str(bad))
    assert proc.returncode == 2
    assert "policy.yaml" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare(1) not available")
def test_scan_needs_no_network():
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces not permitted here")
    proc = piiscan("scan", "sample_data", "--format", "json", prefix=("unshare", "-rn"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["findings"]


@pytest.mark.skipif(not EVAL_DEV.is_dir(), reason="evaluation corpus ../shared/eval/dev not present")
def test_dev_corpus_scores_above_the_bar(tmp_path):
    out = tmp_path / "out.json"
    proc = piiscan("scan", str(EVAL_DEV), "--format", "json", "--output", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    score = subprocess.run([sys.executable, str(EVAL_DEV.parent / "score.py"), str(EVAL_DEV), str(out),
                            "--min-f1", "0.95", "--min-line-f1", "0.95"], capture_output=True, text=True)
    assert score.returncode == 0, score.stdout[-3000:]
