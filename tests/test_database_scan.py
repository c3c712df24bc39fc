"""Scanning real database servers end to end: URL in, classified columns out, nothing written, no password printed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool
from stdnum import luhn

from scanner.pipeline import ScanOptions, run_scan

ROWS = 300


def _pan(i: int) -> str:
    body = f"3530{i:011d}"  # JCB range 3528-3589, Luhn-completed
    return body + luhn.calc_check_digit(body)


def _fill(url: str) -> None:
    engine = sa.create_engine(url, poolclass=NullPool)
    meta = sa.MetaData()
    customers = sa.Table(
        "customers", meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("氏名", sa.String(40)),
        sa.Column("email", sa.String(80)),
        sa.Column("連絡先TEL", sa.String(20)),
        sa.Column("pp_no", sa.String(12)),
        sa.Column("mileage_no", sa.String(12)),
        sa.Column("order_no", sa.String(12)),
        sa.Column("card_brand", sa.String(8)),
        sa.Column("cc_num", sa.String(20)),
        sa.Column("memo", sa.Text),
    )
    meta.create_all(engine)
    surnames = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤"]
    given = ["太郎", "花子", "一郎", "美咲", "健", "陽子"]
    rows = [
        {
            "id": i + 1,
            "氏名": f"{surnames[i % 6]} {given[(i // 6) % 6]}",
            "email": f"user{i}@example.jp",
            "連絡先TEL": f"090-{1000 + i:04d}-{(i * 37) % 10000:04d}",
            "pp_no": f"TK{1000000 + i * 17:07d}",
            "mileage_no": f"{400000000 + i * 7919:09d}",
            "order_no": f"{700000000 + i * 13:09d}",
            "card_brand": ["VISA", "JCB", "MASTER"][i % 3],
            "cc_num": _pan(i),
            "memo": "車椅子の手配をお願いします" if i % 10 == 0 else "特記事項なし",
        }
        for i in range(ROWS)
    ]
    with engine.begin() as conn:
        conn.execute(customers.insert(), rows)
    engine.dispose()


EXPECTED = {
    ("氏名", "PERSON"), ("email", "EMAIL_ADDRESS"), ("連絡先TEL", "PHONE_NUMBER"), ("pp_no", "PASSPORT_NUMBER"),
    ("mileage_no", "JMB_NUMBER"), ("cc_num", "CREDIT_CARD"), ("memo", "SPECIAL_CARE_INFO"),
}


def _scan(url: str, monkeypatch, password: str | None) -> dict:
    if password:  # PostgreSQL's trust auth ignores it; it must never be printed
        monkeypatch.setenv("PIISCAN_DB_PASSWORD", password)
    return run_scan([url], ScanOptions(sample_rows=100)).to_dict()


@pytest.mark.db
@pytest.mark.parametrize(("server", "password"), [("pg_url", "s3cret-pw"), ("mysql_url", None)])
def test_database_columns_are_classified(server, password, request, monkeypatch):
    url = request.getfixturevalue(server)
    _fill(url)
    doc = _scan(url, monkeypatch, password)
    found = {(f["field"], f["entity_type"]) for f in doc["findings"] if f["table"].endswith("customers")}
    assert found == EXPECTED, found ^ EXPECTED
    assert not doc["errors"]
    assert all(f["sampled"] <= 100 for f in doc["findings"])
    assert "s3cret-pw" not in str(doc)
    raw_pans = {_pan(i) for i in range(ROWS)}
    assert not any(p in str(doc) for p in raw_pans)


@pytest.mark.db
def test_a_database_that_is_down_is_an_error_not_a_crash():
    doc = run_scan(["postgresql+psycopg://postgres:pw@127.0.0.1:1/nowhere"], ScanOptions()).to_dict()
    assert doc["findings"] == []
    assert doc["errors"] and doc["errors"][0]["kind"] == "connection"
    assert ":pw@" not in str(doc)


@pytest.mark.db
@pytest.mark.parametrize(("server", "password"), [("pg_url", "s3cret-pw"), ("mysql_url", None)])
def test_worker_processes_reopen_the_database_and_find_the_same(server, password, request, monkeypatch):
    """Tables travel to worker processes as (URL, table): each worker opens its own
    read-only connection, and the result is the one-process result."""
    url = request.getfixturevalue(server)
    _fill(url)
    if password:
        monkeypatch.setenv("PIISCAN_DB_PASSWORD", password)
    one = run_scan([url], ScanOptions(sample_rows=100, processes=1)).to_dict()
    two = run_scan([url], ScanOptions(sample_rows=100, processes=2)).to_dict()
    assert two["findings"] == one["findings"] and two["errors"] == one["errors"] == []
    assert {(f["field"], f["entity_type"]) for f in two["findings"]} == EXPECTED
    assert "s3cret-pw" not in str(two)
