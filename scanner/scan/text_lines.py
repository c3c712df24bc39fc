"""A text file scanned on both cores: which recognizer reads which candidate line, and their
find() calls, in a helper process while this process reads and screens the next batches.

Why: a text file's scan has an Arrow half (decode, split into lines, the union RE2
prefilter) that runs outside the GIL on the reader and screen threads, and a half that
needs a core of its own: each recognizer's prefilter over the candidate lines (`text_readers`)
and each candidate line through its recognizer's find(), which holds the GIL. Exact counts
(`free_text.confirm_hits: 0`, the default) send every PII line through find(). Here this
process screens batches with `screen_lines(..., readers=False)` (its candidates only) and
the helper (`Detector` built from the same options) gives each batch its readers and their
find() results; this process records them in batch order (`Detector.observe_lines(...,
found)`), slice by slice exactly as the find() calls here would have, so the finding is the
one a single-process scan gives. Only the distinct candidate lines travel (a few MB a batch).

The work is shared, not handed over: while the helper already holds `HELPER_BACKLOG`
batches (it is starting, or behind), this process does the next batch's half itself, so
neither core waits for the other whichever half is slower on a given file. Batches are
recorded in order either way.

Only for big files (the helper costs about a second to start), exact counts, and when
this process is not itself a worker (`--processes`). A helper that fails is replaced by
this process; the scan never depends on it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace

import numpy as np
import pyarrow as pa

from scanner.detect.engine import ColumnStats, Detector, ScreenedLines
from scanner.detect.text import Found
from scanner.scan.options import ScanOptions

log = logging.getLogger(__name__)

HELPER_FROM_BYTES = 48 << 20  # smaller files are done before a helper would have started
IN_FLIGHT = 3  # batches whose readers and find() may run ahead of their recording
HELPER_BACKLOG = 2  # batches the helper may hold (one running, one waiting); past it, done here

Readers = list[tuple[int, np.ndarray]]  # (recognizer index, positions in the candidate texts)
Read = tuple[Readers, Found | None]  # a batch's readers, and their find() results (None: find when recorded)

_detector: Detector | None = None  # the helper process's own detector


def worth_a_helper(size_bytes: int, detector: Detector, options: ScanOptions) -> bool:
    return (size_bytes >= HELPER_FROM_BYTES and detector.config.free_text.confirm_hits <= 0
            and (os.cpu_count() or 1) > 1 and options.processes <= 1
            and multiprocessing.parent_process() is None)


def observe_text(stats: ColumnStats, screened_batches: Iterable[ScreenedLines], detector: Detector,
                 options: ScanOptions, helper: bool) -> int:
    """Record every screened batch into `stats`; returns the rows seen. With `helper`, the
    batches were screened without readers (`screen_lines(..., readers=False)`)."""
    rows = 0
    if not helper:
        for screened in screened_batches:
            rows += screened.rows
            detector.observe_lines(stats, screened)
        return rows
    pool = _start_helper(options)
    try:  # start it now: it comes up while this process reads and screens the first batch
        pool.submit(_helper_ready)
    except Exception:  # noqa: BLE001 - a helper that cannot start: every batch is read here
        pass
    pending: deque[tuple[ScreenedLines, Future[Read] | Read | None]] = deque()
    try:
        for screened in screened_batches:
            texts = screened.candidates.texts if screened.candidates is not None else None
            if texts is None:
                pending.append((screened, None))
            elif sum(isinstance(f, Future) and not f.done() for _, f in pending) >= HELPER_BACKLOG:
                pending.append((screened, read_candidates(detector, texts)))
            else:
                pending.append((screened, _submit(pool, texts)))
            while pending and (len(pending) > IN_FLIGHT or _ready(pending[0][1])):
                rows += _record(stats, *pending.popleft(), detector)
        while pending:
            rows += _record(stats, *pending.popleft(), detector)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return rows


def read_candidates(detector: Detector, texts: pa.Array) -> Read:
    """A batch's candidate texts: which recognizer reads which, and (no model among them)
    their find() results, in the shape `observe_lines` records."""
    index = {id(r): i for i, r in enumerate(detector.recognizers)}
    readers = detector.text_readers(texts)
    as_indices = [(index[id(r)], positions) for r, positions in readers]
    if not readers or any(r.NER for r, _ in readers):
        return as_indices, None
    return as_indices, detector.find_candidates(texts, as_indices)


def _submit(pool: ProcessPoolExecutor, texts: pa.Array) -> Future[Read] | None:
    try:
        return pool.submit(_helper_read, texts)
    except Exception:  # noqa: BLE001 - a broken helper: this batch is read here when recorded
        return None


def _ready(outcome: Future[Read] | Read | None) -> bool:
    return not isinstance(outcome, Future) or outcome.done()


def _record(stats: ColumnStats, screened: ScreenedLines, outcome: Future[Read] | Read | None,
            detector: Detector) -> int:
    candidates = screened.candidates
    if candidates is not None:
        read: Read | None = None
        if isinstance(outcome, Future):
            try:
                read = outcome.result()
            except Exception as exc:  # noqa: BLE001 - the helper died: this batch is read here
                log.warning("text helper process failed (%s): reading here", type(exc).__name__)
        else:
            read = outcome
        readers, found = read if read is not None else read_candidates(detector, candidates.texts)
        candidates = replace(candidates, readers=[(detector.recognizers[i], p) for i, p in readers]) if readers else None
        screened = replace(screened, candidates=candidates)
        detector.observe_lines(stats, screened, found if candidates is not None else None)
    else:
        detector.observe_lines(stats, screened)
    return screened.rows


def _start_helper(options: ScanOptions) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["recognizers", "scanner.detect.engine"])
    return ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start, initargs=(options,))


def _start(options: ScanOptions) -> None:
    global _detector
    from scanner.scan.options import build_detector

    _detector = build_detector(options)[0]


def _helper_ready() -> bool:
    return _detector is not None


def _helper_read(texts: pa.Array) -> Read:
    assert _detector is not None
    return read_candidates(_detector, texts)
