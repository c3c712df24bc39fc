"""The scan pipeline: targets -> datasets -> detection -> findings -> (policy) -> ScanResult.

This is the only module that wires sources to detection. It holds no format or
dialect knowledge (sources do) and no detection rules (scanner.detect does).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

import pyarrow as pa

from scanner.detect.config import DetectionConfig, load_detection_config
from scanner.detect.engine import ColumnStats, Detector
from scanner.detect.masking import scrub
from scanner.model import Finding, Location, ScanError, ScanResult
from scanner.sources import SourceStats, describe_target, open_target
from scanner.sources.base import Dataset, SourceError, SourceOptions
from scanner.sources.files import SQLITE_MAGIC

if TYPE_CHECKING:
    from scanner.parallel import WorkerPool

log = logging.getLogger(__name__)


@dataclass
class ScanOptions:
    """What the user asked for; None means 'the value from configs/detection.yaml'."""

    sample_rows: int | None = None
    full: bool = False
    jobs: int = field(default_factory=lambda: default_jobs())
    processes: int = 1  # worker processes for datasets (scanner.parallel); 1 = all in this process
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    detection_config: str | None = None
    progress: bool = False

    def public(self) -> dict[str, Any]:
        return {"sample_rows": self.sample_rows, "full": self.full, "jobs": self.jobs, "processes": self.processes,
                "include": self.include, "exclude": self.exclude}


def default_jobs() -> int:
    """Threads for columns: Arrow and RE2 release the GIL, so one per core pays (up to 4)."""
    return max(1, min(4, os.cpu_count() or 1))


class ChangeTracker(Protocol):
    """Lets nightly runs skip unchanged datasets (implemented in scanner.state.incremental)."""

    def unchanged(self, source: str, table: str | None, signature: dict | None) -> bool: ...

    def previous_findings(self, source: str, table: str | None) -> list[dict]: ...


def build_detector(options: ScanOptions) -> tuple[Detector, DetectionConfig]:
    from recognizers import default_recognizers

    config = load_detection_config(options.detection_config)
    ner = None if config.ner.enabled == "auto" else bool(config.ner.enabled)
    return Detector(default_recognizers(ner=ner), config), config


def scan_dataset(dataset: Dataset, detector: Detector, config: DetectionConfig, options: ScanOptions,
                 pool: ThreadPoolExecutor | None = None) -> tuple[list[Finding], int, int]:
    """Scan one table/sheet/file; returns (findings, rows scanned, cells scanned)."""
    if dataset.kind == "text":
        stats = ColumnStats(name=None)
        rows = 0
        # two stages in flight: the reader thread decodes and splits lines, the screen
        # thread runs the RE2 prefilters (both Arrow, without the GIL), and this thread
        # confirms the candidates of the batch before with find()
        batches = coalesce(prefetch(dataset.iter_batches()))
        for screened in prefetch(detector.screen_lines(b.column("text"), b.column("line")) for b in batches):
            rows += screened.rows
            detector.observe_lines(stats, screened)
        location = Location(dataset.source, dataset.table, None)
        return detector.findings(stats, location, rows, text_file=True), rows, rows

    if options.full:
        batches: Iterable[pa.RecordBatch] = coalesce(prefetch(dataset.iter_batches()))
    else:
        sample_rows = options.sample_rows or config.sampling.rows
        batches = dataset.sample(sample_rows, seed=config.sampling.seed).to_batches()

    columns: dict[str, ColumnStats] = {}
    rows = cells = 0
    for batch in batches:
        rows += batch.num_rows
        cells += batch.num_rows * batch.num_columns
        names = batch.schema.names
        for name in names:
            columns.setdefault(name, ColumnStats(name=name))

        def observe(name: str, batch: pa.RecordBatch = batch) -> None:
            detector.observe(columns[name], batch.column(name))

        if pool is not None and len(names) > 1:
            list(pool.map(observe, names))
        else:
            for name in names:
                observe(name)
    findings: list[Finding] = []
    for name, stats in columns.items():
        findings += detector.findings(stats, Location(dataset.source, dataset.table, name), rows)
    return findings, rows, cells


# Results of datasets scanned out of order that may wait for an earlier one (workers).
WAITING_RESULTS = 64


@dataclass
class DatasetScan:
    """What one dataset gave, wherever it was scanned (here or in a worker process)."""

    findings: list[Finding] = field(default_factory=list)
    rows: int = 0
    cells: int = 0
    errors: list[ScanError] = field(default_factory=list)
    scanned: bool = False  # False: it failed (only errors), or it was carried over unchanged


def scan_safely(dataset: Dataset, scan: Callable[[Dataset], tuple[list[Finding], int, int]],
                describe: Callable[[Exception], str]) -> DatasetScan:
    """Scan one dataset; a broken dataset becomes an error and the run goes on."""
    try:
        log.info("scanning %s%s", dataset.source, f" [{dataset.table}]" if dataset.table else "")
        findings, rows, cells = scan(dataset)
        issues = [_error_of(issue) for issue in getattr(dataset, "issues", [])]
        return DatasetScan(findings, rows, cells, issues, scanned=True)
    except Exception as exc:  # noqa: BLE001 - a broken dataset must not end the scan
        return DatasetScan(errors=[failure_of(dataset, exc, describe)])
    finally:
        dataset.close()


def failure_of(dataset: Dataset, exc: Exception, describe: Callable[[Exception], str]) -> ScanError:
    """The error a dataset's failure records: a source's own message, or the exception scrubbed."""
    if isinstance(exc, SourceError):
        return _error_of(exc)
    return ScanError(dataset.source, scrub(describe(exc)), dataset.table, "read_error")


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class Scanner:
    """Scans targets into one ScanResult; holds the detector and the worker pool for a whole run."""

    def __init__(self, options: ScanOptions, targets: list[str]):
        self.options = options
        self.detector, self.config = build_detector(options)
        self.result = ScanResult(targets=[describe_target(t) for t in targets], options=options.public())
        self.result.started_at = _now()
        self._started = time.perf_counter()
        self._source_options = SourceOptions(include=options.include, exclude=options.exclude)
        self._pool = ThreadPoolExecutor(max_workers=options.jobs) if options.jobs > 1 else None
        self._files: set[str] = set()  # sources counted as scanned files (a workbook's sheets are one)
        self._workers: WorkerPool | None = None
        self._workers_failed = False
        self._target = ""  # the target being scanned (a dataset a dead worker held is rescanned here)
        # datasets whose results wait to be applied, in the order they came
        self._pending: deque[tuple[Dataset | None, DatasetScan | Future[DatasetScan]]] = deque()

    def scan_target(self, target: str, *, datastore: str | None = None, change_tracker: ChangeTracker | None = None,
                    on_dataset: Callable[[Dataset], None] | None = None,
                    updated_at: Callable[[Dataset], str | None] | None = None) -> None:
        """Scan every dataset of `target`. With worker processes several are in flight at
        once; their results are applied in the order the datasets came, as a sequential
        scan would."""
        result = self.result
        first_new, first_error = len(result.findings), len(result.errors)
        walk = SourceStats()
        self._target = target
        for item in _safe_iter(self._datasets(target, walk), target):
            if isinstance(item, ScanError):
                self._pending.append((None, DatasetScan(errors=[item])))
            else:
                if on_dataset:
                    on_dataset(item)
                self._pending.append((item, self._start(item, target, change_tracker,
                                                        updated_at(item) if updated_at else None)))
            self._settle(keep=self._in_flight)
        self._settle(keep=0)
        result.stats.files_skipped_binary += walk.files_skipped_binary
        if datastore is not None:
            result.findings[first_new:] = [replace(f, datastore=datastore) for f in result.findings[first_new:]]
            result.errors[first_error:] = [replace(e, datastore=datastore) for e in result.errors[first_error:]]

    # --- what another engine (scanner.engines.spark) replaces --------------------------
    # (an engine that replaces `_scan` keeps its datasets out of the worker processes)
    def _datasets(self, target: str, walk: SourceStats) -> Iterable[Dataset | SourceError]:
        return open_target(target, self._source_options, walk)

    def _scan(self, dataset: Dataset, target: str) -> tuple[list[Finding], int, int]:
        return scan_dataset(dataset, self.detector, self.config, self.options, self._pool)

    def _error_text(self, exc: Exception) -> str:
        return error_text(exc)

    # --- one dataset ------------------------------------------------------------------
    def _start(self, dataset: Dataset, target: str, change_tracker: ChangeTracker | None,
               updated_at_column: str | None) -> DatasetScan | Future[DatasetScan]:
        """Carry an unchanged dataset over, or scan it: here, or in a worker process."""
        if change_tracker is not None:
            # asked even with --full: the tracker records the signature (and says "changed")
            counts = self.result.extra.setdefault("incremental", {"skipped": 0, "scanned": 0})
            try:
                if change_tracker.unchanged(dataset.source, dataset.table, dataset.signature(updated_at_column)):
                    dataset.close()
                    previous = change_tracker.previous_findings(dataset.source, dataset.table)
                    carried = [finding_from_dict(d) for d in previous]
                    counts["skipped"] += 1
                    return DatasetScan(findings=carried)
            except Exception as exc:  # noqa: BLE001 - becomes an error of this dataset
                dataset.close()
                return DatasetScan(errors=[failure_of(dataset, exc, self._error_text)])
            counts["scanned"] += 1
        if self.options.processes > 1 and self._busy_workers() < self.options.processes:
            try:
                workers = self._worker_pool()
                sent = workers.submit(dataset) if workers is not None else None
                if sent is not None:
                    return sent
            except Exception as exc:  # noqa: BLE001 - e.g. the pool could not start: scan here
                self._lose_workers(exc)
        return self._scan_here(dataset, target)

    def _busy_workers(self) -> int:
        """Datasets a worker still holds. When every worker is busy (or still starting),
        this process scans the next dataset itself instead of waiting."""
        return sum(1 for _, outcome in self._pending if isinstance(outcome, Future) and not outcome.done())

    def _scan_here(self, dataset: Dataset, target: str) -> DatasetScan:
        return scan_safely(dataset, lambda d: self._scan(d, target), self._error_text)

    def _lose_workers(self, exc: BaseException) -> None:
        """Worker processes that failed (could not start, or one died): the rest of the run,
        and every dataset they held, is scanned in this process."""
        if not self._workers_failed:
            log.warning("worker processes failed (%s); scanning in this process", error_text(exc))
        self._workers_failed = True
        if self._workers is not None:
            self._workers.shutdown()
            self._workers = None

    def _worker_pool(self) -> WorkerPool | None:
        """The worker processes, started at the first dataset that may use them."""
        # a subclass that scans its own way (Spark) keeps every dataset here
        own_scan = type(self)._scan is not Scanner._scan or type(self)._error_text is not Scanner._error_text
        if self._workers is None and self.options.processes > 1 and not own_scan and not self._workers_failed:
            from scanner.parallel import WorkerPool

            self._workers = WorkerPool(self.options)
        return self._workers

    @property
    def _in_flight(self) -> int:
        """Datasets whose results may wait to be applied: at most one per worker is being
        scanned there (see `_busy_workers`); the rest are small, finished results held
        back to keep the order, bounded so that a slow dataset cannot hold everything."""
        return WAITING_RESULTS if self._workers is not None else 0

    def _settle(self, keep: int) -> None:
        """Apply results in dataset order until at most `keep` are outstanding."""
        pending = self._pending
        while len(pending) > keep:
            dataset, outcome = pending.popleft()
            if isinstance(outcome, Future):
                assert dataset is not None
                try:
                    outcome = outcome.result()
                except BrokenExecutor as exc:  # a worker died: the pool is gone, not the dataset
                    self._lose_workers(exc)
                    outcome = self._scan_here(dataset, self._target)
                except Exception:  # noqa: BLE001 - e.g. a result that did not travel back: scan it here
                    outcome = self._scan_here(dataset, self._target)
                dataset.close()
            self._apply(dataset, outcome)

    def _apply(self, dataset: Dataset | None, outcome: DatasetScan) -> None:
        result = self.result
        result.errors += outcome.errors  # non-fatal problems the source met: counts, never values
        result.findings += outcome.findings
        if not outcome.scanned or dataset is None:
            return
        result.stats.datasets += 1
        if "://" not in dataset.source and dataset.source not in self._files:
            self._files.add(dataset.source)
            result.stats.files_scanned += 1
            result.stats.bytes_read += _file_size(dataset)
        result.stats.rows_scanned += outcome.rows
        result.stats.cells_scanned += outcome.cells

    def finish(self) -> ScanResult:
        if self._pool is not None:
            self._pool.shutdown()
        if self._workers is not None:
            self._workers.shutdown()
        result = self.result
        result.stats.seconds = round(time.perf_counter() - self._started, 3)
        result.finished_at = _now()
        result.findings.sort(key=lambda f: (f.location.source, f.location.table or "", f.location.field or "", f.entity_type))
        return result


# Rows per detection batch in full scans. Detection has a fixed cost per batch and
# column: a few dozen Arrow calls, and Arrow compiles each RE2 pattern anew on every
# call (the union prefilter alone takes ~2 ms to compile). 256k rows keep that cost
# small next to the data while a batch of 8 text columns stays well under 100 MB.
SCAN_BATCH_ROWS = 262_144


def coalesce(batches: Iterable[pa.RecordBatch], rows: int = SCAN_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """Merge small batches (a CSV reader yields ~1 MB blocks) into batches of about `rows`.

    Batches whose columns differ (JSON lines with other keys) are merged with nulls for
    the missing ones.
    """
    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in batches:
        pending.append(batch)
        held += batch.num_rows
        if held >= rows:
            yield from _merge(pending)
            pending, held = [], 0
    if pending:
        yield from _merge(pending)


def _merge(batches: list[pa.RecordBatch]) -> list[pa.RecordBatch]:
    if len(batches) == 1:
        return batches
    try:
        table = pa.concat_tables([pa.Table.from_batches([b]) for b in batches], promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # types that do not unify: keep them apart
        return batches
    return table.combine_chunks().to_batches() or batches


def prefetch(batches: Iterable[pa.RecordBatch], depth: int = 2) -> Iterator[pa.RecordBatch]:
    """Read the next batches in a background thread while this one is scanned.

    Decoding and Parquet/CSV reads overlap with detection (Arrow and RE2 release the
    GIL); at most `depth` batches wait, so memory stays bounded. Errors surface here.
    """
    done = object()
    slots: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(item: Any) -> bool:
        """Queue `item` unless the consumer has gone (then never block: it reads no more)."""
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not hand_over(batch):
                    return
            hand_over(done)
        except BaseException as exc:  # handed to the consumer, raised there
            hand_over(exc)

    worker = threading.Thread(target=produce, name="piiscan-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = slots.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)


def run_scan(targets: list[str], options: ScanOptions, *, change_tracker: ChangeTracker | None = None,
             on_dataset: Callable[[Dataset], None] | None = None) -> ScanResult:
    """Scan every target; errors are recorded in the result and the scan goes on."""
    scanner = Scanner(options, targets)
    try:
        for target in targets:
            scanner.scan_target(target, change_tracker=change_tracker, on_dataset=on_dataset)
    finally:
        result = scanner.finish()
    return result


def scan_inventory(inventory_path: str | os.PathLike[str] | None, policy_path: str | os.PathLike[str] | None,
                   options: ScanOptions, *, change_tracker: ChangeTracker | None = None,
                   on_dataset: Callable[[Dataset], None] | None = None, today: dt.date | None = None) -> ScanResult:
    """Scan every datastore of the inventory (and its discovery folders), then evaluate the policy."""
    from scanner.policy.config import load_inventory, load_policy
    from scanner.policy.evaluate import evaluate_full

    policy = load_policy(policy_path)
    inventory = load_inventory(inventory_path, policy=policy)
    targets = inventory.scan_targets()
    scanner = Scanner(options, [t.display for t in targets])
    try:
        for target in targets:
            if target.error:
                scanner.result.errors.append(
                    ScanError(target.display, scrub(target.error), None, "connection", datastore=target.datastore_name))
                continue
            problem = _not_what_inventory_says(inventory, target)
            if problem:
                scanner.result.errors.append(
                    ScanError(_as_given(target.target), problem, None, "corrupt", datastore=target.datastore_name))
                continue
            scanner.scan_target(_as_given(target.target), datastore=target.datastore_name,
                                change_tracker=change_tracker, on_dataset=on_dataset,
                                updated_at=_updated_at_lookup(inventory, target.datastore_name))
    finally:
        result = scanner.finish()
    evaluation = evaluate_full([f.to_dict() for f in result.findings], policy, inventory, today=today)
    result.violations = evaluation.violations
    result.impact = evaluation.impact
    for error in evaluation.errors:
        result.errors.append(ScanError(str(error.get("datastore") or error.get("source") or "policy"),
                                       scrub(str(error.get("message", error))), error.get("table"), "retention"))
    result.extra["inventory"] = inventory.path
    return result


def _updated_at_lookup(inventory: Any, datastore_name: str | None) -> Callable[[Dataset], str | None] | None:
    """The inventory's updated-at column for a dataset, so nightly runs notice edited rows."""
    store = inventory.datastore(datastore_name) if datastore_name else None
    if store is None:
        return None

    def lookup(dataset: Dataset) -> str | None:
        relative = None if "://" in dataset.source else os.path.relpath(os.path.abspath(dataset.source), inventory.base_dir)
        spec = store.table_spec(dataset.table, relative)
        return spec.updated_at if spec is not None else None

    return lookup


def _not_what_inventory_says(inventory: Any, target: Any) -> str | None:
    """A declared SQLite database that is no longer one is an error (not a text file with no findings)."""
    store = inventory.datastore(target.datastore_name) if target.datastore_name else None
    if store is None or store.kind != "sqlite" or "://" in target.target:
        return None
    try:
        with open(target.target, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return f"cannot open the database file: {exc.strerror}"
    return None if head == SQLITE_MAGIC else "not a SQLite database (the inventory declares one)"


def _as_given(target: str) -> str:
    """A file path inside the working directory is shown relative to it (reports read better)."""
    if "://" in target:
        return target
    try:
        relative = os.path.relpath(target)
    except ValueError:
        return target
    return target if relative.startswith("..") else relative


def _file_size(dataset: Dataset) -> int:
    ref = getattr(dataset, "ref", None)  # file datasets know their path; tables do not
    try:
        return ref.path.stat().st_size if ref is not None else 0
    except OSError:
        return 0


def _safe_iter(items: Iterable[Dataset | SourceError], target: str) -> Iterator[Dataset | ScanError]:
    """A source's datasets, and its problems as errors in their place: a table that
    cannot be read, or a listing that fails (which ends the source, not the scan)."""
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except SourceError as exc:
            yield _error_of(exc)
            return
        except Exception as exc:  # noqa: BLE001
            yield ScanError(_display(target), scrub(error_text(exc)), None, "read_error")
            return
        yield _error_of(item) if isinstance(item, SourceError) else item


def _display(target: str) -> str:
    try:
        return describe_target(target)
    except Exception:
        return "<target>"


def _error_of(exc: SourceError) -> ScanError:
    return ScanError(exc.source, scrub(exc.message), exc.table, exc.kind)


def finding_from_dict(doc: dict) -> Finding:
    """Rebuild a Finding from its JSON form (state store carry-over; examples are already masked)."""
    from scanner.detect.masking import Masked

    lines = doc.get("lines") or ([doc["line"]] if doc.get("line") else None)
    return Finding(
        entity_type=doc["entity_type"],
        location=Location(doc["source"], doc.get("table"), doc.get("field")),
        count=int(doc.get("count", 0)),
        sampled=int(doc.get("sampled", 0)),
        confidence=float(doc.get("confidence", 0.0)),
        examples=tuple(Masked(e) for e in doc.get("examples", [])),
        lines=tuple(lines) if lines else None,
        rows_scanned=int(doc.get("rows_scanned", 0)),
        method=doc.get("method", "column"),
        datastore=doc.get("datastore"),
        count_estimated=bool(doc.get("count_estimated", False)),
    )


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
