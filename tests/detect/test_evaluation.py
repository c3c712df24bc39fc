"""`piiscan eval CORPUS_DIR`: per-entity precision/recall/F1 on a labelled corpus, score.py's
figures, a leak check and exit codes. The corpus is written by the test."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from scanner.evaluation import Counts, eval_command, evaluate

TRUTH = {
    "fields": [
        {"source": "guests.csv", "container": None, "field": "email", "entities": ["EMAIL_ADDRESS"]},
        {"source": "guests.csv", "container": None, "field": "passport_no", "entities": ["PASSPORT_NUMBER"]},
        {"source": "crm.db", "container": "members", "field": "tel", "entities": ["PHONE_NUMBER"]},
    ],
    "lines": [
        {"source": "app.log", "line": 2, "entities": ["EMAIL_ADDRESS"]},
        {"source": "app.log", "line": 3, "entities": ["PASSPORT_NUMBER"]},
        {"source": "crm.db#notes", "line": 1, "entities": ["PERSON"]},  # a table's text: not scored by line
    ],
}


def _finding(entity, source, field=None, table=None, lines=None):
    return {"entity_type": entity, "source": source, "table": table, "field": field,
            "lines": lines, "line": lines[0] if lines else None, "examples": []}


FINDINGS = [
    _finding("EMAIL_ADDRESS", "guests.csv", "email"),  # tp
    _finding("PERSON", "guests.csv", "email"),  # fp
    _finding("PHONE_NUMBER", "/data/corpus/crm.db", "tel", "members"),  # tp (source ends with crm.db)
    _finding("EMAIL_ADDRESS", "app.log", lines=[2, 5]),  # line 2 tp, line 5 fp
    _finding("LOCATION", "guests.csv", "city"),  # not an evaluated type: ignored
    _finding("EMAIL_ADDRESS", "elsewhere.csv", "email"),  # not in the corpus: unmatched
]


def test_scores_per_entity_and_level():
    result = evaluate(TRUTH, FINDINGS, {"guests.csv", "app.log", "crm.db"})
    fields, lines = result.fields.per_entity(), result.lines.per_entity()
    assert fields == {"EMAIL_ADDRESS": Counts(1, 0, 0), "PERSON": Counts(0, 1, 0),
                      "PASSPORT_NUMBER": Counts(0, 0, 1), "PHONE_NUMBER": Counts(1, 0, 0)}
    assert lines == {"EMAIL_ADDRESS": Counts(1, 1, 0), "PASSPORT_NUMBER": Counts(0, 0, 1)}
    assert result.fields.total == Counts(2, 1, 1) and result.fields.total.f1 == pytest.approx(2 / 3)
    assert result.unmatched == 1 and result.leaked_values == 0


@pytest.mark.parametrize(("raw", "leaks"), [
    ('{"examples": ["411111******1111", "TK*****67"]}', 0),
    ('{"examples": ["4111111111111111"]}', 1),
    ('{"message": "bad row TK1234567 / TK1234567"}', 1),
    ('{"examples": ["4111111111111112"]}', 0),  # not Luhn-valid: not a card number
])
def test_leak_check(raw, leaks):
    assert evaluate(TRUTH, [], set(), raw=raw).leaked_values == leaks


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "guests.csv").write_text(
        "name,email,passport_no,note\n"
        "a,kmyers@example.org,TK1234567,x\nb,aoki@example.com,TR7654321,y\nc,sato@example.net,MU1111111,z\n",
        encoding="utf-8")
    (tmp_path / "app.log").write_text(
        "INFO start\nWARN mail to kmyers@example.org bounced\nINFO passport TK1234567 checked\n", encoding="utf-8")
    truth = {"fields": TRUTH["fields"][:2], "lines": TRUTH["lines"][:2]}
    (tmp_path / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return tmp_path


def test_the_command_scans_and_prints_score_py_figures(corpus):
    result = CliRunner().invoke(eval_command, [str(corpus), "--min-f1", "1", "--min-line-f1", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "field_f1=1.000 line_f1=1.000 leaked_values=0 findings=4"
    assert "== fields" in result.output and "== lines of text files" in result.output


def test_under_min_f1_exits_1(corpus, tmp_path):
    found = tmp_path / "found.json"
    found.write_text(json.dumps({"findings": [_finding("EMAIL_ADDRESS", "guests.csv", "email")]}), encoding="utf-8")
    result = CliRunner().invoke(eval_command, [str(corpus), "--findings", str(found), "--min-f1", "0.9"])
    assert result.exit_code == 1
    assert "field_f1=0.667" in result.output


def test_a_leak_exits_1(corpus, tmp_path):
    found = tmp_path / "found.json"
    found.write_text(json.dumps({"findings": [], "note": "4111 1111 1111 1111"}), encoding="utf-8")
    result = CliRunner().invoke(eval_command, [str(corpus), "--findings", str(found)])
    assert result.exit_code == 1 and "leaked_values=1" in result.output


def test_a_corpus_without_truth_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(eval_command, [str(tmp_path)])
    assert result.exit_code == 2 and "truth.json" in result.output
