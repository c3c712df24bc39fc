"""The diff rules, one row each: new, open, fixed, carried (source failed), triage, expiry."""

from datetime import date

import pytest

from scanner.state.diff import compute_diff
from scanner.state.fingerprint import violation_fingerprint
from scanner.state.triage import TriageEntry

TODAY = date(2026, 12, 1)


def violation(datastore: str, field: str = "passport_no", table: str | None = "customers") -> dict:
    return {"kind": "unencrypted_store", "severity": "high", "datastore": datastore, "table": table, "field": field,
            "entity_type": "PASSPORT_NUMBER", "evidence": ["TK*****67"], "count": 1}


A, B, C = violation("crm"), violation("bookings"), violation("legacy")
FP = {name: violation_fingerprint(v) for name, v in {"A": A, "B": B, "C": C}.items()}


def previous(**statuses: str) -> dict:
    docs = {"A": A, "B": B, "C": C}
    return {("violation", FP[name]): (status, docs[name]) for name, status in statuses.items()}


def accepted(name: str, until: date | None = None, status: str = "accepted") -> dict:
    return {FP[name]: TriageEntry(FP[name], status, "owner agreed", "sato", "2026-11-01T00:00:00+00:00", until)}


CASES = [
    # id, current, previous, triage, errors, expected {datastore: status}, expected counts
    ("first run: everything new", [A, B], {}, {}, [], {"crm": "new", "bookings": "new"},
     {"new": 2, "open": 0, "fixed": 0, "accepted": 0}),
    ("seen again: open", [A, B], previous(A="new", B="open"), {}, [], {"crm": "open", "bookings": "open"},
     {"new": 0, "open": 2, "fixed": 0, "accepted": 0}),
    ("gone: fixed and listed", [A], previous(A="open", B="open"), {}, [], {"crm": "open", "bookings": "fixed"},
     {"new": 0, "open": 1, "fixed": 1, "accepted": 0}),
    ("fixed last time: not listed again", [A], previous(A="open", B="fixed"), {}, [], {"crm": "open"},
     {"new": 0, "open": 1, "fixed": 0, "accepted": 0}),
    ("came back after a fix: new", [A, B], previous(A="open", B="fixed"), {}, [], {"crm": "open", "bookings": "new"},
     {"new": 1, "open": 1, "fixed": 0, "accepted": 0}),
    ("accepted now", [A, B], previous(A="open", B="open"), accepted("B"), [],
     {"crm": "open", "bookings": "accepted"}, {"new": 0, "open": 1, "fixed": 0, "accepted": 1}),
    ("accepted until today: still accepted", [A], previous(A="accepted"), accepted("A", date(2026, 12, 1)), [],
     {"crm": "accepted"}, {"new": 0, "open": 0, "fixed": 0, "accepted": 1}),
    ("acceptance expired: open again", [A], previous(A="accepted"), accepted("A", date(2026, 11, 30)), [],
     {"crm": "open"}, {"new": 0, "open": 1, "fixed": 0, "accepted": 0}),
    ("false positive", [A], {}, accepted("A", status="false_positive"), [], {"crm": "false_positive"},
     {"new": 0, "open": 0, "fixed": 0, "accepted": 0, "false_positive": 1}),
    ("source down: kept open, not fixed", [A], previous(A="open", B="open"), {},
     [{"source": "bookings", "table": None, "message": "connection refused"}],
     {"crm": "open", "bookings": "open"}, {"new": 0, "open": 2, "fixed": 0, "accepted": 0}),
    ("source down keeps its acceptance", [], previous(B="accepted"), accepted("B"),
     [{"source": "bookings", "table": None, "message": "connection refused"}],
     {"bookings": "accepted"}, {"new": 0, "open": 0, "fixed": 0, "accepted": 1}),
    ("another table of the source failed: this one is fixed", [], previous(B="open"), {},
     [{"source": "bookings", "table": "invoices", "message": "permission denied"}],
     {"bookings": "fixed"}, {"new": 0, "open": 0, "fixed": 1, "accepted": 0}),
    ("the same table failed: kept", [], previous(B="open"), {},
     [{"source": "bookings", "table": "customers", "message": "permission denied"}],
     {"bookings": "open"}, {"new": 0, "open": 1, "fixed": 0, "accepted": 0}),
]


@pytest.mark.parametrize(("current", "prev", "triage", "errors", "statuses", "counts"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_diff_rules(current, prev, triage, errors, statuses, counts):
    outcome = compute_diff(current, [], prev, triage, errors, TODAY)
    assert {v["datastore"]: v["status"] for v in outcome.violations} == statuses
    assert {k: outcome.counts[k] for k in counts} == counts
    assert sum(outcome.counts.values()) == len(outcome.violations)
    for v in outcome.violations:
        assert v["fingerprint"] == violation_fingerprint(v)


def test_carried_and_triage_annotations():
    outcome = compute_diff([], [], previous(A="accepted", B="open"), accepted("A", date(2026, 11, 1)),
                           [{"source": "crm", "table": None}, {"source": "bookings", "table": None}], TODAY)
    by_store = {v["datastore"]: v for v in outcome.violations}
    assert by_store["crm"]["status"] == "open"
    assert by_store["crm"]["triage"]["expired"] is True
    assert by_store["crm"]["triage"]["reason"] == "owner agreed"
    assert by_store["bookings"]["carried_over"] is True
    assert all(item.carried for item in outcome.items)


def test_duplicate_fingerprints_are_one_item_but_every_row_is_listed():
    twice = [A, {**A, "clause": "5.1"}]
    outcome = compute_diff(twice, [], {}, {}, [], TODAY)
    assert [v["status"] for v in outcome.violations] == ["new", "new"]
    assert len(outcome.items) == 1


def test_findings_get_states_but_are_not_listed_as_violations():
    finding = {"entity_type": "EMAIL_ADDRESS", "source": "a.txt", "table": None, "field": None,
               "examples": ["h***@x.jp"], "method": "text"}
    outcome = compute_diff([], [finding], {}, {}, [], TODAY)
    assert outcome.violations == []
    assert [(i.item_type, i.status) for i in outcome.items] == [("finding", "new")]
