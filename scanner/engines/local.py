"""The in-process engine: datasets scanned here, their columns on a thread pool (`--jobs`).

Arrow and RE2 release the GIL, so a thread per core overlaps the column work.
With `--processes N` the local engine is wrapped by the worker-process engine
(`scanner.engines.workers`), which falls back to this one.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from scanner.engines import Engine
from scanner.model import Finding
from scanner.scan.dataset import DatasetScan, error_text, scan_dataset, scan_safely
from scanner.scan.options import ScanOptions, build_detector
from scanner.sources.base import Dataset


class LocalEngine(Engine):
    """Scans each dataset in this process, at once (results are never out of order)."""

    name = "local"

    def __init__(self, options: ScanOptions):
        self.options = options
        self.detector, self.config = build_detector(options)
        self._columns = ThreadPoolExecutor(max_workers=options.jobs) if options.jobs > 1 else None

    def scan(self, dataset: Dataset) -> tuple[list[Finding], int, int]:
        """The detection itself: what `submit` runs inside `scan_safely`."""
        return scan_dataset(dataset, self.detector, self.config, self.options, self._columns)

    def submit(self, dataset: Dataset) -> DatasetScan:
        return scan_safely(dataset, self.scan, self.describe_error)

    def describe_error(self, exc: BaseException) -> str:
        return error_text(exc)

    def close(self, wait: bool = True) -> None:
        if self._columns is not None:
            self._columns.shutdown(wait=wait, cancel_futures=not wait)

