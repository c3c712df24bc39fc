"""Run a risky parser where its crash cannot take the scan down.

Some parsers allocate what a file *declares*, not what it holds: calamine
allocates the full rectangle of a sheet (an `.xlsx` of 4.7 KB with cells at A1
and XFD1048576 asks for 512 GiB and aborts the process), decompressors inflate
bombs, native readers can segfault on corrupt input. `run_isolated` runs such
a parser in a child process with an address-space limit (`RLIMIT_AS`) and a
deadline, so a bomb becomes a recorded `failed` source and the rest is scanned.

The child is started by the `forkserver` method (`spawn` where there is none):
never a plain fork of a process that holds threads, open connections and
detection state. The function must be a picklable top-level function and its
result small and picklable (a row count, a path): stream bulk data through a
file (see `scanner.sources.excel`, which writes Arrow IPC).

Failures become `SourceError(kind=..., status="failed")` with an empty
`source`: the caller fills in `source` (and `table`) before re-raising.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
import pyarrow.ipc  # noqa: F401 - pa.ipc

from scanner.scrubbing import scrub
from scanner.sources.base import FAILED, SourceError

# Modules the fork server imports once, so each child starts in milliseconds.
PRELOAD = ["pyarrow", "pyarrow.ipc", "pyarrow.parquet", "python_calamine", "scanner.sources.base",
           "scanner.sources.parquet_child"]
# Signals a child dies by when an allocation fails under its limit (Rust aborts, the kernel kills).
OUT_OF_MEMORY_SIGNALS = {signal.SIGABRT, signal.SIGKILL, signal.SIGBUS}

_context: Any = None


def _get_context() -> Any:
    global _context
    if _context is None:
        methods = multiprocessing.get_all_start_methods()
        _context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            _context.set_forkserver_preload(PRELOAD)
    return _context


def _child(connection: Any, func: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int) -> None:
    """In the child: limit memory, run, send back ("ok", result) or why it failed (no values)."""
    try:
        _quiet()
        _limit_memory(memory_bytes)
        outcome: tuple[Any, ...] = ("ok", func(*args))
    except BaseException as exc:  # noqa: BLE001 - whatever the parser raises is reported, scrubbed
        outcome = _failure(exc, memory_bytes)
    try:
        connection.send(outcome)
    finally:
        connection.close()


def _quiet() -> None:
    """Nothing the parser prints reaches the terminal: a native library's own message
    (or a backtrace) could quote what it choked on, and would bypass the log scrubber."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def run_isolated(func: Callable[..., Any], *args: Any, memory_bytes: int, seconds: float) -> Any:
    """`func(*args)` in a child process limited to `memory_bytes` of address space and `seconds`.

    Returns what `func` returned. Raises `SourceError` (source "", status failed):
    kind `too_large` on MemoryError or a death by allocation failure, `timeout`
    past the deadline (the child is killed), `parse_error` on any other
    exception or crash; a `SourceError` the function raised keeps its kind.
    """
    with _started(_child, func, args, memory_bytes) as (process, receiver):
        if not receiver.poll(seconds):
            process.kill()
            raise SourceError("", f"parser stopped after {seconds:g} s", kind="timeout", status=FAILED)
        try:
            outcome = receiver.recv()
        except (EOFError, OSError):
            outcome = None  # died before it could answer
    if outcome is None:
        return _died(process.exitcode, memory_bytes)
    if outcome[0] == "ok":
        return outcome[1]
    return _raise_failure(outcome)


def stream_isolated(produce: Callable[..., Any], *args: Any, memory_bytes: int,
                    seconds: float) -> Iterator[pa.RecordBatch]:
    """The record batches `produce(*args)` yields, produced in a child process limited to
    `memory_bytes` of address space, `seconds` allowed for each batch.

    For native readers that stream (Parquet): each batch crosses a pipe as one Arrow IPC
    stream, and the child waits while the pipe is full, so memory stays bounded on both sides.
    Raises SourceError as `run_isolated` does, where the child failed; the batches before
    it have been yielded (the caller records what it read as `partial`).
    """
    outcome: tuple[Any, ...] | None = None
    with _started(_stream_child, produce, args, memory_bytes) as (process, receiver):
        while True:
            if not receiver.poll(seconds):
                process.kill()
                raise SourceError("", f"the reader produced nothing for {seconds:g} s", kind="timeout",
                                  status=FAILED)
            try:
                message = receiver.recv_bytes()
            except (EOFError, OSError):
                break  # died: its exit code says how
            if message[:1] == b"B":
                with pa.ipc.open_stream(pa.py_buffer(message)[1:]) as reader:
                    yield from reader
            else:
                outcome = pickle.loads(message[1:])  # noqa: S301 - our own child wrote it
                break
    if outcome is None:
        _died(process.exitcode, memory_bytes)
    elif outcome[0] != "ok":
        _raise_failure(outcome)


def _stream_child(connection: Any, produce: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int) -> None:
    """In the child: limit memory, send each batch as an IPC stream ("B"), then how it ended ("E")."""
    try:
        _quiet()
        _limit_memory(memory_bytes)
        for batch in produce(*args):
            sink = pa.BufferOutputStream()
            sink.write(b"B")  # the marker first, so the stream goes out as it was written (no copies)
            with pa.ipc.new_stream(sink, batch.schema) as writer:
                writer.write_batch(batch)
            connection.send_bytes(sink.getvalue())
        outcome: tuple[Any, ...] = ("ok",)
    except BaseException as exc:  # noqa: BLE001 - whatever the reader raises is reported, scrubbed
        outcome = _failure(exc, memory_bytes)
    try:
        connection.send_bytes(b"E" + pickle.dumps(outcome))
    except (BrokenPipeError, OSError):
        pass  # the reader stopped listening (it read enough, or gave up)
    finally:
        connection.close()


@contextmanager
def _started(target: Callable[..., None], func: Callable[..., Any], args: tuple[Any, ...],
             memory_bytes: int) -> Iterator[tuple[Any, Any]]:
    """A child running `target(sender, func, args, memory_bytes)` and the end of the pipe it
    answers on; afterwards the child is reaped (killed if it lingers)."""
    context = _get_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(sender, func, args, memory_bytes), daemon=True)
    process.start()
    sender.close()
    try:
        yield process, receiver
    finally:
        receiver.close()
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()


def _failure(exc: BaseException, memory_bytes: int) -> tuple[Any, ...]:
    """In the child: why the parser failed, as it travels to the parent (never a value)."""
    if isinstance(exc, MemoryError):
        return ("too_large", f"needs more than its memory limit of {memory_bytes >> 20} MiB")
    if isinstance(exc, SourceError):
        return ("source", exc.message, exc.kind, exc.status, exc.table)
    text = (str(exc).splitlines() or [""])[0]
    return ("parse_error", scrub(f"{type(exc).__name__}: {text}", limit=200))


def _raise_failure(outcome: tuple[Any, ...]) -> None:
    """In the parent: a child's failure as the SourceError the caller completes with its source."""
    if outcome[0] == "source":
        _, message, kind, status, table = outcome
        raise SourceError("", message, table=table, kind=kind, status=status)
    raise SourceError("", outcome[1], kind=outcome[0], status=FAILED)


def _limit_memory(memory_bytes: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _died(exitcode: int | None, memory_bytes: int) -> Any:
    if exitcode is not None and exitcode < 0 and -exitcode in OUT_OF_MEMORY_SIGNALS:
        raise SourceError("", f"the parser ran out of its memory limit of {memory_bytes >> 20} MiB "
                              f"(killed by {signal.Signals(-exitcode).name})", kind="too_large", status=FAILED)
    how = f"signal {signal.Signals(-exitcode).name}" if exitcode is not None and exitcode < 0 else f"exit {exitcode}"
    raise SourceError("", f"the parser crashed ({how})", kind="parse_error", status=FAILED)
