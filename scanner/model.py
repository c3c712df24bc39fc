"""Domain objects shared by every stage: plain dataclasses, no I/O.

A `Finding` can only hold masked evidence (`Masked` strings made by
`scanner.detect.masking.mask`), so no later stage (policy, reports, state) ever
sees a raw value it could leak.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from scanner.detect.masking import Masked
from scanner.detect.why import Why

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
    why: Why | None = None  # what made the detector report it (scanner.detect.why)

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
            "why": self.why.to_dict() if self.why is not None else None,
        }

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Finding:
        """Rebuild a Finding from its published JSON (state-store carry-over). The examples were masked
        when the finding was made; they are marked `Masked` again, not re-masked."""
        lines = doc.get("lines") or ([doc["line"]] if doc.get("line") else None)
        rows = doc.get("rows")
        return cls(
            entity_type=str(doc["entity_type"]),
            location=Location(str(doc["source"]), _str(doc.get("table")), _str(doc.get("field"))),
            count=_int(doc.get("count")) or 0,
            sampled=_int(doc.get("sampled")) or 0,
            confidence=float(doc.get("confidence") or 0.0),
            examples=tuple(Masked(str(e)) for e in doc.get("examples") or ()),
            lines=tuple(int(n) for n in lines) if lines else None,
            rows=tuple(int(n) for n in rows) if rows else None,
            rows_scanned=_int(doc.get("rows_scanned")) or 0,
            method=str(doc.get("method") or "column"),
            datastore=_str(doc.get("datastore")),
            count_estimated=bool(doc.get("count_estimated", False)),
            why=Why.from_dict(doc.get("why")),
        )


@dataclass(frozen=True)
class ScanError:
    """A source (or part of one) that could not be read; the scan goes on without it."""

    source: str
    message: str  # never holds a scanned value
    table: str | None = None
    kind: str = "read_error"  # the reason: read_error | encoding | corrupt | connection | binary | timeout...
    datastore: str | None = None  # inventory datastore name, when scanning an inventory
    status: str = "failed"  # how the source ended: failed | skipped | partial (see SourceStatus)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SourceStatus:
    """How one source met by a scan ended: a file, a sheet, a table, an archive member.

    Every source a scan meets gets exactly one: `scanned` (read in full),
    `partial` (read in part: `reason` says why), `skipped` (not read on purpose:
    a binary file, a kind no reader takes, a missing optional extra) or `failed`
    (could not be read). A compliance reviewer trusts a scan for what it says it
    did not read, so nothing is dropped without an entry.
    """

    source: str
    status: str  # scanned | partial | skipped | failed
    table: str | None = None
    reason: str | None = None  # machine-readable: binary, encrypted, timeout, parse_error, unchanged...
    detail: str | None = None  # one scrubbed line for a person
    rows: int = 0
    bytes: int = 0
    datastore: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> SourceStatus:
        return cls(source=str(doc["source"]), status=str(doc["status"]), table=_str(doc.get("table")),
                   reason=_str(doc.get("reason")), detail=_str(doc.get("detail")), rows=_int(doc.get("rows")) or 0,
                   bytes=_int(doc.get("bytes")) or 0, datastore=_str(doc.get("datastore")))


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _int(value: Any, default: int | None = 0) -> int | None:
    if isinstance(value, bool):
        return default
    try:
        return int(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def _strs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(str(v) for v in value)
    except TypeError:
        return ()


FINGERPRINT_CHARS = 20  # 80 bits: collision-free for any realistic estate, short enough to type


def violation_fingerprint(violation: Mapping[str, Any]) -> str:
    """The stable identity of a violation (its published dict): what `piiscan triage` takes and the
    nightly diff matches on. Built from the datastore, table or file, field, entity type and kind; for
    free text (no field) the sorted masked evidence stands in for the position. Only masked values
    enter the hash, and it is truncated: it identifies, it does not encode."""
    datastore = violation.get("datastore") or violation.get("source")
    parts: list[Any] = ["violation", datastore, violation.get("table"), violation.get("field"),
                        violation.get("entity_type"), violation.get("kind")]
    if violation.get("field") is None:
        parts.append(sorted({str(value) for value in violation.get("evidence") or ()}))
    payload = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


@dataclass(frozen=True)
class Violation:
    """One finding group (an entity type in one field of one table or file) that breaks a policy rule.

    Built by `scanner.policy.evaluate`; `to_dict` is its published JSON (the
    `violation` definition of scanner/schema/result.schema.json) and `from_dict`
    reads that JSON back, so writers and readers share one list of keys.
    `evidence` holds the findings' masked examples, never a raw value.
    The `*_ja` texts come from the policy's Japanese wording, when it has one.
    """

    kind: str
    severity: str
    clause: str
    datastore: str  # inventory datastore name, or the source itself for an undeclared store
    declared: bool
    source: str  # the finding's source (path relative to what was scanned, or URL without password)
    table: str | None
    field: str | None
    entity_type: str | None
    category: str | None
    count: int
    evidence: tuple[str, ...]
    remediation: str | None
    fingerprint: str
    recipient: str | None = None  # recipient_excess: who the export goes to
    purposes: tuple[str, ...] | None = None  # purpose_not_permitted: the table's declared purposes
    days: int | None = None  # retention_exceeded: the period
    date_column: str | None = None
    date_role: str | None = None
    clause_ja: str | None = None
    remediation_ja: str | None = None

    _OPTIONAL = ("recipient", "purposes", "days", "date_column", "date_role", "clause_ja", "remediation_ja")

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "kind": self.kind,
            "severity": self.severity,
            "clause": self.clause,
            "datastore": self.datastore,
            "declared": self.declared,
            "source": self.source,
            "table": self.table,
            "field": self.field,
            "entity_type": self.entity_type,
            "category": self.category,
            "count": self.count,
            "evidence": list(self.evidence),
            "remediation": self.remediation,
            "fingerprint": self.fingerprint,
        }
        for key in self._OPTIONAL:  # only the ones the violation's kind sets
            value = getattr(self, key)
            if value is not None:
                doc[key] = list(value) if isinstance(value, tuple) else value
        return doc

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Violation:
        """Read a published violation back; tolerant of older results and of per-run keys
        (status, triage, carried_over), which belong to the state store and are ignored."""
        purposes = doc.get("purposes")
        return cls(
            kind=str(doc.get("kind") or ""),
            severity=str(doc.get("severity") or ""),
            clause=str(doc.get("clause") or ""),
            datastore=str(doc.get("datastore") or doc.get("source") or ""),
            declared=doc.get("declared") is not False,
            source=str(doc.get("source") or ""),
            table=_str(doc.get("table")),
            field=_str(doc.get("field")),
            entity_type=_str(doc.get("entity_type")),
            category=_str(doc.get("category")),
            count=_int(doc.get("count")) or 0,
            evidence=_strs(doc.get("evidence")),
            remediation=_str(doc.get("remediation")),
            fingerprint=str(doc.get("fingerprint") or ""),
            recipient=_str(doc.get("recipient")),
            purposes=None if purposes is None else _strs(purposes),
            days=_int(doc.get("days"), None),
            date_column=_str(doc.get("date_column")),
            date_role=_str(doc.get("date_role")),
            clause_ja=_str(doc.get("clause_ja")),
            remediation_ja=_str(doc.get("remediation_ja")),
        )


@dataclass(frozen=True)
class ImpactGround:
    """Why a leak of a datastore would be reportable, as a code a report words in its own language.

    code: `special_care` (Enforcement Rules Art. 7(i)), `financial` (Art. 7(ii),
    with the categories), `people` (Art. 7(iv): `people` over `threshold`).
    """

    code: str
    categories: tuple[str, ...] = ()
    people: int | None = None
    threshold: int | None = None

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"code": self.code}
        if self.categories:
            doc["categories"] = list(self.categories)
        if self.people is not None:
            doc["people"] = self.people
        if self.threshold is not None:
            doc["threshold"] = self.threshold
        return doc

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> ImpactGround:
        return cls(str(doc.get("code") or ""), _strs(doc.get("categories")), _int(doc.get("people"), None),
                   _int(doc.get("threshold"), None))


@dataclass(frozen=True)
class Impact:
    """What a leak of one datastore would mean: categories held, people affected, reportable or not.

    `people_estimate` is the one name of the estimate; `from_dict` still reads
    `estimated_people`, the name some older results used.
    """

    datastore: str
    declared: bool
    owner: str | None
    categories: tuple[str, ...]
    people_estimate: int | None
    reportable: bool
    reasons: tuple[str, ...]  # in English, one sentence per ground
    clause: str | None = None
    people_method: str | None = None
    grounds: tuple[ImpactGround, ...] = ()
    clause_ja: str | None = None

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "datastore": self.datastore,
            "declared": self.declared,
            "owner": self.owner,
            "categories": list(self.categories),
            "people_estimate": self.people_estimate,
            "people_method": self.people_method,
            "reportable": self.reportable,
            "reasons": list(self.reasons),
            "grounds": [g.to_dict() for g in self.grounds],
            "clause": self.clause,
        }
        if self.clause_ja is not None:
            doc["clause_ja"] = self.clause_ja
        return doc

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Impact:
        people = doc.get("people_estimate")
        if people is None:
            people = doc.get("estimated_people")  # the older name
        grounds = doc.get("grounds")
        return cls(
            datastore=str(doc.get("datastore") or ""),
            declared=doc.get("declared") is not False,
            owner=_str(doc.get("owner")),
            categories=_strs(doc.get("categories")),
            people_estimate=_int(people, None),
            reportable=doc.get("reportable") is True,
            reasons=_strs(doc.get("reasons")),
            clause=_str(doc.get("clause")),
            people_method=_str(doc.get("people_method")),
            grounds=tuple(ImpactGround.from_dict(g) for g in grounds if isinstance(g, Mapping))
            if isinstance(grounds, (list, tuple)) else (),
            clause_ja=_str(doc.get("clause_ja")),
        )


def _as_dict(item: Any) -> dict[str, Any]:
    """A violation or impact entry as JSON: the dataclass's `to_dict`, or a dict given as one."""
    return item.to_dict() if hasattr(item, "to_dict") else dict(item)


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
    violations: list[Violation] = field(default_factory=list)  # filled by scanner.policy
    impact: list[Impact] = field(default_factory=list)  # filled by scanner.policy
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. "diff" from scanner.state
    sources: list[SourceStatus] = field(default_factory=list)  # one per file, sheet, table or member met

    def source_counts(self) -> dict[str, int]:
        """Sources per status, every status present (0 included), in the order a reader expects."""
        counts = dict.fromkeys(("scanned", "partial", "skipped", "failed"), 0)
        for entry in self.sources:
            counts[entry.status] = counts.get(entry.status, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        from scanner import __version__

        doc: dict[str, Any] = {
            "schema_version": RESULT_SCHEMA_VERSION,
            "tool": {"name": "piiscan", "version": __version__},
            "targets": self.targets,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "options": self.options,
            "stats": {**asdict(self.stats), "sources": self.source_counts()},
            "sources": [s.to_dict() for s in self.sources],
            "findings": [f.to_dict() for f in self.findings],
            "errors": [e.to_dict() for e in self.errors],
            "violations": [_as_dict(v) for v in self.violations],
            "impact": [_as_dict(i) for i in self.impact],
        }
        doc.update(self.extra)
        return doc
