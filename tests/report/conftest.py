"""A realistic scan result for the report tests, built with the real model classes.

Findings are real `Finding`s whose examples went through `mask`, so the
document is exactly what `ScanResult.to_dict()` publishes; violations, impact,
diff and run are what the policy engine and the state store add. It covers
every violation kind, severity and status, Japanese datastore and field names,
an error, and a field name with markup in it.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pytest

from scanner.detect.masking import mask
from scanner.model import Finding, Location, ScanError, ScanResult, ScanStats

RAW_PAN = "4111111111111111"
RAW_PASSPORT = "TK1234567"
RAW_MY_NUMBER = "123456789018"
RAW_TRACK = "%B4111111111111111^YAMADA/TARO^2512101000000000000?"
RAW_VALUES = (RAW_PAN, RAW_PASSPORT, RAW_MY_NUMBER, "2512101000000000000")

PG = "postgresql://127.0.0.1:5432/bookings"
MY = "mysql://127.0.0.1:3306/crm"
CSV = "exports/顧客一覧_2024.csv"
XLSX = "shared/passport_list.xlsx"
LOG = "logs/app.log"

VIOLATION_TABLE = [
    # kind, severity, status, datastore, table, field, entity, category, count, raw evidence, clause
    ("clear_pan", "critical", "new", PG, "payments", "card_no", "CREDIT_CARD", "payment_card", 1200,
     [RAW_PAN, "5555555555554444"], "§5 Credit card information"),
    ("clear_pan", "critical", "open", LOG, None, None, "CREDIT_CARD", "payment_card", 3, ["4012888888881881"],
     "§5 Credit card information"),
    ("prohibited_data", "critical", "new", CSV, None, "カード番号", "CARD_TRACK_DATA", "payment_card", 12,
     [RAW_TRACK], "PCI DSS 3.2"),
    ("prohibited_data", "high", "open", MY, "members", "my_number", "JP_MY_NUMBER", "national_id", 40,
     [RAW_MY_NUMBER], "§1(2) minimum extent"),
    ("purpose_not_permitted", "high", "new", MY, "marketing_list", "旅券番号", "PASSPORT_NUMBER",
     "passport", 310, [RAW_PASSPORT, "MZ7654321"], "§1(1) purpose of use"),
    ("purpose_not_permitted", "medium", "accepted", MY, "marketing_list", "生年月日", "DATE_OF_BIRTH",
     "identity", 310, ["1985-04-12"], "§1(1)a"),
    ("retention_exceeded", "medium", "open", PG, "bookings_2015", "passenger_name", "PERSON", "identity",
     5400, ["山田 太郎"], "§8 retention"),
    ("retention_exceeded", "low", "fixed", PG, "bookings_2014", "email", "EMAIL_ADDRESS", "contact", 900,
     ["taro.yamada@example.jp"], "§8 retention"),
    ("shadow_data", "high", "new", XLSX, "Sheet1", "旅券番号", "PASSPORT_NUMBER", "passport", 85,
     ["AB9876543"], "inventory"),
    ("shadow_data", "low", "false_positive", LOG, None, None, "PHONE_NUMBER", "contact", 2, ["090-1234-5678"],
     "inventory"),
    ("recipient_excess", "high", "open", MY, "partner_export", "特記事項", "SPECIAL_CARE_INFO", "special_care",
     14, ["車椅子を利用"], "§1(5) duty-free stores"),
    ("recipient_excess", "medium", "remediated", MY, "partner_export", "jmb_no", "JMB_NUMBER", "membership", 700,
     ["1234567890"], "§2 shared use"),
    ("recipient_excess", "low", "new", MY, "partner_export", "<b>note</b>", "PERSON", "identity", 7,
     ["佐藤 花子"], None),
]


SOURCE_KEYS = ("source", "table", "status", "reason", "detail", "kind", "rows", "bytes", "datastore")
SOURCE_TABLE = [
    # every status, Japanese names, and a detail holding a raw card number (the reports must mask it)
    ("sample_data/crm.sqlite", "customers", "scanned", None, None, "table", 1200, 0, "crm"),
    (CSV, None, "scanned", None, None, "csv", 500, 80_000, None),
    ("shared/旅券一覧.xlsx", "Sheet2", "partial", "budget", "stopped after 1,000,000 rows", "xlsx", 1_000_000,
     0, None),
    ("docs/scan_0001.pdf", None, "skipped", "unsupported", "no reader for .pdf files", "pdf", 0, 0, None),
    ("archive/backup.zip", None, "skipped", "encrypted", "password-protected archive", "zip", 0, 0, None),
    ("broken/bookings.parquet", None, "failed", "corrupt", f"row 3 holds {RAW_PAN}, not a date", "parquet", 0,
     1024, None),
    (PG, "payments", "failed", "connection", "connection refused", "table", 0, 0, "bookings"),
]


def _violation(row: tuple) -> dict[str, Any]:
    kind, severity, status, store, table, field, entity, category, count, raw, clause = row
    return {
        "kind": kind,
        "severity": severity,
        "clause": clause,
        "datastore": store,
        "table": table,
        "field": field,
        "entity_type": entity,
        "category": category,
        "count": count,
        "evidence": [str(mask(entity, value)) for value in raw],
        "remediation": None if kind == "shadow_data" else f"Fix {kind} in {table or store}",
        "declared": kind != "shadow_data",
        "source": store,
        "fingerprint": hashlib.sha256(f"{kind}|{store}|{table}|{field}".encode()).hexdigest(),
        "status": status,
        "triage": ({"status": status, "reason": "test data only (QA-112)", "by": "sato", "at": "2026-11-01",
                    "until": "2027-03-31", "origin": "cli", "expired": False}
                   if status in ("accepted", "false_positive", "remediated") else None),
    }


def build_result() -> dict[str, Any]:
    """The result document: `ScanResult.to_dict()` plus the policy and state additions."""
    findings = [
        Finding("CREDIT_CARD", Location(PG, "payments", "card_no"), 1200, 1200, 0.99,
                (mask("CREDIT_CARD", RAW_PAN), mask("CREDIT_CARD", "5555555555554444")), rows_scanned=1200),
        Finding("PASSPORT_NUMBER", Location(MY, "marketing_list", "旅券番号"), 310, 310, 0.97,
                (mask("PASSPORT_NUMBER", RAW_PASSPORT),), rows_scanned=310),
        Finding("PASSPORT_NUMBER", Location(XLSX, "Sheet1", "旅券番号"), 85, 85, 0.95,
                (mask("PASSPORT_NUMBER", "AB9876543"),), rows_scanned=85),
        Finding("JP_MY_NUMBER", Location(MY, "members", "my_number"), 40, 40, 0.9,
                (mask("JP_MY_NUMBER", RAW_MY_NUMBER),), rows_scanned=40),
        Finding("PERSON", Location(PG, "bookings_2015", "passenger_name"), 5400, 5400, 0.8,
                (mask("PERSON", "山田 太郎"), mask("PERSON", "YAMADA TARO")), rows_scanned=5400),
        Finding("CARD_TRACK_DATA", Location(CSV, None, "カード番号"), 12, 500, 0.99,
                (mask("CARD_TRACK_DATA", RAW_TRACK),), rows_scanned=500),
        Finding("CREDIT_CARD", Location(LOG), 3, 20000, 0.93, (mask("CREDIT_CARD", "4012888888881881"),),
                lines=(17, 233, 1090), method="text"),
        Finding("PASSPORT_NUMBER", Location(PG, "bookings_2015", "remarks"), 4, 5400, 0.85,
                (mask("PASSPORT_NUMBER", "TZ1122334"),), rows=(12, 88, 1203, 4000), rows_scanned=5400,
                method="value"),
        Finding("EMAIL_ADDRESS", Location(PG, "bookings_2014", "email"), 900, 900, 0.99,
                (mask("EMAIL_ADDRESS", "taro.yamada@example.jp"),), rows_scanned=900),
    ]
    result = ScanResult(
        targets=["sample_data", PG, MY],
        findings=findings,
        errors=[ScanError("broken/bookings.parquet", "not a Parquet file (bad magic bytes)", None, "corrupt")],
        stats=ScanStats(datasets=9, files_scanned=6, files_skipped_binary=1, rows_scanned=28_455,
                        cells_scanned=190_220, bytes_read=5_242_880, seconds=3.2),
        options={"sample_rows": None, "policy": "configs/policy.yaml"},
        started_at="2026-11-25T01:00:00+09:00",
        finished_at="2026-11-25T01:00:03+09:00",
        violations=[_violation(row) for row in VIOLATION_TABLE],
        impact=[
            {"datastore": PG, "declared": True, "owner": "予約システム担当 <booking@example.jp>",
             "categories": ["payment_card", "identity", "contact"], "people_estimate": 5400,
             "people_method": "largest number of identifying values in one field", "reportable": True,
             "reasons": ["card numbers in clear (financial damage)", "over 1,000 people"],
             "clause": "APPI Art. 26"},
            {"datastore": MY, "declared": True, "owner": "CRM team", "categories": ["passport", "special_care",
             "national_id"], "people_estimate": 700, "reportable": True,
             "reasons": ["special-care (sensitive) data"], "clause": "APPI Art. 26"},
            {"datastore": XLSX, "declared": False, "owner": None, "categories": ["passport"],
             "estimated_people": 85, "reportable": False, "reasons": []},  # the older key name
            {"datastore": LOG, "declared": False, "owner": None, "categories": ["payment_card"],
             "people_estimate": None, "reportable": True, "reasons": ["card numbers in clear"]},
        ],
        extra={"diff": {"new": 5, "open": 4, "fixed": 1, "accepted": 1},
               "run": {"id": "run-0042", "previous_run_id": "run-0041"}},
    )
    doc = result.to_dict()
    doc["sources"] = [dict(zip(SOURCE_KEYS, row, strict=True)) for row in SOURCE_TABLE]
    doc["stats"]["sources"] = {status: sum(1 for row in SOURCE_TABLE if row[2] == status)
                               for status in ("scanned", "partial", "skipped", "failed")}
    return doc


@pytest.fixture
def result() -> dict[str, Any]:
    return copy.deepcopy(build_result())


@pytest.fixture
def first_run_result() -> dict[str, Any]:
    """A result with no history: no diff, no run, no statuses, no errors, nothing violated."""
    doc = copy.deepcopy(build_result())
    for key in ("diff", "run"):
        doc.pop(key)
    doc["violations"] = []
    doc["impact"] = []
    doc["errors"] = []
    return doc
