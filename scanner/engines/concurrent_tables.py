"""Tables of a database scanned a few at a time on threads (`--jobs`), results applied in order.

Why threads for tables: scanning one small table is mostly waiting — a count, a
sampling query, the rows coming over the socket — then a few milliseconds of
Arrow and RE2 work that release the GIL. One table after another leaves the
server and both cores idle between round trips; `jobs` tables in flight overlap
them over a small set of sessions (each thread opens its own, read-only, with
the same timeouts). Files are still scanned one at a time here: their reading
is local, and their columns already use the `jobs` threads.

The scanner applies results in dataset order (`results_in_flight`), so a run
reports exactly what a sequential run reports.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from scanner.engines import Engine
from scanner.scan.dataset import DatasetScan
from scanner.sources.base import Dataset

IN_FLIGHT_PER_JOB = 4  # finished tables that may wait for an earlier, slower one, per thread


class ConcurrentTables(Engine):
    """Wraps an engine: database tables go to a thread pool of `jobs` threads, the rest to `inner`."""

    def __init__(self, inner: Engine, jobs: int):
        self.inner = inner
        self.name = inner.name
        self.jobs = jobs
        self._tables: ThreadPoolExecutor | None = None

    @staticmethod
    def concurrent(dataset: Dataset) -> bool:
        """A table read over a database session (it names the database it was opened from)."""
        return dataset.kind == "table" and getattr(dataset, "database", None) is not None

    def submit(self, dataset: Dataset) -> DatasetScan | Future[DatasetScan]:
        if not self.concurrent(dataset):
            return self.inner.submit(dataset)
        if self._tables is None:
            self._tables = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="piiscan-table")
        return self._tables.submit(self._scan, dataset)

    def _scan(self, dataset: Dataset) -> DatasetScan:
        outcome = self.inner.submit(dataset)
        return outcome.result() if isinstance(outcome, Future) else outcome

    def recover(self, dataset: Dataset, exc: BaseException) -> DatasetScan:
        return self.inner.recover(dataset, exc)

    @property
    def results_in_flight(self) -> int:
        return max(self.inner.results_in_flight, self.jobs * IN_FLIGHT_PER_JOB)

    def describe_error(self, exc: BaseException) -> str:
        return self.inner.describe_error(exc)

    def public(self) -> dict:
        return self.inner.public()

    def summary(self) -> dict:
        return self.inner.summary()

    def close(self, wait: bool = True) -> None:
        if self._tables is not None:
            self._tables.shutdown(wait=wait, cancel_futures=not wait)
        self.inner.close(wait)

    def __getattr__(self, name: str):  # detector, config, options... of the wrapped engine
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)
