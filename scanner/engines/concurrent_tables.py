"""Tables of a database scanned a few at a time on threads (`--jobs`), results applied in order.

Why threads for tables: scanning one small table is mostly waiting — a count, a
sampling query, the rows coming over the socket — then a few milliseconds of
Arrow and RE2 work that release the GIL. One table after another leaves the
server and both cores idle between round trips; `jobs` tables in flight overlap
them over a small set of sessions (each thread opens its own, read-only, with
the same timeouts). Files are still scanned one at a time here: their reading
is local, and their columns already use the `jobs` threads.

Sampled tables go in groups (`scanner.scan.table_groups`): a thread reads the
samples of up to GROUP_TABLES tables, then detects their columns as one batch,
so each pattern is compiled once per group rather than once per table. A group
is dispatched when it is full, or as soon as the scanner waits for one of its
tables (`_GroupFuture.result`), so nothing waits for tables that never come.

The scanner applies results in dataset order (`results_in_flight`), so a run
reports exactly what a sequential run reports.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from scanner.engines import Engine
from scanner.scan.dataset import DatasetScan, sample_size
from scanner.scan.table_groups import GROUP_CELLS, GROUP_TABLES, scan_sampled_together
from scanner.sources.base import Dataset

IN_FLIGHT_PER_JOB = 4  # finished tables that may wait for an earlier, slower one, per thread


class ConcurrentTables(Engine):
    """Wraps an engine: database tables go to a thread pool of `jobs` threads, the rest to `inner`."""

    def __init__(self, inner: Engine, jobs: int):
        self.inner = inner
        self.name = inner.name
        self.jobs = jobs
        self._tables: ThreadPoolExecutor | None = None
        self._group: list[tuple[Dataset, _GroupFuture]] = []  # sampled tables not dispatched yet
        self._group_cells = 0
        self._lock = threading.Lock()

    @staticmethod
    def concurrent(dataset: Dataset) -> bool:
        """A table read over a database session (it names the database it was opened from)."""
        return dataset.kind == "table" and getattr(dataset, "database", None) is not None

    def submit(self, dataset: Dataset) -> DatasetScan | Future[DatasetScan]:
        if not self.concurrent(dataset):
            return self.inner.submit(dataset)
        if self._tables is None:
            self._tables = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="piiscan-table")
        if self._groupable():
            future = _GroupFuture(self)
            with self._lock:
                self._group.append((dataset, future))
                self._group_cells += len(getattr(dataset, "columns", ())) * self._sample_rows()
                full = len(self._group) >= GROUP_TABLES or self._group_cells >= GROUP_CELLS
            if full:
                self.dispatch()
            return future
        return self._tables.submit(self._scan, dataset)

    def _groupable(self) -> bool:
        """Sampled scans in this process (the inner engine detects here, with its detector)."""
        options = getattr(self.inner, "options", None)
        return options is not None and not options.full and hasattr(self.inner, "detector")

    def _sample_rows(self) -> int:
        return sample_size(self.inner.config, self.inner.options)

    def dispatch(self) -> None:
        """Send the tables gathered so far to a thread as one group."""
        with self._lock:
            group, self._group, self._group_cells = self._group, [], 0
        if group and self._tables is not None:
            self._tables.submit(self._scan_group, group)

    def _scan_group(self, group: list[tuple[Dataset, _GroupFuture]]) -> None:
        inner: Any = self.inner
        try:
            outcomes = scan_sampled_together([d for d, _ in group], inner.detector, inner.config, inner.options,
                                             inner.describe_error, getattr(inner, "_columns", None))
            for (_, future), outcome in zip(group, outcomes, strict=True):
                future.set_result(outcome)
        except BaseException as exc:  # noqa: BLE001 - never leave the scanner waiting
            for _, future in group:
                if not future.done():
                    future.set_exception(exc)

    def _scan(self, dataset: Dataset) -> DatasetScan:
        outcome = self.inner.submit(dataset)
        return outcome.result() if isinstance(outcome, Future) else outcome

    def recover(self, dataset: Dataset, exc: BaseException) -> DatasetScan:
        return self.inner.recover(dataset, exc)

    @property
    def results_in_flight(self) -> int:
        per_job = GROUP_TABLES * 2 if self._groupable() else IN_FLIGHT_PER_JOB  # a group filling while one runs
        return max(self.inner.results_in_flight, self.jobs * per_job)

    def describe_error(self, exc: BaseException) -> str:
        return self.inner.describe_error(exc)

    def public(self) -> dict:
        return self.inner.public()

    def summary(self) -> dict:
        return self.inner.summary()

    def close(self, wait: bool = True) -> None:
        if wait:
            self.dispatch()
        if self._tables is not None:
            self._tables.shutdown(wait=wait, cancel_futures=not wait)
        self.inner.close(wait)

    def __getattr__(self, name: str):  # detector, config, options... of the wrapped engine
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)


class _GroupFuture(Future):
    """A table's result in a group: asking for it sends its group off if it is still gathering."""

    def __init__(self, engine: ConcurrentTables):
        super().__init__()
        self._engine = engine

    def result(self, timeout: float | None = None) -> Any:
        if not self.done():
            self._engine.dispatch()
        return super().result(timeout)
