"""scanner.scan.batches: merging small batches, and the ordered map that screens a text file's
batches on two threads."""

from __future__ import annotations

import threading
import time

import pyarrow as pa
import pytest

from scanner.scan.batches import coalesce, ordered_map


def _batches(sizes: list[int]) -> list[pa.RecordBatch]:
    start, out = 0, []
    for size in sizes:
        out.append(pa.record_batch([pa.array(range(start, start + size))], names=["n"]))
        start += size
    return out


def test_coalesce_merges_to_size_and_keeps_every_row_in_order() -> None:
    merged = list(coalesce(_batches([10] * 25), rows=40))
    assert [b.num_rows for b in merged] == [40, 40, 40, 40, 40, 40, 10]
    assert [v for b in merged for v in b.column("n").to_pylist()] == list(range(250))


def test_ordered_map_keeps_order_while_calls_overlap() -> None:
    running, peak, lock = 0, 0, threading.Lock()

    def slow_square(x: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.01 * (x % 3))  # later items often finish first
        with lock:
            running -= 1
        return x * x

    assert list(ordered_map(slow_square, range(30), workers=2)) == [x * x for x in range(30)]
    assert peak == 2  # two at once, never more


def test_ordered_map_raises_at_the_failing_item_and_reads_ahead_boundedly() -> None:
    taken = []

    def items():
        for i in range(1000):
            taken.append(i)
            yield i

    def fail_on_five(x: int) -> int:
        if x == 5:
            raise ValueError("bad item")
        return x

    got = []
    with pytest.raises(ValueError, match="bad item"):
        for value in ordered_map(fail_on_five, items(), workers=2):
            got.append(value)
    assert got == [0, 1, 2, 3, 4]
    assert len(taken) <= 5 + 3  # never more than workers + 1 items ahead


def test_ordered_map_with_one_worker_is_map() -> None:
    assert list(ordered_map(str, range(5), workers=1)) == ["0", "1", "2", "3", "4"]
