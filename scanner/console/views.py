"""The data behind each page and API answer, computed once for both (no HTTP here).

Each function takes the console and plain parameters and returns JSON-ready
dicts; the page routes render them with a template and the API routes return
them as they are, so a dashboard reads exactly what a reviewer sees.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from scanner.console import queries
from scanner.console.core import Console
from scanner.console.queries import Filters
from scanner.state.diff import FINDING, VIOLATION
from scanner.state.store import RunInfo

LIST_LIMIT = 1000


def pick_run(console: Console, run_id: Any) -> RunInfo | None:
    """`?run=N` when given and known, else the newest complete run."""
    try:
        wanted = int(run_id) if run_id not in (None, "") else None
    except (TypeError, ValueError):
        wanted = None
    if wanted is not None:
        return console.store.run(wanted)
    return queries.latest_run(console.store)


def runs(console: Console, limit: int = 200) -> list[dict[str, Any]]:
    return [queries.run_dict(run) for run in reversed(console.store.runs()[-limit:])]


def pending(decision: dict[str, Any], status: str | None) -> bool:
    """A decision in force that the run did not report yet: made (or put in the reviewed file) after
    the run read the decisions; the next run applies it. Judged by the outcome, not by clocks."""
    return not decision.get("expired") and status is not None and status not in (decision["status"], "fixed")


def _annotate(console: Console, items: list[dict[str, Any]], run: RunInfo) -> list[dict[str, Any]]:
    """Add each item's decision in force, and whether this run has yet to apply it (pending)."""
    reviewed = queries.reviewed_triage(console.config.triage_file, run.inventory)
    effective = queries.effective(console.store, reviewed)
    today = datetime.now(timezone.utc).date()
    for item in items:
        entry = effective.get(item["fingerprint"])
        decision = queries.decision_dict(entry, today)
        if decision is not None:
            decision["reviewed_file"] = item["fingerprint"] in reviewed.entries
            decision["pending"] = pending(decision, item["status"])
        item["decision"] = decision
    return items


def page_bounds(offset: Any, limit: Any) -> tuple[int, int]:
    """`?offset=&limit=` as numbers: offset >= 0, 1 <= limit <= LIST_LIMIT (default LIST_LIMIT)."""
    def number(value: Any, default: int) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return default
    return max(number(offset, 0), 0), min(max(number(limit, LIST_LIMIT), 1), LIST_LIMIT)


def items(console: Console, item_type: str, run: RunInfo, filters: Filters, offset: int = 0,
          limit: int = LIST_LIMIT) -> dict[str, Any]:
    everything = queries.run_items(console.store, run.id, item_type)
    chosen = [item for item in everything if filters.match(item)]
    shown = _annotate(console, chosen[offset:offset + limit], run)
    return {"run": queries.run_dict(run), "filters": filters.as_dict(), "total": len(chosen), "offset": offset,
            "limit": limit, "choices": queries.choices(everything), "items": shown}


def violations(console: Console, run: RunInfo, filters: Filters, offset: int = 0,
               limit: int = LIST_LIMIT) -> dict[str, Any]:
    return items(console, VIOLATION, run, filters, offset, limit)


def findings(console: Console, run: RunInfo, filters: Filters, offset: int = 0,
             limit: int = LIST_LIMIT) -> dict[str, Any]:
    return items(console, FINDING, run, filters, offset, limit)


def diff(console: Console, run: RunInfo) -> dict[str, Any]:
    groups = queries.diff_groups(console.store, run.id)
    for group in groups.values():
        _annotate(console, group, run)
    previous = queries.previous_complete(console.store, run)
    return {"run": queries.run_dict(run), "previous_run_id": previous.id if previous else None,
            "counts": {status: len(group) for status, group in groups.items()}, "items": groups}


def trend(console: Console, inventory: str | None) -> dict[str, Any]:
    run = queries.latest_run(console.store, inventory)
    if run is None:
        return {"inventory": inventory, "points": []}
    return {"inventory": run.inventory, "points": queries.trend(console.store, run.inventory)}


def item(console: Console, fingerprint: str) -> dict[str, Any] | None:
    rows = queries.item_rows(console.store, fingerprint)
    if not rows:
        return None
    row = next((r for r in rows if r["item_type"] == VIOLATION), rows[0])
    reviewed = queries.reviewed_triage(console.config.triage_file, row["inventory"])
    entry = queries.effective(console.store, reviewed).get(fingerprint)
    today = datetime.now(timezone.utc).date()
    decision = queries.decision_dict(entry, today)
    history = queries.item_history(console.store, fingerprint)
    if decision is not None:
        decision["reviewed_file"] = fingerprint in reviewed.entries
        decision["pending"] = pending(decision, history[0]["status"] if history else None)
    return {"fingerprint": fingerprint, "item_type": row["item_type"], "inventory": row["inventory"],
            "kind": row["kind"], "severity": row["severity"], "datastore": row["datastore"],
            "table": row["table_name"], "field": row["field"], "entity_type": row["entity_type"],
            "first_seen_at": row["first_seen_at"], "last_seen_at": row["last_seen_at"],
            "status": history[0]["status"] if history else row["status"], "data": row["data"] or {},
            "decision": decision, "decisions": queries.decisions(console.store, fingerprint), "history": history,
            "reviewed_file": str(reviewed.path) if reviewed.path else None,
            "reviewed_holds": fingerprint in reviewed.entries, "reviewed_error": reviewed.error}


def impact(console: Console, run: RunInfo) -> dict[str, Any]:
    context = queries.run_context(console.store, run.id) or {}
    return {"run": queries.run_dict(run), "recorded": "impact" in context, "impact": context.get("impact") or [],
            "stats": context.get("stats")}


def datastores(console: Console, run: RunInfo) -> dict[str, Any]:
    context = queries.run_context(console.store, run.id) or {}
    return {"run": queries.run_dict(run), "recorded": context.get("datastores") is not None,
            "note": context.get("datastores_note"), "datastores": context.get("datastores") or []}
