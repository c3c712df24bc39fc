"""What the scan covered: the result's `sources` list projected for every report format.

A compliance reviewer trusts a scan for what it says it did not read, so every
format shows the same two things: how many sources ended in each status
(scanned, partial, skipped, failed) and every source that was not fully
scanned, with its reason. The counts come from `stats.sources` when the result
has them, else from the list. A result older than the `sources` list (no key)
gets no section at all rather than a misleading "0 failed".

Like `view`, this reads only documented keys, one `.get` at a time, and passes
every string through `redact`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.report.redact import redact
from scanner.report.wording import (
    NOT_FULLY_SCANNED_ORDER,
    SOURCE_STATUSES,
    source_reason,
    source_status,
    sources_column,
    sources_text,
)

COVERAGE_COLUMNS = ("source", "table", "status", "reason", "detail", "rows", "bytes", "datastore")


@dataclass(frozen=True)
class SourceRow:
    """One source that was not fully scanned (or, in CSV, any source)."""

    source: str
    table: str | None
    status: str
    status_label: str
    reason: str | None
    reason_label: str
    detail: str | None
    rows: int | None
    bytes: int | None
    datastore: str | None

    def export(self, key: str) -> Any:
        """The machine value of one column (codes, not labels)."""
        return getattr(self, key)

    def shown(self, key: str) -> str:
        """The printable text of one column (labels in the report's language)."""
        if key == "status":
            return self.status_label
        if key == "reason":
            return self.reason_label
        value = getattr(self, key)
        if value is None:
            return ""
        return f"{value:,}" if isinstance(value, int) else str(value)


@dataclass(frozen=True)
class Coverage:
    lang: str
    counts: tuple[tuple[str, str, int], ...]  # (status code, label, number) in SOURCE_STATUSES order
    not_fully: tuple[SourceRow, ...]  # failed, partial, skipped; each in the order the scan met them
    rows: tuple[SourceRow, ...]  # every source, in the order the scan met them

    @property
    def total(self) -> int:
        return sum(n for _, _, n in self.counts)

    def text(self, key: str) -> str:
        return sources_text(self.lang, key)

    def column(self, key: str) -> str:
        return sources_column(self.lang, key)

    def summary(self) -> str:
        """One line: 'Scanned 12 · Partly scanned 1 · Skipped 3 · Failed 0'."""
        return " · ".join(f"{label} {n:,}" for _, label, n in self.counts)


def _text(mapping: Mapping[str, Any], key: str) -> str | None:
    value = mapping.get(key)
    return None if value is None or value == "" else redact(str(value))


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return max(int(value), 0)


def _row(item: Mapping[str, Any], lang: str) -> SourceRow:
    status = _text(item, "status") or "failed"
    reason = _text(item, "reason")
    return SourceRow(
        source=_text(item, "source") or "",
        table=_text(item, "table"),
        status=status,
        status_label=source_status(lang, status),
        reason=reason,
        reason_label=source_reason(lang, reason),
        detail=_text(item, "detail"),
        rows=_count(item.get("rows")),
        bytes=_count(item.get("bytes")),
        datastore=_text(item, "datastore"),
    )


def build_coverage(result: Mapping[str, Any], lang: str) -> Coverage | None:
    """The sources section of `result` in `lang`; None when the result has no `sources` list."""
    raw = result.get("sources")
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return None
    rows = tuple(_row(item, lang) for item in raw if isinstance(item, Mapping))
    stats = result.get("stats") if isinstance(result.get("stats"), Mapping) else {}
    published = stats.get("sources") if isinstance(stats.get("sources"), Mapping) else None
    codes = list(SOURCE_STATUSES) + sorted({r.status for r in rows}.difference(SOURCE_STATUSES))
    counts = []
    for code in codes:
        number = _count(published.get(code)) if published is not None else None
        if number is None:
            number = sum(1 for r in rows if r.status == code)
        counts.append((code, source_status(lang, code), number))
    order = {code: i for i, code in enumerate(NOT_FULLY_SCANNED_ORDER)}
    not_fully = sorted((r for r in rows if r.status != "scanned"), key=lambda r: order.get(r.status, len(order)))
    return Coverage(lang, tuple(counts), tuple(not_fully), rows)
