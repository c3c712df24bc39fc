"""`piiscan nightly`: scan the inventory, diff against the last run, report, keep history.

Exit codes (documented in deploy/README.md):
  0  the run completed and found nothing new at or above --fail-on
  1  the run completed and found new violations at or above --fail-on
  2  the run itself failed (store unusable, another run holds the lock,
     broken config, the scan crashed, reports could not be written)
A source that cannot be read is not a failed run: it is an error of the run,
shown in the report, and its earlier findings stay open.

Order of work, chosen so that a run killed at any point leaves the store
consistent: record a 'running' run; scan; diff; write the reports into
`<dir>.partial`; commit the run in one transaction; rename the folder; prune
old folders; notify.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scanner.configfiles import ConfigError
from scanner.detect.masking import scrub
from scanner.severity import SEVERITIES, at_or_above
from scanner.state.diff import compute_diff
from scanner.state.incremental import ChangeTracker
from scanner.state.lock import LockHeld, run_lock
from scanner.state.notify import notify, summary
from scanner.state.store import StateError, StateStore, default_state_path
from scanner.state.triage import effective_triage, find_triage_file, load_triage_file

log = logging.getLogger(__name__)

EXIT_OK, EXIT_NEW, EXIT_FAILED = 0, 1, 2
CHOICES = tuple(reversed(SEVERITIES))  # low … critical, as --fail-on lists them
PARTIAL = ".partial"

ScanFunction = Callable[[ChangeTracker, bool], Any]  # (tracker, full) -> ScanResult or its dict


@dataclass
class NightlyOptions:
    inventory: Path | None = None
    policy: Path | None = None
    state: str | Path | None = None  # SQLite path or SQLAlchemy URL; default: the user state dir
    reports: Path | None = None  # default: <state dir>/reports
    keep: int = 30
    fail_on: str = "low"
    full: bool = False
    processes: int = 1  # worker processes for datasets (scanner.parallel)
    triage_file: Path | None = None  # default: triage.yaml beside the inventory, else configs/triage.yaml
    notify_command: str | None = None
    notify_url: str | None = None
    lang: str | None = None


def inventory_key(inventory: Path | None) -> str:
    """Which runs are 'the same inventory': the resolved inventory path, or the default one."""
    return str(inventory.resolve()) if inventory is not None else "(default inventory)"


severity_at_least = at_or_above  # the name the nightly code and its tests use


def pipeline_scan(options: NightlyOptions) -> ScanFunction:
    """The real scan: scanner.pipeline.scan_inventory over the inventory, with the tracker."""

    def scan(tracker: ChangeTracker, full: bool) -> Any:
        from scanner.pipeline import ScanOptions, scan_inventory

        return scan_inventory(options.inventory, options.policy, ScanOptions(full=full, processes=options.processes),
                              change_tracker=tracker)

    return scan


def run_nightly(options: NightlyOptions, *, scan: ScanFunction | None = None) -> int:
    """One unattended run; returns the exit code. `scan` replaces the pipeline (tests, embedding)."""
    if options.fail_on not in SEVERITIES:
        log.error("--fail-on must be one of %s", ", ".join(SEVERITIES))
        return EXIT_FAILED
    try:
        triage_file = options.triage_file or find_triage_file(options.inventory)
        reviewed = load_triage_file(triage_file) if triage_file else []
        store = StateStore.open(options.state)
    except (ConfigError, StateError) as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    inventory = inventory_key(options.inventory)
    try:
        with run_lock(store, inventory):
            return _run_locked(store, inventory, options, reviewed, scan or pipeline_scan(options))
    except LockHeld as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    finally:
        store.close()


def _run_locked(store: StateStore, inventory: str, options: NightlyOptions, reviewed: list,
                scan: ScanFunction) -> int:
    run_id = store.begin_run(inventory, [], full=options.full)
    run = store.run(run_id)
    previous = store.previous_run(inventory, before=run_id)
    tracker = ChangeTracker(store, inventory, previous.id if previous else None, full=options.full)
    try:
        result = scan(tracker, options.full)
        doc: dict[str, Any] = result.to_dict() if hasattr(result, "to_dict") else dict(result)
        day = datetime.fromisoformat(run.started_at).date()
        outcome = compute_diff(doc.get("violations") or [], doc.get("findings") or [],
                               store.observations(previous.id) if previous else {},
                               effective_triage(store.triage_entries(), reviewed), doc.get("errors") or [], day)
        doc["violations"] = outcome.violations
        doc["diff"] = outcome.counts
        doc["run"] = {"id": run_id, "previous_run_id": previous.id if previous else None,
                      "incremental": tracker.stats(), "full": options.full, "state": store.display}
        fail = any(severity_at_least(v.get("severity"), options.fail_on) for v in outcome.new_violations)
        exit_code = EXIT_NEW if fail else EXIT_OK
        reports_root = options.reports or default_state_path().parent / "reports"
        folder = reports_root / f"{_stamp(run.started_at)}-run{run_id}"
        partial = folder.with_name(folder.name + PARTIAL)
        _write_reports(doc, partial, options.lang)
        store.complete_run(run_id, inventory, doc, outcome, tracker.signatures(), exit_code)
    except Exception as exc:  # the run failed as a whole: record why, keep the history as it was
        message = scrub(f"{type(exc).__name__}: {exc}")
        log.error("nightly run %s failed: %s", run_id, message)
        try:
            store.fail_run(run_id, message)
        except Exception:  # the store itself is gone; the next run marks this one aborted
            log.error("could not record the failure of run %s", run_id)
        return EXIT_FAILED
    partial.rename(folder)
    prune_reports(reports_root, options.keep)
    log.info("run %s: %s; sources %s; reports in %s", run_id, json.dumps(outcome.counts),
             json.dumps((doc.get("stats") or {}).get("sources")), folder)
    not_read = [s for s in doc.get("sources") or [] if s.get("status") in ("failed", "partial")]
    if not_read:
        log.warning("run %s: %d sources failed or were read in part (see Sources in %s)", run_id, len(not_read),
                    folder)
    if outcome.new_violations and (options.notify_command or options.notify_url):
        notify(summary(doc, folder), command=options.notify_command, url=options.notify_url)
    return exit_code


_RUN_FOLDER = re.compile(r"^(\d{4}-\d\d-\d\dT\d{6}Z)-run(\d+)(\.partial)?$")


def _run_order(path: Path) -> tuple[str, int]:
    match = _RUN_FOLDER.match(path.name)
    return match.group(1), int(match.group(2))


def _stamp(started_at: str) -> str:
    return datetime.fromisoformat(started_at).astimezone(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")


def _write_reports(doc: dict[str, Any], folder: Path, lang: str | None) -> None:
    """Every report format plus result.json; result.json alone if the report package is missing."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner-only: reports name where personal data is
    try:
        from scanner.report import write_all_reports
    except ImportError:
        log.warning("scanner.report is not available: writing result.json only")
    else:
        write_all_reports(doc, folder, lang)
    result_json = folder / "result.json"
    if not result_json.exists():
        result_json.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def prune_reports(root: Path, keep: int) -> list[Path]:
    """Keep the newest `keep` run folders; remove older ones and leftovers of killed runs."""
    folders = sorted((p for p in root.iterdir() if p.is_dir() and _RUN_FOLDER.match(p.name)), key=_run_order)
    finished = [p for p in folders if not p.name.endswith(PARTIAL)]
    doomed = [p for p in folders if p.name.endswith(PARTIAL)] + finished[: max(len(finished) - keep, 0)]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed
