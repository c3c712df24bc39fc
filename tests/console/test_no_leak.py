"""No page and no API answer of the console holds a raw value of the evaluation corpus.

The store is filled by a real nightly run over shared/eval/dev (the pipeline
masks evidence where a finding is made); the test then reads every page, in
both languages, every API list, and the page and API answer of every single
violation and finding, and looks for each raw identifier of the corpus in
the text, also with spaces and hyphens removed.
"""

from __future__ import annotations

from tests.console.corpus import leaked, raw_values


def test_nothing_the_console_serves_holds_a_raw_value(eval_console):
    values = raw_values()
    assert len(values) > 1000, "the corpus must hold raw values for this test to mean anything"
    client = eval_console.client("ada")
    texts: list[str] = []
    for lang in ("ja", "en"):
        for path in ("/runs", "/runs/1", "/trend", "/violations", "/findings", "/impact", "/datastores", "/audit"):
            response = client.get(path, params={"lang": lang})
            assert response.status_code == 200, path
            texts.append(response.text)
    for path in ("/api/runs", "/api/violations", "/api/findings", "/api/runs/1/diff", "/api/trend"):
        texts.append(client.get(path).text)
    violations = client.get("/api/violations").json()["items"]
    findings = client.get("/api/findings").json()["items"]
    assert len(violations) > 20 and len(findings) > 20, "a real scan of the corpus has findings"
    assert any(e for item in violations for e in item["data"].get("evidence") or []), "evidence is shown (masked)"
    for item in violations:
        texts += [client.get(f"/violations/{item['fingerprint']}").text,
                  client.get(f"/api/violations/{item['fingerprint']}").text]
    for item in findings:
        texts.append(client.get(f"/findings/{item['fingerprint']}").text)
    found = leaked("\n".join(texts), values)
    assert not found, f"{len(found)} raw values of the corpus reached the console"


def test_typed_raw_values_are_scrubbed_and_the_check_would_see_a_leak(estate_console):
    from tests.state.estate import CARDS, PASSPORTS

    client = estate_console.client("rita")
    fingerprint = client.get("/api/violations").json()["items"][0]["fingerprint"]
    token = client.get("/api/session").json()["csrf_token"]
    reason = f"customer sent {CARDS[1]} and {PASSPORTS[2]} by mail"
    assert client.post(f"/api/violations/{fingerprint}/triage", headers={"X-CSRF-Token": token},
                       json={"status": "remediated", "reason": reason}).status_code == 201
    intruder = estate_console.client()
    intruder.post("/login", data={"username": CARDS[0], "password": "x"})
    admin = estate_console.client("ada")
    texts = [admin.get("/audit").text, client.get(f"/violations/{fingerprint}").text,
             client.get(f"/api/violations/{fingerprint}").text]
    assert not leaked("\n".join(texts), {CARDS[0], CARDS[1], PASSPORTS[2]})
    assert "customer sent" in texts[1]
    assert leaked(texts[1] + PASSPORTS[2], {PASSPORTS[2]}) == [PASSPORTS[2]]  # the check itself sees a leak
