"""Every report shows why a finding was made, worded in the report's language."""

from __future__ import annotations

import csv
import io

import pytest

from scanner.report import write_report
from scanner.report.why_text import why_sentence

WHY = {"recognizers": ["CreditCardRecognizer"], "column_hint": "card|cc_num", "share": 0.98,
       "validator_pass_rate": 1.0, "context_words": ["pan"], "text_hits": 3}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "column name matches card|cc_num; 98% of values matched and validated; validator passed 100%; "
            "context: pan; found in text 3 times; by CreditCardRecognizer"),
     ("ja", "列名が一致(card|cc_num)、値の98%が一致・検証済み、検証合格率100%、文脈語: pan、本文中で3件、"
            "認識器: CreditCardRecognizer")],
)
def test_the_sentence_in_each_language(lang, expected):
    assert why_sentence(WHY, lang) == expected


@pytest.mark.parametrize(
    ("why", "expected"),
    [(None, ""), ({}, ""), ({"column_hint": "not:order_no"}, "column name says it is not (order_no)"),
     ({"column_hint": "x" * 60}, "column name matches " + "x" * 40 + "…"),
     ({"share": True, "text_hits": "3"}, "")],  # wrong types are ignored, never printed
)
def test_missing_negative_long_and_malformed(why, expected):
    assert why_sentence(why, "en") == expected


def _result() -> dict:
    return {"schema_version": "1.0", "targets": ["exports"], "stats": {}, "errors": [], "violations": [],
            "impact": [], "findings": [{"entity_type": "CREDIT_CARD", "source": "refunds.csv", "table": None,
                                        "field": "card_number", "count": 40, "sampled": 40, "rows_scanned": 40,
                                        "confidence": 1.0, "examples": ["4111 11** **** 1111"],
                                        "method": "column", "why": WHY}]}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_html_and_csv_show_it(tmp_path, lang):
    [html] = write_report(_result(), "html", tmp_path / "r.html", lang)
    assert why_sentence(WHY, lang) in html.read_text(encoding="utf-8")
    paths = write_report(_result(), "csv", tmp_path, lang)
    findings = next(p for p in paths if p.name == "findings.csv")
    [row] = list(csv.DictReader(io.StringIO(findings.read_text(encoding="utf-8-sig"))))
    assert row["why"] == why_sentence(WHY, lang)


def test_xlsx_shows_it(tmp_path):
    import openpyxl

    [book] = write_report(_result(), "xlsx", tmp_path / "r.xlsx", "en")
    sheet = openpyxl.load_workbook(book)["Findings"]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert why_sentence(WHY, "en") in values
