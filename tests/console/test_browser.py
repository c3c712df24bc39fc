"""The review console in a real browser: Debian's headless chromium driven by Python playwright.

A reviewer logs in, filters the violations, accepts one with a reason and an
expiry; the next nightly run's diff shows it accepted. A viewer's triage and
a request without a CSRF token are refused, an API call without a session
gets 401, the browser asks nothing of any other host, and no page or API
answer it saw holds a raw value of the evaluation corpus. The store comes from
a real nightly run over shared/eval/dev; the server listens on 127.0.0.1 on a
free port and is stopped after. Needs chromium (.ci/install-browser.sh) and
playwright (the `dev` extra; never `playwright install`: it would download a
browser, Debian's is used through `executable_path`).
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.console.conftest import PASSWORDS
from tests.console.corpus import leaked, raw_values

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

FETCH = """async ([url, method, headers, body]) => {
  const r = await fetch(url, {method, headers, body, credentials: "same-origin"});
  return [r.status, await r.text()];
}"""


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (run .ci/install-browser.sh)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (dev extra)")
    with playwright_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


def _log_in(context, base: str, user: str, seen: list[str], start: str = "/violations"):
    page = context.new_page()
    page.goto(base + start)
    assert "/login" in page.url
    page.fill("#username", user)
    page.fill("#password", PASSWORDS[user])
    page.click("#login-submit")
    page.wait_for_url(f"{base}{start}*")
    seen.append(page.content())
    return page


def test_review_in_the_browser(browser, eval_console, live_server):
    base = live_server(eval_console)
    seen: list[str] = []
    requested: list[str] = []
    context = browser.new_context(locale="en-US")
    context.on("request", lambda request: requested.append(request.url))
    page = _log_in(context, base, "rita", seen)

    # filter: critical violations only (the select submits the form by itself)
    page.select_option("#filter-severity", "critical")
    page.wait_for_url("**severity=critical**")
    seen.append(page.content())
    rows = page.locator("#violations tbody tr")
    assert rows.count() > 0
    assert set(page.locator("#violations tbody tr td:first-child").all_inner_texts()) == {"Critical"}
    total = eval_console.client("rita").get("/api/violations").json()["total"]
    assert rows.count() < total

    # accept the first one with a reason and an expiry
    fingerprint = rows.first.get_attribute("data-fingerprint")
    rows.first.locator("a.open-item").click()
    page.wait_for_url(f"**/violations/{fingerprint}")
    until = (date.today() + timedelta(days=90)).isoformat()
    page.select_option("#triage-status", "accepted")
    page.fill("#triage-reason", "Kept for the 2027 migration (PRIV-201)")
    page.fill("#triage-until", until)
    page.click("#triage-submit")
    page.wait_for_selector("#recorded")
    history = page.locator("#decisions tbody tr").first.inner_text()
    assert "PRIV-201" in history and "rita" in history and until in history and "console" in history
    seen.append(page.content())
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-item.png"), full_page=True)

    # a request without the CSRF token is refused, with it (by a reviewer) it is accepted
    url = f"/api/violations/{fingerprint}/triage"
    body = json.dumps({"status": "accepted", "reason": "again", "until": until})
    status, text = page.evaluate(FETCH, [url, "POST", {"Content-Type": "application/json"}, body])
    assert status == 403 and '"csrf"' in text
    status, _ = page.evaluate(FETCH, ["/violations/" + fingerprint + "/triage", "POST",
                                      {"Content-Type": "application/x-www-form-urlencoded"},
                                      "status=remediated&reason=x"])
    assert status == 403

    # the next nightly run reports it accepted in its diff
    assert eval_console.nightly() in (0, 1)
    run_id = max(r["id"] for r in eval_console.client("rita").get("/api/runs").json()["runs"])
    page.goto(f"{base}/runs/{run_id}")
    seen.append(page.content())
    assert page.locator(f'#diff-accepted tr[data-fingerprint="{fingerprint}"]').count() == 1
    assert page.locator('#diff-counts li[data-status="accepted"] b').inner_text() == "1"
    page.screenshot(path=str(ARTIFACTS / "console-diff.png"), full_page=True)
    for path in ("/runs", "/trend", "/findings", "/impact", "/datastores", "/violations?lang=ja"):
        page.goto(base + path)
        seen.append(page.content())
    for path in ("/api/runs", f"/api/runs/{run_id}/diff", "/api/violations", "/api/findings"):
        status, text = page.evaluate(FETCH, [path, "GET", {}, None])
        assert status == 200
        seen.append(text)

    # a viewer sees no form, and the API refuses the viewer's triage even with a valid token
    viewer_context = browser.new_context(locale="ja-JP")
    viewer = _log_in(viewer_context, base, "vic", seen, start=f"/violations/{fingerprint}")
    assert viewer.locator("#triage-form").count() == 0
    status, text = viewer.evaluate(FETCH, ["/api/session", "GET", {}, None])
    token = json.loads(text)["csrf_token"]
    status, text = viewer.evaluate(FETCH, [url, "POST", {"Content-Type": "application/json", "X-CSRF-Token": token},
                                           body])
    assert status == 403 and "forbidden" in text

    # no session: the API answers 401
    stranger = browser.new_context().new_page()
    stranger.goto(base + "/login")
    status, _ = stranger.evaluate(FETCH, ["/api/violations", "GET", {}, None])
    assert status == 401

    assert all(u.startswith(base) for u in requested), "the console asked another host for something"
    found = leaked("\n".join(seen), raw_values())
    assert not found, f"{len(found)} raw values of the corpus reached the browser"
    viewer_context.close()
    context.close()
