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
would (`scanner.scan.dataset.scan_safely`) and sends back masked findings,
counts and errors. Workers start from a fork server that has imported the
scanner once (spawn where there is none), so no worker re-imports Presidio and
no worker inherits a thread of the main process.

While every worker is busy, the main process scans the next dataset itself; a
dataset whose worker died is scanned again here, and the pool is given up.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
from concurrent.futures import Future, ProcessPoolExecutor

from scanner.engines import Engine
from scanner.engines.concurrent_tables import ConcurrentTables
from scanner.engines.local import LocalEngine
from scanner.logs import setup_logging
from scanner.scan.dataset import DatasetScan, scan_safely
from scanner.scan.options import ScanOptions
from scanner.sources.base import Dataset

log = logging.getLogger(__name__)

# Modules the fork server imports once, before it forks any worker.
PRELOAD = ["scanner.engines.local", "recognizers"]
# Results of datasets scanned out of order that may wait for an earlier one.
WAITING_RESULTS = 64


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

    def shutdown(self, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=True)


class WorkerEngine(Engine):
    """Worker processes beside the in-process engine, which scans whatever they cannot take."""

    name = "local"

    def __init__(self, local: LocalEngine):
        self.local = local
        self.options = local.options
        self._pool: WorkerPool | None = None
        self._failed = False
        self._sent: list[Future[DatasetScan]] = []

    def submit(self, dataset: Dataset) -> DatasetScan | Future[DatasetScan]:
        """To a free worker; when every worker is busy (or still starting), scan it here instead."""
        self._sent = [f for f in self._sent if not f.done()]
        if not self._failed and len(self._sent) < self.options.processes:
            try:
                if self._pool is None:
                    self._pool = WorkerPool(self.options)
                sent = self._pool.submit(dataset)
            except Exception as exc:  # noqa: BLE001 - e.g. the pool could not start: scan here
                self._give_up(exc)
                sent = None
            if sent is not None:
                self._sent.append(sent)
                return sent
        return self.local.submit(dataset)

    def recover(self, dataset: Dataset, exc: BaseException) -> DatasetScan:
        from concurrent.futures import BrokenExecutor

        if isinstance(exc, BrokenExecutor):  # a worker died: the pool is gone, not the dataset
            self._give_up(exc)
        return self.local.submit(dataset)

    def _give_up(self, exc: BaseException) -> None:
        """Worker processes that failed (could not start, or one died): the rest of the run,
        and every dataset they held, is scanned in this process."""
        if not self._failed:
            log.warning("worker processes failed (%s); scanning in this process", self.describe_error(exc))
        self._failed = True
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    @property
    def results_in_flight(self) -> int:
        return WAITING_RESULTS if self._pool is not None else 0

    def describe_error(self, exc: BaseException) -> str:
        return self.local.describe_error(exc)

    def close(self, wait: bool = True) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait)
        self.local.close(wait)


# --- inside a worker process ----------------------------------------------------------------
_engine: LocalEngine | None = None


def _start_worker(options: ScanOptions, cwd: str, environ: dict[str, str], log_level: int) -> None:
    global _engine
    # the fork server started earlier: relative paths and the environment (configs,
    # PIISCAN_DB_PASSWORD_FILE...) must mean what they mean in the main process now
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environ)
    setup_logging(logging.getLevelName(log_level))
    _engine = LocalEngine(options)


def _scan_in_worker(payload: bytes) -> DatasetScan:
    dataset = pickle.loads(payload)  # noqa: S301 - our own main process pickled it
    assert _engine is not None
    return scan_safely(dataset, _engine.scan, _engine.describe_error)



def make_engine(options: ScanOptions, **settings: object) -> Engine:
    """`local`: this process, with worker processes beside it when `options.processes > 1`."""
    local = LocalEngine(options)
    if options.processes > 1:
        return WorkerEngine(local)
    return ConcurrentTables(local, options.jobs) if options.jobs > 1 else local  # database tables on threads
