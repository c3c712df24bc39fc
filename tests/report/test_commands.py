"""`piiscan report` through click: formats, defaults, and clear errors for bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from scanner.report.commands import report
from tests.report.conftest import RAW_PAN


@pytest.fixture
def result_file(tmp_path, result):
    path = tmp_path / "result.json"
    path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return path


def run(*args, env=None):
    return CliRunner().invoke(report, [str(a) for a in args], env=env or {"PIISCAN_LANG": "en"})


@pytest.mark.parametrize(("fmt", "names"), [
    ("html", ["result.html"]),
    ("xlsx", ["result.xlsx"]),
    ("md", ["result.md"]),
    ("csv", ["result.violations.csv", "result.findings.csv", "result.sources.csv"]),
])
def test_default_output_is_beside_the_result(result_file, fmt, names):
    outcome = run(result_file, "--format", fmt)
    assert outcome.exit_code == 0, outcome.output
    assert outcome.output.split() == [str(result_file.with_name(n)) for n in names]


def test_explicit_output_and_language(tmp_path, result_file):
    outcome = run(result_file, "--format", "html", "--output", tmp_path / "r" / "x.html", "--lang", "ja")
    assert outcome.exit_code == 0, outcome.output
    assert '<html lang="ja">' in (tmp_path / "r" / "x.html").read_text(encoding="utf-8")


def test_language_defaults_to_the_locale(tmp_path, result_file):
    outcome = run(result_file, "-o", tmp_path / "x.html", env={"LANG": "ja_JP.UTF-8", "PIISCAN_LANG": ""})
    assert outcome.exit_code == 0, outcome.output
    assert '<html lang="ja">' in (tmp_path / "x.html").read_text(encoding="utf-8")


def test_format_all_writes_a_directory(tmp_path, result_file):
    outcome = run(result_file, "--format", "all", "--output", tmp_path / "out")
    assert outcome.exit_code == 0, outcome.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "findings.csv", "report.html", "report.md", "report.xlsx", "result.json", "sources.csv", "violations.csv"]


def test_invalid_json_names_the_file_and_position(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"schema_version": "1.0", ' + RAW_PAN, encoding="utf-8")
    outcome = run(path)
    assert outcome.exit_code == 1
    assert str(path) in outcome.output and "not valid JSON" in outcome.output and "line 1" in outcome.output
    assert RAW_PAN not in outcome.output


def test_schema_mismatch_names_the_bad_path(result_file, result):
    result["violations"][0]["severity"] = "urgent"
    result_file.write_text(json.dumps(result), encoding="utf-8")
    outcome = run(result_file)
    assert outcome.exit_code == 1
    assert "$.violations[0].severity" in outcome.output and str(result_file) in outcome.output
    assert not result_file.with_suffix(".html").exists()
    # --no-validate renders what it can
    assert run(result_file, "--no-validate").exit_code == 0


def test_not_an_object(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    outcome = run(path)
    assert outcome.exit_code == 1 and "not a piiscan result" in outcome.output


def test_unknown_format_is_a_usage_error(result_file):
    outcome = run(result_file, "--format", "pdf")
    assert outcome.exit_code == 2 and "pdf" in outcome.output
