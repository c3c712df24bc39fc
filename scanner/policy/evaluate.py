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

Where a finding sits in the inventory is `placement`'s job.

Violations copy the findings' masked examples; the only thing read from a
datastore here is COUNT(*).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from recognizers.registry import label as entity_label
from scanner.model import Impact, ImpactGround, Violation, violation_fingerprint
from scanner.policy.config import MTIME, Inventory, Policy
from scanner.policy.placement import Locator, Placement
from scanner.policy.retention import (
    RetentionError,
    count_expired_files,
    count_expired_in_file,
    count_expired_rows,
    cutoff_for,
)
from scanner.severity import severity_rank
from scanner.targets import is_url

log = logging.getLogger(__name__)
MAX_EVIDENCE = 3


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
    violations: list[Violation]
    impact: list[Impact]
    errors: list[dict[str, Any]]  # retention counts that could not be made (no values inside)


def _estimate_values(finding: Mapping[str, Any]) -> int:
    """Values holding the entity in the whole field: the count, scaled up when only a sample was read."""
    count = int(finding.get("count") or 0)
    sampled = int(finding.get("sampled") or 0)
    rows = int(finding.get("rows_scanned") or 0)
    if sampled and rows > sampled:
        return round(count * rows / sampled)
    return count



class _Builder:
    """Builds violations with the policy's severities, clauses and remediation texts (English and Japanese)."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.violations: dict[str, Violation] = {}

    def add(
        self,
        kind: str,
        group: _Group,
        category: str,
        *,
        clause: tuple[str, str | None] | None = None,
        count: int | None = None,
        recipient: Any = None,
        **extra: Any,
    ) -> None:
        """`clause` is (English, Japanese or None) when the violation cites more than its rule's clause."""
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
            "recipient": recipient.title if recipient is not None else "",
            **extra,
        }
        remediation = rule.remediation.format_map(defaultdict(str, values))
        remediation_ja = None
        if rule.remediation_ja:
            cat = self.policy.categories.get(category)
            values_ja = {
                **values,
                "category": (cat.title_ja if cat is not None else None) or category,
                "entity_type": entity_label(group.entity_type, "ja") or group.entity_type,
                "recipient": (recipient.title_ja or recipient.title) if recipient is not None else "",
                "date_role": extra.get("date_role_ja") or extra.get("date_role", ""),
            }
            remediation_ja = rule.remediation_ja.format_map(defaultdict(str, values_ja))
        clause_en, clause_ja = clause if clause is not None else (rule.clause or "", rule.clause_ja)
        purposes = extra.get("purposes")
        violation = Violation(
            kind=kind,
            severity=severity,
            clause=clause_en,
            datastore=place.datastore_label,
            declared=place.datastore is not None,
            source=group.source,
            table=place.table_label,
            field=group.field,
            entity_type=group.entity_type,
            category=category,
            count=values["count"],
            evidence=tuple(group.evidence),
            remediation=remediation,
            recipient=recipient.title if recipient is not None else None,
            purposes=tuple(purposes) if purposes is not None else None,
            days=extra.get("days"),
            date_column=extra.get("date_column"),
            date_role=extra.get("date_role"),
            clause_ja=clause_ja,
            remediation_ja=remediation_ja,
            fingerprint="",
        )
        # the identity `piiscan triage` and the nightly diff use, so a fingerprint shown by a scan works there
        fingerprint = violation_fingerprint(violation.to_dict())
        self.violations[fingerprint] = dataclasses.replace(violation, fingerprint=fingerprint)

    def sorted(self) -> list[Violation]:
        return sorted(
            self.violations.values(),
            key=lambda v: (severity_rank(v.severity), v.kind, v.datastore, v.table or "", v.field or "", v.entity_type or ""),
        )


def _clause(item: Any) -> tuple[str, str | None]:
    """(English, Japanese) clause of a policy item that has `clause` and `clause_ja`."""
    return item.clause, item.clause_ja


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
        out.add("prohibited_data", group, category, clause=_clause(cat.prohibited))
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
            out.add("recipient_excess", group, category, clause=_clause(recipient), recipient=recipient)
            return
    if not allowed_by_purpose:
        rule = out.policy.rules["purpose_not_permitted"]
        declared = ", ".join(f"{p.title} ({p.clause})" for p in purposes) or "none"
        clause_ja = None
        if rule.clause_ja is not None:
            declared_ja = "、".join(f"{p.title_ja or p.title}({p.clause_ja or p.clause})" for p in purposes) or "なし"
            clause_ja = f"{rule.clause_ja}; 申告された利用目的: {declared_ja}"
        out.add(
            "purpose_not_permitted",
            group,
            category,
            clause=(f"{rule.clause or ''}; declared purposes: {declared}", clause_ja),
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
            if is_url(target):
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
                    clause=_clause(rule),
                    count=expired,
                    days=days,
                    date_column=column,
                    date_role=role,
                    date_role_ja=rule.runs_from_ja,
                )


def _impact(groups: list[_Group], policy: Policy) -> list[Impact]:
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
        grounds = _grounds(categories, people, policy)
        store = members[0].place.datastore
        entries.append(
            Impact(
                datastore=label,
                declared=store is not None,
                owner=store.owner if store else None,
                categories=tuple(categories),
                people_estimate=people,
                people_method="largest number of identifying values in one field (scaled up from samples)",
                reportable=bool(grounds),
                reasons=tuple(_reason(g) for g in grounds),
                grounds=tuple(grounds),
                clause=policy.impact.clause,
                clause_ja=policy.impact.clause_ja,
            )
        )
    return entries


def _grounds(categories: list[str], people: int, policy: Policy) -> list[ImpactGround]:
    """Why a leak would be reportable (APPI Art. 26, Enforcement Rules Art. 7), as codes."""
    held = [policy.categories[c] for c in categories if c in policy.categories]
    grounds = []
    if any(c.appi == "special_care" for c in held):
        grounds.append(ImpactGround("special_care"))
    financial = [c for c in categories if c in policy.categories and policy.categories[c].appi == "financial"]
    if financial:
        grounds.append(ImpactGround("financial", categories=tuple(financial)))
    if people > policy.impact.reportable_people:
        grounds.append(ImpactGround("people", people=people, threshold=policy.impact.reportable_people))
    return grounds


def _reason(ground: ImpactGround) -> str:
    """The English sentence of a ground (reports word it in Japanese from the code)."""
    if ground.code == "special_care":
        return "special-care-required personal information (Enforcement Rules Art. 7(i))"
    if ground.code == "financial":
        return f"data open to financial misuse: {', '.join(ground.categories)} (Enforcement Rules Art. 7(ii))"
    return f"about {ground.people} people, more than {ground.threshold} (Enforcement Rules Art. 7(iv))"


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
    locator = Locator(inventory, scan_root_map)
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
) -> tuple[list[Violation], list[Impact]]:
    """(violations, impact) for the findings of one scan; `options` and the failed
    retention checks are those of `evaluate_full`."""
    result = evaluate_full(findings, policy, inventory, **options)
    return result.violations, result.impact
