"""Incremental nightly runs: skip datasets whose signature has not changed since the last run.

The pipeline asks the tracker, for every dataset before it scans it, whether it
is unchanged (files: size, mtime and content hash; tables: row count plus the
newest value of a configured updated-at column), and when it is, takes the
dataset's findings from the previous complete run instead of scanning it. A
signature only counts if the previous run itself recorded it, so a dataset the
previous run could not read is always scanned again.
"""

from __future__ import annotations

from typing import Any

from scanner.state.store import SignatureKey, StateStore, canonical_signature


class ChangeTracker:
    """Answers `unchanged` / `previous_findings` for one run and remembers every signature it saw."""

    def __init__(self, store: StateStore, inventory: str, previous_run_id: int | None, *, full: bool = False):
        self.full = full
        self.previous_run_id = previous_run_id
        use_history = previous_run_id is not None and not full
        self._stored = store.signatures(inventory) if use_history else {}
        self._previous = store.findings_of(previous_run_id) if use_history else {}
        self._seen: dict[SignatureKey, Any] = {}
        self.skipped = 0
        self.scanned = 0

    def unchanged(self, source: str, table: str | None, signature: dict | None) -> bool:
        """True when the dataset may be skipped (its previous findings carry over)."""
        key = (source, table)
        if signature is None:
            self.scanned += 1
            return False
        fresh = canonical_signature(signature)
        self._seen[key] = fresh
        stored = self._stored.get(key)
        same = stored is not None and stored[1] == self.previous_run_id and stored[0] == fresh
        if same:
            self.skipped += 1
        else:
            self.scanned += 1
        return same

    def previous_findings(self, source: str, table: str | None) -> list[dict]:
        """The finding dicts the previous run had for this dataset (masked, as in result.json)."""
        return [dict(doc) for doc in self._previous.get((source, table), [])]

    def signatures(self) -> dict[SignatureKey, Any]:
        """Every signature asked about in this run: stored at the end so the next run can compare."""
        return dict(self._seen)

    def stats(self) -> dict[str, int]:
        return {"skipped": self.skipped, "scanned": self.scanned}
