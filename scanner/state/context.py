"""What a run keeps beside its items, for the review console: impact, stats, the inventory as it was.

Items hold findings and violations; a reviewer also asks how bad a breach of
each datastore would be and what each datastore is declared for and how long
it may keep data. Those come from the run's result (`impact`, `stats`) and from
the inventory and policy the run used, so they are copied into `runs.context`
when the run completes: the console then shows them as they were that night,
on a machine that has neither the configs nor the data. Never fatal: a snapshot
that cannot be made is recorded as missing with a scrubbed reason. No location
(path or database URL) is copied, only names, purposes and retention.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scanner.detect.masking import scrub

log = logging.getLogger(__name__)


def run_context(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The `runs.context` of a finished run's result document."""
    context: dict[str, Any] = {"impact": list(doc.get("impact") or []), "stats": dict(doc.get("stats") or {})}
    inventory_path = doc.get("inventory")
    if not inventory_path:
        context["datastores"] = None
        context["datastores_note"] = "the run did not name its inventory"
        return context
    try:
        policy_path = doc.get("policy")
        policy_path = str(policy_path) if policy_path and Path(str(policy_path)).is_file() else None
        context["datastores"] = inventory_snapshot(str(inventory_path), policy_path)
    except Exception as exc:  # a snapshot is a convenience: never fail the run for it
        reason = scrub(f"{type(exc).__name__}: {exc}")
        log.warning("no inventory snapshot for the console: %s", reason)
        context["datastores"] = None
        context["datastores_note"] = reason
    return context


def inventory_snapshot(inventory_path: str, policy_path: str | None = None) -> list[dict[str, Any]]:
    """Each datastore's owner, description and, per table, purposes, recipient and the retention that applies.

    A policy retention rule applies to a table when the table names a column for
    the rule's date (`dates`, or `retention_date` for all of them).
    """
    from scanner.policy.config import load_inventory, load_policy

    policy = load_policy(policy_path)
    inventory = load_inventory(inventory_path, policy=policy)
    stores = []
    for store in inventory.datastores:
        tables = []
        for spec in store.tables:
            retention = []
            for category, rule in sorted(policy.retention.items()):
                column = spec.date_column(rule.runs_from)
                if column:
                    retention.append({"category": category, "days": rule.days, "runs_from": rule.runs_from,
                                      "column": column, "clause": rule.clause})
            tables.append({"name": spec.name, "sheet": spec.sheet, "description": spec.description,
                           "purposes": list(spec.purposes), "recipient": spec.recipient, "retention": retention})
        stores.append({"name": store.name, "description": store.description, "owner": store.owner,
                       "kind": store.kind, "tables": tables})
    return stores
