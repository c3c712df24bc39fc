"""Every report format says what the scan covered: counts per status and every source not fully scanned.

The fixture's result (conftest.SOURCE_TABLE) holds sources of every status,
Japanese names and a detail with a raw card number; a result from before the
`sources` list has no such section at all. Also: xlsx headline numbers are
numbers.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from scanner.report import write_all_reports, write_report
from scanner.report.wording import source_reason, source_status, sources_text
from scanner.report.xlsx import SHEETS
from tests.report.conftest import RAW_PAN, SOURCE_TABLE
from tests.report.readers import parse_html, read_csv

LANGS = ("ja", "en")
NOT_FULLY = [row for row in SOURCE_TABLE if row[2] != "scanned"]
COUNTS = {status: sum(1 for row in SOURCE_TABLE if row[2] == status)
          for status in ("scanned", "partial", "skipped", "failed")}


def test_the_fixture_has_every_status():
    assert all(COUNTS.values()) and NOT_FULLY


@pytest.mark.parametrize("lang", LANGS)
def test_html_lists_counts_and_every_source_not_fully_scanned(tmp_path, result, lang):
    [path] = write_report(result, "html", tmp_path / "r.html", lang)
    page = parse_html(path)
    cards = {attrs.get("data-source-status") for tag, attrs in page.tags if attrs.get("data-source-status")}
    assert cards == set(COUNTS)
    html = path.read_text(encoding="utf-8")
    for status, count in COUNTS.items():
        assert f'data-source-status="{status}"><div class="value">{count}</div>' in html
    rows = page.tables["sources-table"][1:]
    assert len(rows) == len(NOT_FULLY)
    assert [r[1] for r in rows] == [source_status(lang, s) for s in ("failed", "failed", "partial", "skipped",
                                                                       "skipped")]
    for source, table, _status, reason, *_ in NOT_FULLY:
        assert any(source in r[0] and (table or "") in r[0] and r[2] == source_reason(lang, reason) for r in rows)
    assert RAW_PAN not in html
    assert 'href="#sources"' in html


@pytest.mark.parametrize("lang", LANGS)
def test_markdown_lists_counts_and_sources_not_fully_scanned(tmp_path, result, lang):
    [path] = write_report(result, "md", tmp_path / "r.md", lang)
    text = path.read_text(encoding="utf-8")
    assert sources_text(lang, "not_fully") in text
    for status, count in COUNTS.items():
        assert f"{source_status(lang, status)} {count}" in text
    for source, _table, _status, reason, *_ in NOT_FULLY:
        assert source_reason(lang, reason) in text
        assert source.replace("_", "\\_") in text
    assert "sample\\_data/crm.sqlite" not in text  # fully scanned: counted, not listed
    assert RAW_PAN not in text


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_has_a_sources_sheet_and_numeric_counts(tmp_path, result, lang):
    [path] = write_report(result, "xlsx", tmp_path / "r.xlsx", lang)
    workbook = load_workbook(path)
    sheet = workbook[SHEETS[lang]["sources"]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(SOURCE_TABLE)
    assert [r[2] for r in rows[:len(NOT_FULLY)]] == [source_status(lang, s) for s in
                                                     ("failed", "failed", "partial", "skipped", "skipped")]
    assert all(isinstance(r[5], int) for r in rows)  # rows read: a number
    summary = {row[0]: row[1] for row in workbook[SHEETS[lang]["summary"]].iter_rows(values_only=True) if row[0]}
    for status, count in COUNTS.items():
        assert summary[source_status(lang, status)] == count


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_headline_numbers_are_numbers(tmp_path, result, lang):
    [path] = write_report(result, "xlsx", tmp_path / "r.xlsx", lang)
    sheet = load_workbook(path)[SHEETS[lang]["summary"]]
    values = {row[0].value: row[1] for row in sheet.iter_rows() if row[0].value and len(row) > 1}
    from scanner.report.labels import LABELS

    text = LABELS[lang]["text"]
    for key in ("card_violations", "card_critical", "card_high", "card_findings", "card_errors", "card_people",
                "stat_rows", "stat_cells", "stat_bytes"):
        cell = values[text[key]]
        assert cell.data_type == "n" and isinstance(cell.value, int), key
    assert values[text["card_people"]].value == 5400
    assert values[text["stat_bytes"]].value == 5_242_880
    assert values[text["stat_bytes"]].number_format == "#,##0"
    assert isinstance(values[text["stat_seconds"]].value, float)


@pytest.mark.parametrize("lang", LANGS)
def test_csv_lists_every_source_with_codes_and_labels(tmp_path, result, lang):
    paths = write_report(result, "csv", tmp_path / "out", lang)
    rows = read_csv(next(p for p in paths if p.name == "sources.csv"))
    assert [r["source"] for r in rows] == [row[0] for row in SOURCE_TABLE]
    assert [r["status"] for r in rows] == [row[2] for row in SOURCE_TABLE]
    assert [r["reason"] for r in rows] == [row[3] or "" for row in SOURCE_TABLE]
    assert {r["status_label"] for r in rows} == {source_status(lang, s) for s in COUNTS}
    assert RAW_PAN not in (tmp_path / "out" / "sources.csv").read_text(encoding="utf-8-sig")


def test_a_result_without_sources_shows_no_section(tmp_path, result):
    result.pop("sources")
    result["stats"].pop("sources", None)
    paths = write_all_reports(result, tmp_path / "out", "en")
    assert "sources.csv" not in {p.name for p in paths}
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert 'id="sources"' not in html and "Sources not fully scanned" not in html
    assert "**Sources:**" not in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "Sources" not in load_workbook(tmp_path / "out" / "report.xlsx").sheetnames


def test_every_source_scanned_says_so(tmp_path, result):
    result["sources"] = [s for s in result["sources"] if s["status"] == "scanned"]
    result["stats"]["sources"] = {"scanned": len(result["sources"]), "partial": 0, "skipped": 0, "failed": 0}
    [path] = write_report(result, "html", tmp_path / "r.html", "en")
    html = path.read_text(encoding="utf-8")
    assert sources_text("en", "all_scanned") in html and 'id="sources-table"' not in html
