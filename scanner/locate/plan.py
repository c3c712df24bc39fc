"""Which fields of a dataset to search: the classification from the last scan, or a fresh one.

`locate` never reads a field the scan did not classify as holding one of the
entity types asked for: that is what makes it fast (a lookup touches a few
columns) and what keeps it honest (it searches where personal data is known to
be). The classification comes from the newest complete run in the state store
(`--state`, the store `nightly` keeps), keyed by (source, table) as that run
recorded them; a table the run did not see gets a fresh sampled scan, as does
every table when no state store is given. A text file the state does not know
is searched for every kind asked: classifying it would read all of it anyway.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from scanner.locate.identifiers import kinds_of_entity

log = logging.getLogger(__name__)


@dataclass
class DatasetPlan:
    """What to search in one dataset, and the personal fields to show (masked) beside a match."""

    fields: dict[str, set[str]] = field(default_factory=dict)  # value field -> match kinds asked
    text_fields: dict[str, set[str]] = field(default_factory=dict)  # free-text field -> match kinds
    text_kinds: set[str] = field(default_factory=set)  # a text file: match kinds its lines are searched for
    personal: dict[str, str] = field(default_factory=dict)  # every classified field -> its entity type
    free_text: set[str] = field(default_factory=set)  # fields holding free text (never shown, only named)
    origin: str = "scan"  # state | scan | text (a text file the state store does not know: every kind)

    @property
    def searchable(self) -> bool:
        return bool(self.fields or self.text_fields or self.text_kinds)

    def entity_of(self, field_name: str | None, kind: str) -> str | None:
        from scanner.locate.identifiers import entity_types

        if field_name is not None and field_name in self.personal and kind in kinds_of_entity(self.personal[field_name]):
            return self.personal[field_name]
        return entity_types()[kind][0]


def plan_from_findings(findings: list[dict[str, Any]], wanted: set[str], origin: str) -> DatasetPlan:
    """A plan from findings as result.json publishes them (entity_type, field, method)."""
    plan = DatasetPlan(origin=origin)
    for finding in findings:
        entity, name, method = finding.get("entity_type"), finding.get("field"), finding.get("method", "column")
        kinds = set(kinds_of_entity(entity or "")) & wanted
        if name is None or method == "text":
            plan.text_kinds |= kinds
            continue
        plan.personal.setdefault(name, entity)
        if method == "value":
            plan.free_text.add(name)
            if kinds:
                plan.text_fields.setdefault(name, set()).update(kinds)
        elif kinds:
            plan.fields.setdefault(name, set()).update(kinds)
    return plan


class Planner:
    """Plans datasets from the state store's last run, or from a fresh sampled scan."""

    def __init__(self, wanted: set[str], state: str | None = None, sample_rows: int | None = None):
        self.wanted = set(wanted)
        self.sample_rows = sample_rows
        self._known: dict[tuple[str, str | None], list[dict[str, Any]]] | None = None
        self._detector: Any = None
        self.state_run: int | None = None
        if state:
            self._known = self._load_state(state)

    def _load_state(self, state: str) -> dict[tuple[str, str | None], list[dict[str, Any]]]:
        from scanner.state.store import StateStore

        store = StateStore.open(state)
        try:
            complete = [r for r in store.runs() if r.status == "complete"]
            if not complete:
                return {}
            self.state_run = complete[-1].id
            return {(s, t or None): v for (s, t), v in store.findings_of(self.state_run).items()}
        finally:
            store.close()

    def plan(self, dataset: Any) -> DatasetPlan:
        if self._known is not None:
            known = self._known.get((dataset.source, dataset.table))
            if known is not None:
                return plan_from_findings(known, self.wanted, "state")
        if getattr(dataset, "kind", None) == "text":
            # classifying a text file means reading all of it: searching it for every kind
            # asked costs less (one RE2 pass a batch, see prefilter.py) and misses nothing
            return DatasetPlan(text_kinds=set(self.wanted), origin="text")
        return plan_from_findings(self._scan(dataset), self.wanted, "scan")

    def _scan(self, dataset: Any) -> list[dict[str, Any]]:
        try:  # the scan stage's home (scanner/scan/); older trees kept it in scanner.pipeline
            from scanner.scan.dataset import scan_dataset
            from scanner.scan.options import ScanOptions, build_detector
        except ImportError:
            from scanner.pipeline import ScanOptions, build_detector, scan_dataset  # type: ignore[no-redef]

        options = ScanOptions(sample_rows=self.sample_rows, jobs=1)
        if self._detector is None:
            self._detector = build_detector(options)
        detector, config = self._detector
        findings, _rows, _cells = scan_dataset(dataset, detector, config, options)
        return [f.to_dict() for f in findings]
