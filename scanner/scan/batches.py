"""Record batches between a source and detection: read ahead in a thread, merged to a useful size."""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pyarrow as pa

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


def prefetch(batches: Iterable[Any], depth: int = 2) -> Iterator[Any]:
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


def ordered_map(function: Callable[[Any], Any], items: Iterable[Any], workers: int = 2) -> Iterator[Any]:
    """`map(function, items)` on `workers` threads, results in the items' order.

    Why: screening a text file's batches is Arrow work (outside the GIL) that one thread
    did batch after batch; with find() elsewhere it became the longest stage. At most
    `workers` + 1 items are taken ahead, so memory stays bounded; an error is raised here,
    at its item's turn, and the items after it are not started."""
    if workers <= 1:
        yield from map(function, items)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="piiscan-map") as pool:
        pending: deque[Future[Any]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(function, item))
                if len(pending) > workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
