"""The Japanese report is Japanese: no clause, remediation, title or impact reason of the default policy in English.

The default policy is evaluated over findings on the sample estate that raise
every violation kind; for each kind the Japanese report (HTML, Markdown, CSV and
xlsx) must hold the policy's Japanese wording and none of the English prose the
policy (or the impact reasons) is written in.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scanner.model import ScanResult
from scanner.policy.config import load_inventory, load_policy
from scanner.policy.evaluate import evaluate_full
from scanner.policy.policy_model import KINDS, Policy
from scanner.report import write_all_reports

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "scanner" / "defaults" / "policy.yaml"  # the one default policy (configs/ links to it)
INVENTORY = ROOT / "configs" / "inventory.yaml"
TODAY = dt.date(2025, 11, 1)
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'-]+(?:,? [A-Za-z][A-Za-z'-]+){2,}")  # three English words or more


def finding(entity: str, source: str, table: str | None, field: str | None, count: int = 1500) -> dict:
    return {"entity_type": entity, "source": source, "table": table, "field": field, "line": None, "lines": None,
            "count": count, "sampled": count, "rows_scanned": count, "confidence": 0.9, "examples": [],
            "method": "column"}


FINDINGS = [  # together they raise every kind (checked below, so an empty loop cannot pass)
    finding("PERSON", "crm.sqlite", "customers", "family_name"),
    finding("PASSPORT_NUMBER", "crm.sqlite", "bookings", "passport_number"),
    finding("PASSPORT_NUMBER", "crm.sqlite", "marketing_contacts", "passport_number"),
    finding("CREDIT_CARD", "crm.sqlite", "payments", "card_number"),
    finding("CARD_SECURITY_CODE", "crm.sqlite", "payments", "cvv"),
    finding("JP_MY_NUMBER", "crm.sqlite", "legacy_import_2019", "kojin_bango"),
    finding("SPECIAL_CARE_INFO", "crm.sqlite", "bookings", "special_requests"),
    finding("DATE_OF_BIRTH", "exports/duty_free_2025-10.csv", None, "生年月日"),
    finding("PHONE_NUMBER", "events/app_events.jsonl", None, "payload.contact_phone"),
]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(POLICY)


@pytest.fixture(scope="module")
def evaluation(policy):
    inventory = load_inventory(INVENTORY, policy)
    return evaluate_full(FINDINGS, policy, inventory, today=TODAY)


def english_phrases(policy: Policy) -> set[str]:
    """Every run of three or more English words in the policy's clauses, titles and remediation texts."""
    texts: list[str | None] = [policy.impact.clause]
    for rule in policy.rules.values():
        texts += [rule.clause, rule.remediation]
    for category in policy.categories.values():
        if category.prohibited is not None:
            texts.append(category.prohibited.clause)
    for item in (*policy.purposes.values(), *policy.recipients.values()):
        texts += [item.title, item.clause]
    texts += [rule.clause for rule in policy.retention.values()]
    return {phrase for text in texts if text for phrase in ENGLISH.findall(text)}


@pytest.mark.parametrize("kind", KINDS)
def test_default_policy_words_every_rule_in_japanese(policy, kind):
    rule = policy.rules[kind]
    assert rule.remediation_ja and not ENGLISH.search(rule.remediation_ja.format_map(_blank()))
    if rule.clause:
        assert rule.clause_ja and not ENGLISH.search(rule.clause_ja)


def test_default_policy_words_every_clause_and_title_in_japanese(policy):
    assert policy.impact.clause_ja
    assert all(category.title_ja for category in policy.categories.values())
    items = [*policy.purposes.values(), *policy.recipients.values()]
    assert items and all(item.title_ja and not ENGLISH.search(item.title_ja) for item in items)
    assert all(rule.clause_ja and rule.runs_from_ja for rule in policy.retention.values())
    prohibitions = [c.prohibited for c in policy.categories.values() if c.prohibited is not None]
    assert prohibitions and all(p.clause_ja for p in prohibitions)
    for item in items:  # clauses without a Japanese wording must be bare references (§2), not prose
        assert item.clause_ja or not ENGLISH.search(item.clause)


def test_the_findings_raise_every_kind(evaluation):
    assert {v.kind for v in evaluation.violations} == set(KINDS)
    assert any(i.reportable and len(i.grounds) == 3 for i in evaluation.impact)


def _report_text(doc: dict, directory: Path) -> str:
    paths = write_all_reports(doc, directory, "ja")
    parts = [p.read_bytes().decode("utf-8-sig") for p in paths if p.suffix in (".html", ".md", ".csv")]
    workbook = load_workbook(directory / "report.xlsx")
    for sheet in workbook.worksheets:
        parts += [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    return "\n".join(parts)


@pytest.mark.parametrize("kind", KINDS)
def test_japanese_report_holds_no_english_clause_text(tmp_path, policy, evaluation, kind):
    violations = [v for v in evaluation.violations if v.kind == kind]
    assert violations
    doc = ScanResult(targets=["sample_data"], violations=violations, impact=evaluation.impact).to_dict()
    text = _report_text(doc, tmp_path)
    for violation in violations:
        assert violation.remediation_ja and violation.remediation not in text
        # names, not codes: the category and data type in Japanese (the English codes stay in their own columns)
        template = policy.rules[kind].remediation_ja
        if "{category}" in template:
            assert f" {policy.categories[violation.category].title_ja} " in violation.remediation_ja
        if "{entity_type}" in template:
            assert f" {violation.entity_type} " not in violation.remediation_ja
        if "{date_role}" in template:
            assert violation.date_role not in violation.remediation_ja
        assert violation.remediation_ja in text
        assert violation.clause_ja or not ENGLISH.search(violation.clause)  # a bare reference such as §1(5)
        assert (violation.clause_ja or violation.clause) in text
    leaked = sorted(phrase for phrase in english_phrases(policy) if phrase in text)
    assert leaked == []
    for impact in evaluation.impact:
        assert not [reason for reason in impact.reasons if reason in text]
    assert "施行規則第7条第1号" in text and "要配慮個人情報" in text


def _blank() -> dict[str, str]:
    from collections import defaultdict

    return defaultdict(str)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_html_names_a_cjk_font_stack(tmp_path, lang):
    """Japanese renders wherever a Japanese font exists: Linux (Noto), macOS (Hiragino), Windows (Yu Gothic, Meiryo)."""
    from scanner.report import write_report

    [path] = write_report(ScanResult(targets=["x"]).to_dict(), "html", tmp_path / "r.html", lang)
    html = path.read_text(encoding="utf-8")
    body = html[html.index("font-family:", html.index("body {")):]
    stack = body[: body.index(";")]
    wanted = ['"Noto Sans CJK JP"', '"Hiragino Sans"', '"Yu Gothic"', '"Meiryo"', "sans-serif"]
    positions = [stack.index(name) for name in wanted]
    assert positions == sorted(positions)


def test_error_kinds_are_worded_in_japanese(tmp_path):
    from scanner.model import ScanError
    from scanner.report import write_report

    doc = ScanResult(targets=["x"], errors=[ScanError("a.parquet", "bad footer", None, "parse_error"),
                                            ScanError("b.csv", "too big", None, "too_large")]).to_dict()
    [path] = write_report(doc, "html", tmp_path / "r.html", "ja")
    html = path.read_text(encoding="utf-8")
    assert "解析エラー" in html and "サイズ超過" in html
