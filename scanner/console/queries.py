"""What the console reads from the state store: runs, their items, trends, decisions.

Read-only queries over `scanner.state.schema`, shaped for pages and the JSON
API alike (plain dicts, JSON-ready). An item's status on a page is the status
the newest complete run recorded for it (new, open, fixed, accepted...), so
the page and that night's report agree; a decision made since is shown beside
it as pending until the next run applies it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from scanner.state import schema
from scanner.state.diff import VIOLATION
from scanner.state.store import RunInfo, StateStore
from scanner.state.triage import TriageEntry, effective_triage, find_triage_file, load_triage_file

OPEN_STATUSES = ("new", "open")
TREND_RUNS = 60


@dataclass(frozen=True)
class Filters:
    """Filters of the violations and findings lists; empty strings mean 'any'."""

    datastore: str = ""
    severity: str = ""
    kind: str = ""
    entity: str = ""
    status: str = ""

    @classmethod
    def from_params(cls, params: Any) -> Filters:
        return cls(**{f.name: str(params.get(f.name) or "")[:256] for f in fields(cls)})

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def match(self, item: dict[str, Any]) -> bool:
        data = item["data"]
        checks = ((self.datastore, item["datastore"]), (self.severity, item["severity"]),
                  (self.kind, item["kind"]), (self.entity, data.get("entity_type")), (self.status, item["status"]))
        return all(not wanted or wanted == (value or "") for wanted, value in checks)


def run_dict(run: RunInfo) -> dict[str, Any]:
    return {"id": run.id, "inventory": run.inventory, "status": run.status, "started_at": run.started_at,
            "finished_at": run.finished_at, "diff": run.diff or {}, "errors": len(run.errors or []),
            "incremental": run.incremental, "exit_code": run.exit_code, "message": run.message}


def latest_run(store: StateStore, inventory: str | None = None) -> RunInfo | None:
    r = schema.runs
    query = sa.select(r.c.id).where(r.c.status == "complete").order_by(r.c.id.desc()).limit(1)
    if inventory:
        query = query.where(r.c.inventory == inventory)
    with store.engine.connect() as connection:
        run_id = connection.execute(query).scalar()
    return store.run(run_id) if run_id is not None else None


def previous_complete(store: StateStore, run: RunInfo) -> RunInfo | None:
    return store.previous_run(run.inventory, before=run.id)


def run_context(store: StateStore, run_id: int) -> dict[str, Any] | None:
    r = schema.runs
    with store.engine.connect() as connection:
        return connection.execute(sa.select(r.c.context).where(r.c.id == run_id)).scalar()


def run_items(store: StateStore, run_id: int, item_type: str, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Every item a run observed (fixed ones too), newest severity first, filtered."""
    o, i = schema.observations, schema.items
    query = (sa.select(i.c.fingerprint, i.c.kind, i.c.severity, i.c.datastore, i.c.table_name, i.c.field,
                       i.c.entity_type, i.c.first_seen_at, i.c.last_seen_at, o.c.status, o.c.carried, o.c.data)
             .select_from(o.join(i, o.c.item_id == i.c.id))
             .where(o.c.run_id == run_id, i.c.item_type == item_type))
    with store.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    items = [_item(row) for row in rows]
    if filters is not None:
        items = [item for item in items if filters.match(item)]
    return sorted(items, key=_order)


_SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def _order(item: dict[str, Any]) -> tuple[Any, ...]:
    return (_SEVERITY_RANK.get(item["severity"] or "", 9), item["datastore"] or "", item["table"] or "",
            item["field"] or "", item["fingerprint"])


def _item(row: Any) -> dict[str, Any]:
    data = dict(row["data"] or {})
    return {"fingerprint": row["fingerprint"], "status": row["status"], "carried": bool(row["carried"]),
            "kind": row["kind"], "severity": row["severity"] or data.get("severity"),
            "datastore": row["datastore"], "table": row["table_name"], "field": row["field"],
            "entity_type": row["entity_type"], "category": data.get("category"),
            "first_seen_at": row["first_seen_at"], "last_seen_at": row["last_seen_at"], "data": data}


def diff_groups(store: StateStore, run_id: int) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in run_items(store, run_id, VIOLATION):
        groups.setdefault(item["status"], []).append(item)
    return groups


def choices(items: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The values each filter can take in this list (for the filter form's selects)."""
    keys = {"datastore": lambda it: it["datastore"], "severity": lambda it: it["severity"],
            "kind": lambda it: it["kind"], "entity": lambda it: it["data"].get("entity_type"),
            "status": lambda it: it["status"]}
    return {name: sorted({v for v in map(get, items) if v}, key=lambda v: (_SEVERITY_RANK.get(v, 9), v))
            for name, get in keys.items()}


def trend(store: StateStore, inventory: str, limit: int = TREND_RUNS) -> list[dict[str, Any]]:
    """Open (new or open) violations per complete run of one inventory, by severity and by category."""
    r, o, i = schema.runs, schema.observations, schema.items
    with store.engine.connect() as connection:
        runs = connection.execute(
            sa.select(r.c.id, r.c.started_at).where(r.c.inventory == inventory, r.c.status == "complete")
            .order_by(r.c.id.desc()).limit(limit)).all()[::-1]
        if not runs:
            return []
        rows = connection.execute(
            sa.select(o.c.run_id, i.c.severity, o.c.data).select_from(o.join(i, o.c.item_id == i.c.id))
            .where(o.c.run_id.in_([run.id for run in runs]), i.c.item_type == VIOLATION,
                   o.c.status.in_(OPEN_STATUSES))).all()
    severity: dict[int, Counter] = {run.id: Counter() for run in runs}
    category: dict[int, Counter] = {run.id: Counter() for run in runs}
    for row in rows:
        data = row.data or {}
        severity[row.run_id][row.severity or data.get("severity") or "unknown"] += 1
        category[row.run_id][data.get("category") or "unknown"] += 1
    return [{"run_id": run.id, "started_at": run.started_at, "by_severity": dict(severity[run.id]),
             "by_category": dict(category[run.id])} for run in runs]


def item_rows(store: StateStore, fingerprint: str) -> list[dict[str, Any]]:
    i = schema.items
    with store.engine.connect() as connection:
        return [dict(r) for r in connection.execute(i.select().where(i.c.fingerprint == fingerprint)
                                                     .order_by(i.c.id)).mappings()]


def item_history(store: StateStore, fingerprint: str) -> list[dict[str, Any]]:
    """The item's status in each run that observed it, newest first."""
    o, i, r = schema.observations, schema.items, schema.runs
    query = (sa.select(o.c.run_id, r.c.started_at, i.c.item_type, o.c.status, o.c.carried)
             .select_from(o.join(i, o.c.item_id == i.c.id).join(r, o.c.run_id == r.c.id))
             .where(i.c.fingerprint == fingerprint).order_by(o.c.run_id.desc()))
    with store.engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


def decisions(store: StateStore, fingerprint: str) -> list[dict[str, Any]]:
    """Every decision recorded in the store about one fingerprint, newest first."""
    t = schema.triage
    with store.engine.connect() as connection:
        rows = connection.execute(t.select().where(t.c.fingerprint == fingerprint)
                                  .order_by(t.c.id.desc())).mappings().all()
    return [{"status": r["status"], "reason": r["reason"], "by": r["by"], "at": r["created_at"],
             "until": r["until"], "source": r["source"] or "cli"} for r in rows]


@dataclass(frozen=True)
class Reviewed:
    """The reviewed triage file as the console last read it."""

    path: Path | None
    entries: dict[str, TriageEntry]
    error: str | None = None


def reviewed_triage(explicit: Path | None, inventory: str | None) -> Reviewed:
    """configs/triage.yaml (or the file given to `serve`), read fresh so an edit shows at once."""
    inventory_path = Path(inventory) if inventory and Path(inventory).is_file() else None
    path = explicit or find_triage_file(inventory_path)
    if path is None:
        return Reviewed(None, {})
    try:
        return Reviewed(path, {e.fingerprint: e for e in load_triage_file(path)})
    except Exception as exc:  # a broken file is shown, never fatal to the console
        return Reviewed(path, {}, str(exc))


def effective(store: StateStore, reviewed: Reviewed) -> dict[str, TriageEntry]:
    return effective_triage(store.triage_entries(), reviewed.entries.values())


def decision_dict(entry: TriageEntry | None, today: date) -> dict[str, Any] | None:
    return entry.to_dict(today) if entry is not None else None
