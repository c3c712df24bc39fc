"""The dev evaluation corpus opens cleanly: every file and table, read in full, no errors."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED_EVAL
from tests.sources.conftest import open_all, read_all

DEV = SHARED_EVAL / "dev"
EXPECTED = {
    ("crm.db", "customers"): 400,
    ("crm.db", "bookings"): 400,
    ("crm.db", "payments"): 400,
    ("crm.db", "marketing_contacts"): 235,
    ("crm.db", "support_tickets"): 400,
    ("crm.db", "products"): 100,
    ("events/booking_events.jsonl", None): 400,
    ("exports/customers_export.csv", None): 400,
    ("exports/daily_metrics.csv", None): 200,
    ("exports/members_ja.csv", None): 400,
    ("logs/app.log", None): 400,
    ("warehouse/bookings.parquet", None): 400,
}


@pytest.mark.skipif(not DEV.is_dir(), reason="dev evaluation corpus not present")
def test_dev_corpus_opens_cleanly():
    opened = open_all(DEV, exclude=["truth.json"])
    assert opened.errors == [] and opened.stats.files_skipped_binary == 0
    rows = {(d.source, d.table): read_all(d).num_rows for d in opened.datasets}
    assert rows == EXPECTED
    assert all(not getattr(d, "issues", []) for d in opened.datasets)
    members = read_all(opened.one("exports/members_ja.csv"))
    assert members.column_names == ["氏名", "生年月日", "電話番号", "旅券番号", "JMB会員番号"]
    events = read_all(opened.one("events/booking_events.jsonl"))
    assert "traveler.passport.number" in events.column_names
