"""A text file scanned on both cores: find() of one batch in a helper process while this
process reads and screens the next.

Why: a text file's scan has an Arrow half (decode, split into lines, RE2
prefilters) that runs outside the GIL on the reader and screen threads, and a
Python half (each candidate line through its recognizer's find()) that holds the
GIL. Exact counts (`free_text.confirm_hits: 0`, the default) send every PII line
through find(), so on a log where one line in twenty holds PII the Python half
is most of the time and one core does it while the other waits. Here the find()
calls of a batch run in one helper process (`Detector.find_candidates`, built
from the same options), and this process records their results in batch order
(`Detector.observe_lines(..., found)`), slice by slice exactly as the find() calls
here would have, so the finding is the one a single-process scan gives.

The work is shared, not handed over: while the helper already holds
`HELPER_BACKLOG` batches (it is starting, or behind), this process runs the next
batch's find() itself, so neither core waits for the other whichever half is
slower on a given file. Batches are recorded in order either way.

Only for big files (the helper costs about a second to start), exact counts,
and when this process is not itself a worker (`--processes`). A helper that
fails is replaced by find() here; the scan never depends on it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from scanner.detect.engine import ColumnStats, Detector, ScreenedLines
from scanner.detect.text import Found
from scanner.scan.options import ScanOptions

log = logging.getLogger(__name__)

HELPER_FROM_BYTES = 48 << 20  # smaller files are done before a helper would have started
IN_FLIGHT = 4  # batches whose find() may run ahead of their recording
HELPER_BACKLOG = 2  # batches the helper may hold (one running, one waiting); past it, find() here

_detector: Detector | None = None  # the helper process's own detector


def worth_a_helper(size_bytes: int, detector: Detector, options: ScanOptions) -> bool:
    return (size_bytes >= HELPER_FROM_BYTES and detector.config.free_text.confirm_hits <= 0
            and (os.cpu_count() or 1) > 1 and options.processes <= 1
            and multiprocessing.parent_process() is None)


def observe_text(stats: ColumnStats, screened_batches: Iterable[ScreenedLines], detector: Detector,
                 options: ScanOptions, helper: bool) -> int:
    """Record every screened batch into `stats`; returns the rows seen."""
    rows = 0
    if not helper:
        for screened in screened_batches:
            rows += screened.rows
            detector.observe_lines(stats, screened)
        return rows
    pool = _start_helper(options)
    pending: deque[tuple[ScreenedLines, Future[Found] | Found | None]] = deque()
    try:
        for screened in screened_batches:
            readers = _exact_readers(screened, detector)
            if readers is None:
                pending.append((screened, None))  # find() when it is recorded (a model reads it)
            elif sum(isinstance(f, Future) and not f.done() for _, f in pending) >= HELPER_BACKLOG:
                pending.append((screened, _find_here(screened, readers, detector)))
            else:
                pending.append((screened, _submit(pool, screened, readers)))
            while pending and (len(pending) > IN_FLIGHT or _ready(pending[0][1])):
                rows += _record(stats, *pending.popleft(), detector)
        while pending:
            rows += _record(stats, *pending.popleft(), detector)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return rows


def _exact_readers(screened: ScreenedLines, detector: Detector) -> list[tuple[int, Any]] | None:
    """The batch's readers as (recognizer index, text positions) for `find_candidates`, or None
    when it has no candidates or a model reads some (those stay with `_confirm_text`)."""
    candidates = screened.candidates
    if candidates is None or any(r.NER for r, _ in candidates.readers):
        return None
    index = {id(r): i for i, r in enumerate(detector.recognizers)}
    return [(index[id(r)], positions) for r, positions in candidates.readers]


def _find_here(screened: ScreenedLines, readers: list[tuple[int, Any]], detector: Detector) -> Found:
    assert screened.candidates is not None
    return detector.find_candidates(screened.candidates.texts, readers)


def _submit(pool: ProcessPoolExecutor, screened: ScreenedLines, readers: list[tuple[int, Any]]) -> Future[Found] | None:
    assert screened.candidates is not None
    try:
        return pool.submit(_find, screened.candidates.texts, readers)
    except Exception:  # noqa: BLE001 - a broken helper: find() here
        return None


def _ready(found: Future[Found] | Found | None) -> bool:
    return not isinstance(found, Future) or found.done()


def _record(stats: ColumnStats, screened: ScreenedLines, found: Future[Found] | Found | None,
            detector: Detector) -> int:
    if isinstance(found, Future):
        try:
            found = found.result()
        except Exception as exc:  # noqa: BLE001 - the helper died: this batch's find() runs here
            log.warning("text helper process failed (%s): finding here", type(exc).__name__)
            found = None
    detector.observe_lines(stats, screened, found)
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


def _find(texts: Any, readers: list) -> Found:
    assert _detector is not None
    return _detector.find_candidates(texts, readers)
