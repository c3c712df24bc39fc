"""The scan pipeline's front door: targets -> datasets -> detection -> findings -> (policy) -> ScanResult.

`run_scan` scans named targets, `scan_inventory` the inventory's datastores;
both return one `ScanResult`. The work itself is split by responsibility in
`scanner.scan` (options, batches, one dataset, the scanner, the inventory) and
`scanner.engines` (where a dataset is scanned). This module only wires them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable

from scanner.model import ScanResult
from scanner.scan.inventory import judge_targets, scan_inventory
from scanner.scan.options import ScanOptions, build_detector, default_jobs
from scanner.scan.scanner import ChangeTracker, Scanner
from scanner.sources.base import Dataset
from scanner.targets import Target, parse_targets


def run_scan(targets: Iterable[str | Target], options: ScanOptions, *, change_tracker: ChangeTracker | None = None,
             on_dataset: Callable[[Dataset], None] | None = None, engine: str = "local", judge: bool = False,
             inventory_path: str | os.PathLike[str] | None = None,
             policy_path: str | os.PathLike[str] | None = None, today: dt.date | None = None,
             **engine_settings) -> ScanResult:
    """Scan every target; errors are recorded in the result and the scan goes on.

    `judge`: also evaluate the policy (`inventory_path` / `policy_path`, defaults from
    configs/): a target the inventory declares is judged by its declaration, anything
    else is undeclared (shadow data).
    """
    from scanner.engines import make_engine

    parsed = parse_targets(targets)
    scanner = Scanner(options, parsed, make_engine(engine, options, **engine_settings))
    try:
        for target in parsed:
            scanner.scan_target(target, change_tracker=change_tracker, on_dataset=on_dataset)
    except BaseException:  # an interrupt (a dataset's own failure never reaches here)
        scanner.abandon()
        raise
    result = scanner.finish()
    if judge:
        judge_targets(result, scanner.roots, inventory_path, policy_path, today=today)
    return result


__all__ = ["ChangeTracker", "ScanOptions", "Scanner", "build_detector", "default_jobs", "run_scan", "scan_inventory"]
