"""How much one source may cost: time, bytes, memory, and the database timeouts.

A scan runs unattended every night over data nobody checked first. Every
source therefore has a budget; what a source could not finish within it is
recorded as `partial` (or `failed`) with the reason, never a hang, never a
process killed by the kernel. Defaults live in the `budgets:` section of
configs/detection.yaml; `load_budgets` reads and validates that section (an
unknown key is an error that names it).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scanner.configfiles import ConfigError, find_config

MIB = 1 << 20


class Budgets(BaseModel):
    """Limits per source (a file, a sheet, a table); see configs/detection.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seconds_per_source: float = Field(1800.0, gt=0)  # reading one source; past it: partial (budget)
    bytes_per_source: int = Field(50 << 30, gt=0)  # bytes read from one source; past it: partial (budget)
    parser_memory_bytes: int = Field(1 << 30, ge=256 * MIB)  # address space of an isolated parser (xlsx)
    parser_seconds: float = Field(600.0, gt=0)  # an isolated parser that takes longer is stopped: failed
    # address space of the isolated Parquet reader: Arrow reserves about twice what it touches
    reader_memory_bytes: int = Field(2 << 30, ge=512 * MIB)
    max_sheet_cells: int = Field(20_000_000, gt=0)  # rows x columns a sheet may declare
    max_decompressed_bytes: int = Field(20 << 30, gt=0)  # out of one .gz
    max_compression_ratio: float = Field(200.0, gt=1)  # decompressed / compressed, checked past 64 MiB
    max_columns: int = Field(4096, gt=0)  # columns read from one table; the rest: partial
    max_cell_chars: int = Field(1_000_000, gt=0)  # a longer table cell is cut there: partial
    text_window_chars: int = Field(100_000, ge=1000)  # a longer text line is read in overlapping windows
    text_window_overlap: int = Field(1000, ge=0)  # characters two windows share (a value cut by one is whole in the other)
    max_json_depth: int = Field(200, gt=0)  # deeper JSON records are bad records (counted, skipped)
    max_json_line_bytes: int = Field(64 * MIB, gt=0)  # a longer JSON line is read as text windows
    lock_timeout_ms: int = Field(10_000, ge=0)  # PostgreSQL lock_timeout (0 = none)
    statement_timeout_ms: int = Field(600_000, ge=0)  # PostgreSQL statement_timeout, MariaDB max_statement_time


def load_budgets(path: str | Path | None = None) -> Budgets:
    """The `budgets:` section of detection.yaml (the found one when `path` is None), validated."""
    path = Path(path) if path else find_config("detection.yaml")
    if path is None:
        return Budgets()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(path), "budgets", f"cannot read YAML: {exc}") from None
    try:
        return Budgets.model_validate(data.get("budgets") or {})
    except ValidationError as exc:
        error = ConfigError.from_validation(str(path), exc)
        raise ConfigError(error.file, f"budgets.{error.key}", error.problem) from None


@lru_cache(maxsize=1)
def default_budgets() -> Budgets:
    """The configured budgets, read once per process (a bad section falls back to the defaults here;
    the detection config loader reports it)."""
    try:
        return load_budgets()
    except ConfigError:
        return Budgets()


def budgets_of(options: Any) -> Budgets:
    """The budgets a SourceOptions carries, else the configured defaults."""
    budgets = getattr(options, "budgets", None)
    return budgets if isinstance(budgets, Budgets) else default_budgets()


def within_budget(batches: Iterator[Any], dataset: Any, budgets: Budgets) -> Iterator[Any]:
    """`batches` until the source's time or byte budget is spent; then a `budget` issue (partial).

    The clock runs while the caller scans each batch too: the budget is what the
    source costs the run, not just its reading.
    """
    started = time.monotonic()
    read = 0
    for batch in batches:
        yield batch
        read += batch.nbytes
        spent = time.monotonic() - started
        if spent > budgets.seconds_per_source or read > budgets.bytes_per_source:
            why = (f"seconds_per_source ({budgets.seconds_per_source:g} s)" if spent > budgets.seconds_per_source
                   else f"bytes_per_source ({budgets.bytes_per_source >> 20} MiB)")
            note_issue(dataset, f"stopped at its budget, {why}: the rest was not read", kind="budget")
            return


def note_issue(dataset: Any, message: str, kind: str) -> None:
    """Record a partial read on any dataset (file datasets count it as a bad record)."""
    if hasattr(dataset, "note_bad_record"):
        dataset.note_bad_record(message, kind=kind)
        return
    from scanner.sources.base import SourceError

    dataset.issues.append(SourceError(dataset.source, message, table=dataset.table, kind=kind, status="partial"))
