"""What the command line says and returns when things go wrong (issue: nothing silent).

Every case runs the real `piiscan` process: a usage error is one line on
stderr and exit 2, never a traceback or a password; a failed source is
announced on stderr even when the result goes to a file; --fail-on works on
named targets; Ctrl-C exits 130 and leaves no half-written output.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def piiscan(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scanner.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("does/not/exist", "no such file or directory: does/not/exist"),
        ("postgresq://scanner:hunter2-secret@db.internal/crm", "unknown scheme 'postgresq'"),
        ("postgresql://scanner:hunter2-secret@db.internal:abc/crm", "not a usable database URL"),
        ("postgresql://scanner:hunter2-secret@db.internal:70000/crm", "out of range"),
    ],
)
def test_a_target_that_cannot_be_scanned_is_one_line_and_exit_2(tmp_path, target, says):
    out = tmp_path / "out.json"
    proc = piiscan("scan", target, "-o", str(out))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], proc.stderr
    assert "hunter2" not in proc.stderr + proc.stdout and "Traceback" not in proc.stderr
    assert not out.exists()


def test_fail_on_high_fires_for_clear_card_numbers_in_a_named_target(tmp_path):
    (tmp_path / "refunds.csv").write_text(
        "booking_id,card_number\n" + "".join(f"B{i:04d},4111 1111 1111 1111\n" for i in range(40)), encoding="utf-8")
    proc = piiscan("scan", str(tmp_path), "--fail-on", "high", "-o", str(tmp_path / "r.json"))
    assert proc.returncode == 1, proc.stderr
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    kinds = {v["kind"] for v in doc["violations"]}
    assert "clear_pan" in kinds and "shadow_data" in kinds  # undeclared store: its card data is shadow data
    assert "4111111111111111" not in json.dumps(doc).replace(" ", "")


def test_output_file_named_json_gets_json_and_failures_are_announced(tmp_path):
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not parquet PAR1")
    (tmp_path / "ok.csv").write_text("email\na@example.com\n", encoding="utf-8")
    out = tmp_path / "result.json"
    proc = piiscan("scan", str(tmp_path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))  # JSON without --format json: the name says so
    assert doc["stats"]["sources"]["failed"] == 1
    assert "1 sources failed" in proc.stderr and str(out) in proc.stderr


def test_a_scan_in_which_every_source_failed_exits_3(tmp_path):
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not parquet PAR1")
    proc = piiscan("scan", str(tmp_path / "broken.parquet"), "--format", "json")
    assert proc.returncode == 3, proc.stderr
    assert json.loads(proc.stdout)["sources"][0]["status"] == "failed"


def test_ctrl_c_exits_130_and_writes_no_output(tmp_path):
    estate = tmp_path / "estate"
    estate.mkdir()
    rows = "".join(f"{i},user{i}@example.com,090-1234-{i % 10000:04d}\n" for i in range(20000))
    for n in range(300):
        (estate / f"part{n:03d}.csv").write_text("id,email,phone\n" + rows, encoding="utf-8")
    out = tmp_path / "out.json"
    proc = subprocess.Popen([sys.executable, "-m", "scanner.cli", "scan", str(estate), "--full", "-o", str(out),
                             "--log-level", "INFO"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 120
        seen = ""
        while "scanning part" not in seen and time.monotonic() < deadline:  # the scan is under way
            seen += proc.stderr.readline()
        assert "scanning part" in seen, seen[-2000:]
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err[-2000:]
    assert "interrupted" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".out.json*"))


def test_missing_optional_extra_is_one_line_naming_the_install(tmp_path, monkeypatch):
    """--engine spark without pyspark: one line naming the pip install, exit 2 (pyspark hidden)."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "import sys\nclass _Hide:\n    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'pyspark' or name.startswith('pyspark.'):\n            raise ImportError(name)\n"
        "sys.meta_path.insert(0, _Hide())\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(shim)}
    proc = subprocess.run([sys.executable, "-m", "scanner.cli", "scan", "--engine", "spark", "sample_data/exports"],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'piiscan[spark]'" in lines[0]
