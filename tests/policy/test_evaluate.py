"""Findings on the sample estate become exactly the violations the policy calls for, with masked evidence."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from scanner.detect.masking import mask
from scanner.policy.evaluate import evaluate, evaluate_full
from tests.policy.conftest import ROOT

TODAY = dt.date(2025, 11, 1)
CRM = ROOT / "sample_data" / "crm.sqlite"


def _raw(table: str, column: str, n: int = 3) -> list[str]:
    with sqlite3.connect(CRM) as db:
        return [r[0] for r in db.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL LIMIT {n}")]


def finding(entity, source, table, field, raw=(), count=10, **extra):
    """A finding dict as the scanner core emits it; examples masked exactly as detection does."""
    return {
        "entity_type": entity, "source": source, "table": table, "field": field, "line": None, "lines": None,
        "count": count, "sampled": count, "rows_scanned": count, "confidence": 0.9,
        "examples": [str(mask(entity, v)) for v in raw], "method": "column", **extra,
    }


# (finding, kind expected, kind that must not be raised for it)
CASES = [
    (finding("PASSPORT_NUMBER", "crm.sqlite", "marketing_contacts", "passport_number"), "purpose_not_permitted", None),
    (finding("PASSPORT_NUMBER", "crm.sqlite", "bookings", "passport_number"), None, "purpose_not_permitted"),
    (finding("CREDIT_CARD", "crm.sqlite", "support_tickets", "body"), "purpose_not_permitted", None),
    (finding("CREDIT_CARD", "crm.sqlite", "payments", "card_number"), "clear_pan", "purpose_not_permitted"),
    (finding("CREDIT_CARD_MASKED", "crm.sqlite", "payments", "masked_pan"), None, "clear_pan"),
    (finding("CARD_SECURITY_CODE", "crm.sqlite", "payments", "cvv"), "prohibited_data", "shadow_data"),
    (finding("CARD_TRACK_DATA", "logs/app.log", None, None), "prohibited_data", None),
    (finding("CARD_TRACK_DATA", "logs/app.log", None, None), "shadow_data", None),
    (finding("JP_MY_NUMBER", "crm.sqlite", "legacy_import_2019", "kojin_bango"), "prohibited_data", None),
    (finding("JP_MY_NUMBER", "crm.sqlite", "legacy_import_2019", "kojin_bango"), "shadow_data", None),
    (finding("PHONE_NUMBER", "events/app_events.jsonl", None, "payload.contact_phone"), "shadow_data", None),
    (finding("EMAIL_ADDRESS", "events/app_events.jsonl", None, "user.email"), None, "shadow_data"),
    (finding("DATE_OF_BIRTH", "exports/duty_free_2025-10.csv", None, "生年月日"), "recipient_excess", "purpose_not_permitted"),
    (finding("PERSON", "exports/duty_free_2025-10.csv", None, "氏名"), None, "recipient_excess"),
    (finding("JMB_NUMBER", "exports/jal_group_share_2025-10.csv", None, "jmb_number"), None, "recipient_excess"),
    (finding("JMB_NUMBER", "analytics/sales_summary.xlsx", "TopCustomers", "jmb_number"), None, "shadow_data"),
    (finding("EMAIL_ADDRESS", "analytics/sales_summary.xlsx", "Summary", "destination"), "shadow_data", None),
]


@pytest.mark.parametrize(("one", "raised", "not_raised"), CASES)
def test_each_rule_on_the_sample_estate(policy, inventory, one, raised, not_raised):
    violations, _ = evaluate([one], policy, inventory, today=TODAY, check_retention=False)
    kinds = {v.kind for v in violations}
    if raised:
        assert raised in kinds
    if not_raised:
        assert not_raised not in kinds
    if raised is None:
        assert kinds == set()


def test_retention_counts_are_exact_and_come_from_sql(policy, inventory):
    cutoff = TODAY - dt.timedelta(days=30)
    with sqlite3.connect(CRM) as db:
        expected = db.execute(
            "SELECT COUNT(passport_number) FROM bookings WHERE return_date < ?", (cutoff.isoformat(),)
        ).fetchone()[0]
    violations, _ = evaluate([finding("PASSPORT_NUMBER", "crm.sqlite", "bookings", "passport_number")], policy, inventory,
                             today=TODAY)
    (retention,) = [v for v in violations if v.kind == "retention_exceeded"]
    assert retention.count == expected > 0
    assert (retention.days, retention.date_column, retention.severity) == (30, "return_date", "high")
    assert "APPI Art. 22" in retention.clause


def test_retention_on_files_by_date_field(policy, inventory):
    violations, _ = evaluate([finding("PASSPORT_NUMBER", "exports/duty_free_2025-10.csv", None, "旅券番号")], policy,
                             inventory, today=dt.date(2025, 11, 10))
    (retention,) = [v for v in violations if v.kind == "retention_exceeded"]
    text = (ROOT / "sample_data/exports/duty_free_2025-10.csv").read_bytes().decode("cp932").splitlines()[1:]
    assert retention.count == sum(1 for line in text if line.split(",")[4] < "2025-10-11")


def test_every_kind_occurs_in_the_sample_estate_and_clean_stores_stay_clean(policy, inventory):
    """Findings a scan of sample_data would produce, with evidence from the real rows."""
    findings = [
        finding("PERSON", "crm.sqlite", "customers", "family_name", _raw("customers", "family_name"), 1200),
        finding("PASSPORT_NUMBER", "crm.sqlite", "bookings", "passport_number", _raw("bookings", "passport_number"), 1500),
        finding("PASSPORT_NUMBER", "crm.sqlite", "marketing_contacts", "passport_number",
                _raw("marketing_contacts", "passport_number"), 200),
        finding("CREDIT_CARD", "crm.sqlite", "payments", "card_number", _raw("payments", "card_number"), 1800),
        finding("CREDIT_CARD_MASKED", "crm.sqlite", "payments", "masked_pan", _raw("payments", "masked_pan"), 1800),
        finding("CARD_SECURITY_CODE", "crm.sqlite", "payments", "cvv", _raw("payments", "cvv"), 1800),
        finding("JP_MY_NUMBER", "crm.sqlite", "legacy_import_2019", "kojin_bango", _raw("legacy_import_2019", "kojin_bango"), 40),
        finding("SPECIAL_CARE_INFO", "crm.sqlite", "bookings", "special_requests", _raw("bookings", "special_requests"), 140),
        finding("DATE_OF_BIRTH", "exports/duty_free_2025-10.csv", None, "生年月日", ["1985-02-19"]),
        finding("JMB_NUMBER", "exports/jal_group_share_2025-10.csv", None, "jmb_number", ["458672298"]),
        finding("EMAIL_ADDRESS", "analytics/sales_summary.xlsx", "TopCustomers", "email", ["koji.yamamoto1@example.jp"]),
        finding("PHONE_NUMBER", "events/app_events.jsonl", None, "payload.contact_phone", ["090-1234-5678"]),
    ]
    result = evaluate_full(findings, policy, inventory, today=TODAY)
    assert result.errors == []
    kinds = {v.kind for v in result.violations}
    assert kinds == {"purpose_not_permitted", "prohibited_data", "clear_pan", "retention_exceeded", "shadow_data",
                     "recipient_excess"}
    stores = {v.datastore for v in result.violations}
    assert {"jal_group_exports", "sales_analytics", "warehouse"}.isdisjoint(stores)

    severities = [v.severity for v in result.violations]
    order = ["critical", "high", "medium", "low"]
    assert severities == sorted(severities, key=order.index)
    for v in result.violations:
        assert set(v.to_dict()) >= {"kind", "severity", "clause", "datastore", "table", "field", "entity_type", "category", "count",
                          "evidence", "remediation", "fingerprint"}
        assert v.clause and v.remediation and "{" not in v.remediation

    # no violation holds a raw value: every raw PAN, CVV, passport and My Number is absent from the JSON
    doc = json.dumps([v.to_dict() for v in result.violations], ensure_ascii=False)
    for table, column in [("payments", "card_number"), ("bookings", "passport_number"),
                          ("marketing_contacts", "passport_number"), ("legacy_import_2019", "kojin_bango")]:
        for raw in _raw(table, column, 50):
            assert raw not in doc
    assert any(e.startswith(_raw("payments", "card_number", 1)[0][:6]) for v in result.violations for e in v.evidence)

    impact = {i.datastore: i for i in result.impact}
    crm = impact["crm"]
    assert crm.reportable and crm.people_estimate > 1000
    assert len(crm.reasons) == 3
    assert "special_care" in crm.categories and "payment_card" in crm.categories
    assert impact["jal_group_exports"].reportable is False


def test_fingerprints_are_stable_and_distinct(policy, inventory):
    one = [finding("CARD_SECURITY_CODE", "crm.sqlite", "payments", "cvv"),
           finding("CREDIT_CARD", "crm.sqlite", "payments", "card_number")]
    first, _ = evaluate(one, policy, inventory, check_retention=False)
    again, _ = evaluate(list(reversed(one)), policy, inventory, check_retention=False)
    assert sorted(v.fingerprint for v in first) == sorted(v.fingerprint for v in again)
    assert len({v.fingerprint for v in first}) == len(first)


@pytest.mark.parametrize(
    ("how", "expected_store"),
    [
        ({"source": "/nowhere/crm.sqlite", "datastore": "crm"}, "crm"),  # tagged by the caller
        ({"source": str(CRM)}, "crm"),  # absolute path
        ({"source": "sample_data/crm.sqlite"}, "crm"),  # suffix of an inventory file
        ({"source": "crm.sqlite", "scan_root_map": {"crm.sqlite": str(CRM)}}, "crm"),
        ({"source": "other.sqlite"}, "other.sqlite"),  # unknown: an undeclared store
    ],
)
def test_sources_map_to_datastores(policy, inventory, how, expected_store):
    how = dict(how)
    roots = how.pop("scan_root_map", None)
    one = finding("PASSPORT_NUMBER", how.pop("source"), "marketing_contacts", "passport_number", **how)
    violations, impact = evaluate([one], policy, inventory, scan_root_map=roots, check_retention=False)
    assert {v.datastore for v in violations} == {expected_store}
    assert impact[0].datastore == expected_store


def test_database_url_sources_match_without_password(policy, tmp_path, monkeypatch):
    from scanner.policy.config import load_inventory

    inv = tmp_path / "inventory.yaml"
    inv.write_text("datastores:\n  - {name: dwh, owner: o, location: 'postgresql+psycopg://app@db.example:5432/dwh',"
                   " password_env: DWH_PW, tables: [{name: members, purposes: [marketing], fields: [email]}]}\n")
    monkeypatch.setenv("DWH_PW", "pw")
    inventory = load_inventory(inv, policy)
    found = [finding("EMAIL_ADDRESS", "postgresql://app@db.example:5432/dwh", "public.members", "email"),
             finding("PASSPORT_NUMBER", "postgresql://app@db.example:5432/dwh", "public.members", "notes")]
    violations, _ = evaluate(found, policy, inventory, check_retention=False)
    assert {(v.kind, v.field) for v in violations} == {("purpose_not_permitted", "notes"), ("shadow_data", "notes")}
    assert all(v.datastore == "dwh" for v in violations)


@pytest.mark.parametrize(
    ("source", "table", "datastore", "label"),
    [
        # an undeclared file is its own store: its path once, then nothing (was "<path>/<path>")
        ("sample_data/logs/app.log", None, "sample_data/logs/app.log", None),
        ("logs/app.log", None, "logs/app.log", None),
        # an undeclared workbook: the path, then the sheet
        ("sample_data/shared/list.xlsx", "Sheet1", "sample_data/shared/list.xlsx", "Sheet1"),
        # a declared file store: the store, then the file as the scan named it (not relative to configs/)
        ("sample_data/exports/duty_free_2025-10.csv", None, "duty_free_exports", "sample_data/exports/duty_free_2025-10.csv"),
        ("exports/duty_free_2025-10.csv", None, "duty_free_exports", "exports/duty_free_2025-10.csv"),
    ],
)
def test_file_paths_are_shown_once_relative_to_what_was_scanned(policy, inventory, source, table, datastore, label):
    violations, impact = evaluate([finding("CARD_TRACK_DATA", source, table, None)], policy, inventory,
                                  check_retention=False)
    assert violations and {(v.datastore, v.table) for v in violations} == {(datastore, label)}
    assert all(v.source == source for v in violations)
    for v in violations:
        location = "/".join(p for p in (v.datastore, v.table) if p)
        assert location.count(source.rsplit("/", 1)[-1]) == 1 and "../" not in location
        assert v.remediation.count(source.rsplit("/", 1)[-1]) == 1
    assert impact[0].datastore == datastore


def test_violation_and_impact_round_trip_through_their_json(policy, inventory):
    found = [finding("CREDIT_CARD", "crm.sqlite", "payments", "card_number", count=1800),
             finding("SPECIAL_CARE_INFO", "crm.sqlite", "bookings", "special_requests"),
             finding("DATE_OF_BIRTH", "exports/duty_free_2025-10.csv", None, "生年月日")]
    result = evaluate_full(found, policy, inventory, today=TODAY)
    assert result.violations and result.impact
    for v in result.violations:
        assert type(v).from_dict(json.loads(json.dumps(v.to_dict()))) == v
    for i in result.impact:
        doc = json.loads(json.dumps(i.to_dict()))
        assert "estimated_people" not in doc and type(i).from_dict(doc) == i
        older = {k: v for k, v in doc.items() if k != "people_estimate"} | {"estimated_people": i.people_estimate}
        assert type(i).from_dict(older).people_estimate == i.people_estimate


def test_a_scans_fingerprint_is_the_one_triage_and_the_nightly_diff_use(policy, inventory):
    from scanner.state.fingerprint import violation_fingerprint

    found = [finding("CARD_TRACK_DATA", "logs/app.log", None, None, ["%B4111111111111111^YAMADA/TARO^2512?"]),
             finding("CREDIT_CARD", "crm.sqlite", "payments", "card_number")]
    violations, _ = evaluate(found, policy, inventory, check_retention=False)
    assert violations
    for v in violations:
        assert v.fingerprint == violation_fingerprint(json.loads(json.dumps(v.to_dict())))
