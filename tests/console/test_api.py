"""The JSON API: lists, filters, diff, triage rules, the next nightly, the reviewed file's authority, OpenAPI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from starlette.routing import Route

from tests.console.conftest import csrf_of

LATER = (date.today() + timedelta(days=30)).isoformat()


def _by_datastore(client, datastore: str) -> dict:
    items = client.get("/api/violations", params={"datastore": datastore}).json()["items"]
    assert len(items) == 1
    return items[0]


def _triage(client, fingerprint: str, **body):
    return client.post(f"/api/violations/{fingerprint}/triage", headers={"X-CSRF-Token": csrf_of(client)}, json=body)


def test_runs_and_first_diff(estate_console):
    client = estate_console.client("vic")
    runs = client.get("/api/runs").json()["runs"]
    assert [r["id"] for r in runs] == [1] and runs[0]["status"] == "complete"
    assert runs[0]["diff"]["new"] == 2
    diff = client.get("/api/runs/1/diff").json()
    assert diff["previous_run_id"] is None and diff["counts"] == {"new": 2}
    assert {i["datastore"] for i in diff["items"]["new"]} == {"bookings.txt", "payments.txt"}
    assert client.get("/api/runs/99/diff").status_code == 404


@pytest.mark.parametrize("params,expected", [
    ({}, {"bookings.txt", "payments.txt"}),
    ({"severity": "critical"}, {"payments.txt"}),
    ({"severity": "high"}, {"bookings.txt"}),
    ({"datastore": "bookings.txt"}, {"bookings.txt"}),
    ({"entity": "CREDIT_CARD"}, {"payments.txt"}),
    ({"kind": "unencrypted_store"}, {"bookings.txt", "payments.txt"}),
    ({"kind": "clear_pan"}, set()),
    ({"status": "new"}, {"bookings.txt", "payments.txt"}),
    ({"status": "fixed"}, set()),
    ({"severity": "critical", "datastore": "bookings.txt"}, set()),
])
def test_violation_filters(estate_console, params, expected):
    data = estate_console.client("vic").get("/api/violations", params=params).json()
    assert {i["datastore"] for i in data["items"]} == expected
    assert data["total"] == len(expected)


def test_findings_list_masked_examples(estate_console):
    items = estate_console.client("vic").get("/api/findings").json()["items"]
    assert {i["entity_type"] for i in items} == {"PASSPORT_NUMBER", "CREDIT_CARD"}
    assert all("*" in example for i in items for example in i["data"]["examples"])


def test_accept_then_the_next_nightly_reports_it_accepted(estate_console):
    client = estate_console.client("rita")
    payment = _by_datastore(client, "payments.txt")
    done = _triage(client, payment["fingerprint"], status="accepted", reason="PCI exception PRIV-7", until=LATER)
    assert done.status_code == 201, done.text
    detail = client.get(f"/api/violations/{payment['fingerprint']}").json()
    assert detail["decisions"][0] | {"at": None} == {"status": "accepted", "reason": "PCI exception PRIV-7",
                                                     "by": "rita", "at": None, "until": LATER, "source": "console"}
    assert detail["decision"]["pending"] is True  # recorded after run 1: applies from the next run
    assert estate_console.nightly() == 0
    diff = client.get("/api/runs/2/diff").json()
    assert diff["counts"] == {"accepted": 1, "open": 1}
    accepted = diff["items"]["accepted"][0]
    assert accepted["fingerprint"] == payment["fingerprint"]
    assert accepted["decision"]["by"] == "rita" and accepted["decision"]["pending"] is False
    assert [h["status"] for h in client.get(f"/api/violations/{payment['fingerprint']}").json()["history"]] == \
        ["accepted", "new"]


def test_every_triage_is_in_the_audit_log(estate_console):
    client = estate_console.client("rita")
    booking = _by_datastore(client, "bookings.txt")
    assert _triage(client, booking["fingerprint"], status="false_positive", reason="test data").status_code == 201
    assert _triage(client, booking["fingerprint"], status="remediated", reason="file deleted").status_code == 201
    page = estate_console.client("ada").get("/audit").text
    assert page.count(booking["fingerprint"]) >= 2 and "remediated" in page and "file deleted" in page
    history = client.get(f"/api/violations/{booking['fingerprint']}").json()["decisions"]
    assert [d["status"] for d in history] == ["remediated", "false_positive"]


@pytest.mark.parametrize("body,status,error", [
    ({"status": "accepted", "reason": "no expiry"}, 400, "until_required"),
    ({"status": "accepted", "reason": "past", "until": "2000-01-01"}, 400, "until_required"),
    ({"status": "accepted", "reason": "bad date", "until": "next week"}, 400, "until_required"),
    ({"status": "accepted", "reason": "   ", "until": LATER}, 400, "reason_required"),
    ({"status": "remediated"}, 400, "reason_required"),
    ({"status": "ignored", "reason": "x"}, 400, "bad_request"),
    ({"status": "remediated", "reason": "x" * 2001}, 400, "reason_required"),
])
def test_triage_rules(estate_console, body, status, error):
    client = estate_console.client("rita")
    fingerprint = _by_datastore(client, "payments.txt")["fingerprint"]
    response = _triage(client, fingerprint, **body)
    assert (response.status_code, response.json()["error"]) == (status, error)
    assert client.get(f"/api/violations/{fingerprint}").json()["decisions"] == []


def test_triage_of_an_unknown_fingerprint_is_404(estate_console):
    client = estate_console.client("rita")
    assert _triage(client, "ffffffffffffffffffff", status="remediated", reason="x").status_code == 404
    assert _triage(client, "not-a-fingerprint", status="remediated", reason="x").status_code == 404


def test_triage_as_a_form_body_with_the_token_field(estate_console):
    client = estate_console.client("rita")
    fingerprint = _by_datastore(client, "bookings.txt")["fingerprint"]
    response = client.post(f"/api/violations/{fingerprint}/triage",
                           data={"status": "remediated", "reason": "moved", "csrf_token": csrf_of(client)})
    assert response.status_code == 201


def test_the_reviewed_file_wins_and_the_console_says_so(estate_console):
    client = estate_console.client("rita")
    fingerprint = _by_datastore(client, "bookings.txt")["fingerprint"]
    estate_console.triage_file.write_text(
        f"- fingerprint: {fingerprint}\n  status: accepted\n  reason: visa desk PRIV-112\n  by: sato\n"
        f"  until: 2099-03-31\n", encoding="utf-8")
    refused = _triage(client, fingerprint, status="remediated", reason="gone")
    assert refused.status_code == 409 and refused.json()["error"] == "yaml_holds"
    assert str(estate_console.triage_file) in refused.json()["detail"]
    page = client.get(f"/violations/{fingerprint}").text
    assert 'id="yaml-holds"' in page and 'id="triage-form"' not in page and "visa desk PRIV-112" in page
    detail = client.get(f"/api/violations/{fingerprint}").json()
    assert detail["reviewed_holds"] and detail["decision"]["reviewed_file"]
    assert detail["decision"]["origin"] == str(estate_console.triage_file)


def test_trend_counts_open_violations_per_run(estate_console):
    estate_console.nightly()
    (estate_console.options.triage_file.parent.parent / "estate" / "payments.txt").write_text("no card\n")
    estate_console.nightly()
    points = estate_console.client("vic").get("/api/trend").json()["points"]
    assert [p["by_severity"] for p in points] == [{"critical": 1, "high": 1}, {"critical": 1, "high": 1},
                                                  {"high": 1}]
    assert [p["by_category"] for p in points] == [{"identity": 2}, {"identity": 2}, {"identity": 1}]


def test_openapi_documents_every_api_route(estate_console):
    app = estate_console.app()
    document = estate_console.client().get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    routes = {r.path for r in app.routes if isinstance(r, Route) and r.path.startswith("/api/")}
    documented = {path.replace("{run_id}", "{run_id:int}") for path in document["paths"]}
    assert routes == documented
    assert "post" in document["paths"]["/api/violations/{fingerprint}/triage"]


def test_findings_are_not_triaged(estate_console):
    client = estate_console.client("rita")
    finding = client.get("/api/findings").json()["items"][0]["fingerprint"]
    assert _triage(client, finding, status="remediated", reason="x").status_code == 404


@pytest.mark.parametrize("offset,limit,expected", [("0", "1", 1), ("1", "1", 1), ("2", "1", 0), ("0", "0", 1),
                                                    ("-5", "x", 2), (None, None, 2)])
def test_lists_page(estate_console, offset, limit, expected):
    client = estate_console.client("vic")
    params = {k: v for k, v in (("offset", offset), ("limit", limit)) if v is not None}
    data = client.get("/api/violations", params=params).json()
    assert data["total"] == 2 and len(data["items"]) == expected
    page = client.get("/violations", params={**params, "lang": "en"})
    assert page.status_code == 200 and page.text.count('data-fingerprint="') == expected


def test_pages_link_to_the_next_slice(estate_console):
    client = estate_console.client("vic")
    first = client.get("/violations", params={"limit": "1", "lang": "en"}).text
    assert "offset=1" in first and "1–1" in first
    second = client.get("/violations", params={"limit": "1", "offset": "1", "lang": "en"}).text
    assert "offset=0" in second and "2–2" in second


def test_a_cli_decision_is_in_the_history_and_the_audit_log(estate_console):
    from click.testing import CliRunner

    from scanner.state.commands import triage

    client = estate_console.client("ada")
    fingerprint = _by_datastore(client, "bookings.txt")["fingerprint"]
    done = CliRunner().invoke(triage, [fingerprint[:10], "--status", "remediated", "--reason", "deleted by ops",
                                       "--by", "ops", "--state", str(estate_console.state)])
    assert done.exit_code == 0, done.output
    assert client.get(f"/api/violations/{fingerprint}").json()["decisions"][0]["source"] == "cli"
    audit = client.get("/audit").text
    assert "deleted by ops" in audit and fingerprint in audit
