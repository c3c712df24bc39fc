"""The console's pages: languages, triage from the form, escaping, charts, impact and datastores."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from scanner.state import schema
from scanner.state.context import inventory_snapshot, run_context
from scanner.state.store import StateStore
from tests.console.conftest import csrf_of

REPO = Path(__file__).resolve().parents[2]
PAGES = ["/runs", "/runs/1", "/trend", "/violations", "/findings", "/impact", "/datastores"]


@pytest.mark.parametrize("lang,words", [("en", ["Violations", "Critical", "Log out"]),
                                        ("ja", ["違反", "重大", "ログアウト"])])
def test_every_page_in_both_languages(estate_console, lang, words):
    client = estate_console.client("rita")
    for path in PAGES:
        page = client.get(path, params={"lang": lang})
        assert page.status_code == 200, path
        assert f'<html lang="{lang}">' in page.text
    assert all(word in client.get("/violations", params={"lang": lang}).text for word in words)
    assert client.cookies.get("piiscan_lang") == lang  # remembered
    assert f'<html lang="{lang}">' in client.get("/runs").text


def test_accept_from_the_form(estate_console):
    client = estate_console.client("rita")
    fingerprint = client.get("/api/violations", params={"severity": "critical"}).json()["items"][0]["fingerprint"]
    until = (date.today() + timedelta(days=10)).isoformat()
    form = client.get(f"/violations/{fingerprint}").text
    assert 'id="triage-form"' in form and 'name="csrf_token"' in form
    done = client.post(f"/violations/{fingerprint}/triage", follow_redirects=False,
                       data={"csrf_token": csrf_of(client), "status": "accepted", "reason": "till migration",
                             "until": until})
    assert done.status_code == 303 and done.headers["location"] == f"/violations/{fingerprint}?done=1"
    page = client.get(done.headers["location"]).text
    assert 'id="recorded"' in page and "till migration" in page and until in page
    missing = client.post(f"/violations/{fingerprint}/triage",
                          data={"csrf_token": csrf_of(client), "status": "accepted", "reason": "no date"})
    assert missing.status_code == 400 and 'id="triage-error"' in missing.text


def test_what_people_type_is_shown_as_text(estate_console):
    client = estate_console.client("rita")
    fingerprint = client.get("/api/violations").json()["items"][0]["fingerprint"]
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    assert client.post(f"/api/violations/{fingerprint}/triage", headers={"X-CSRF-Token": csrf_of(client)},
                       json={"status": "remediated", "reason": evil}).status_code == 201
    for path in (f"/violations/{fingerprint}", "/runs/1", "/violations"):
        text = client.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/violations/{fingerprint}").text
    admin = estate_console.client("ada").get("/audit").text
    assert "<script>alert" not in admin
    reflected = client.get("/violations", params={"datastore": evil, "lang": '"><script>x</script>'}).text
    assert "<script>x" not in reflected and "<script>alert" not in reflected


def test_trend_is_an_inline_svg_chart(estate_console):
    estate_console.nightly()
    page = estate_console.client("vic").get("/trend", params={"lang": "en"}).text
    assert page.count("<svg") == 2 and "Open violations by severity" in page and "<polyline" in page
    assert "cdn" not in page.lower() and "https://" not in page


def test_assets_are_served_from_the_package(estate_console):
    client = estate_console.client()
    for asset, kind in (("console.css", "text/css"), ("console.js", "javascript"), ("favicon.svg", "svg")):
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
    page = estate_console.client("vic").get("/runs").text
    assert 'src="/static/console.js"' in page and "//" not in page.split("<body>")[0].replace("http://www.w3.org", "")


def test_inventory_snapshot_has_purposes_and_retention():
    stores = {s["name"]: s for s in inventory_snapshot(str(REPO / "configs" / "inventory.yaml"))}
    tables = {t["name"]: t for t in stores["crm"]["tables"]}
    assert tables["payments"]["purposes"] == ["payment"]
    assert {r["category"]: r["days"] for r in tables["payments"]["retention"]}["payment_card"] == 540
    assert all("location" not in s for s in stores.values())


def test_run_context_never_fails_the_run(tmp_path):
    context = run_context({"impact": [{"datastore": "x"}], "inventory": str(tmp_path / "missing.yaml")})
    assert context["impact"] == [{"datastore": "x"}] and context["datastores"] is None
    assert context["datastores_note"]


def test_impact_and_datastores_pages(estate_console):
    client = estate_console.client("vic")
    assert "the run did not name its inventory" in client.get("/datastores", params={"lang": "en"}).text
    context = run_context({"impact": [{"datastore": "crm", "owner": "CRM team", "categories": ["payment_card"],
                                       "people_estimate": 1800, "reportable": True, "reasons": ["card numbers"],
                                       "clause": "APPI Art. 26"}],
                           "inventory": str(REPO / "configs" / "inventory.yaml")})
    store = StateStore.open(estate_console.state)
    try:
        with store.engine.begin() as connection:
            connection.execute(sa.update(schema.runs).where(schema.runs.c.id == 1).values(context=context))
    finally:
        store.close()
    impact = client.get("/impact", params={"lang": "en"}).text
    assert "CRM team" in impact and "1800" in impact and "Payment card" in impact and "Yes" in impact
    stores = client.get("/datastores", params={"lang": "ja"}).text
    assert "crm" in stores and "payment" in stores and "540" in stores and "保存期間" in stores


def test_the_why_of_a_finding_is_shown(estate_console):
    why = {"column name": "passport_no matches the passport hint", "check": "<b>9 characters</b>"}
    store = StateStore.open(estate_console.state)
    try:
        with store.engine.begin() as connection:
            o, i = schema.observations, schema.items
            rows = connection.execute(sa.select(o.c.run_id, o.c.item_id, o.c.data).select_from(
                o.join(i, o.c.item_id == i.c.id)).where(i.c.item_type == "finding")).all()
            for row in rows:
                connection.execute(o.update().where(o.c.run_id == row.run_id, o.c.item_id == row.item_id)
                                   .values(data={**row.data, "why": why}))
    finally:
        store.close()
    page = estate_console.client("vic").get("/findings", params={"lang": "en"}).text
    assert "passport_no matches the passport hint" in page and "<th>Why</th>" in page
    assert "&lt;b&gt;9 characters&lt;/b&gt;" in page and "<b>9 characters" not in page


def test_language_from_the_browser_when_not_chosen(estate_console):
    client = estate_console.client("vic")
    assert '<html lang="ja">' in client.get("/runs", headers={"Accept-Language": "ja-JP,ja;q=0.9"}).text
    assert '<html lang="en">' in client.get("/runs", headers={"Accept-Language": "en-GB"}).text
