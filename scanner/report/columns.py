"""The columns every report format draws its tables with, and the scan statistics it shows.

One list per table, so the HTML table, the xlsx sheet and the CSV file cannot
drift apart: `key` is the stable id (CSV header, row attribute, label key).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A table column: `key` is the stable id (CSV header, row attribute), `group` the label group of its codes."""

    key: str
    group: str | None = None  # severity | status | kind | entity | category | error_kind
    numeric: bool = False
    wide: bool = False  # free text: wrap rather than widen


VIOLATION_COLUMNS = (
    Column("severity", "severity"),
    Column("status", "status"),
    Column("kind", "kind"),
    Column("datastore"),
    Column("table"),
    Column("field"),
    Column("entity_type", "entity"),
    Column("category", "category"),
    Column("count", numeric=True),
    Column("evidence", wide=True),
    Column("clause"),
    Column("remediation", wide=True),
    Column("fingerprint"),
)
FINDING_COLUMNS = (
    Column("entity_type", "entity"),
    Column("source"),
    Column("table"),
    Column("field"),
    Column("lines"),
    Column("rows"),
    Column("count", numeric=True),
    Column("count_estimated"),
    Column("sampled", numeric=True),
    Column("rows_scanned", numeric=True),
    Column("confidence", numeric=True),
    Column("method"),
    Column("examples", wide=True),
    Column("why", wide=True),
)
IMPACT_COLUMNS = (
    Column("datastore"),
    Column("owner"),
    Column("categories", "category"),
    Column("people_estimate", numeric=True),
    Column("reportable"),
    Column("reasons", wide=True),
)
ERROR_COLUMNS = (
    Column("source"),
    Column("table"),
    Column("error_kind", "error_kind"),
    Column("message", wide=True),
)
STAT_KEYS = (
    ("datasets", "stat_datasets"),
    ("files_scanned", "stat_files"),
    ("files_skipped_binary", "stat_binary"),
    ("rows_scanned", "stat_rows"),
    ("cells_scanned", "stat_cells"),
    ("bytes_read", "stat_bytes"),
    ("seconds", "stat_seconds"),
)
