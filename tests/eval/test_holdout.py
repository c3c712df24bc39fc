"""piiscan on a corpus it was never tuned on: the held-out score must stay near the dev score.

The corpus comes from tests/eval/generate_corpus.py (other header spellings,
encodings, containers and value formats than /work/shared/eval/dev, plus
decoys). It is scanned with the default options, exactly as a user would, and
scored by the project's own scorer (/work/shared/eval/score.py, run as a
script so this test cannot drift from it). On failure the scorer's table and
its lists of false positives and misses are in the assertion message.

A second check is stricter than the scorer: its leak check only knows the dev
corpus's `crm.db`, so here every full card number, passport number and My
Number the generator wrote is searched for in the findings file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from scanner.pipeline import ScanOptions, run_scan
from tests.conftest import SHARED_EVAL
from tests.eval.generate_corpus import generate

REPO = Path(__file__).resolve().parents[2]
SCORE = SHARED_EVAL / "score.py"
MIN_FIELD_F1 = 0.95
MIN_LINE_F1 = 0.95


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict:
    if not SCORE.exists():
        pytest.skip(f"scorer not found at {SCORE}")
    root = tmp_path_factory.mktemp("holdout")
    corpus = generate(root / "corpus")
    result = run_scan([str(corpus.root)], ScanOptions())
    findings_path = root / "findings.json"
    raw = json.dumps(result.to_dict(), ensure_ascii=False, indent=1)
    findings_path.write_text(raw, encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCORE), str(corpus.root), str(findings_path)],
                         capture_output=True, text=True, timeout=120)
    summary = re.search(r"field_f1=([\d.]+) line_f1=([\d.]+) leaked_values=(\d+)", run.stdout)
    assert summary, f"scorer printed no summary:\n{run.stdout}\n{run.stderr}"
    return {"corpus": corpus, "raw": raw, "result": result, "report": run.stdout,
            "field_f1": float(summary[1]), "line_f1": float(summary[2]), "scorer_leaks": int(summary[3])}


def test_corpus_is_deterministic(tmp_path):
    first, second = generate(tmp_path / "a"), generate(tmp_path / "b")
    files = sorted(p.relative_to(first.root) for p in first.root.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second.root) for p in second.root.rglob("*") if p.is_file())
    differing = [f for f in files if f.suffix != ".xlsx"  # openpyxl stamps the save time
                 and (first.root / f).read_bytes() != (second.root / f).read_bytes()]
    assert differing == []
    assert first.truth.to_json(0) == second.truth.to_json(0)


def test_every_source_reads_without_errors(scored):
    """A held-out file the sources cannot open would hide every miss inside it."""
    assert [(e.source, e.kind, e.message) for e in scored["result"].errors] == []
    scanned = {f.location.source for f in scored["result"].findings}
    labelled = {f["source"] for f in json.loads((scored["corpus"].root / "truth.json").read_text())["fields"]}
    assert labelled - scanned == set()


def test_field_f1(scored):
    assert scored["field_f1"] >= MIN_FIELD_F1, scored["report"]


def test_line_f1(scored):
    assert scored["line_f1"] >= MIN_LINE_F1, scored["report"]


def test_no_value_leaks(scored):
    raw = scored["raw"]
    flat = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", raw))
    # a count, never the values: pytest would print a list of them into the test log
    leaked = sum(1 for v in scored["corpus"].secrets if len(v) >= 8 and (v in raw or v in flat))
    assert scored["scorer_leaks"] == 0
    assert len(scored["corpus"].secrets) > 500  # the check has something to find
    assert leaked == 0
