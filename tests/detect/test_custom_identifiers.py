"""Custom identifiers and allow lists from configs/detection.yaml, without code.

A company declares its own identifier (pattern, validator, context, field hints,
score) and values that are never findings; the same vectorised engine scans with
them and masks what it finds. A bad entry is one ConfigError naming file and key.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from stdnum.iso7064 import mod_97_10

from recognizers import default_recognizers, registry
from recognizers.custom import VALIDATORS, run_validator
from scanner.configfiles import ConfigError
from scanner.detect.config import load_detection_config
from scanner.detect.engine import ColumnStats, Detector
from scanner.model import Location

CONFIG = """
custom_identifiers:
  - entity: TEST_MEMBER_CARD
    pattern: "MC[0-9]{10}"
    validator: luhn
    context: [member card, 会員カード]
    field_hints: ["member_?card"]
    negative_hints: [sample]
    score: 0.7
    label_en: Member card
    label_ja: 会員カード番号
    mask: {keep_start: 2, keep_end: 3}
  - entity: TEST_STAFF_CODE
    pattern: "ST-[0-9]{6}"
    context: [staff]
    context_required: true
allow_list:
  PHONE_NUMBER: ["03-5460-3940"]
  CREDIT_CARD:
    - "4111 1111 1111 1111"
    - {pattern: "5555[0-9]{12}"}
  TEST_MEMBER_CARD:
    - {pattern: "MC0000[0-9]{6}"}
"""

# MC + 10 digits, Luhn-valid over the digits (the validator ignores the letters)
MEMBER = "MC4992739872"
MEMBER_BAD = "MC4992739871"
MEMBER_ALLOWED = "MC0000000000"


@pytest.fixture
def detector(tmp_path):
    path = tmp_path / "detection.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return Detector(default_recognizers(ner=False), load_detection_config(path))


def _text_findings(detector: Detector, lines: list[str]) -> dict:
    stats = ColumnStats(name=None)
    detector.observe(stats, pa.array(lines, pa.string()), pa.array(np.arange(1, len(lines) + 1)), structured=False)
    return {f.entity_type: f for f in detector.findings(stats, Location("app.log"), len(lines), text_file=True)}


def _column_findings(detector: Detector, name: str, values: list[str]) -> dict:
    stats = ColumnStats(name=name)
    detector.observe(stats, pa.array(values, pa.string()), structured=True)
    return {f.entity_type: f for f in detector.findings(stats, Location("t.csv", None, name), len(values))}


def test_the_validator_table_is_stdnum():
    assert run_validator("luhn", MEMBER) and not run_validator("luhn", MEMBER_BAD)
    assert run_validator("my_number", "6214 9832 0257")
    assert run_validator("mod97", "1234" + mod_97_10.calc_check_digits("1234"))
    assert run_validator("mod11", "079X") and not run_validator("mod11", "0795")
    assert set(VALIDATORS) >= {"luhn", "mod11", "my_number"}


TEXT_CASES = [
    # (line, entity expected or None, why)
    (f"member card {MEMBER} renewed", "TEST_MEMBER_CARD", "pattern + validator + context"),
    (f"ref {MEMBER} renewed", "TEST_MEMBER_CARD", "no context needed unless context_required"),
    (f"member card {MEMBER_BAD} renewed", None, "the validator refuses it"),
    (f"member card {MEMBER_ALLOWED} test", None, "allow-listed by pattern"),
    (f"sample {MEMBER} only", None, "negative hint nearest"),
    ("staff ST-123456 badge", "TEST_STAFF_CODE", "context required and present"),
    ("code ST-123456 badge", None, "context required and absent"),
    ("card 4111 1111 1111 1111 test", None, "allow-listed exact value"),
    ("card 4111-1111-1111-1111 test", None, "exact values compare without separators"),
    ("card 5555555555554444 test", None, "allow-listed by pattern"),
    ("card 4242 4242 4242 4242 paid", "CREDIT_CARD", "not on the allow list"),
    ("call 03-5460-3940 (main)", None, "the company's own number"),
    ("call 090-1234-5678 please", "PHONE_NUMBER", "another number"),
]


@pytest.mark.parametrize(("line", "expected", "why"), TEXT_CASES, ids=[c[2] for c in TEXT_CASES])
def test_free_text(detector, line, expected, why):
    found = _text_findings(detector, [line])
    custom_or_listed = {"TEST_MEMBER_CARD", "TEST_STAFF_CODE", "CREDIT_CARD", "PHONE_NUMBER"}
    assert {e for e in found if e in custom_or_listed} == ({expected} if expected else set()), why


def test_a_column_is_classified_and_masked_by_the_entrys_rule(detector):
    found = _column_findings(detector, "member_card", [MEMBER, "MC7992739875", MEMBER, "MC0000000000"])
    finding = found["TEST_MEMBER_CARD"]
    assert finding.count == 3  # the allow-listed cell is not counted
    assert set(finding.examples) <= {"MC*******872", "MC*******875"}
    assert all(MEMBER not in e for e in finding.examples)


def test_the_entry_labels_reports(detector):
    spec = registry.spec_for("TEST_MEMBER_CARD")
    assert spec is not None and (spec.label_en, spec.label_ja) == ("Member card", "会員カード番号")


def test_allow_listed_cells_do_not_make_a_column(detector):
    found = _column_findings(detector, "card_number", ["4111111111111111"] * 5)
    assert "CREDIT_CARD" not in found


BAD_ENTRIES = [
    # (yaml, the key the error must name, a word of the problem)
    ('custom_identifiers: [{entity: X_ID, pattern: "AB[0-9"}]', "custom_identifiers.0.pattern", "compile"),
    ('custom_identifiers: [{entity: X_ID, pattern: "(?<=x)[0-9]{4}"}]', "custom_identifiers.0.pattern", "RE2"),
    ('custom_identifiers: [{entity: X_ID, pattern: "[0-9]{4}", validator: crc99}]',
     "custom_identifiers.0.validator", "unknown validator"),
    ('custom_identifiers: [{entity: x id, pattern: "[0-9]{4}"}]', "custom_identifiers.0.entity", "pattern"),
    ('custom_identifiers: [{entity: X_ID, pattern: "[0-9]{4}", colour: red}]', "custom_identifiers.0.colour", "xtra"),
    ('custom_identifiers: [{entity: X_ID, pattern: "[0-9]{4}", field_hints: ["(x"]}]',
     "custom_identifiers.0.field_hints", "compile"),
    ('custom_identifiers: [{entity: X_ID, pattern: "a"}, {entity: X_ID, pattern: "b"}]', "custom_identifiers", "twice"),
    ('allow_list: {CREDIT_CARD: [{pattern: "4111(?=1)"}]}', "allow_list.CREDIT_CARD", "RE2"),
]


@pytest.mark.parametrize(("text", "key", "problem"), BAD_ENTRIES, ids=[b[1] + ":" + b[2] for b in BAD_ENTRIES])
def test_a_bad_entry_names_file_and_key(tmp_path, text, key, problem):
    path = tmp_path / "detection.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_detection_config(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {key}") and problem in message and "\n" not in message


def test_scan_with_a_bad_detection_file_exits_2_with_one_line(tmp_path):
    (tmp_path / "data.csv").write_text("a\n1\n", encoding="utf-8")
    bad = tmp_path / "detection.yaml"
    bad.write_text('custom_identifiers: [{entity: X_ID, pattern: "[0-9]{4}", validator: crc99}]\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "scanner.cli", "scan", str(tmp_path / "data.csv"),
                           "--detection", str(bad), "--format", "json", "-o", str(tmp_path / "out.json")],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 2, proc.stderr
    assert "detection.yaml" in proc.stderr and "custom_identifiers.0.validator" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_entry_with_a_category_is_categorised_by_the_policy(tmp_path):
    from scanner.policy.config import load_policy

    path = tmp_path / "detection.yaml"
    path.write_text('custom_identifiers: [{entity: TEST_LOYALTY_ID, pattern: "LY[0-9]{8}", category: membership}]\n',
                    encoding="utf-8")
    Detector(default_recognizers(ner=False), load_detection_config(path))  # a scan builds its detector first
    assert load_policy().category_of("TEST_LOYALTY_ID") == "membership"


def test_scan_with_a_custom_identifier_end_to_end(tmp_path):
    """`scan --detection`: found, masked by the entry's rule, allow list applied, categorised by
    the policy and labelled in the Japanese report."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "m.csv").write_text(f"member_card,note\n{MEMBER},x\nMC7992739875,y\n{MEMBER_ALLOWED},z\n", encoding="utf-8")
    config = tmp_path / "detection.yaml"
    config.write_text(CONFIG.replace("label_ja: 会員カード番号", "label_ja: 会員カード番号\n    category: membership"),
                      encoding="utf-8")
    out, reports = tmp_path / "out.json", tmp_path / "reports"
    proc = subprocess.run([sys.executable, "-m", "scanner.cli", "scan", str(data), "--detection", str(config),
                           "--format", "json", "-o", str(out), "--report", str(reports), "--lang", "ja"],
                          capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    finding = next(f for f in doc["findings"] if f["entity_type"] == "TEST_MEMBER_CARD")
    assert finding["count"] == 2 and set(finding["examples"]) == {"MC*******872", "MC*******875"}
    assert finding["why"]["recognizers"] == ["Custom:TEST_MEMBER_CARD"]
    assert {v["category"] for v in doc["violations"] if v["entity_type"] == "TEST_MEMBER_CARD"} == {"membership"}
    assert "会員カード番号" in (reports / "report.html").read_text(encoding="utf-8")
    assert MEMBER not in out.read_text(encoding="utf-8")
