"""Datasets scanned in worker processes (`piiscan scan --processes N`).

Why processes: a column's Arrow and RE2 work runs outside the GIL, so threads
(`--jobs`) already overlap it; validators without a vectorised form (phone
numbers, names) and the exact free-text logic run in Python, under the GIL,
and past one core only processes scale. That is the work that dominates an
estate of many files or tables.

A worker receives a pickled `Dataset`, which holds no open handle: a file
reference (path, encoding, sheet...) or a table with how to reopen its database
(read-only, credentials from the same environment). It builds its own detector
from the same options once, scans the dataset exactly as the main process
would (`scanner.pipeline.scan_safely`) and sends back masked findings, counts
and errors. Workers start from a fork server that has imported the scanner
once (spawn where there is none), so no worker re-imports Presidio and no
worker inherits a thread of the main process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

from scanner.logs import setup_logging
from scanner.pipeline import DatasetScan, ScanOptions, build_detector, error_text, scan_dataset, scan_safely
from scanner.sources.base import Dataset

# Modules the fork server imports once, before it forks any worker.
PRELOAD = ["scanner.pipeline", "recognizers"]


class WorkerPool:
    """`options.processes` worker processes, each with its own detector."""

    def __init__(self, options: ScanOptions):
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(PRELOAD)
        self._executor = ProcessPoolExecutor(
            max_workers=options.processes, mp_context=context, initializer=_start_worker,
            initargs=(options, os.getcwd(), dict(os.environ), logging.getLogger().getEffectiveLevel()),
        )

    def submit(self, dataset: Dataset) -> Future[DatasetScan] | None:
        """Send the dataset to a worker, pickled once; None when it cannot travel (a source
        without a way to reopen it in another process, such as an in-memory database, is
        scanned here)."""
        try:
            payload = pickle.dumps(dataset)
        except Exception:  # noqa: BLE001 - any pickling failure means "scan it here"
            return None
        return self._executor.submit(_scan_in_worker, payload)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


# --- inside a worker process ----------------------------------------------------------------
_detector = _config = _options = _columns = None


def _start_worker(options: ScanOptions, cwd: str, environ: dict[str, str], log_level: int) -> None:
    global _detector, _config, _options, _columns
    # the fork server started earlier: relative paths and the environment (configs,
    # PIISCAN_DB_PASSWORD_FILE...) must mean what they mean in the main process now
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environ)
    setup_logging(logging.getLevelName(log_level))
    _detector, _config = build_detector(options)
    _options = options
    _columns = ThreadPoolExecutor(max_workers=options.jobs) if options.jobs > 1 else None


def _scan_in_worker(payload: bytes) -> DatasetScan:
    dataset = pickle.loads(payload)  # noqa: S301 - our own main process pickled it
    return scan_safely(dataset, lambda d: scan_dataset(d, _detector, _config, _options, _columns), error_text)
