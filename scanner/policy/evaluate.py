"""Turning findings into policy violations and a per-datastore impact summary.

Each finding (one entity type in one field of one table or file) is placed in
the inventory, then checked against the policy:

- prohibited_data: a category the policy never allows stored (card security
  data), or allows only for a declared purpose (My Number) that the store lacks;
- clear_pan: a full PAN in clear, wherever it is (masked PANs are their own
  entity type and pass);
- shadow_data: a datastore, table, file or field the inventory does not declare;
- recipient_excess: an export holding a category its recipient may not receive;
- purpose_not_permitted: a category none of the table's declared purposes allows
  (not repeated for exports, where recipient_excess is the sharper finding, nor
  for prohibited data);
- retention_exceeded: rows (or files) whose date is past the category's rule,
  counted where the data lives (see `retention`).

How a finding's `source` is placed (first that applies):
1. `finding["datastore"]`, when the caller tagged the finding with the name of
   the inventory datastore it scanned (`ScanTarget.datastore_name`);
2. a database URL (password removed) compared on backend, host, port and database;
3. a path: `scan_root_map[source]` (a file, or the directory the relative source
   is relative to; key `"*"` gives one directory for all sources), else the
   source itself if absolute, else relative to the inventory file's folder, else
   any inventory file whose path ends with the source.
Findings that land in no datastore are shadow data in an undeclared store.

Violations copy the findings' masked examples; the only thing read from a
datastore here is COUNT(*).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.policy.config import MTIME, Datastore, Inventory, Policy, TableSpec
from scanner.policy.retention import (
    RetentionError,
    count_expired_files,
    count_expired_in_file,
    count_expired_rows,
    cutoff_for,
)
from scanner.severity import severity_rank

log = logging.getLogger(__name__)
MAX_EVIDENCE = 3


@dataclass
class Placement:
    """Where a finding sits in the inventory."""

    datastore: Datastore | None
    spec: TableSpec | None
    datastore_label: str  # inventory name, or the source itself for an undeclared store
    table_label: str | None  # DB table, or the file path relative to the inventory (+ "#sheet")
    path: Path | None = None  # absolute file path (files and SQLite)
    url: str | None = None  # connectable URL (databases)


@dataclass
class _Group:
    """All findings of one entity type in one field of one table/file."""

    place: Placement
    field: str | None
    entity_type: str
    source: str
    table: str | None  # the finding's own table (DB table / sheet)
    count: int = 0
    evidence: list[str] = field(default_factory=list)
    people_estimate: int = 0

    def add(self, finding: Mapping[str, Any]) -> None:
        self.count += int(finding.get("count") or 0)
        for example in finding.get("examples") or ():
            if example not in self.evidence and len(self.evidence) < MAX_EVIDENCE:
                self.evidence.append(str(example))
        self.people_estimate = max(self.people_estimate, _estimate_values(finding))


@dataclass
class Evaluation:
    violations: list[dict[str, Any]]
    impact: list[dict[str, Any]]
    errors: list[dict[str, Any]]  # retention counts that could not be made (no values inside)


def _estimate_values(finding: Mapping[str, Any]) -> int:
    """Values holding the entity in the whole field: the count, scaled up when only a sample was read."""
    count = int(finding.get("count") or 0)
    sampled = int(finding.get("sampled") or 0)
    rows = int(finding.get("rows_scanned") or 0)
    if sampled and rows > sampled:
        return round(count * rows / sampled)
    return count


def _url_key(url: str) -> tuple[str, str | None, int | None, str | None] | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    backend = parsed.get_backend_name()
    backend = "mysql" if backend == "mariadb" else backend
    return backend, (parsed.host or "").casefold() or None, parsed.port, parsed.database


class _Locator:
    """Maps finding sources to inventory datastores (see the module docstring)."""

    def __init__(self, inventory: Inventory, scan_root_map: Mapping[str, str | os.PathLike[str]] | None):
        self.inventory = inventory
        self.roots = {k: Path(v) for k, v in (scan_root_map or {}).items()}
        self.file_owner: dict[Path, Datastore] = {}
        self.db_keys: list[tuple[Any, Datastore, str]] = []
        for store in inventory.datastores:
            if store.kind == "database":
                try:
                    url = inventory.resolve_url(store)
                except (KeyError, OSError):
                    continue
                self.db_keys.append((_url_key(url), store, url))
                if url.startswith("sqlite"):
                    from sqlalchemy.engine import make_url

                    self.file_owner[Path(make_url(url).database or "").resolve()] = store
            else:
                for path in inventory.files_of(store):
                    self.file_owner[path] = store

    def _candidates(self, source: str) -> Iterable[Path]:
        for key in (source, "*"):
            if key in self.roots:
                root = self.roots[key]
                yield (root / source) if root.is_dir() else root
        path = Path(source)
        if path.is_absolute():
            yield path
            return
        yield self.inventory.base_dir / path
        tail = "/" + path.as_posix().lstrip("./")
        yield from (known for known in self.file_owner if known.as_posix().endswith(tail))

    def place(self, finding: Mapping[str, Any]) -> Placement:
        source = str(finding.get("source") or "")
        table = finding.get("table")
        tagged = self.inventory.datastore(finding["datastore"]) if finding.get("datastore") else None
        if "://" in source and not source.startswith("sqlite"):
            return self._place_url(source, table, tagged)
        if source.startswith("sqlite"):
            from sqlalchemy.engine import make_url

            source = make_url(source).database or source
        resolved: Path | None = None
        store = tagged
        for candidate in self._candidates(source):
            candidate = candidate.resolve()
            if candidate in self.file_owner:
                resolved, store = candidate, store or self.file_owner[candidate]
                break
            if resolved is None and candidate.exists():
                resolved = candidate
        path = resolved or (self.inventory.base_dir / source).resolve()
        rel = self.inventory.relative(path)
        if store is None:
            store = next(
                (s for s in self.inventory.datastores if s.kind == "files" and s.location and Path(rel).match(s.location)),
                None,
            )
        if store is not None and store.kind != "files":  # SQLite file: tables inside it
            url = f"sqlite:///{path.as_posix()}"
            return Placement(store, store.table_spec(table, None), store.name, table, path=path, url=url)
        label = rel + (f"#{table}" if table else "")
        if store is None:
            if path.suffix.lower() in (".sqlite", ".sqlite3", ".db") and table:
                label = table
            return Placement(None, None, rel, label, path=path)
        return Placement(store, store.table_spec(table, rel), store.name, label, path=path)

    def _place_url(self, source: str, table: str | None, tagged: Datastore | None) -> Placement:
        key = _url_key(source)
        for store_key, store, url in self.db_keys:
            if (tagged is not None and store is tagged) or (tagged is None and key is not None and store_key == key):
                return Placement(store, store.table_spec(table, None), store.name, table, url=url)
        return Placement(None, None, source, table)


class _Builder:
    """Builds violation dicts with the policy's severities, clauses and remediation texts."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.violations: dict[str, dict[str, Any]] = {}

    def add(self, kind: str, group: _Group, category: str, *, clause: str | None = None, count: int | None = None, **extra: Any) -> None:
        rule = self.policy.rules[kind]
        severity = self.policy.sensitivity(category) if rule.severity == "from_category" else rule.severity
        place = group.place
        location = place.datastore_label + (f"/{place.table_label}" if place.table_label else "") + (
            f".{group.field}" if group.field else ""
        )
        values = {
            "location": location,
            "category": category,
            "entity_type": group.entity_type,
            "count": group.count if count is None else count,
            **extra,
        }
        remediation = rule.remediation.format_map(defaultdict(str, values))
        fingerprint = hashlib.sha256(
            "|".join(str(x or "") for x in (place.datastore_label, place.table_label, group.field, group.entity_type, kind)).encode()
        ).hexdigest()
        self.violations[fingerprint] = {
            "kind": kind,
            "severity": severity,
            "clause": clause or rule.clause or "",
            "datastore": place.datastore_label,
            "declared": place.datastore is not None,
            "source": group.source,
            "table": place.table_label,
            "field": group.field,
            "entity_type": group.entity_type,
            "category": category,
            "count": values["count"],
            "evidence": list(group.evidence),
            "remediation": remediation,
            "fingerprint": fingerprint,
            **{k: v for k, v in extra.items() if k in ("recipient", "purposes", "days", "date_column", "date_role")},
        }

    def sorted(self) -> list[dict[str, Any]]:
        return sorted(
            self.violations.values(),
            key=lambda v: (severity_rank(v["severity"]), v["kind"], v["datastore"], v["table"] or "", v["field"] or "", v["entity_type"]),
        )


def _check_group(group: _Group, policy: Policy, out: _Builder) -> None:
    """Every rule except retention, for one group."""
    category = policy.category_of(group.entity_type)
    cat = policy.categories.get(category)
    spec = group.place.spec
    purposes = [policy.purposes[p] for p in (spec.purposes if spec else [])]
    allowed_by_purpose = any(p.allows(group.entity_type, category) for p in purposes)

    prohibited = cat is not None and cat.prohibited is not None and (cat.prohibited.always or not allowed_by_purpose)
    if prohibited:
        assert cat is not None and cat.prohibited is not None
        out.add("prohibited_data", group, category, clause=cat.prohibited.clause)
    if group.entity_type in policy.rules["clear_pan"].entities:
        out.add("clear_pan", group, category)

    if group.place.datastore is None or spec is None:
        out.add("shadow_data", group, category)  # an unknown store or table: say so even for prohibited data
        return
    if prohibited:
        return
    if not spec.declares_field(group.field):
        out.add("shadow_data", group, category)
    if spec.recipient is not None:
        recipient = policy.recipients[spec.recipient]
        if not recipient.allows(group.entity_type, category):
            out.add("recipient_excess", group, category, clause=recipient.clause, recipient=recipient.title)
            return
    if not allowed_by_purpose:
        clause = out.policy.rules["purpose_not_permitted"].clause or ""
        declared = ", ".join(f"{p.title} ({p.clause})" for p in purposes) or "none"
        out.add(
            "purpose_not_permitted",
            group,
            category,
            clause=f"{clause}; declared purposes: {declared}",
            purposes=list(spec.purposes),
        )


def _check_retention(
    groups: list[_Group], policy: Policy, inventory: Inventory, today: dt.date, out: _Builder, errors: list[dict[str, Any]]
) -> None:
    """One COUNT query per (table, date column, period) covering all its fields."""
    batches: dict[tuple[Any, ...], list[_Group]] = defaultdict(list)
    for group in groups:
        spec = group.place.spec
        category = policy.category_of(group.entity_type)
        rule = policy.retention.get(category)
        if spec is None or rule is None:
            continue
        column = spec.date_column(rule.runs_from)
        if column is None:
            continue
        target = group.place.url or (str(group.place.path) if group.place.path else None)
        if target is None:
            continue
        batches[(target, group.table, column, rule.days, rule.runs_from, category)].append(group)

    for (target, table, column, days, role, category), members in batches.items():
        cutoff = cutoff_for(days, today)
        fields = [g.field for g in members]
        try:
            if "://" in target:
                if table is None:
                    continue
                counts = count_expired_rows(target, table, column, cutoff, fields)
            elif column == MTIME:
                expired = count_expired_files([target], cutoff)
                counts = dict.fromkeys(fields, expired)
            else:
                counts = count_expired_in_file(target, column, cutoff, fields)
        except RetentionError as exc:
            place = members[0].place
            errors.append({"datastore": place.datastore_label, "table": place.table_label, "message": str(exc)})
            log.warning("retention not checked: %s/%s: %s", place.datastore_label, place.table_label, exc)
            continue
        rule = policy.retention[category]
        for group in members:
            expired = counts.get(group.field, 0)
            if expired > 0:
                out.add(
                    "retention_exceeded",
                    group,
                    category,
                    clause=rule.clause,
                    count=expired,
                    days=days,
                    date_column=column,
                    date_role=role,
                )


def _impact(groups: list[_Group], policy: Policy) -> list[dict[str, Any]]:
    by_store: dict[str, list[_Group]] = defaultdict(list)
    for group in groups:
        by_store[group.place.datastore_label].append(group)
    entries = []
    for label, members in sorted(by_store.items()):
        categories = sorted({policy.category_of(g.entity_type) for g in members})
        people = max(
            (
                g.people_estimate
                for g in members
                if (cat := policy.categories.get(policy.category_of(g.entity_type))) is not None and cat.identifies_person
            ),
            default=0,
        )
        reasons = []
        held = [policy.categories[c] for c in categories if c in policy.categories]
        if any(c.appi == "special_care" for c in held):
            reasons.append("special-care-required personal information (Enforcement Rules Art. 7(i))")
        financial = [c for c in categories if c in policy.categories and policy.categories[c].appi == "financial"]
        if financial:
            reasons.append(f"data open to financial misuse: {', '.join(financial)} (Enforcement Rules Art. 7(ii))")
        if people > policy.impact.reportable_people:
            reasons.append(f"about {people} people, more than {policy.impact.reportable_people} (Enforcement Rules Art. 7(iv))")
        store = members[0].place.datastore
        entries.append(
            {
                "datastore": label,
                "declared": store is not None,
                "owner": store.owner if store else None,
                "categories": categories,
                "people_estimate": people,
                "people_method": "largest number of identifying values in one field (scaled up from samples)",
                "reportable": bool(reasons),
                "reasons": reasons,
                "clause": policy.impact.clause,
            }
        )
    return entries


def evaluate_full(
    findings: Iterable[Mapping[str, Any]],
    policy: Policy,
    inventory: Inventory,
    *,
    scan_root_map: Mapping[str, str | os.PathLike[str]] | None = None,
    today: dt.date | None = None,
    check_retention: bool = True,
) -> Evaluation:
    """Violations (most severe first), impact per datastore, and retention checks that failed."""
    locator = _Locator(inventory, scan_root_map)
    groups: dict[tuple[Any, ...], _Group] = {}
    for finding in findings:
        place = locator.place(finding)
        key = (place.datastore_label, place.table_label, finding.get("field"), finding["entity_type"])
        if key not in groups:
            groups[key] = _Group(
                place, finding.get("field"), finding["entity_type"], str(finding.get("source") or ""), finding.get("table")
            )
        groups[key].add(finding)
    out = _Builder(policy)
    for group in groups.values():
        _check_group(group, policy, out)
    errors: list[dict[str, Any]] = []
    if check_retention:
        _check_retention(list(groups.values()), policy, inventory, today or dt.date.today(), out, errors)
    return Evaluation(out.sorted(), _impact(list(groups.values()), policy), errors)


def evaluate(
    findings: Iterable[Mapping[str, Any]], policy: Policy, inventory: Inventory, **options: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(violations, impact) for the findings of one scan; `options` and the failed
    retention checks are those of `evaluate_full`."""
    result = evaluate_full(findings, policy, inventory, **options)
    return result.violations, result.impact
