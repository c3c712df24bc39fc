"""Fingerprints: stable over what does not matter, different over what does."""

import pytest

from scanner.state.fingerprint import FINGERPRINT_CHARS, finding_fingerprint, violation_fingerprint

BASE_VIOLATION = {"kind": "unencrypted_store", "severity": "high", "clause": "4.2", "datastore": "crm",
                  "table": "customers", "field": "passport_no", "entity_type": "PASSPORT_NUMBER",
                  "count": 10, "evidence": ["TK*****67"]}
TEXT_VIOLATION = {**BASE_VIOLATION, "datastore": "notes/call.txt", "table": None, "field": None}


@pytest.mark.parametrize(("change", "same"), [
    ({"count": 99}, True),  # more rows of the same kind: same item
    ({"severity": "critical"}, True),  # a policy re-rating does not reopen triage
    ({"evidence": ["TR*****21"]}, True),  # structured field: evidence is a sample, not identity
    ({"remediation": "delete"}, True),
    ({"datastore": "crm2"}, False),
    ({"table": "bookings"}, False),
    ({"field": "passport"}, False),
    ({"entity_type": "JMB_NUMBER"}, False),
    ({"kind": "retention"}, False),
])
def test_violation_fingerprint_structured(change, same):
    assert (violation_fingerprint({**BASE_VIOLATION, **change}) == violation_fingerprint(BASE_VIOLATION)) is same


@pytest.mark.parametrize(("change", "same"), [
    ({"lines": [40, 41]}, True),  # text moved down the file: same item
    ({"line": 40}, True),
    ({"evidence": ["TK*****67"]}, True),
    ({"evidence": ["TK*****67", "TK*****67"]}, True),  # duplicates and order do not matter
    ({"evidence": ["TR*****21"]}, False),  # a different leak in the same file
    ({"evidence": ["TK*****67", "TR*****21"]}, False),
])
def test_violation_fingerprint_text_uses_masked_context(change, same):
    assert (violation_fingerprint({**TEXT_VIOLATION, **change}) == violation_fingerprint(TEXT_VIOLATION)) is same


@pytest.mark.parametrize(("finding", "other", "same"), [
    ({"source": "a.txt", "table": None, "field": None, "entity_type": "EMAIL_ADDRESS", "examples": ["h***@x.jp"],
      "lines": [1], "method": "text"},
     {"source": "a.txt", "table": None, "field": None, "entity_type": "EMAIL_ADDRESS", "examples": ["h***@x.jp"],
      "lines": [7], "method": "text"}, True),
    ({"source": "a.txt", "table": None, "field": None, "entity_type": "EMAIL_ADDRESS", "examples": ["h***@x.jp"]},
     {"source": "a.txt", "table": None, "field": None, "entity_type": "EMAIL_ADDRESS", "examples": ["t***@x.jp"]},
     False),
    ({"source": "db", "table": "t", "field": "mail", "entity_type": "EMAIL_ADDRESS", "examples": ["h***@x.jp"],
      "method": "column"},
     {"source": "db", "table": "t", "field": "mail", "entity_type": "EMAIL_ADDRESS", "examples": ["t***@x.jp"],
      "method": "column"}, True),
])
def test_finding_fingerprint(finding, other, same):
    assert (finding_fingerprint(finding) == finding_fingerprint(other)) is same


def test_violation_and_finding_of_the_same_place_differ_and_are_short_hex():
    doc = {"source": "crm", "datastore": "crm", "table": "t", "field": "f", "entity_type": "PERSON", "kind": None}
    fingerprints = {violation_fingerprint(doc), finding_fingerprint(doc)}
    assert len(fingerprints) == 2
    assert all(len(fp) == FINGERPRINT_CHARS and int(fp, 16) >= 0 for fp in fingerprints)
