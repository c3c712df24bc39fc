"""The inventory's datastores scanned, then every finding judged by the policy.

Also judges a scan of targets named on the command line (`judge_targets`): a
target inside a datastore the inventory declares is judged by that
declaration; anything outside every declared datastore is undeclared, and the
personal data found there is shadow data. A scan that skipped the policy could
never fail a `--fail-on` gate, so every CLI scan goes through here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

from scanner.detect.masking import scrub
from scanner.model import ScanError, ScanResult
from scanner.scan.options import ScanOptions
from scanner.scan.scanner import ChangeTracker, Scanner
from scanner.sources import declared_kind_problem
from scanner.sources.base import Dataset
from scanner.targets import Target, parse_target


def scan_inventory(inventory_path: str | os.PathLike[str] | None, policy_path: str | os.PathLike[str] | None,
                   options: ScanOptions, *, change_tracker: ChangeTracker | None = None,
                   on_dataset: Callable[[Dataset], None] | None = None, today: dt.date | None = None,
                   scanner: Scanner | None = None) -> ScanResult:
    """Scan every datastore of the inventory (and its discovery folders), then evaluate the policy."""
    from scanner.policy.config import load_inventory, load_policy

    policy = load_policy(policy_path)
    inventory = load_inventory(inventory_path, policy=policy)
    targets = inventory.scan_targets()
    scanner = scanner or Scanner(options, [t.display for t in targets])
    if scanner.result.targets == []:
        scanner.result.targets = [t.display for t in targets]
    try:
        for target in targets:
            if target.error:
                scanner.record_error(ScanError(target.display, scrub(target.error), None, target.error_kind,
                                               datastore=target.datastore_name))
                continue
            given = parse_target(as_given(target.target))
            problem = _not_what_inventory_says(inventory, target, given)
            if problem:
                scanner.record_error(ScanError(given.display, problem, None, "corrupt",
                                               datastore=target.datastore_name))
                continue
            scanner.scan_target(given, datastore=target.datastore_name, change_tracker=change_tracker,
                                on_dataset=on_dataset, updated_at=_updated_at_lookup(inventory, target.datastore_name))
    except BaseException:  # an interrupt (a dataset's own failure never reaches here)
        scanner.abandon()
        raise
    result = scanner.finish()
    _judge(result, policy, inventory, today=today)
    result.extra["inventory"] = inventory.path
    return result


def judge_targets(result: ScanResult, roots: dict[str, str], inventory_path: str | os.PathLike[str] | None,
                  policy_path: str | os.PathLike[str] | None, today: dt.date | None = None) -> None:
    """Judge a scan of named targets by the policy: each finding placed in the datastore the
    inventory declares for it, or undeclared (shadow data) when none does. `roots` maps each
    finding's source to the folder (or file) it was found under (`Scanner.roots`)."""
    from scanner.configfiles import find_config
    from scanner.policy.config import Inventory, load_inventory, load_policy

    policy = load_policy(policy_path)
    if inventory_path is None and find_config("inventory.yaml") is None:
        # no inventory anywhere: nothing is declared, so every store scanned is undeclared
        inventory = Inventory(datastores=[])
    else:
        inventory = load_inventory(inventory_path, policy=policy)
    _judge(result, policy, inventory, today=today, roots=roots)
    result.extra["inventory"] = inventory.path


def _judge(result: ScanResult, policy: Any, inventory: Any, *, today: dt.date | None,
           roots: dict[str, str] | None = None) -> None:
    from scanner.policy.evaluate import evaluate_full

    evaluation = evaluate_full([f.to_dict() for f in result.findings], policy, inventory, today=today,
                               scan_root_map=roots)
    result.violations = evaluation.violations
    result.impact = evaluation.impact
    result.extra["policy"] = policy.path  # the nightly keeps the retention it judged by (scanner.state.context)
    for error in evaluation.errors:
        result.errors.append(ScanError(str(error.get("datastore") or error.get("source") or "policy"),
                                       scrub(str(error.get("message", error))), error.get("table"), "retention"))


def _updated_at_lookup(inventory: Any, datastore_name: str | None) -> Callable[[Dataset], str | None] | None:
    """The inventory's updated-at column for a dataset, so nightly runs notice edited rows."""
    store = inventory.datastore(datastore_name) if datastore_name else None
    if store is None:
        return None

    def lookup(dataset: Dataset) -> str | None:
        relative = os.path.relpath(os.path.abspath(dataset.source), inventory.base_dir) if dataset.is_file else None
        spec = store.table_spec(dataset.table, relative)
        return spec.updated_at if spec is not None else None

    return lookup


def _not_what_inventory_says(inventory: Any, declared: Any, given: Target) -> str | None:
    """A declared SQLite database that is no longer one is an error (not a text file with no findings)."""
    store = inventory.datastore(declared.datastore_name) if declared.datastore_name else None
    if store is None or store.kind != "sqlite" or not given.is_path:
        return None
    return declared_kind_problem(given.path, "sqlite")


def as_given(target: str) -> str:
    """A file path inside the working directory is shown relative to it (reports read better)."""
    if not parse_target(target).is_path:
        return target
    try:
        relative = os.path.relpath(target)
    except ValueError:
        return target
    return target if relative.startswith("..") else relative
