"""A locate run: targets -> datasets -> plan -> lookup or stream -> verdicts -> matches.

Databases get the match pushed down (scanner.sources.lookup): one query per
table with bound parameters on the classified columns. Files (CSV in any
encoding the source sniffs, JSON lines, Excel, Parquet, logs) stream through
their usual source and every row or line is compared by salted hash. In bulk
mode (more than `bulk_threshold` people) tables stream too, so each source is
read once whatever the number of people.

Every dataset ends with a status (searched / skipped / failed and why), as a
scan's sources do. Nothing here prints or logs an identifier: logs name
sources and counts only.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from scanner.detect.masking import mask, scrub
from scanner.locate.identifiers import Person
from scanner.locate.matching import STRENGTH_ORDER, Matcher, Verdict
from scanner.locate.plan import DatasetPlan, Planner
from scanner.locate.prefilter import Prefilter
from scanner.scan.inventory import as_given
from scanner.targets import is_url

log = logging.getLogger(__name__)


@dataclass
class LocateOptions:
    targets: list[str] = field(default_factory=list)
    inventory: str | None = None
    policy: str | None = None
    state: str | None = None
    sample_rows: int | None = None
    thorough: bool = False  # databases: normalise in SQL even where an index could answer
    bulk_threshold: int = 20


@dataclass
class LocateResult:
    matches: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    declared: list[dict[str, Any]] = field(default_factory=list)
    lookalikes: dict[int, int] = field(default_factory=dict)  # person -> rows excluded (other values)
    plan_origin: str = "scan"
    targets: list[str] = field(default_factory=list)


@dataclass
class _Target:
    target: str
    display: str
    datastore: str | None = None
    error: str | None = None


def run_locate(people: list[Person], matcher: Matcher, options: LocateOptions) -> LocateResult:
    """Search every target for every person; per-source problems are recorded, never raised."""
    from scanner.sources import open_target

    result = LocateResult()
    planner = Planner(matcher.kinds, options.state, options.sample_rows)
    screen = None if options.thorough else Prefilter(people)
    result.plan_origin = "state" if planner.state_run is not None else "scan"
    inventory, policy = _configs(options)
    targets = _targets(options, inventory)
    result.targets = [t.display for t in targets]
    declared_paths = _declared_paths(inventory) if options.targets and inventory is not None else {}
    for target in targets:
        if target.error:
            result.sources.append({"source": target.display, "table": None, "status": "failed",
                                   "reason": scrub(target.error), "datastore": target.datastore})
            continue
        for item in _safe(open_target(target.target), target.display):
            if isinstance(item, dict):
                result.sources.append(item | {"datastore": target.datastore})
                continue
            datastore = target.datastore or _declared_store(declared_paths, target, item)
            try:
                _search_dataset(item, people, matcher, planner, options, result, datastore, screen)
            finally:
                item.close()
    result.declared = declared_for(result.matches, result.sources, inventory, policy)
    return result


def _search_dataset(dataset: Any, people: list[Person], matcher: Matcher, planner: Planner,
                    options: LocateOptions, result: LocateResult, datastore: str | None,
                    screen: Prefilter | None) -> None:
    from scanner.sources.base import SourceError
    from scanner.sources.lookup import is_table

    status: dict[str, Any] = {"source": dataset.source, "table": dataset.table, "datastore": datastore}
    try:
        plan = planner.plan(dataset)
        if not plan.searchable:
            result.sources.append(status | {"status": "skipped",
                                            "reason": "no field classified as holding the identifiers asked"})
            return
        if dataset.kind == "text":
            found, mode = list(_text_matches(dataset, plan, matcher, screen)), "text"
        elif is_table(dataset) and len(people) <= options.bulk_threshold:
            found, mode = _lookup_matches(dataset, plan, people, matcher, options, status, result)
        else:
            found, mode = list(_row_matches(dataset, plan, matcher, result, screen)), "stream"
    except SourceError as error:
        result.sources.append(status | {"status": "failed", "reason": scrub(error.message), "kind": error.kind})
        return
    except Exception as exc:  # noqa: BLE001 - one broken dataset must not end the run
        # only the exception's type: a library message may quote a pattern or value built from
        # the identifiers (names pass the scrubber), and this reason reaches the result and the audit
        log.debug("locate: %s failed with %s", dataset.source, type(exc).__name__)
        result.sources.append(status | {"status": "failed", "reason": f"{type(exc).__name__} while searching"})
        return
    for match in found:
        match["datastore"] = datastore
    result.matches += found
    log.info("locate: %s%s: %d match(es)", dataset.source, f" [{dataset.table}]" if dataset.table else "", len(found))
    issues = list(getattr(dataset, "issues", None) or [])
    if issues:  # records the source could not read (bad bytes, broken lines): the search is partial
        status["partial"] = f"{len(issues)} part(s) could not be read: " + "; ".join(
            scrub(getattr(i, "message", str(i))) for i in issues[:3])
    result.sources.append(status | {"status": "partial" if status.get("partial") else "searched", "mode": mode,
                                    "plan": plan.origin, "matches": len(found),
                                    "fields": sorted(set(plan.fields) | set(plan.text_fields))})


def _lookup_matches(dataset: Any, plan: DatasetPlan, people: list[Person], matcher: Matcher,
                    options: LocateOptions, status: dict[str, Any], result: LocateResult) -> tuple[list, str]:
    from scanner.sources.lookup import Probe, lookup

    probes = [Probe(f, k) for f, kinds in plan.fields.items() for k in sorted(kinds)]
    probes += [Probe(f, k, free_text=True) for f, kinds in plan.text_fields.items() for k in sorted(kinds)]
    # a birth date or a card's last four picks too many rows alone: only with a selective kind
    selective = [p for p in probes if p.kind not in ("birth_date", "card_last4")] or probes
    spellings: dict[str, set[str]] = {}
    forms: dict[str, set[str]] = {}
    for person in people:
        for kind in person.match_kinds:
            spellings.setdefault(kind, set()).update(person.spellings(kind))
            forms.setdefault(kind, set()).update(_text_forms(person, kind))
    found = lookup(dataset, selective, spellings, forms, thorough=options.thorough)
    if found.truncated:
        status["partial"] = "more candidate rows than a lookup brings back; only the first were checked"
    matches = []
    for row in found.rows:
        key = {k: _shown(plan, k, row.get(k)) for k in found.key_fields}
        matches += _verdict_matches(matcher.row(row, plan.fields, plan.text_fields), dataset, plan, row,
                                    {"row_key": key or None}, result, matcher)
    status["candidates"] = len(found.rows)
    return matches, found.mode


def _text_forms(person: Person, kind: str) -> set[str]:
    if kind == "name":
        return set(person.names.text_forms)
    if kind in ("email", "passport"):
        return {k.lower() for k in person.keys.get(kind, ())}
    return person.spellings(kind)


def _row_matches(dataset: Any, plan: DatasetPlan, matcher: Matcher, result: LocateResult,
                 screen: Prefilter | None) -> Iterator[dict]:
    """Rows of a file table (or of a table in bulk mode), screened in Arrow, judged in Python."""
    wanted = sorted(set(plan.fields) | set(plan.text_fields) | set(plan.personal))
    offset = 0
    for batch in dataset.iter_batches():
        present = [n for n in wanted if n in batch.schema.names]
        indices = (screen.rows(batch, plan.fields, plan.text_fields) if screen is not None
                   else np.arange(batch.num_rows))
        if len(indices) == 0:
            offset += batch.num_rows
            continue
        picked = batch.select(present).take(pa.array(indices, type=pa.int64()))
        columns = {n: picked.column(n).to_pylist() for n in present}
        for j, i in enumerate(indices):
            number = offset + int(i) + 1
            row = {n: columns[n][j] for n in present}
            verdicts = matcher.row(row, plan.fields, plan.text_fields)
            yield from _verdict_matches(verdicts, dataset, plan, row, {"row_key": {"row": number}}, result,
                                        matcher)
        offset += batch.num_rows


def _text_matches(dataset: Any, plan: DatasetPlan, matcher: Matcher, screen: Prefilter | None) -> Iterator[dict]:
    """Lines of a text file, screened in Arrow (one RE2 pass a batch), judged in Python."""
    for batch in dataset.iter_batches():
        if screen is not None:
            indices = np.flatnonzero(screen.text_mask(batch.column("text")))
            if len(indices) == 0:
                continue
            batch = batch.take(pa.array(indices, type=pa.int64()))
        lines = batch.column("line").to_pylist()
        texts = batch.column("text").to_pylist()
        for number, text in zip(lines, texts, strict=False):
            if not text:
                continue
            for verdict in matcher.line_verdicts(text, plan.text_kinds):
                for kind in sorted({h.kind for h in verdict.hits}):
                    exact = any(h.exact for h in verdict.hits if h.kind == kind)
                    yield {"person": verdict.person, "source": dataset.source, "table": dataset.table, "field": None,
                           "line": number, "entity_type": plan.entity_of(None, kind), "kind": kind,
                           "match": "exact" if exact else "normalised", "strength": verdict.strength,
                           "kinds": sorted(verdict.kinds), "other_fields": {}}


def _verdict_matches(verdicts: list[Verdict], dataset: Any, plan: DatasetPlan, row: dict, where: dict,
                     result: LocateResult, matcher: Matcher) -> list[dict]:
    out = []
    for verdict in verdicts:
        hit_fields = {h.field for h in verdict.hits}
        others = {name: _shown(plan, name, row.get(name)) for name in plan.personal
                  if name not in hit_fields and row.get(name) not in (None, "")}
        for hit in verdict.hits:
            if hit.kind == "name" and hit.part != "full" and "name" not in verdict.kinds:
                continue
            out.append({"person": verdict.person, "source": dataset.source, "table": dataset.table,
                        "field": hit.field, **where, "entity_type": plan.entity_of(hit.field, hit.kind),
                        "kind": hit.kind, "match": "exact" if hit.exact else "normalised",
                        "strength": verdict.strength, "kinds": sorted(verdict.kinds), "other_fields": others})
    _count_lookalikes(matcher, row, plan, verdicts, result)
    return out


def _count_lookalikes(matcher: Matcher, row: dict, plan: DatasetPlan, verdicts: list[Verdict],
                      result: LocateResult) -> None:
    """Rows a name matched but another identifier contradicted: counted, never listed."""
    reported = {v.person for v in verdicts}
    parts: dict[int, set[str]] = {}
    for name, kinds in plan.fields.items():
        if "name" in kinds and row.get(name) not in (None, ""):
            for person, part in matcher.lookup("name", row[name]):
                parts.setdefault(person, set()).add(part)
    for person, found in parts.items():
        if person not in reported and ("full" in found or {"family", "given"} <= found):
            result.lookalikes[person] = result.lookalikes.get(person, 0) + 1


def _shown(plan: DatasetPlan, name: str, value: Any) -> str | None:
    """A personal value as a report may show it: masked by its entity type; free text only as its size."""
    if value in (None, ""):
        return None
    if name in plan.free_text:
        return f"[{len(str(value))} characters of free text]"
    if name in plan.personal:
        return str(mask(plan.personal[name], str(value)))
    return str(value)


def _safe(items: Iterator[Any], display: str) -> Iterator[Any]:
    """Datasets, with a source's errors turned into failed statuses (the run goes on)."""
    from scanner.sources.base import SourceError

    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001
            yield {"source": display, "table": None, "status": "failed", "reason": scrub(f"{type(exc).__name__}: {exc}")}
            return
        if isinstance(item, SourceError):
            yield {"source": item.source, "table": item.table, "status": getattr(item, "status", "failed"),
                   "reason": scrub(item.message), "kind": item.kind}
        else:
            yield item


def _configs(options: LocateOptions) -> tuple[Any, Any]:
    """The inventory (and policy) when the run covers the inventory or one was named."""
    if options.targets and options.inventory is None:
        return None, None
    from scanner.policy.config import load_inventory, load_policy

    policy = load_policy(options.policy)
    return load_inventory(options.inventory, policy=policy), policy


def _targets(options: LocateOptions, inventory: Any) -> list[_Target]:
    if options.targets:
        from scanner.sources import describe_target

        return [_Target(t, describe_target(t)) for t in options.targets]
    out = []
    for t in inventory.scan_targets():
        target = as_given(t.target) if t.target else t.target
        out.append(_Target(target, t.display, t.datastore_name, t.error))
    return out


def _declared_paths(inventory: Any) -> dict[str, str]:
    """Resolved file path or shown URL -> datastore, for targets named beside an inventory."""
    out: dict[str, str] = {}
    for t in inventory.scan_targets():
        if t.datastore_name and not t.error:
            out[t.display] = t.datastore_name
            if not is_url(t.target):
                out[os.path.realpath(t.target)] = t.datastore_name
    return out


def _declared_store(paths: dict[str, str], target: _Target, dataset: Any) -> str | None:
    """The inventory datastore a dataset of a named target belongs to (None: undeclared)."""
    if not paths:
        return None
    if is_url(target.target):
        return paths.get(target.display)
    base = target.target if os.path.isdir(target.target) else os.path.dirname(target.target) or "."
    source = dataset.source if os.path.isabs(dataset.source) else os.path.join(base, os.path.basename(dataset.source)
                                                                               if not os.path.isdir(target.target)
                                                                               else dataset.source)
    return paths.get(os.path.realpath(source))


def declared_for(matches: list[dict], sources: list[dict], inventory: Any, policy: Any) -> list[dict[str, Any]]:
    """Purposes, recipient and retention the inventory declares for each place a match is in."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None]] = set()
    for match in matches:
        place = (match["source"], match.get("table"))
        if place in seen:
            continue
        seen.add(place)
        entry: dict[str, Any] = {"source": place[0], "table": place[1], "datastore": match.get("datastore"),
                                 "declared": False, "purposes": [], "recipient": None, "retention": []}
        store = inventory.datastore(match["datastore"]) if inventory is not None and match.get("datastore") else None
        if store is not None:
            relative = None if is_url(place[0]) else os.path.relpath(os.path.abspath(place[0]), inventory.base_dir)
            spec = store.table_spec(place[1], relative)
            if spec is not None:
                entry |= {"declared": True, "purposes": list(spec.purposes), "recipient": spec.recipient,
                          "retention": _retention(policy, spec, {m["entity_type"] for m in matches
                                                                 if (m["source"], m.get("table")) == place})}
        out.append(entry)
    return out


def _retention(policy: Any, spec: Any, entity_types: set[str]) -> list[dict[str, Any]]:
    rules = []
    for category in sorted({policy.category_of(e) for e in entity_types if e}):
        rule = policy.retention.get(category)
        if rule is not None:
            rules.append({"category": category, "days": rule.days, "runs_from": rule.runs_from,
                          "column": spec.date_column(rule.runs_from), "clause": rule.clause})
    return rules


def person_summary(people: list[Person], result: LocateResult) -> list[dict[str, Any]]:
    """Per person: the strongest match, counts, and where."""
    out = []
    for i, person in enumerate(people):
        mine = [m for m in result.matches if m["person"] == i]
        strongest = max((m["strength"] for m in mine), key=lambda s: STRENGTH_ORDER[s], default=None)
        places = sorted({(m["source"], m.get("table") or "") for m in mine})
        out.append({"person": person.label, "strength": strongest, "matches": len(mine),
                    "places": len(places), "lookalikes_excluded": result.lookalikes.get(i, 0),
                    "identifier_kinds": sorted(person.given)})
    return out
