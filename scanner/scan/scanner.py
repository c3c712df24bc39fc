"""A whole run: every target's datasets handed to an engine, results applied in dataset order.

The scanner owns the bookkeeping an engine must not care about: the order
results are applied in (a sequential scan's order, whatever engine ran them),
the run's stats, incremental carry-over, and one `SourceStatus` for every
source met, so the result says what it did not read as plainly as what it found.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import replace
from typing import Protocol

from scanner.detect.masking import scrub
from scanner.engines import Engine, make_engine
from scanner.model import Finding, ScanError, ScanResult, SourceStatus
from scanner.scan.dataset import DatasetScan, error_of, error_text, failure_of
from scanner.scan.options import ScanOptions, source_options
from scanner.sources import SourceStats
from scanner.sources.base import Dataset, SourceError
from scanner.targets import Target, parse_target

log = logging.getLogger(__name__)


class ChangeTracker(Protocol):
    """Lets nightly runs skip unchanged datasets (implemented in scanner.state.incremental)."""

    def unchanged(self, source: str, table: str | None, signature: dict | None) -> bool: ...

    def previous_findings(self, source: str, table: str | None) -> list[dict]: ...


class Scanner:
    """Scans targets into one ScanResult with one engine for the whole run."""

    def __init__(self, options: ScanOptions, targets: Iterable[str | Target], engine: Engine | None = None):
        self.options = options
        self.engine = engine if engine is not None else make_engine("local", options)
        self.result = ScanResult(targets=[_display(t) for t in targets], options=options.public())
        self.result.options.update(self.engine.public())
        self.result.started_at = now_iso()
        self._started = time.perf_counter()
        self._source_options = source_options(options)
        self._files: set[str] = set()  # sources counted as scanned files (a workbook's sheets are one)
        # datasets whose results wait to be applied, in the order they came
        self._pending: deque[tuple[Dataset | None, DatasetScan | Future[DatasetScan]]] = deque()
        self._datastore: str | None = None
        self._root: str | None = None
        # each source's folder (or file) as given, so the policy can place a relative source
        self.roots: dict[str, str] = {}

    @property
    def detector(self):  # the detector of an engine that has one (tests, benchmarks)
        return getattr(self.engine, "detector", None)

    def datasets(self, target: Target, walk: SourceStats) -> Iterable[Dataset | SourceError]:
        """The datasets of one target, through the source layer (what a test may replace)."""
        return target.open(self._source_options, walk)

    def scan_target(self, target: str | Target, *, datastore: str | None = None,
                    change_tracker: ChangeTracker | None = None,
                    on_dataset: Callable[[Dataset], None] | None = None,
                    updated_at: Callable[[Dataset], str | None] | None = None) -> None:
        """Scan every dataset of `target`, several in flight when the engine allows; their results
        are applied in the order the datasets came, as a sequential scan would."""
        target = parse_target(target)
        walk = SourceStats()
        self._datastore = datastore
        self._root = str(target.path) if target.is_path else None
        for item in _safe_iter(self.datasets(target, walk), target.display):
            if isinstance(item, ScanError):
                self._pending.append((None, DatasetScan(errors=[item])))
            else:
                if on_dataset:
                    on_dataset(item)
                self._pending.append((item, self._start(item, change_tracker,
                                                        updated_at(item) if updated_at else None)))
            self._settle(keep=self.engine.results_in_flight)
        self._settle(keep=0)
        self.result.stats.files_skipped_binary += walk.files_skipped_binary
        self._datastore = self._root = None

    def record_error(self, error: ScanError) -> None:
        """A problem met outside any dataset (a datastore the inventory cannot reach): an error and a source."""
        self._datastore = error.datastore
        try:
            self._apply(None, DatasetScan(errors=[error]))
        finally:
            self._datastore = None

    def _start(self, dataset: Dataset, change_tracker: ChangeTracker | None,
               updated_at_column: str | None) -> DatasetScan | Future[DatasetScan]:
        """Carry an unchanged dataset over, or hand it to the engine."""
        if change_tracker is not None:
            # asked even with --full: the tracker records the signature (and says "changed")
            counts = self.result.extra.setdefault("incremental", {"skipped": 0, "scanned": 0})
            try:
                if change_tracker.unchanged(dataset.source, dataset.table, dataset.signature(updated_at_column)):
                    dataset.close()
                    previous = change_tracker.previous_findings(dataset.source, dataset.table)
                    counts["skipped"] += 1
                    return DatasetScan(findings=[Finding.from_dict(d) for d in previous], carried_over=True)
            except Exception as exc:  # noqa: BLE001 - becomes an error of this dataset
                dataset.close()
                return DatasetScan(errors=[failure_of(dataset, exc, self.engine.describe_error)])
            counts["scanned"] += 1
        return self.engine.submit(dataset)

    def _settle(self, keep: int) -> None:
        """Apply results in dataset order until at most `keep` are outstanding."""
        pending = self._pending
        while len(pending) > keep:
            dataset, outcome = pending.popleft()
            if isinstance(outcome, Future):
                assert dataset is not None
                try:
                    outcome = outcome.result()
                except Exception as exc:  # noqa: BLE001 - a worker died, or a result did not travel back
                    outcome = self.engine.recover(dataset, exc)
                dataset.close()
            self._apply(dataset, outcome)

    def _apply(self, dataset: Dataset | None, outcome: DatasetScan) -> None:
        result = self.result
        datastore = self._datastore
        errors = [replace(e, datastore=datastore) for e in outcome.errors] if datastore else outcome.errors
        findings = [replace(f, datastore=datastore) for f in outcome.findings] if datastore else outcome.findings
        # problems the source met (counts and reasons, never values); a source skipped on
        # purpose (a binary file) is no error: it is listed in `sources` only
        result.errors += [e for e in errors if e.status != "skipped"]
        result.findings += findings
        entry = self._status_of(dataset, outcome, errors)
        result.sources.append(entry)
        log.debug("%s%s: %s%s, %d rows", entry.source, f" [{entry.table}]" if entry.table else "", entry.status,
                  f" ({entry.reason})" if entry.reason else "", entry.rows)
        if self._root is not None:
            self.roots.setdefault(entry.source, self._root)
        if not outcome.scanned or dataset is None:
            return
        result.stats.datasets += 1
        if dataset.is_file and dataset.source not in self._files:
            self._files.add(dataset.source)
            result.stats.files_scanned += 1
            result.stats.bytes_read += dataset.size_bytes()
        result.stats.rows_scanned += outcome.rows
        result.stats.cells_scanned += outcome.cells

    def _status_of(self, dataset: Dataset | None, outcome: DatasetScan, errors: list[ScanError]) -> SourceStatus:
        """How the source behind `outcome` ended (see SourceStatus)."""
        first = errors[0] if errors else None
        source = dataset.source if dataset is not None else (first.source if first else "?")
        table = dataset.table if dataset is not None else (first.table if first else None)
        size = dataset.size_bytes() if dataset is not None else 0
        if outcome.carried_over:
            return SourceStatus(source, "scanned", table, "unchanged", "unchanged since the last run: findings "
                                "carried over", 0, 0, self._datastore)
        if outcome.scanned:
            partial = next((e for e in errors if e.status == "partial"), None) or first
            if partial is None:
                return SourceStatus(source, "scanned", table, None, None, outcome.rows, size, self._datastore)
            more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
            return SourceStatus(source, "partial", table, partial.kind, partial.message + more, outcome.rows, size,
                                self._datastore)
        status = first.status if first and first.status in ("skipped", "failed", "partial") else "failed"
        return SourceStatus(source, status, table, first.kind if first else "read_error",
                            first.message if first else None, 0, 0, self._datastore)

    def abandon(self) -> None:
        """The run was interrupted: cancel what is queued, wait for nothing, report nothing."""
        self.engine.close(wait=False)

    def finish(self) -> ScanResult:
        self.engine.close()
        result = self.result
        result.extra.update(self.engine.summary())
        result.stats.seconds = round(time.perf_counter() - self._started, 3)
        result.finished_at = now_iso()
        result.findings.sort(key=lambda f: (f.location.source, f.location.table or "", f.location.field or "",
                                            f.entity_type))
        return result


def _safe_iter(items: Iterable[Dataset | SourceError], shown: str) -> Iterator[Dataset | ScanError]:
    """A source's datasets, and its problems as errors in their place: a table that
    cannot be read, or a listing that fails (which ends the source, not the scan)."""
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except SourceError as exc:
            yield error_of(exc)
            return
        except Exception as exc:  # noqa: BLE001
            yield ScanError(shown, scrub(error_text(exc)), None, "read_error")
            return
        yield error_of(item) if isinstance(item, SourceError) else item


def _display(target: str | Target) -> str:
    return target.display if isinstance(target, Target) else parse_target(target).display


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
