"""Where a dataset is scanned: one interface, three engines.

- `local` (`scanner.engines.local`): in this process, columns on a thread pool;
- `workers` (`scanner.engines.workers`): worker processes (`--processes N`),
  falling back to this process when every worker is busy or the pool breaks;
- `spark` (`scanner.engines.spark`): Spark reads what it can read itself
  (`Dataset.direct_read`) and runs detection in its executors; the rest is
  scanned locally on the driver.

The scanner (`scanner.scan.scanner.Scanner`) hands each dataset to its engine
with `submit` and applies what comes back in dataset order; the engine never
sees the result or the policy. An engine is chosen by name through `ENGINES`:
adding one is one module plus one line there.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from scanner.extras import MissingExtra  # noqa: F401 - engines raise it (re-exported)
from scanner.lazy import load

if TYPE_CHECKING:
    from scanner.scan.dataset import DatasetScan
    from scanner.scan.options import ScanOptions
    from scanner.sources.base import Dataset


class Engine(ABC):
    """Scans datasets for a Scanner; `submit` may answer now or with a Future."""

    name = "engine"

    @abstractmethod
    def submit(self, dataset: Dataset) -> DatasetScan | Future[DatasetScan]:
        """Scan `dataset` (here, or elsewhere: then a Future). Never raises for a bad dataset."""

    def recover(self, dataset: Dataset, exc: BaseException) -> DatasetScan:
        """A Future of this engine failed (a worker died): scan the dataset again some other way."""
        raise exc

    @property
    def results_in_flight(self) -> int:
        """How many finished results may wait for an earlier, slower one (0: none are ever out of order)."""
        return 0

    def describe_error(self, exc: BaseException) -> str:
        return f"{type(exc).__name__}: {exc}"

    def public(self) -> dict[str, Any]:
        """What the result's `options` record about the engine."""
        return {}

    def summary(self) -> dict[str, Any]:
        """What the result records at the end of a run (counts of where datasets ran)."""
        return {}

    def close(self, wait: bool = True) -> None:  # noqa: B027 - optional hook
        """Release threads and processes; `wait=False` after an interrupt: cancel, never block."""


# name -> "module:factory"; a factory takes (options, **settings) and returns an Engine
ENGINES = {
    "local": "scanner.engines.workers:make_engine",
    "spark": "scanner.engines.spark:make_engine",
}


def make_engine(name: str, options: ScanOptions, **settings: Any) -> Engine:
    """The engine registered as `name`; MissingExtra when its extra is not installed."""
    return load(ENGINES[name])(options, **settings)
