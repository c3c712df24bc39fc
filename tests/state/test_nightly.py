"""Consecutive nightly runs over a changing estate: diff, incremental, triage, failures, reports."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.nightly import EXIT_FAILED, EXIT_NEW, EXIT_OK, prune_reports
from scanner.state import store as store_module
from scanner.state.commands import triage
from scanner.state.lock import run_lock
from scanner.state.store import StateStore
from tests.state.estate import EMAILS, PASSPORTS, RAW_VALUES

REPO = Path(__file__).resolve().parents[2]
BOOKINGS, PAYMENTS, NOTES = ("bookings.txt", "PASSPORT_NUMBER"), ("payments.txt", "CREDIT_CARD"), ("notes.txt", "EMAIL_ADDRESS")


def fingerprint_of(doc: dict, key: tuple[str, str]) -> str:
    return next(v["fingerprint"] for v in doc["violations"] if (v["datastore"], v["entity_type"]) == key)


def test_consecutive_runs_report_new_open_fixed_accepted(nightly):
    root = nightly.scanner.root
    assert nightly.run() == EXIT_NEW
    assert nightly.statuses() == {BOOKINGS: "new", PAYMENTS: "new"}
    first = nightly.last()
    assert first["diff"] == {"new": 2, "open": 0, "fixed": 0, "accepted": 0, "false_positive": 0, "remediated": 0}
    assert first["run"]["previous_run_id"] is None

    assert nightly.run() == EXIT_OK  # nothing changed: nothing new
    assert nightly.statuses() == {BOOKINGS: "open", PAYMENTS: "open"}
    assert nightly.last()["run"]["previous_run_id"] == first["run"]["id"]

    (root / "payments.txt").unlink()
    with (root / "notes.txt").open("a", encoding="utf-8") as notes:
        notes.write(f"call back {EMAILS[0]}\n")
    assert nightly.run(fail_on="high") == EXIT_OK  # the only new one is a low-severity e-mail
    assert nightly.statuses() == {BOOKINGS: "open", PAYMENTS: "fixed", NOTES: "new"}
    assert {k: nightly.last()["diff"][k] for k in ("new", "open", "fixed", "accepted")} == \
        {"new": 1, "open": 1, "fixed": 1, "accepted": 0}

    store = StateStore.open(nightly.options.state)
    store.add_triage(fingerprint_of(nightly.last(), BOOKINGS)[:8], "accepted", "kept for the visa desk", "sato")
    store.close()
    assert nightly.run() == EXIT_OK
    assert nightly.statuses() == {BOOKINGS: "accepted", NOTES: "open"}  # payments' fix is not listed twice
    accepted = next(v for v in nightly.last()["violations"] if v["status"] == "accepted")
    assert accepted["triage"]["reason"] == "kept for the visa desk"
    assert accepted["triage"]["by"] == "sato"

    (root / "payments.txt").write_text("card 4111111111111111\n", encoding="utf-8")
    assert nightly.run() == EXIT_NEW  # a leak that comes back after a fix is new again
    assert nightly.statuses() == {BOOKINGS: "accepted", NOTES: "open", PAYMENTS: "new"}


def test_expired_acceptance_opens_again(nightly, monkeypatch):
    nightly.run()
    store = StateStore.open(nightly.options.state)
    tomorrow = datetime.now(timezone.utc).date() + timedelta(days=1)
    store.add_triage(fingerprint_of(nightly.last(), PAYMENTS), "accepted", "until the migration", "ito", tomorrow)
    store.close()
    assert nightly.run() == EXIT_OK
    assert nightly.statuses()[PAYMENTS] == "accepted"

    later = datetime.combine(tomorrow + timedelta(days=1), datetime.min.time(), timezone.utc)
    monkeypatch.setattr(store_module, "now_iso", lambda: later.isoformat(timespec="seconds"))
    assert nightly.run() == EXIT_OK  # open again, but not new
    assert nightly.statuses()[PAYMENTS] == "open"
    payment = next(v for v in nightly.last()["violations"] if v["datastore"] == "payments.txt")
    assert payment["triage"]["expired"] is True
    assert payment["triage"]["until"] == tomorrow.isoformat()


def test_reviewed_triage_file_is_respected(nightly):
    nightly.run()
    fp = fingerprint_of(nightly.last(), BOOKINGS)
    nightly.options.triage_file.write_text(
        f"- fingerprint: {fp}\n  status: false_positive\n  reason: test passports\n  by: review\n", encoding="utf-8")
    assert nightly.run() == EXIT_OK
    assert nightly.statuses()[BOOKINGS] == "false_positive"
    assert nightly.last()["violations"][0]["triage"]["origin"] == str(nightly.options.triage_file)


def test_broken_triage_file_fails_the_run_clearly(nightly, caplog):
    nightly.options.triage_file.write_text("- fingerprint: abc\n", encoding="utf-8")
    assert nightly.run() == EXIT_FAILED
    assert "triage.yaml: 0.fingerprint" in caplog.text


def test_incremental_run_skips_unchanged_files_and_full_rescans(nightly):
    nightly.run()
    assert sorted(nightly.scanner.scanned) == ["bookings.txt", "notes.txt", "payments.txt"]
    nightly.scanner.scanned.clear()
    nightly.run()
    assert nightly.scanner.scanned == []
    assert nightly.last()["run"]["incremental"] == {"skipped": 3, "scanned": 0}
    # carried-over findings are still reported, with their masked evidence
    assert {f["source"] for f in nightly.last()["findings"]} == {"bookings.txt", "payments.txt"}

    (nightly.scanner.root / "bookings.txt").write_text(f"passport {PASSPORTS[2]}\n", encoding="utf-8")
    nightly.run()
    assert nightly.scanner.scanned == ["bookings.txt"]
    # a different passport in a text file is a different item: the old one is fixed, this one new
    assert sorted(v["status"] for v in nightly.last()["violations"] if v["datastore"] == "bookings.txt") == \
        ["fixed", "new"]

    nightly.scanner.scanned.clear()
    nightly.run(full=True)
    assert sorted(nightly.scanner.scanned) == ["bookings.txt", "notes.txt", "payments.txt"]
    assert nightly.last()["run"]["incremental"] == {"skipped": 0, "scanned": 3}
    nightly.scanner.scanned.clear()
    nightly.run()  # a full run still records signatures for the next incremental one
    assert nightly.scanner.scanned == []


def test_source_down_is_an_error_not_a_fix(nightly):
    nightly.run()
    nightly.scanner.down = {"bookings.txt"}
    assert nightly.run() == EXIT_OK  # the run itself succeeded
    doc = nightly.last()
    assert doc["errors"] == [{"source": "bookings.txt", "message": "connection refused", "table": None,
                              "kind": "connection", "datastore": None, "status": "failed"}]
    bookings = next(v for v in doc["violations"] if v["datastore"] == "bookings.txt")
    assert bookings["status"] == "open" and bookings["carried_over"] is True
    assert doc["diff"]["fixed"] == 0

    nightly.scanner.down = set()
    nightly.scanner.scanned.clear()
    assert nightly.run() == EXIT_OK
    assert nightly.scanner.scanned == ["bookings.txt"]  # its signature was not trusted after the failure
    assert nightly.statuses() == {BOOKINGS: "open", PAYMENTS: "open"}


def test_crashed_scan_fails_the_run_and_keeps_history(nightly):
    nightly.run()
    nightly.scanner.crash = True
    assert nightly.run() == EXIT_FAILED
    nightly.scanner.crash = False
    assert nightly.run() == EXIT_OK
    store = StateStore.open(nightly.options.state)
    runs = store.runs()
    store.close()
    assert [r.status for r in runs] == ["complete", "failed", "complete"]
    assert "RuntimeError: pipeline crashed" in runs[1].message
    assert nightly.last()["run"]["previous_run_id"] == runs[0].id


KILLER = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from scanner.nightly import NightlyOptions, run_nightly
from tests.state.estate import EstateScanner

scanner = EstateScanner(Path({root!r}))
def scan(tracker, full):
    doc = scanner(tracker, full)
    os.kill(os.getpid(), signal.SIGKILL)  # killed midway, after scanning, before anything is committed
run_nightly(NightlyOptions(state=Path({state!r}), reports=Path({reports!r}), triage_file=Path({triage!r})), scan=scan)
"""


def test_killed_run_is_followed_by_a_good_one(nightly):
    assert nightly.run() == EXIT_NEW
    (nightly.scanner.root / "payments.txt").unlink()
    o = nightly.options
    script = KILLER.format(repo=str(REPO), root=str(nightly.scanner.root), state=str(o.state),
                           reports=str(o.reports), triage=str(o.triage_file))
    killed = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=120)
    assert killed.returncode == -9

    assert nightly.run() == EXIT_OK  # the lock died with the process
    assert nightly.statuses() == {BOOKINGS: "open", PAYMENTS: "fixed"}
    store = StateStore.open(o.state)
    runs = store.runs()
    store.close()
    assert [r.status for r in runs] == ["complete", "aborted", "complete"]
    assert nightly.last()["run"]["previous_run_id"] == runs[0].id
    assert len(nightly.folders()) == 2


def test_overlapping_run_is_refused(nightly, caplog):
    nightly.run()
    store = StateStore.open(nightly.options.state)
    from scanner.nightly import inventory_key

    with run_lock(store, inventory_key(None)):
        assert nightly.run() == EXIT_FAILED
    store.close()
    assert "another piiscan nightly run holds" in caplog.text
    assert nightly.run() == EXIT_OK


def test_reports_are_dated_and_pruned(nightly):
    for _ in range(4):
        nightly.run(keep=2)
    folders = nightly.folders()
    assert [int(f.name.rsplit("run", 1)[1]) for f in folders] == [3, 4]
    for folder in folders:
        assert datetime.strptime(folder.name.split("-run")[0], "%Y-%m-%dT%H%M%SZ")
        assert (folder / "result.json").is_file()


def test_prune_removes_leftovers_of_killed_runs(tmp_path: Path):
    for name in ["2026-01-01T000000Z-run9", "2026-01-02T000000Z-run10", "2026-01-03T000000Z-run11.partial",
                 "2026-01-03T000000Z-run12", "unrelated"]:
        (tmp_path / name).mkdir()
    removed = prune_reports(tmp_path, keep=2)
    assert sorted(p.name for p in removed) == ["2026-01-01T000000Z-run9", "2026-01-03T000000Z-run11.partial"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-01-02T000000Z-run10", "2026-01-03T000000Z-run12",
                                                         "unrelated"]


def test_state_is_owner_only_and_holds_no_raw_values(nightly):
    nightly.run()
    (nightly.scanner.root / "notes.txt").write_text(f"{EMAILS[1]} {PASSPORTS[3]}\n", encoding="utf-8")
    nightly.run()
    state = Path(nightly.options.state)
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.with_name("state.db.lock").stat().st_mode) == 0o600
    stored = state.read_bytes()
    published = b"".join(p.read_bytes() for p in nightly.options.reports.rglob("*") if p.is_file())
    for raw in RAW_VALUES:
        assert raw.encode() not in stored, raw
        assert raw.encode() not in published, raw
    assert b"TK*****67" in published  # masked evidence is there


def test_unusable_state_path_fails_clearly(nightly, caplog):
    blocker = Path(nightly.options.state).parent
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder", encoding="utf-8")
    assert nightly.run() == EXIT_FAILED
    assert "cannot open state store" in caplog.text


def test_notify_command_gets_a_summary_without_evidence(nightly, tmp_path: Path):
    out = tmp_path / "notified.json"
    command = f"{sys.executable} -c \"import sys; open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())\""
    nightly.run(notify_command=command)
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert {v["datastore"] for v in payload["new_violations"]} == {"bookings.txt", "payments.txt"}
    assert payload["diff"]["new"] == 2
    assert "evidence" not in json.dumps(payload)
    out.unlink()
    nightly.run(notify_command=command)  # nothing new: no notification
    assert not out.exists()


def test_notify_webhook(nightly):
    received: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert nightly.run(notify_url=f"http://127.0.0.1:{server.server_port}/hook") == EXIT_NEW
    finally:
        server.shutdown()
        server.server_close()
    assert len(received) == 1 and len(received[0]["new_violations"]) == 2


def test_failing_hook_does_not_fail_the_run(nightly):
    assert nightly.run(notify_url="http://127.0.0.1:9/unreachable", notify_command="false") == EXIT_NEW


def test_triage_command(nightly):
    nightly.run()
    fp = fingerprint_of(nightly.last(), PAYMENTS)
    runner = CliRunner()
    state = str(nightly.options.state)
    done = runner.invoke(triage, [fp[:10], "--status", "accepted", "--reason", "PCI scope exception",
                                  "--until", "2099-12-31", "--by", "tanaka", "--state", state])
    assert done.exit_code == 0, done.output
    assert fp in done.output and "until 2099-12-31" in done.output
    unknown = runner.invoke(triage, ["ffffffffff", "--status", "accepted", "--reason", "x", "--state", state])
    assert unknown.exit_code == 2 and "no finding or violation with fingerprint" in unknown.output
    bad = runner.invoke(triage, [fp, "--status", "ignored", "--reason", "x", "--state", state])
    assert bad.exit_code == 2
    nightly.run()
    payment = next(v for v in nightly.last()["violations"] if v["datastore"] == "payments.txt")
    assert payment["status"] == "accepted"
    assert payment["triage"] == {"status": "accepted", "reason": "PCI scope exception", "by": "tanaka",
                                 "at": payment["triage"]["at"], "until": "2099-12-31", "origin": "store",
                                 "expired": False}
    assert date.fromisoformat(payment["triage"]["at"][:10])


def test_store_migrates_once_and_reports_its_revision(tmp_path: Path):
    path = tmp_path / "s.db"
    from alembic.script import ScriptDirectory

    from scanner.state.store import MIGRATIONS
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None and head >= "0002"
    first = StateStore.open(path)
    assert first.schema_revision() == head
    first.close()
    again = StateStore.open(str(path))
    assert again.schema_revision() == head
    again.close()
    os.chmod(path, 0o644)
    StateStore.open(f"sqlite:///{path}").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("prefix", ["abc", "zzzzzzzz"])
def test_triage_prefix_errors(tmp_path: Path, prefix):
    from scanner.state.store import StateError

    store = StateStore.open(tmp_path / "s.db")
    with pytest.raises(StateError):
        store.add_triage(prefix, "accepted", "r", "me")
    store.close()
