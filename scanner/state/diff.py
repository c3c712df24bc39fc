"""Compare one run with the previous run of the same inventory: new, open, fixed, accepted.

Pure logic, no I/O, so every rule is a row in a test table:
- seen now, not in the previous run                     -> new
- seen now and in the previous run                      -> open
- gone since the previous run                           -> fixed (listed too)
- gone, but its source failed in this run               -> kept as it was (carried), never fixed
- an active triage decision overrides new/open/carried  -> accepted | false_positive | remediated
- an expired decision no longer applies                 -> open again (or new), marked expired
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scanner.state.fingerprint import finding_fingerprint, violation_fingerprint
from scanner.state.triage import TriageEntry

VIOLATION, FINDING = "violation", "finding"
PRESENT = ("new", "open", "accepted", "false_positive", "remediated")  # statuses of an item still there
COUNTED = ("new", "open", "fixed", "accepted", "false_positive", "remediated")


@dataclass
class ItemState:
    """An item's status in one run, as the store records it."""

    item_type: str
    fingerprint: str
    status: str
    data: dict[str, Any]
    carried: bool = False


@dataclass
class DiffOutcome:
    violations: list[dict[str, Any]]  # annotated; current, then carried, then fixed
    items: list[ItemState] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def new_violations(self) -> list[dict[str, Any]]:
        return [v for v in self.violations if v["status"] == "new"]


def _source_of(item_type: str, data: Mapping[str, Any]) -> set[str]:
    names = {data.get("source"), data.get("datastore")} if item_type == VIOLATION else {data.get("source")}
    return {n for n in names if n}


def failed_in(errors: Iterable[Mapping[str, Any]]):
    """A predicate: did this run fail to read the item's source (or its table)?"""
    failures = [(name, e.get("table")) for e in errors for name in {e.get("source"), e.get("datastore")} if name]

    def failed(item_type: str, data: Mapping[str, Any]) -> bool:
        sources = _source_of(item_type, data)
        return any(src in sources and (table is None or table == data.get("table")) for src, table in failures)

    return failed


def compute_diff(
    violations: Iterable[Mapping[str, Any]],
    findings: Iterable[Mapping[str, Any]],
    previous: Mapping[tuple[str, str], tuple[str, dict[str, Any]]],
    triage: Mapping[str, TriageEntry],
    errors: Iterable[Mapping[str, Any]],
    today: date,
) -> DiffOutcome:
    """Diff this run's violations and findings against `previous` {(item_type, fingerprint): (status, data)}."""
    failed = failed_in(errors)
    outcome = DiffOutcome(violations=[])
    current: dict[tuple[str, str], str] = {}

    def status_of(item_type: str, fp: str, fallback: str, doc: dict[str, Any]) -> str:
        decision = triage.get(fp)
        if decision is not None:
            doc["triage"] = decision.to_dict(today)
            if decision.active_on(today):
                return decision.status
        elif item_type == VIOLATION:
            doc["triage"] = None
        return fallback

    for item_type, docs, fingerprint in ((VIOLATION, violations, violation_fingerprint),
                                         (FINDING, findings, finding_fingerprint)):
        for source_doc in docs:
            doc = dict(source_doc)
            fp = fingerprint(doc)
            seen_before = previous.get((item_type, fp), ("fixed", {}))[0] in PRESENT
            status = status_of(item_type, fp, "open" if seen_before else "new", doc)
            if item_type == VIOLATION:
                doc.update(fingerprint=fp, status=status)
                outcome.violations.append(doc)
            if (item_type, fp) not in current:  # the same fingerprint twice (two clauses) is one item
                current[(item_type, fp)] = status
                outcome.items.append(ItemState(item_type, fp, status, _stored(doc)))

    gone = [(key, status, data) for key, (status, data) in previous.items() if key not in current and status in PRESENT]
    for carried in (True, False):
        for (item_type, fp), _old_status, data in gone:
            if failed(item_type, data) != carried:
                continue
            doc = dict(data)
            if carried:
                status = status_of(item_type, fp, "open", doc)
                doc["carried_over"] = True
            else:
                status = "fixed"
                if fp in triage:
                    doc["triage"] = triage[fp].to_dict(today)
            if item_type == VIOLATION:
                doc.update(fingerprint=fp, status=status)
                outcome.violations.append(doc)
            outcome.items.append(ItemState(item_type, fp, status, _stored(doc), carried=carried))

    outcome.counts = {name: 0 for name in COUNTED}
    for doc in outcome.violations:  # counts match the rows a report lists
        outcome.counts[doc["status"]] += 1
    return outcome


def _stored(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What the store keeps of an item: the published (masked) dict without per-run annotations."""
    return {k: v for k, v in doc.items() if k not in ("status", "triage", "carried_over")}
