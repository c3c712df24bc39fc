"""The one projection of a result document that every report format renders.

Writers never touch the result dict themselves: `build_view` reads only the
keys the schema documents (scanner/schema/result.schema.json), one `.get` at a
time, or through the model's own readers (`Violation.from_dict`,
`Impact.from_dict`, so the report and the policy engine share one list of
keys), and passes every string through `redact`. So a key someone adds to a
result later (or a raw value planted in one) can never reach a report, and the
formats cannot drift apart: the HTML table, the xlsx sheet, the CSV file and
the Markdown summary are all drawn from the same rows and the same columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scanner.model import Impact, Violation
from scanner.report.columns import (
    ERROR_COLUMNS,
    FINDING_COLUMNS,
    IMPACT_COLUMNS,
    STAT_KEYS,
    VIOLATION_COLUMNS,
    Column,
)
from scanner.report.coverage import Coverage, build_coverage
from scanner.report.labels import STATUS_ORDER, Labels
from scanner.report.redact import redact
from scanner.report.why_text import why_sentence
from scanner.report.wording import ground_text, source_reason
from scanner.severity import SEVERITIES, severity_rank

_NUMBER_LISTS = ("lines", "rows")
CLOSED_STATUSES = frozenset({"fixed", "remediated", "accepted", "false_positive"})
CHART_BARS = 8  # bars per chart before the rest are summed into one
__all__ = ["ERROR_COLUMNS", "FINDING_COLUMNS", "IMPACT_COLUMNS", "STAT_KEYS", "VIOLATION_COLUMNS", "Column",
           "ReportView", "build_view"]


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
    why: str = ""  # what made the detector report it, worded in the report's language


@dataclass(frozen=True)
class ImpactRow:
    datastore: str
    owner: str | None
    categories: tuple[str, ...]
    people_estimate: int | None
    reportable: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ErrorRow:
    source: str
    table: str | None
    error_kind: str
    message: str


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
    number: int | None = None  # the value as a number (spreadsheets store numbers, not text)


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
    stat_numbers: tuple[tuple[str, int | float | None], ...]  # (label, number) for spreadsheets
    violations: list[ViolationRow]
    findings: list[FindingRow]
    impact: list[ImpactRow]
    errors: list[ErrorRow]
    diff: dict[str, int] | None
    coverage: Coverage | None = None  # the sources section; None for results older than `sources`
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
        if column.group == "error_kind":  # the reason codes sources report, worded like the sources section
            label = self.labels.code(column.group, value)
            return label if label != value else source_reason(self.lang, value)
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
    """One violation in the report's language: the policy's Japanese wording when it has one, else for
    a Japanese report the generic Japanese remediation of the kind (never the English text)."""
    v = Violation.from_dict(item)
    japanese = labels.lang == "ja"
    clause = (v.clause_ja if japanese and v.clause_ja else v.clause) or None
    remediation = v.remediation_ja if japanese else v.remediation
    if not remediation:
        generic = labels.code("remediation", v.kind)
        remediation = generic if generic != v.kind or not v.remediation else v.remediation
    return ViolationRow(
        severity=redact(v.severity),
        status=_text(item, "status"),
        kind=redact(v.kind),
        datastore=redact(v.datastore),
        table=_opt(v.table),
        field=_opt(v.field),
        entity_type=_opt(v.entity_type),
        category=_opt(v.category),
        count=v.count,
        evidence=tuple(redact(e) for e in v.evidence),
        clause=_opt(clause),
        remediation=redact(remediation),
        fingerprint=redact(v.fingerprint),
        triage_note=_triage_note(item),
    )


def _opt(value: str | None) -> str | None:
    return None if value is None else redact(value)


def _finding(item: Mapping[str, Any], lang: str) -> FindingRow:
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
        why=why_sentence(item.get("why"), lang),
    )


def _impact(item: Mapping[str, Any], labels: Labels) -> ImpactRow:
    """One datastore's impact; a Japanese report words the grounds itself (the published reasons are English)."""
    impact = Impact.from_dict(item)
    reasons = impact.reasons
    if impact.grounds and (labels.lang != "en" or not reasons):
        reasons = tuple(
            ground_text(labels.lang, g.code, g.categories, g.people, g.threshold,
                        lambda c: labels.code("category", c))
            for g in impact.grounds
        )
    return ImpactRow(
        datastore=redact(impact.datastore),
        owner=_opt(impact.owner),
        categories=tuple(redact(c) for c in impact.categories),
        people_estimate=impact.people_estimate,
        reportable=impact.reportable,
        reasons=tuple(redact(r) for r in reasons),
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


def _number(value: Any) -> int | float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _card(key: str, label: str, number: int | None, tone: str = "") -> Card:
    return Card(key, label, _fmt(number) if number is not None else "—", tone, number)


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
        (_finding(item, labels.lang) for item in _items(result, "findings")),
        key=lambda f: (f.source, f.table or "", f.field or "", f.lines[:1], f.entity_type),
    )
    impact = sorted((_impact(item, labels) for item in _items(result, "impact")),
                    key=lambda i: (not i.reportable, -(i.people_estimate or 0), i.datastore))
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
        stat_numbers=tuple((labels.text(label), _number(stats.get(key))) for key, label in STAT_KEYS),
        violations=violations,
        findings=findings,
        impact=impact,
        errors=errors,
        diff=diff,
        coverage=build_coverage(result, lang),
    )
    active = view.active_violations
    view.by_severity = _bars(Counter(v.severity for v in active), "severity", labels, SEVERITIES)
    view.by_category = _bars(Counter(v.category or "—" for v in active), "category", labels)
    view.by_datastore = _bars(Counter(v.datastore for v in active), "", labels)
    severities = Counter(v.severity for v in active)
    people = [i.people_estimate for i in impact if i.people_estimate is not None]
    reportable = sum(1 for i in impact if i.reportable)
    crit, high = severities["critical"], severities["high"]
    view.cards = [
        _card("violations", labels.text("card_violations"), len(active), "high" if active else "ok"),
        _card("critical", labels.text("card_critical"), crit, "critical" if crit else "ok"),
        _card("high", labels.text("card_high"), high, "high" if high else "ok"),
        _card("datastores", labels.text("card_datastores"), len({v.datastore for v in active})),
        _card("reportable", labels.text("card_reportable"), reportable, "critical" if reportable else "ok"),
        _card("people", labels.text("card_people"), max(people) if people else None),
        _card("findings", labels.text("card_findings"), len(findings), "muted"),
        _card("errors", labels.text("card_errors"), len(errors), "high" if errors else "muted"),
    ]
    return view
