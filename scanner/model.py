"""Domain objects shared by every stage: plain dataclasses, no I/O.

A `Finding` can only hold masked evidence (`Masked` strings made by
`scanner.detect.masking.mask`), so no later stage (policy, reports, state) ever
sees a raw value it could leak.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from scanner.detect.masking import Masked

RESULT_SCHEMA_VERSION = "1.0"


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding lives: a file or datastore, a table/sheet, a column or dotted path."""

    source: str  # path relative to the scanned directory, or a database URL without password
    table: str | None = None  # database table or workbook sheet
    field: str | None = None  # column, or dotted path into nested JSON; None for plain text


@dataclass(frozen=True)
class Finding:
    """One entity type found in one field (or one text file), aggregated over the values seen."""

    entity_type: str
    location: Location
    count: int  # values (or lines) where the entity was found
    sampled: int  # values (or lines) examined
    confidence: float
    examples: tuple[Masked, ...] = ()
    lines: tuple[int, ...] | None = None  # 1-based line numbers, text files only
    rows: tuple[int, ...] | None = None  # free text in a table: 1-based rows (in scan order) holding it
    rows_scanned: int = 0
    method: str = "column"  # column | value | text
    datastore: str | None = None  # inventory datastore name, when scanning an inventory
    count_estimated: bool = False  # count extrapolated from a validated subset of a large column

    def __post_init__(self) -> None:
        for example in self.examples:
            if not isinstance(example, Masked):
                raise TypeError("Finding examples must be masked (use scanner.detect.masking.mask)")

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_type": self.entity_type,
            "source": self.location.source,
            "table": self.location.table,
            "field": self.location.field,
            "line": self.lines[0] if self.lines else None,
            "lines": list(self.lines) if self.lines else None,
            "rows": list(self.rows[:100]) if self.rows else None,
            "count": self.count,
            "sampled": self.sampled,
            "rows_scanned": self.rows_scanned,
            "confidence": round(self.confidence, 3),
            "examples": [str(e) for e in self.examples],
            "method": self.method,
            "datastore": self.datastore,
            "count_estimated": self.count_estimated,
        }


@dataclass(frozen=True)
class ScanError:
    """A source (or part of one) that could not be read; the scan goes on without it."""

    source: str
    message: str  # never holds a scanned value
    table: str | None = None
    kind: str = "read_error"  # read_error | encoding | corrupt | connection | skipped
    datastore: str | None = None  # inventory datastore name, when scanning an inventory

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ScanStats:
    datasets: int = 0
    files_scanned: int = 0
    files_skipped_binary: int = 0
    rows_scanned: int = 0
    cells_scanned: int = 0
    bytes_read: int = 0
    seconds: float = 0.0


@dataclass
class ScanResult:
    """Everything one scan produced; `to_dict` is the published JSON (see scanner/schema)."""

    targets: list[str]
    findings: list[Finding] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    stats: ScanStats = field(default_factory=ScanStats)
    options: dict[str, Any] = field(default_factory=dict)
    started_at: str | None = None
    finished_at: str | None = None
    violations: list[dict[str, Any]] = field(default_factory=list)  # filled by scanner.policy
    impact: list[dict[str, Any]] = field(default_factory=list)  # filled by scanner.policy
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. "diff" from scanner.state

    def to_dict(self) -> dict[str, Any]:
        from scanner import __version__

        doc: dict[str, Any] = {
            "schema_version": RESULT_SCHEMA_VERSION,
            "tool": {"name": "piiscan", "version": __version__},
            "targets": self.targets,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "options": self.options,
            "stats": asdict(self.stats),
            "findings": [f.to_dict() for f in self.findings],
            "errors": [e.to_dict() for e in self.errors],
            "violations": self.violations,
            "impact": self.impact,
        }
        doc.update(self.extra)
        return doc
