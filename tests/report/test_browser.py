"""The HTML report in a real browser: headless Chromium driven over the DevTools protocol.

Checks that the summary renders, that typing in a filter box hides rows, that
sorting reorders them, that nothing but the file itself is requested, and that
the console stays clean; saves screenshots to tests/artifacts/ for a person to
look at. Needs Debian's chromium (.ci/install-browser.sh) and websocket-client.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from scanner.report import write_report
from scanner.report.labels import LABELS
from tests.report.conftest import VIOLATION_TABLE

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
         "--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=1400,1000"]
TIMEOUT = 20.0


class DevTools:
    """A minimal Chrome DevTools Protocol client: send commands, collect events."""

    def __init__(self, url: str) -> None:
        import websocket

        self.socket = websocket.create_connection(url, timeout=TIMEOUT, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self.ids)
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for message in self.events:
                if message.get("method") == event:
                    return message
            self.events.append(json.loads(self.socket.recv()))
        raise TimeoutError(event)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        self.socket.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (run .ci/install-browser.sh)")
    pytest.importorskip("websocket", reason="websocket-client is not installed")
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chromium did not start its DevTools endpoint")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def open_page(port: int) -> DevTools:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as response:
        targets = json.load(response)
    page = next(t for t in targets if t["type"] == "page")
    tools = DevTools(page["webSocketDebuggerUrl"])
    for domain in ("Page", "Runtime", "Network", "Log"):
        tools.send(f"{domain}.enable")
    return tools


def console_errors(tools: DevTools) -> list[str]:
    errors = []
    for event in tools.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(json.dumps(params["exceptionDetails"])[:300])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            errors.append(json.dumps(params.get("args"))[:300])
        elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
            errors.append(params["entry"].get("text", "")[:300])
    return errors


def visible_rows(tools: DevTools, table: str) -> list[str]:
    return tools.evaluate(
        f"Array.from(document.querySelectorAll('#{table} tbody tr'))"
        ".filter(r => !r.hidden && r.offsetParent !== null).map(r => r.textContent)"
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_report_in_headless_chromium(browser, tmp_path, result, lang):
    [path] = write_report(result, "html", tmp_path / "report.html", lang)
    tools = open_page(browser)
    try:
        tools.send("Emulation.setDeviceMetricsOverride", width=1400, height=1000, deviceScaleFactor=1, mobile=False)
        tools.send("Page.navigate", url=path.as_uri())
        tools.wait_for("Page.loadEventFired")
        assert tools.evaluate("document.documentElement.dataset.ready") == "1"  # the inline JS ran

        # the summary renders: cards with numbers, three charts with drawn bars
        cards = tools.evaluate("Array.from(document.querySelectorAll('#summary .card')).map(c => c.innerText)")
        assert len(cards) == 8 and any(LABELS[lang]["text"]["card_critical"] in c for c in cards)
        bars = tools.evaluate("Array.from(document.querySelectorAll('#summary rect.bar'))"
                              ".map(r => r.getBoundingClientRect().width)")
        assert len(bars) >= 4 and max(bars) > 50
        assert tools.evaluate("document.querySelector('#summary').getBoundingClientRect().height") > 200

        # filtering: type into the violations filter like a person would
        total = len(VIOLATION_TABLE)
        assert len(visible_rows(tools, "violations-table")) == total
        tools.evaluate("document.getElementById('violations-filter').focus()")
        tools.send("Input.insertText", text="旅券番号")
        shown = visible_rows(tools, "violations-table")
        expected = sum(1 for row in VIOLATION_TABLE if "旅券番号" in (row[5] or "") or row[6] == "PASSPORT_NUMBER")
        assert 0 < len(shown) == expected < total and all("旅券番号" in r for r in shown)
        assert tools.evaluate("document.querySelector('#violations .shown').textContent").startswith(
            f"{expected} / {total}")
        # the severity facet narrows further; clearing both shows every row again
        tools.evaluate("(() => { const s = document.getElementById('violations-severity');"
                       " s.value = 'critical'; s.dispatchEvent(new Event('change')); })()")
        assert visible_rows(tools, "violations-table") == []
        tools.evaluate("(() => { const s = document.getElementById('violations-severity'); s.value = '';"
                       " s.dispatchEvent(new Event('change')); const f = document.getElementById('violations-filter');"
                       " f.value = ''; f.dispatchEvent(new Event('input')); })()")
        assert len(visible_rows(tools, "violations-table")) == total

        # sorting: click the count heading twice for descending counts
        counts_js = ("Array.from(document.querySelectorAll('#violations-table tbody tr'))"
                     ".map(r => Number(r.querySelector('td.num').dataset.sort))")
        tools.evaluate("document.querySelector('#violations-table th[data-key=count] button').click()")
        ascending = tools.evaluate(counts_js)
        assert ascending == sorted(ascending)
        tools.evaluate("document.querySelector('#violations-table th[data-key=count] button').click()")
        assert tools.evaluate(counts_js) == sorted(ascending, reverse=True)

        # the page as a reviewer first sees it, and the whole page, for the artifacts
        ARTIFACTS.mkdir(exist_ok=True)
        tools.evaluate("window.scrollTo(0, 0)")
        shot = tools.send("Page.captureScreenshot", format="png")
        (ARTIFACTS / f"report-{lang}.png").write_bytes(base64.b64decode(shot["data"]))
        full = tools.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        (ARTIFACTS / f"report-{lang}-full.png").write_bytes(base64.b64decode(full["data"]))
        assert (ARTIFACTS / f"report-{lang}.png").stat().st_size > 10_000

        # nothing left the file: the only request is the document itself, and the console is clean
        requests = [e["params"]["request"]["url"] for e in tools.events
                    if e.get("method") == "Network.requestWillBeSent"]
        assert requests == [path.as_uri()]
        assert console_errors(tools) == []
    finally:
        tools.close()


def test_print_stylesheet_hides_controls(browser, tmp_path, result):
    [path] = write_report(result, "html", tmp_path / "report.html", "ja")
    tools = open_page(browser)
    try:
        tools.send("Page.navigate", url=path.as_uri())
        tools.wait_for("Page.loadEventFired")
        tools.send("Emulation.setEmulatedMedia", media="print")
        hidden = tools.evaluate("['nav.toc', '#violations .controls'].map("
                                "s => getComputedStyle(document.querySelector(s)).display)")
        assert hidden == ["none", "none"]
        pdf = tools.send("Page.printToPDF", landscape=True, printBackground=True)
        assert base64.b64decode(pdf["data"]).startswith(b"%PDF")
        assert console_errors(tools) == []
    finally:
        tools.close()


LONG_CLAUSE = ("Basic Policy 2 (no use for other purposes); APPI Art. 18(1); declared purposes: Products and "
               "promotions, feedback, surveys, benefits, statistics and related inquiries (§1(1) a-f)")
LONG_REMEDIATION = ("Remove passport from crm/marketing_contacts_2019_import_from_legacy_system.passport_number_raw "
                    "or move it to a store whose declared purpose allows it; if the purpose is real, declare it in "
                    "the inventory and the privacy notice first.")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_remediation_and_fingerprint_visible_at_1280_px(browser, tmp_path, result, lang):
    """No sideways scroll: long clauses, paths and remediation wrap, the last columns stay on screen."""
    for violation in result["violations"]:
        violation.update(clause=LONG_CLAUSE, remediation=LONG_REMEDIATION, remediation_ja=None,
                         table="legacy_import_2019_from_the_old_reservation_system_nightly_copy")
    [path] = write_report(result, "html", tmp_path / "report.html", lang)
    tools = open_page(browser)
    try:
        tools.send("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        tools.send("Page.navigate", url=path.as_uri())
        tools.wait_for("Page.loadEventFired")
        assert tools.evaluate("window.innerWidth") == 1280
        panel = tools.evaluate("(() => { const p = document.querySelector('#violations .panel');"
                               " return [p.scrollWidth, p.clientWidth]; })()")
        assert panel[0] <= panel[1], f"the violations table scrolls sideways: {panel}"
        cells = tools.evaluate(
            "Array.from(document.querySelectorAll('#violations-table tbody tr')).map(r => {"
            " const c = r.querySelectorAll('td'); const rem = c[c.length - 2], fp = c[c.length - 1].querySelector('code');"
            " const a = rem.getBoundingClientRect(), b = fp.getBoundingClientRect();"
            " return [a.left, a.right, a.width, b.left, b.right, b.width, rem.innerText.length, fp.innerText]; })")
        assert len(cells) == len(VIOLATION_TABLE)
        for rem_left, rem_right, rem_width, fp_left, fp_right, fp_width, rem_chars, fp_text in cells:
            assert 0 <= rem_left and rem_right <= 1280 and rem_width >= 150 and rem_chars > 20
            assert 0 <= fp_left and fp_right <= 1280 and fp_width > 0 and len(fp_text) >= 10
        assert tools.evaluate("document.scrollingElement.scrollWidth") <= 1280
        ARTIFACTS.mkdir(exist_ok=True)
        tools.evaluate("document.getElementById('violations').scrollIntoView()")
        shot = tools.send("Page.captureScreenshot", format="png")
        (ARTIFACTS / f"report-{lang}-1280-violations.png").write_bytes(base64.b64decode(shot["data"]))
        assert console_errors(tools) == []
    finally:
        tools.close()
