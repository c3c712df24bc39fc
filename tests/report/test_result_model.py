"""The result's domain objects have one (de)serialisation each: to_dict and from_dict agree, and the
published document (ScanResult.to_dict with dataclass violations and impact) matches the schema."""

from __future__ import annotations

import json

from scanner.detect.masking import mask
from scanner.model import (
    Finding,
    Impact,
    ImpactGround,
    Location,
    ScanResult,
    Violation,
    violation_fingerprint,
)
from scanner.schema import validate_result

FINDINGS = [
    Finding("PASSPORT_NUMBER", Location("exports/a.csv", None, "旅券番号"), 3, 10, 0.97,
            (mask("PASSPORT_NUMBER", "TK1234567"),), rows_scanned=10),
    Finding("CREDIT_CARD", Location("logs/app.log"), 2, 200, 0.9, (mask("CREDIT_CARD", "4111111111111111"),),
            lines=(3, 9), method="text"),
    Finding("PERSON", Location("crm.sqlite", "tickets", "body"), 4, 50, 0.8, (mask("PERSON", "山田 太郎"),),
            rows=(2, 7, 11, 40), rows_scanned=50, method="value", datastore="crm", count_estimated=True),
]
VIOLATION = Violation(kind="retention_exceeded", severity="high", clause="APPI Art. 22", datastore="crm",
                      declared=True, source="crm.sqlite", table="bookings", field="passport_number",
                      entity_type="PASSPORT_NUMBER", category="passport", count=12, evidence=("TK*****67",),
                      remediation="Delete", fingerprint="", days=30, date_column="return_date",
                      date_role="trip_return", clause_ja="個人情報保護法第22条", remediation_ja="削除してください。")
IMPACT = Impact(datastore="crm", declared=True, owner="CRM team", categories=("passport", "special_care"),
                people_estimate=1800, reportable=True, reasons=("special-care",), clause="APPI Art. 26",
                grounds=(ImpactGround("special_care"), ImpactGround("people", people=1800, threshold=1000)))


def test_finding_round_trip_keeps_every_field():
    for finding in FINDINGS:
        assert Finding.from_dict(json.loads(json.dumps(finding.to_dict()))) == finding


def test_violation_and_impact_round_trip():
    assert Violation.from_dict(json.loads(json.dumps(VIOLATION.to_dict()))) == VIOLATION
    assert Impact.from_dict(json.loads(json.dumps(IMPACT.to_dict()))) == IMPACT


def test_per_run_keys_are_ignored_and_old_names_read():
    doc = VIOLATION.to_dict() | {"status": "new", "triage": None, "carried_over": True}
    assert Violation.from_dict(doc) == VIOLATION
    old = {k: v for k, v in IMPACT.to_dict().items() if k != "people_estimate"} | {"estimated_people": 1800}
    assert Impact.from_dict(old).people_estimate == 1800


def test_published_document_matches_the_schema():
    violation = VIOLATION.to_dict()
    stamped = Violation.from_dict(violation | {"fingerprint": violation_fingerprint(violation)})
    doc = ScanResult(targets=["sample_data"], findings=FINDINGS, violations=[stamped], impact=[IMPACT]).to_dict()
    validate_result(json.loads(json.dumps(doc)))
    assert doc["violations"][0]["fingerprint"] == violation_fingerprint(doc["violations"][0])
    assert doc["impact"][0]["people_estimate"] == 1800 and "estimated_people" not in doc["impact"][0]
