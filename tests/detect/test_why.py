"""`why` on every finding: recognizer, column-name hint, shares, deciding context words."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

from recognizers import default_recognizers
from scanner.detect.config import DetectionConfig
from scanner.detect.engine import ColumnStats, Detector
from scanner.detect.why import Why
from scanner.model import Location


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(default_recognizers(ner=False), DetectionConfig())


def _findings(detector, name, values, structured=True):
    stats = ColumnStats(name=name)
    detector.observe(stats, pa.array(values, pa.string()), pa.array(np.arange(1, len(values) + 1)),
                     structured=structured)
    found = detector.findings(stats, Location("t", None, name), len(values), text_file=not structured)
    return {f.entity_type: f for f in found}


# (column name, values, entity, expected why fields)
COLUMN_CASES = [
    ("card_number", ["4111111111111111", "5500005555555559", "4242424242424242", "x"], "CREDIT_CARD",
     {"recognizers": ["CreditCardRecognizer"], "column_hint": "card_?(?:number|no|num|nbr)", "share": 0.75,
      "validator_pass_rate": 1.0}),
    ("contact", ["a@example.com", "b@example.org", "c@example.net"], "EMAIL_ADDRESS",
     {"recognizers": ["EmailRecognizer"], "column_hint": None, "share": 1.0, "validator_pass_rate": 1.0}),
    ("passport_no", ["TK1234567", "TR7654321", "MZ1111111"], "PASSPORT_NUMBER",
     {"recognizers": ["PassportRecognizer"], "share": 1.0}),
]


@pytest.mark.parametrize(("name", "values", "entity", "expected"), COLUMN_CASES, ids=[c[0] for c in COLUMN_CASES])
def test_column_findings_say_why(detector, name, values, entity, expected):
    why = _findings(detector, name, values)[entity].why
    assert why is not None
    got = why.to_dict()
    for key, value in expected.items():
        assert got[key] == value, key
    assert why.text_hits == 0


TEXT_CASES = [
    ("パスポート番号 TK1234567 を確認", "PASSPORT_NUMBER", "パスポート番号"),
    ("jmb=417532270 status=ok", "JMB_NUMBER", "jmb"),
    ("card expiry 07/31 noted", "CARD_EXPIRATION", "expiry"),
]


@pytest.mark.parametrize(("line", "entity", "word"), TEXT_CASES, ids=[c[1] for c in TEXT_CASES])
def test_text_findings_name_the_deciding_context_word(detector, line, entity, word):
    finding = _findings(detector, None, [line, line], structured=False)[entity]
    assert finding.why.context_words == (word,)
    assert finding.why.text_hits == 2 and finding.why.share is None
    assert finding.why.recognizers


def test_why_is_serialised_and_holds_no_value(detector):
    finding = _findings(detector, None, ["パスポート番号 TK1234567 を確認"], structured=False)["PASSPORT_NUMBER"]
    doc = finding.to_dict()
    assert doc["why"]["context_words"] == ["パスポート番号"]
    assert "1234567" not in json.dumps(doc["why"], ensure_ascii=False)
    assert Why.from_dict(doc["why"]) == finding.why
    assert Why.from_dict(None) is None and Why.from_dict({"share": "x"}).share is None
