"""The one projection of a result document that every report format renders.

Writers never touch the result dict themselves: `build_view` reads only the
keys the schema documents (scanner/schema/result.schema.json), one `.get` at a
time, and passes every string through `redact`. So a key someone adds to a
result later (or a raw value planted in one) can never reach a report, and the
formats cannot drift apart: the HTML table, the xlsx sheet, the CSV file and
the Markdown summary are all drawn from the same rows and the same columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scanner.report.labels import STATUS_ORDER, Labels
from scanner.report.redact import redact
from scanner.severity import SEVERITIES, severity_rank

_NUMBER_LISTS = ("lines", "rows")
CLOSED_STATUSES = frozenset({"fixed", "remediated", "accepted", "false_positive"})
CHART_BARS = 8  # bars per chart before the rest are summed into one


@dataclass(frozen=True)
class Column:
    """A table column: `key` is the stable id (CSV header, row attribute), `group` the label group of its codes."""

    key: str
    group: str | None = None  # severity | status | kind | entity | category | error_kind
    numeric: bool = False
    wide: bool = False  # free text: wrap rather than widen


@dataclass(frozen=True)
class ViolationRow:
    severity: str
    status: str | None
    kind: str
    datastore: str
    table: str | None
    field: str | None
    entity_type: str | None
    category: str | None
    count: int
    evidence: tuple[str, ...]
    clause: str | None
    remediation: str
    fingerprint: str
    triage_note: str | None = None  # the reviewer's reason, when a triage decision applies


@dataclass(frozen=True)
class FindingRow:
    entity_type: str
    source: str
    table: str | None
    field: str | None
    lines: tuple[int, ...]
    rows: tuple[int, ...]
    count: int
    sampled: int
    rows_scanned: int
    confidence: float
    method: str
    examples: tuple[str, ...]
    count_estimated: bool = False  # counted on a share once confirmed (configs/detection.yaml)


@dataclass(frozen=True)
class ImpactRow:
    datastore: str
    owner: str | None
    categories: tuple[str, ...]
    estimated_people: int | None
    reportable: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ErrorRow:
    source: str
    table: str | None
    error_kind: str
    message: str


VIOLATION_COLUMNS = (
    Column("severity", "severity"),
    Column("status", "status"),
    Column("kind", "kind"),
    Column("datastore"),
    Column("table"),
    Column("field"),
    Column("entity_type", "entity"),
    Column("category", "category"),
    Column("count", numeric=True),
    Column("evidence", wide=True),
    Column("clause"),
    Column("remediation", wide=True),
    Column("fingerprint"),
)
FINDING_COLUMNS = (
    Column("entity_type", "entity"),
    Column("source"),
    Column("table"),
    Column("field"),
    Column("lines"),
    Column("rows"),
    Column("count", numeric=True),
    Column("count_estimated"),
    Column("sampled", numeric=True),
    Column("rows_scanned", numeric=True),
    Column("confidence", numeric=True),
    Column("method"),
    Column("examples", wide=True),
)
IMPACT_COLUMNS = (
    Column("datastore"),
    Column("owner"),
    Column("categories", "category"),
    Column("estimated_people", numeric=True),
    Column("reportable"),
    Column("reasons", wide=True),
)
ERROR_COLUMNS = (
    Column("source"),
    Column("table"),
    Column("error_kind", "error_kind"),
    Column("message", wide=True),
)
STAT_KEYS = (
    ("datasets", "stat_datasets"),
    ("files_scanned", "stat_files"),
    ("files_skipped_binary", "stat_binary"),
    ("rows_scanned", "stat_rows"),
    ("cells_scanned", "stat_cells"),
    ("bytes_read", "stat_bytes"),
    ("seconds", "stat_seconds"),
)


@dataclass(frozen=True)
class Bar:
    """One bar of a summary chart; `share` is the bar's length relative to the longest (0..1)."""

    code: str
    label: str
    value: int
    share: float


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: str
    tone: str = ""  # critical | high | ok | muted: the card's colour


@dataclass
class ReportView:
    """Everything a report shows, already projected, redacted, sorted and labelled."""

    labels: Labels
    targets: tuple[str, ...]
    started_at: str | None
    finished_at: str | None
    tool_version: str
    schema_version: str
    run_id: str | None
    previous_run_id: str | None
    stats: tuple[tuple[str, str], ...]  # (label, formatted value)
    violations: list[ViolationRow]
    findings: list[FindingRow]
    impact: list[ImpactRow]
    errors: list[ErrorRow]
    diff: dict[str, int] | None
    cards: list[Card] = field(default_factory=list)
    by_severity: list[Bar] = field(default_factory=list)
    by_category: list[Bar] = field(default_factory=list)
    by_datastore: list[Bar] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.labels.lang

    @property
    def active_violations(self) -> list[ViolationRow]:
        """Violations still to act on (not fixed, remediated, accepted or a false positive)."""
        return [v for v in self.violations if v.status not in CLOSED_STATUSES]

    def cell(self, row: Any, column: Column) -> str:
        """The printable text of one cell, labelled in the report's language."""
        value = getattr(row, column.key)
        if value is None:
            return ""
        if isinstance(value, bool):
            return self.labels.text(f"{column.key}_{'yes' if value else 'no'}")
        if isinstance(value, tuple):
            if column.group:
                return ", ".join(self.labels.code(column.group, v) for v in value)
            return ", ".join(str(v) for v in value) if column.key in _NUMBER_LISTS else " | ".join(value)
        if column.group:
            return self.labels.code(column.group, value)
        if isinstance(value, float):
            return f"{value:.2f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    def export(self, row: Any, column: Column) -> str | int | float | bool | None:
        """The machine value of one cell (codes, not labels) for CSV and spreadsheets."""
        value = getattr(row, column.key)
        if isinstance(value, tuple):
            return (";" if column.key in _NUMBER_LISTS else " | ").join(str(v) for v in value)
        return value


def _numbers(mapping: Mapping[str, Any], key: str) -> tuple[int, ...]:
    value = mapping.get(key)
    if not isinstance(value, Sequence) or isinstance(value, str):
        return ()
    return tuple(n for n in value if isinstance(n, int) and not isinstance(n, bool))


def _text(mapping: Mapping[str, Any], key: str) -> str | None:
    value = mapping.get(key)
    return None if value is None else redact(str(value))


def _texts(mapping: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = mapping.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    return tuple(redact(str(v)) for v in value)


def _int(mapping: Mapping[str, Any], key: str) -> int:
    value = mapping.get(key)
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def _items(result: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = result.get(key)
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    return [item for item in value if isinstance(item, Mapping)]



def _status_rank(code: str | None) -> int:
    return STATUS_ORDER.index(code) if code in STATUS_ORDER else -1


def _triage_note(item: Mapping[str, Any]) -> str | None:
    triage = item.get("triage")
    if not isinstance(triage, Mapping):
        return None
    parts = [_text(triage, "reason"), _text(triage, "by"), _text(triage, "until")]
    return " · ".join(p for p in parts if p) or None


def _violation(item: Mapping[str, Any], labels: Labels) -> ViolationRow:
    kind = _text(item, "kind") or ""
    remediation = _text(item, "remediation") or labels.code("remediation", kind)
    return ViolationRow(
        severity=_text(item, "severity") or "",
        status=_text(item, "status"),
        kind=kind,
        datastore=_text(item, "datastore") or "",
        table=_text(item, "table"),
        field=_text(item, "field"),
        entity_type=_text(item, "entity_type"),
        category=_text(item, "category"),
        count=_int(item, "count"),
        evidence=_texts(item, "evidence"),
        clause=_text(item, "clause"),
        remediation=remediation,
        fingerprint=_text(item, "fingerprint") or "",
        triage_note=_triage_note(item),
    )


def _finding(item: Mapping[str, Any]) -> FindingRow:
    lines = _numbers(item, "lines")
    if not lines and isinstance(item.get("line"), int):
        lines = (item.get("line"),)
    confidence = item.get("confidence")
    return FindingRow(
        entity_type=_text(item, "entity_type") or "",
        source=_text(item, "source") or "",
        table=_text(item, "table"),
        field=_text(item, "field"),
        lines=lines,
        rows=_numbers(item, "rows"),
        count=_int(item, "count"),
        sampled=_int(item, "sampled"),
        rows_scanned=_int(item, "rows_scanned"),
        confidence=float(confidence) if isinstance(confidence, (int, float)) else 0.0,
        method=_text(item, "method") or "",
        examples=_texts(item, "examples"),
        count_estimated=item.get("count_estimated") is True,
    )


def _impact(item: Mapping[str, Any]) -> ImpactRow:
    people = item.get("people_estimate")
    if people is None:
        people = item.get("estimated_people")  # the older name
    return ImpactRow(
        datastore=_text(item, "datastore") or "",
        owner=_text(item, "owner"),
        categories=_texts(item, "categories"),
        estimated_people=people if isinstance(people, int) and not isinstance(people, bool) else None,
        reportable=item.get("reportable") is True,
        reasons=_texts(item, "reasons"),
    )


def _error(item: Mapping[str, Any]) -> ErrorRow:
    return ErrorRow(
        source=_text(item, "source") or "",
        table=_text(item, "table"),
        error_kind=_text(item, "kind") or "",
        message=_text(item, "message") or "",
    )


def _bars(counts: Counter[str], group: str, labels: Labels, order: Sequence[str] | None = None) -> list[Bar]:
    if order is not None:
        items = [(code, counts.get(code, 0)) for code in order]
    else:
        items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(items) > CHART_BARS:
            rest = sum(n for _, n in items[CHART_BARS - 1 :])
            items = items[: CHART_BARS - 1] + [("…", rest)]
    top = max((n for _, n in items), default=0) or 1
    return [Bar(code, labels.code(group, code) if group else code, n, n / top) for code, n in items]


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def build_view(result: Mapping[str, Any], lang: str) -> ReportView:
    """Project a result document (schema 1.x) into what the reports show, in `lang`."""
    labels = Labels(lang)
    tool = result.get("tool") if isinstance(result.get("tool"), Mapping) else {}
    run = result.get("run") if isinstance(result.get("run"), Mapping) else {}
    stats = result.get("stats") if isinstance(result.get("stats"), Mapping) else {}
    raw_diff = result.get("diff") if isinstance(result.get("diff"), Mapping) else None

    violations = sorted(
        (_violation(item, labels) for item in _items(result, "violations")),
        key=lambda v: (severity_rank(v.severity), _status_rank(v.status), v.datastore, v.table or "",
                       v.field or "", v.kind),
    )
    findings = sorted(
        (_finding(item) for item in _items(result, "findings")),
        key=lambda f: (f.source, f.table or "", f.field or "", f.lines[:1], f.entity_type),
    )
    impact = sorted((_impact(item) for item in _items(result, "impact")),
                    key=lambda i: (not i.reportable, -(i.estimated_people or 0), i.datastore))
    errors = [_error(item) for item in _items(result, "errors")]
    diff = None
    if raw_diff is not None:
        diff = {code: _int(raw_diff, code) for code in STATUS_ORDER if raw_diff.get(code) is not None}

    view = ReportView(
        labels=labels,
        targets=_texts(result, "targets"),
        started_at=_text(result, "started_at"),
        finished_at=_text(result, "finished_at"),
        tool_version=_text(tool, "version") or "",
        schema_version=_text(result, "schema_version") or "",
        run_id=_text(run, "id"),
        previous_run_id=_text(run, "previous_run_id"),
        stats=tuple((labels.text(label), _fmt(stats.get(key))) for key, label in STAT_KEYS),
        violations=violations,
        findings=findings,
        impact=impact,
        errors=errors,
        diff=diff,
    )
    active = view.active_violations
    view.by_severity = _bars(Counter(v.severity for v in active), "severity", labels, SEVERITIES)
    view.by_category = _bars(Counter(v.category or "—" for v in active), "category", labels)
    view.by_datastore = _bars(Counter(v.datastore for v in active), "", labels)
    severities = Counter(v.severity for v in active)
    people = [i.estimated_people for i in impact if i.estimated_people is not None]
    reportable = sum(1 for i in impact if i.reportable)
    view.cards = [
        Card("violations", labels.text("card_violations"), _fmt(len(active)), "high" if active else "ok"),
        Card("critical", labels.text("card_critical"), _fmt(severities["critical"]),
             "critical" if severities["critical"] else "ok"),
        Card("high", labels.text("card_high"), _fmt(severities["high"]), "high" if severities["high"] else "ok"),
        Card("datastores", labels.text("card_datastores"), _fmt(len({v.datastore for v in active}))),
        Card("reportable", labels.text("card_reportable"), _fmt(reportable), "critical" if reportable else "ok"),
        Card("people", labels.text("card_people"), _fmt(max(people)) if people else "—"),
        Card("findings", labels.text("card_findings"), _fmt(len(findings)), "muted"),
        Card("errors", labels.text("card_errors"), _fmt(len(errors)), "high" if errors else "muted"),
    ]
    return view
