"""Each format, in both languages, written from the fixture result and read back."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from scanner.report import FORMATS, ReportError, write_all_reports, write_report
from scanner.report.csv_report import csv_paths, header
from scanner.report.labels import LABELS
from scanner.report.view import FINDING_COLUMNS, VIOLATION_COLUMNS, build_view
from scanner.report.xlsx import SHEETS, display_width
from tests.report.conftest import VIOLATION_TABLE
from tests.report.readers import parse_html, read_csv

LANGS = ("ja", "en")


# --- HTML -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_html_summary_first_then_tables(tmp_path, result, lang):
    [path] = write_report(result, "html", tmp_path / "report.html", lang)
    page = parse_html(path)
    html = path.read_text(encoding="utf-8")
    text = LABELS[lang]["text"]
    assert f'<html lang="{lang}">' in html
    assert html.index('id="summary"') < html.index('id="violations"') < html.index('id="findings"')
    assert text["title"] in html and text["by_severity"] in html and text["impact"] in html
    # cards: 9 active violations (13 minus fixed, remediated, accepted, false positive), 3 critical
    assert re.search(r'data-card="violations"><div class="value">9<', html)
    assert re.search(r'data-card="critical"><div class="value">3<', html)
    # one SVG chart per dimension, one bar per severity
    assert html.count("<svg") == 3
    assert len(re.findall(r'class="bar sev-(critical|high|medium|low)"', html)) == 4
    # diff cards
    assert re.search(r'data-diff="new"><div class="value">5<', html)
    # tables: one row per violation / finding, plus the header
    assert len(page.tables["violations-table"]) == len(VIOLATION_TABLE) + 1
    assert len(page.tables["findings-table"]) == len(result["findings"]) + 1
    # Japanese field names, masked evidence, clause and remediation hint are shown
    assert "旅券番号" in html and "TK*****67" in html and "§5 Credit card information" in html
    assert LABELS[lang]["remediation"]["shadow_data"] in html  # default hint when the policy gave none
    assert LABELS[lang]["severity"]["critical"] in html and LABELS[lang]["kind"]["clear_pan"] in html
    assert "test data only (QA-112) · sato · 2027-03-31" in html  # the triage reason beside the status


def test_html_is_self_contained_and_escaped(tmp_path, result):
    [path] = write_report(result, "html", tmp_path / "r.html", "ja")
    page = parse_html(path)
    html = path.read_text(encoding="utf-8")
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed")
        for name in ("src", "href", "action"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert "default-src 'none'" in html
    assert not re.search(r"https?://(?!127\.0\.0\.1)", html.replace("http://www.w3.org/2000/svg", ""))
    # a field named <b>note</b> is shown as text, never as markup
    assert "&lt;b&gt;note&lt;/b&gt;" in html and "<b>note</b>" not in html
    assert "@media print" in html and "<script>" in html and "<style>" in html


def test_html_without_history_or_violations(tmp_path, first_run_result):
    [path] = write_report(first_run_result, "html", tmp_path / "r.html", "en")
    html = path.read_text(encoding="utf-8")
    assert LABELS["en"]["text"]["no_history"] in html
    assert LABELS["en"]["text"]["no_violations"] in html
    assert "violations-table" not in html and "findings-table" in html


# --- xlsx -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_sheets_headers_filters_and_values(tmp_path, result, lang):
    [path] = write_report(result, "xlsx", tmp_path / "report.xlsx", lang)
    workbook = load_workbook(path)
    names = SHEETS[lang]
    assert workbook.sheetnames == [names[k] for k in ("summary", "violations", "findings", "impact", "errors", "sources")]
    sheet = workbook[names["violations"]]
    headings = [c.value for c in sheet[1]]
    assert headings == [LABELS[lang]["columns"][c.key] for c in VIOLATION_COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(VIOLATION_COLUMNS)).column_letter}{len(VIOLATION_TABLE) + 1}"
    assert sheet.max_row == len(VIOLATION_TABLE) + 1
    rows = [dict(zip(headings, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    column = LABELS[lang]["columns"]
    assert rows[0][column["severity"]] == LABELS[lang]["severity"]["critical"]
    assert isinstance(rows[0][column["count"]], int)
    assert {r[column["field"]] for r in rows} >= {"旅券番号", "カード番号", "特記事項"}
    assert any("TK*****67" in (r[column["evidence"]] or "") for r in rows)
    widths = {sheet.cell(1, i + 1).column_letter: sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width
              for i in range(len(VIOLATION_COLUMNS))}
    assert all(8 <= w <= 60 for w in widths.values())
    font = sheet.cell(2, 1).font.name
    assert font == ("Yu Gothic" if lang == "ja" else "Calibri")
    findings = workbook[names["findings"]]
    assert findings.max_row == len(result["findings"]) + 1 and findings.freeze_panes == "A2"
    assert workbook[names["errors"]].max_row == 2


def test_xlsx_stores_formula_like_text_as_text(tmp_path, result):
    result["violations"][0]["field"] = '=HYPERLINK("http://evil.example","x")'
    [path] = write_report(result, "xlsx", tmp_path / "r.xlsx", "en")
    sheet = load_workbook(path)["Violations"]
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize(("text", "width"), [("abc", 3), ("旅券番号", 8), ("ＡＢ", 4), ("", 0)])
def test_display_width_counts_wide_characters_twice(text, width):
    assert display_width(text) == width


# --- CSV --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_csv_rows_columns_and_bom(tmp_path, result, lang):
    violations_path, findings_path, sources_path = write_report(result, "csv", tmp_path / "out", lang)
    assert (violations_path.name, findings_path.name, sources_path.name) == (
        "violations.csv", "findings.csv", "sources.csv")
    assert violations_path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in violations_path.read_bytes()
    violations = read_csv(violations_path)
    findings = read_csv(findings_path)
    assert list(violations[0]) == header(VIOLATION_COLUMNS)
    assert list(findings[0]) == header(FINDING_COLUMNS)
    assert len(violations) == len(VIOLATION_TABLE) and len(findings) == len(result["findings"])
    assert {v["kind"] for v in violations} == {row[0] for row in VIOLATION_TABLE}
    assert violations[0]["severity"] == "critical"
    assert violations[0]["severity_label"] == LABELS[lang]["severity"]["critical"]
    passport = next(v for v in violations if v["field"] == "旅券番号" and v["kind"] == "purpose_not_permitted")
    assert passport["evidence"] == "TK*****67 | MZ*****21" and passport["count"] == "310"
    text_finding = next(f for f in findings if f["method"] == "text")
    assert text_finding["lines"] == "17;233;1090"


def test_csv_header_is_the_same_in_both_languages(tmp_path, result):
    ja = read_csv(write_report(result, "csv", tmp_path / "ja", "ja")[0])
    en = read_csv(write_report(result, "csv", tmp_path / "en", "en")[0])
    assert list(ja[0]) == list(en[0])
    assert [r["fingerprint"] for r in ja] == [r["fingerprint"] for r in en]


def test_csv_neutralises_formulas(tmp_path, result):
    result["violations"][0]["datastore"] = "=cmd|' /C calc'!A0"
    rows = read_csv(write_report(result, "csv", tmp_path, "en")[0])
    assert any(r["datastore"] == "'=cmd|' /C calc'!A0" for r in rows)


@pytest.mark.parametrize(("output", "expected"), [
    ("out", ("out/violations.csv", "out/findings.csv", "out/sources.csv")),
    ("out/scan.csv", ("out/scan.violations.csv", "out/scan.findings.csv", "out/scan.sources.csv")),
    ("REPORT.CSV", ("REPORT.violations.csv", "REPORT.findings.csv", "REPORT.sources.csv")),
])
def test_csv_output_paths(tmp_path, output, expected):
    assert csv_paths(tmp_path / output) == tuple(tmp_path / e for e in expected)


# --- Markdown ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_markdown_summary(tmp_path, result, lang):
    [path] = write_report(result, "md", tmp_path / "report.md", lang)
    md = path.read_text(encoding="utf-8")
    labels = LABELS[lang]
    assert md.startswith(f"## {labels['text']['title']}")
    assert f"{labels['severity']['critical']} 3" in md
    assert f"{labels['status']['new']} 5" in md
    assert "`TK*****67`" in md and "旅券番号" in md
    assert "\\<b\\>note\\</b\\>" in md  # escaped, cannot break out of the table
    table_rows = [line for line in md.splitlines() if line.startswith("| ") and "`" in line]
    assert len(table_rows) == 9  # the active violations, most severe first
    assert labels["severity"]["critical"] in table_rows[0]
    assert all(line.count(" | ") == table_rows[0].count(" | ") for line in table_rows)


def test_markdown_caps_the_violation_list(tmp_path, result):
    extra = [dict(result["violations"][0], fingerprint=f"{i:064x}") for i in range(12)]
    result["violations"] += extra
    md = write_report(result, "md", tmp_path / "r.md", "en")[0].read_text(encoding="utf-8")
    assert "and 11 more" in md


# --- API --------------------------------------------------------------------------------------------

def test_write_all_reports_writes_every_file(tmp_path, result):
    paths = write_all_reports(result, tmp_path / "out", "ja")
    names = sorted(p.name for p in paths)
    assert names == ["findings.csv", "report.html", "report.md", "report.xlsx", "result.json", "sources.csv",
                     "violations.csv"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]


def test_write_all_reports_uses_the_locale_when_no_language_given(tmp_path, result, monkeypatch):
    monkeypatch.setenv("PIISCAN_LANG", "ja")
    write_all_reports(result, tmp_path, None)
    assert '<html lang="ja">' in (tmp_path / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "lang", "message"), [
    ("pdf", "ja", "unknown report format 'pdf'"),
    ("html", "fr", "unknown report language 'fr'"),
])
def test_write_report_refuses_unknown_format_or_language(tmp_path, result, fmt, lang, message):
    with pytest.raises(ReportError, match=message):
        write_report(result, fmt, tmp_path / "x", lang)


def test_write_report_refuses_a_directory_as_a_file(tmp_path, result):
    with pytest.raises(ReportError, match="is a directory"):
        write_report(result, "html", tmp_path, "en")


def test_formats_registry():
    assert set(FORMATS) == {"html", "xlsx", "csv", "md"}


def test_violations_are_sorted_most_severe_first(result):
    view = build_view(result, "en")
    ranks = [("critical", "high", "medium", "low").index(v.severity) for v in view.violations]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize(("lang", "estimated", "exact"), [("en", "Estimated", "Exact"), ("ja", "推定", "実数")])
def test_an_estimated_count_says_so(result, lang, estimated, exact):
    """A count extrapolated from a share (free_text.confirm_hits) is marked in every format."""
    doc = dict(result)
    doc["findings"] = [dict(f, count_estimated=(i == 0)) for i, f in enumerate(result["findings"])]
    view = build_view(doc, lang)
    column = next(c for c in FINDING_COLUMNS if c.key == "count_estimated")
    assert [view.cell(row, column) for row in view.findings].count(estimated) == 1
    assert exact in {view.cell(row, column) for row in view.findings}
    assert sorted(view.export(row, column) for row in view.findings) == [False] * (len(view.findings) - 1) + [True]
