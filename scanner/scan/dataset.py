"""One dataset scanned into masked findings; a dataset that breaks becomes an error, never an exception.

Engines (in-process, worker processes, Spark) all end here or copy its shape:
`DatasetScan` is what travels back from wherever a dataset was scanned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyarrow as pa

from scanner.detect.engine import ColumnStats, Detector
from scanner.detect.masking import scrub
from scanner.model import Finding, Location, ScanError
from scanner.scan.batches import coalesce, ordered_map, prefetch
from scanner.scan.options import ScanOptions
from scanner.scan.text_lines import observe_text, worth_a_helper
from scanner.sources.base import Dataset, SourceError

if TYPE_CHECKING:
    from scanner.detect.config import DetectionConfig

log = logging.getLogger(__name__)

ScanFunction = Callable[[Dataset], tuple[list[Finding], int, int]]


@dataclass
class DatasetScan:
    """What one dataset gave, wherever it was scanned (here, in a worker process, in Spark)."""

    findings: list[Finding] = field(default_factory=list)
    rows: int = 0
    cells: int = 0
    errors: list[ScanError] = field(default_factory=list)
    scanned: bool = False  # False: it failed (only errors), or it was carried over unchanged
    carried_over: bool = False  # unchanged since the last run: its findings are the last run's


def scan_dataset(dataset: Dataset, detector: Detector, config: DetectionConfig, options: ScanOptions,
                 pool: ThreadPoolExecutor | None = None) -> tuple[list[Finding], int, int]:
    """Scan one table/sheet/file; returns (findings, rows scanned, cells scanned)."""
    if dataset.kind == "text":
        stats = ColumnStats(name=None)
        # stages in flight: the reader thread decodes and splits lines, two screen threads
        # run the RE2 prefilters on the next batches (both Arrow, without the GIL), and this
        # thread confirms the candidates of the batch before with find() (a big file: shared
        # with a helper process, scanner.scan.text_lines)
        # (batches keep their boundaries: which lines give a finding's examples depends on them)
        batches = coalesce(prefetch(dataset.iter_batches()))
        helper = worth_a_helper(dataset.size_bytes(), detector, options)  # it finds the readers
        screened = ordered_map(lambda b: detector.screen_lines(b.column("text"), b.column("line"), readers=not helper),
                               batches)
        rows = observe_text(stats, screened, detector, options, helper)
        location = Location(dataset.source, dataset.table, None)
        return detector.findings(stats, location, rows, text_file=True), rows, rows

    if options.full:
        batches: Iterable[pa.RecordBatch] = coalesce(prefetch(dataset.iter_batches()))
    else:
        batches = sampled_batches(dataset, config, options)

    columns: dict[str, ColumnStats] = {}
    rows = cells = 0
    for batch in batches:
        rows += batch.num_rows
        cells += batch.num_rows * batch.num_columns
        names = batch.schema.names
        for name in names:
            columns.setdefault(name, ColumnStats(name=name))
        detector.observe_batch([columns[name] for name in names], [batch.column(name) for name in names],
                               pool.map if pool is not None and len(names) > 1 else map)
    return column_findings(detector, columns, dataset, rows), rows, cells


def sample_size(config: DetectionConfig, options: ScanOptions) -> int:
    """Rows sampled per table (`--sample`, else the detection config's)."""
    return options.sample_rows or config.sampling.rows


def sampled_batches(dataset: Dataset, config: DetectionConfig, options: ScanOptions) -> list[pa.RecordBatch]:
    """A table's sample, merged like a full scan's batches (a wide CSV's sample arrives in
    blocks of a few rows)."""
    return list(coalesce(dataset.sample(sample_size(config, options), seed=config.sampling.seed).to_batches()))


def column_findings(detector: Detector, columns: dict[str, ColumnStats], dataset: Dataset,
                    rows: int) -> list[Finding]:
    findings: list[Finding] = []
    for name, stats in columns.items():
        findings += detector.findings(stats, Location(dataset.source, dataset.table, name), rows)
    return findings


def announce(dataset: Dataset) -> None:
    log.info("scanning %s%s", dataset.source, f" [{dataset.table}]" if dataset.table else "")


def scanned(dataset: Dataset, findings: list[Finding], rows: int, cells: int) -> DatasetScan:
    """A dataset's scan, with the problems its source met along the way (`partial`)."""
    issues = [error_of(issue, "partial") for issue in getattr(dataset, "issues", [])]
    return DatasetScan(findings, rows, cells, issues, scanned=True)


def scan_safely(dataset: Dataset, scan: ScanFunction, describe: Callable[[Exception], str]) -> DatasetScan:
    """Scan one dataset; a broken dataset becomes an error and the run goes on."""
    try:
        announce(dataset)
        return scanned(dataset, *scan(dataset))
    except Exception as exc:  # noqa: BLE001 - a broken dataset must not end the scan
        return DatasetScan(errors=[failure_of(dataset, exc, describe)])
    finally:
        dataset.close()


def failure_of(dataset: Dataset, exc: Exception, describe: Callable[[Exception], str]) -> ScanError:
    """The error a dataset's failure records: a source's own message, or the exception scrubbed."""
    if isinstance(exc, SourceError):
        return error_of(exc)
    return ScanError(dataset.source, scrub(describe(exc)), dataset.table, "read_error")


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def error_of(exc: SourceError, status: str | None = None) -> ScanError:
    """A source's problem as the result records it (its message scrubbed once more)."""
    return ScanError(exc.source, scrub(exc.message), exc.table, exc.kind, status=status or exc.status)
