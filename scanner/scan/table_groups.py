"""The samples of several small tables detected as one batch.

Why: a sampled table of a few thousand rows costs milliseconds of matching but
each regular expression it meets is compiled again for it (Arrow compiles an RE2
pattern on every call): about thirty patterns, some of several kilobytes, for
every table. An estate of 500 small tables paid that 500 times. Here the samples
of a group of tables are read first, then their columns go through
`Detector.observe_batch` together (stacked: each pattern compiled once for the
group, see `scanner.detect.stack`), and each table gets its own findings from
its own columns. Detection is per column, so a table's findings are the ones a
table-by-table scan gives; only the compiling is shared.

Nothing silent, nothing fatal: a table whose sample cannot be read is that
table's error; if detecting the group together fails, each table is detected
alone so the failure stays with the table that caused it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyarrow as pa

from scanner.detect.config import DetectionConfig
from scanner.detect.engine import ColumnStats, Detector
from scanner.scan.dataset import DatasetScan, announce, column_findings, failure_of, sampled_batches, scanned
from scanner.scan.options import ScanOptions
from scanner.sources.base import Dataset

log = logging.getLogger(__name__)

GROUP_TABLES = 16  # tables detected together (a group is also cut at GROUP_CELLS)
GROUP_CELLS = 400_000


@dataclass
class _Read:
    """One table of a group: its sample's batches, or the error that stopped its reading."""

    dataset: Dataset
    batches: list[pa.RecordBatch] = field(default_factory=list)
    failed: DatasetScan | None = None
    columns: dict[str, ColumnStats] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(b.num_rows for b in self.batches)

    @property
    def cells(self) -> int:
        return sum(b.num_rows * b.num_columns for b in self.batches)


def scan_sampled_together(datasets: Sequence[Dataset], detector: Detector, config: DetectionConfig,
                          options: ScanOptions, describe: Callable[[Exception], str],
                          pool: ThreadPoolExecutor | None = None) -> list[DatasetScan]:
    """The sampled scan of each of `datasets` (one DatasetScan per dataset, in order)."""
    reads = [_read_sample(d, config, options, describe) for d in datasets]
    together = [r for r in reads if r.failed is None and len(r.batches) == 1]
    run = pool.map if pool is not None else map
    try:
        _observe(together, detector, run)
    except Exception as exc:  # noqa: BLE001 - one table's values broke detection: find which, alone
        log.debug("detecting %d tables together failed (%s); each is detected alone", len(together),
                  type(exc).__name__)
        for r in together:
            r.columns = {}
        together = []
    outcomes = []
    for r in reads:
        if r.failed is not None:
            outcomes.append(r.failed)
            continue
        try:
            if r not in together:
                r.columns = {}
                _observe([r], detector, run)
            outcomes.append(_outcome(r, detector))
        except Exception as exc:  # noqa: BLE001 - a broken table must not end the scan
            outcomes.append(DatasetScan(errors=[failure_of(r.dataset, exc, describe)]))
    return outcomes


def _read_sample(dataset: Dataset, config: DetectionConfig, options: ScanOptions,
                 describe: Callable[[Exception], str]) -> _Read:
    try:
        announce(dataset)
        return _Read(dataset, sampled_batches(dataset, config, options))
    except Exception as exc:  # noqa: BLE001 - becomes this table's error
        return _Read(dataset, failed=DatasetScan(errors=[failure_of(dataset, exc, describe)]))
    finally:
        dataset.close()


def _observe(reads: Sequence[_Read], detector: Detector, run: Callable) -> None:
    """Every batch of `reads` through the detector; the first batches of all tables as one."""
    stats: list[ColumnStats] = []
    arrays: list[pa.Array] = []
    for r in reads:
        for batch in r.batches[:1]:
            for name in batch.schema.names:
                stats.append(r.columns.setdefault(name, ColumnStats(name=name)))
                arrays.append(batch.column(name))
    if stats:
        detector.observe_batch(stats, arrays, run if len(stats) > 1 else map)
    for r in reads:
        for batch in r.batches[1:]:
            names = batch.schema.names
            detector.observe_batch([r.columns.setdefault(n, ColumnStats(name=n)) for n in names],
                                   [batch.column(n) for n in names], run if len(names) > 1 else map)


def _outcome(r: _Read, detector: Detector) -> DatasetScan:
    return scanned(r.dataset, column_findings(detector, r.columns, r.dataset, r.rows), r.rows, r.cells)
