"""One person planted across SQLite, PostgreSQL, MariaDB, a CP932 CSV, a JSONL and a log, in
different spellings: every place is found, the look-alike nowhere, injections do nothing,
and neither the audit nor the DEBUG log holds an identifier."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from scanner.locate.audit import audit_records
from scanner.locate.identifiers import build_person
from scanner.locate.request import locate_request
from scanner.locate.search import LocateOptions
from tests.locate import estate

pytestmark = pytest.mark.db

SECRETS = ["taro.yamada", "TARO.YAMADA", "09012345678", "090-1234-5678", "1234-5678", "TK1234567", "山田",
           "ヤマダ", "1985-04-12", "19850412", "Yamada"]


@pytest.fixture
def planted(tmp_path: Path, pg_url: str, mysql_url: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setenv("PIISCAN_LOCATE_SALT", "test-salt")
    sqlite_file = tmp_path / "crm.sqlite"
    estate.fill_customers(f"sqlite:///{sqlite_file}")
    estate.fill_bookings(pg_url)
    estate.fill_members(mysql_url)
    files = estate.write_files(tmp_path / "files")
    return {"targets": [str(sqlite_file), pg_url, mysql_url, str(tmp_path / "files")],
            "state": str(tmp_path / "state" / "state.db"), "files": files, "pg": pg_url, "mysql": mysql_url}


def _run(planted: dict, identifiers: dict, **options) -> dict:
    person = build_person("person 1", identifiers)
    outcome = locate_request([person], LocateOptions(targets=planted["targets"], state=planted["state"], **options),
                             actor="dpo-test")
    return outcome.doc


def _places(doc: dict) -> dict[str, set[str]]:
    """Table (databases) or file name -> row keys / lines found."""
    out: dict[str, set[str]] = {}
    for m in doc["matches"]:
        where = json.dumps(m.get("row_key"), sort_keys=True) if m.get("line") is None else f"line {m['line']}"
        out.setdefault(m.get("table") or m["source"].rsplit("/", 1)[-1], set()).add(where)
    return out


def test_every_place_found_and_no_lookalike(planted: dict) -> None:
    doc = _run(planted, estate.PERSON)
    failed = [s for s in doc["sources"] if s["status"] == "failed"]
    assert not failed, failed
    places = _places(doc)
    assert places["customers"] == {'{"id": "1001"}'}
    assert places["bookings"] == {'{"booking_id": "2001"}'}
    assert places["members"] == {'{"member_id": "3001"}'}
    assert places["duty_free.csv"] == {'{"row": 41}'}
    assert places["app_events.jsonl"] == {'{"row": 18}'}
    assert places["app.log"] == {"line 6"}
    assert len(places) == 6
    assert {m["strength"] for m in doc["matches"]} == {"strong"}
    assert doc["person_strength"] == "strong"
    assert doc["people"][0]["lookalikes_excluded"] >= 3
    kinds = {(m["source"].rsplit("/", 1)[-1], m["kind"]) for m in doc["matches"]}
    assert ("app.log", "email") in kinds and ("app.log", "phone") in kinds
    # spellings that are not the one given are reported as normalised matches
    assert any(m["match"] == "normalised" for m in doc["matches"])


def test_name_only_is_weak_and_lookalike_with_other_birth_date_is_not_reported(planted: dict) -> None:
    doc = _run(planted, {"name": "山田 太郎"})
    assert doc["matches"] and {m["strength"] for m in doc["matches"]} == {"weak"}
    doc = _run(planted, {"name": "山田 太郎", "birth_date": "昭和60年4月12日"})
    places = _places(doc)
    assert places["duty_free.csv"] == {'{"row": 41}'}  # row 42: same name, born 平成2年
    assert places["members"] == {'{"member_id": "3001"}'}  # 3002: same name, born 平成2年
    assert places["bookings"] == {'{"booking_id": "2001"}'}  # 2002: YAMADA TARO, born 1990
    assert places.get("customers", {'{"id": "1001"}'}) == {'{"id": "1001"}'}  # 1002: same name, born 1990
    strong = {m["source"].rsplit("/", 1)[-1] for m in doc["matches"] if m["strength"] == "strong"}
    assert "duty_free.csv" in strong
    # the JSONL holds no birth date: both events named Taro Yamada are weak (name only), and labelled so
    assert {m["strength"] for m in doc["matches"] if m["source"].endswith(".jsonl")} == {"weak"}


@pytest.mark.parametrize("attack", ["' OR 1=1 --", "\"; DROP TABLE customers; --", "x' UNION SELECT * FROM members --",
                                    "%", "_"])
def test_injection_attempts_do_nothing(planted: dict, attack: str) -> None:
    doc = _run(planted, {"name": attack, "email": f"{attack}@example.jp".replace(" ", "")}, thorough=True)
    assert doc["matches"] == []
    for url, table, rows in ((f"sqlite:///{planted['targets'][0]}", "customers", estate.FILLER + 2),
                             (planted["pg"], "bookings", estate.FILLER + 2), (planted["mysql"], "members", estate.FILLER + 2)):
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar() == rows
        engine.dispose()


def test_audit_and_debug_logs_hold_no_identifier(planted: dict, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    doc = _run(planted, estate.PERSON)
    records = audit_records(planted["state"])
    assert len(records) == 1
    record = records[0]
    assert record["actor"] == "dpo-test"
    assert set(record["identifier_kinds"]) == {"name", "kana", "email", "phone", "birth_date", "passport"}
    assert record["match_count"] == len(doc["matches"]) > 0
    assert record["identifier_hashes"] and all(len(h) == 64 for h in record["identifier_hashes"])
    dumped = json.dumps(record, ensure_ascii=False, default=str)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    published = json.dumps(doc, ensure_ascii=False)
    for secret in SECRETS:
        assert secret.lower() not in dumped.lower(), secret
        assert secret.lower() not in logged.lower(), secret
    for secret in ("taro.yamada", "09012345678", "TK1234567", "1985-04-12"):
        assert secret.lower() not in published.lower(), secret


def test_index_lookup_uses_bound_spellings(planted: dict) -> None:
    """With every searched column indexed the lookup compares raw spellings (index mode)."""
    engine = sa.create_engine(planted["pg"])
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE INDEX ix_bookings_phone ON bookings (phone)"))
        conn.execute(sa.text("CREATE INDEX ix_bookings_passport ON bookings (passport_number)"))
    engine.dispose()
    person = build_person("person 1", {"phone": "090-1234-5678", "passport": "tk 1234567"})
    doc = locate_request([person], LocateOptions(targets=[planted["pg"]], state=planted["state"])).doc
    status = next(s for s in doc["sources"] if s.get("table") == "bookings")
    assert status["mode"] == "index"
    assert {json.dumps(m["row_key"]) for m in doc["matches"]} == {'{"booking_id": "2001"}'}
