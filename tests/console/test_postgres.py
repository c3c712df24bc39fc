"""The console over a PostgreSQL state store (the team setup): accounts, login limits, triage, next run."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.console.conftest import ConsoleSetup, add_accounts, csrf_of, login
from tests.state.estate import EstateScanner, make_estate

pytestmark = pytest.mark.db


def test_console_over_postgres(pg_url, tmp_path):
    from scanner.nightly import NightlyOptions

    triage_file = tmp_path / "triage.yaml"
    triage_file.write_text("[]\n", encoding="utf-8")
    setup = ConsoleSetup(pg_url, triage_file, NightlyOptions(state=pg_url, reports=tmp_path / "reports",
                                                             triage_file=triage_file),
                         EstateScanner(make_estate(tmp_path / "estate")))
    assert setup.nightly() == 1
    add_accounts(pg_url)
    client = setup.client("rita")
    fingerprint = client.get("/api/violations", params={"severity": "critical"}).json()["items"][0]["fingerprint"]
    until = (date.today() + timedelta(days=5)).isoformat()
    done = client.post(f"/api/violations/{fingerprint}/triage", headers={"X-CSRF-Token": csrf_of(client)},
                       json={"status": "accepted", "reason": "exception", "until": until})
    assert done.status_code == 201
    assert setup.nightly() == 0
    assert setup.client("vic").get("/api/runs/2/diff").json()["counts"] == {"accepted": 1, "open": 1}
    guesser = setup.client()
    assert [login(guesser, "vic", "wrong").status_code for _ in range(6)] == [401] * 5 + [429]
    assert "exception" in setup.client("ada").get("/audit").text
