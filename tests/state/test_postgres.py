"""The state store in a real PostgreSQL server (a throwaway database per test)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scanner.nightly import EXIT_FAILED, EXIT_NEW, EXIT_OK, inventory_key
from scanner.state.lock import run_lock
from scanner.state.store import StateError, StateStore
from tests.state.estate import RAW_VALUES

pytestmark = pytest.mark.db


def test_nightly_history_in_postgres(nightly, pg_url):
    nightly.options.state = pg_url
    assert nightly.run() == EXIT_NEW
    assert nightly.run() == EXIT_OK
    assert nightly.last()["run"]["incremental"] == {"skipped": 3, "scanned": 0}
    (nightly.scanner.root / "payments.txt").unlink()
    nightly.scanner.down = {"bookings.txt"}
    assert nightly.run() == EXIT_OK
    assert sorted(v["status"] for v in nightly.last()["violations"]) == ["fixed", "open"]
    assert nightly.last()["run"]["state"].startswith("postgresql+psycopg://postgres@")

    store = StateStore.open(pg_url)
    fp = next(v["fingerprint"] for v in nightly.last()["violations"] if v["status"] == "open")
    store.add_triage(fp[:8], "remediated", "table encrypted", "db-team")
    assert store.schema_revision() >= "0002"  # migrated to head (0002 adds the console tables)
    assert [r.status for r in store.runs()] == ["complete"] * 3
    with store.engine.connect() as connection:
        dump = "".join(str(row) for table in ("items", "observations", "runs", "signatures")
                       for row in connection.execute(sa.text(f"SELECT * FROM {table}")))
    store.close()
    assert all(raw not in dump for raw in RAW_VALUES)

    nightly.scanner.down = set()
    assert nightly.run() == EXIT_OK
    assert [v["status"] for v in nightly.last()["violations"]] == ["remediated"]


def test_advisory_lock_stops_a_second_run(nightly, pg_url):
    nightly.options.state = pg_url
    store = StateStore.open(pg_url)
    with run_lock(store, inventory_key(None)):
        assert nightly.run() == EXIT_FAILED
    store.close()
    assert nightly.run() == EXIT_NEW


def test_unreachable_server_is_a_clear_error_without_password():
    with pytest.raises(StateError) as caught:
        StateStore.open("postgresql+psycopg://postgres:s3cret@127.0.0.1:1/nothing")
    assert "s3cret" not in str(caught.value)
    assert "cannot open state store postgresql+psycopg://postgres:***@127.0.0.1:1/nothing" in str(caught.value)
