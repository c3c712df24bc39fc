"""Recipe "add an identifier": one new class plus one registration call, nothing else edited.

A throw-away identifier (a hotel loyalty number, ``HL`` + 8 digits with a mod-10
check digit) is declared here, registered with `recognizers.registry.register`,
and must then be detected in a column and in free text, masked by its own rule,
labelled in Japanese and English by the report labels and the report-side guard,
and categorised by the default policy, with no file of piiscan edited.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pyarrow as pa
import pytest

from recognizers import default_recognizers, registry
from recognizers.base import PatternSpec, PiiRecognizer
from recognizers.masks import Keep
from recognizers.spec import EntitySpec, Redaction
from scanner.detect.config import DetectionConfig
from scanner.detect.engine import ColumnStats, Detector
from scanner.detect.masking import mask
from scanner.model import Location
from scanner.policy.config import load_policy
from scanner.report.labels import Labels
from scanner.report.redact import redact

ENTITY = "TEST_HOTEL_LOYALTY"


def _check_digit_ok(value: str) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    return len(digits) == 8 and sum(digits[:-1]) % 10 == digits[-1]


class HotelLoyaltyRecognizer(PiiRecognizer):
    """The one new class: patterns, validator, context, and its SPEC."""

    ENTITY: ClassVar[str] = ENTITY
    SPEC: ClassVar[EntitySpec] = EntitySpec(
        label_en="Hotel loyalty number",
        label_ja="ホテル会員番号",
        category="membership",
        mask=Keep(2, 1),
        redaction=Redaction(r"(?<![0-9A-Za-z])HL[0-9]{8}(?![0-9A-Za-z])", _check_digit_ok),
    )
    PREFILTER: ClassVar[str] = "HL[0-9]{8}"
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec("hl", r"(?<![0-9A-Za-z])(?P<value>HL[0-9]{8})(?![0-9A-Za-z])", 0.7),
    )
    VALUE_PATTERN: ClassVar[str | None] = "^HL[0-9]{8}$"
    CONTEXT: ClassVar[tuple[str, ...]] = ("loyalty", "ホテル会員")
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (r"loyalty",)

    def validate(self, candidate: str) -> bool:
        return _check_digit_ok(candidate)


VALID = ["HL12345678", "HL11111117", "HL90000009", "HL55555555"]


@pytest.fixture
def registered():
    registry.register(HotelLoyaltyRecognizer)  # the one registration call
    try:
        yield
    finally:
        registry.unregister(HotelLoyaltyRecognizer)
    assert registry.spec_for(ENTITY) is None and HotelLoyaltyRecognizer not in registry.RECOGNIZERS


def _detector() -> Detector:
    return Detector(default_recognizers(ner=False), DetectionConfig())


def test_it_is_detected_in_a_column_and_masked_by_its_own_rule(registered):
    detector = _detector()
    stats = ColumnStats(name="loyalty_no")
    values = pa.array(VALID * 5, pa.string())
    detector.observe(stats, values, pa.array(np.arange(1, len(values) + 1)), structured=True)
    findings = {f.entity_type: f for f in detector.findings(stats, Location("guests.csv", None, "loyalty_no"), len(values))}
    assert set(findings) == {ENTITY}
    examples = set(findings[ENTITY].examples)
    assert examples and examples <= {"HL*******8", "HL*******7", "HL*******9", "HL*******5"}


def test_it_is_detected_in_free_text(registered):
    detector = _detector()
    stats = ColumnStats(name=None)
    lines = ["guest checked in, loyalty HL12345678 upgraded", "loyalty HL12345670 (bad check digit)"]
    detector.observe(stats, pa.array(lines, pa.string()), pa.array(np.arange(1, 3)), structured=False)
    findings = {f.entity_type: f for f in detector.findings(stats, Location("app.log"), 2, text_file=True)}
    assert findings[ENTITY].lines == (1,)
    assert findings[ENTITY].examples == ("HL*******8",)


def test_it_is_labelled_in_both_languages_and_guarded_in_reports(registered):
    assert mask(ENTITY, "HL12345678") == "HL*******8"
    assert Labels("ja").code("entity", ENTITY) == "ホテル会員番号"
    assert Labels("en").code("entity", ENTITY) == "Hotel loyalty number"
    assert Labels("en").as_dict()["entity"][ENTITY] == "Hotel loyalty number"
    assert redact("note: HL12345678 / HL12345670") == "note: HL*******8 / HL12345670"


def test_it_is_categorised_by_the_default_policy(registered):
    policy = load_policy()
    assert policy.category_of(ENTITY) == "membership"
    assert policy.purposes["marketing"].allows(ENTITY, policy.category_of(ENTITY))
    assert not policy.purposes["payment"].allows(ENTITY, policy.category_of(ENTITY))


def test_unregistered_it_is_unknown_again():
    assert registry.spec_for(ENTITY) is None
    assert Labels("en").code("entity", ENTITY) == ENTITY
    assert load_policy().category_of(ENTITY) == "uncategorised"
    assert mask(ENTITY, "HL12345678") == "HL******78"  # the default rule: 2 + 2
