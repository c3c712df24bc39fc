"""Plain terminal rendering of a result (violations first, then findings, then errors)."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table


def render_table(doc: dict[str, Any], width: int = 160) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    violations = doc.get("violations") or []
    if violations:
        table = Table(title=f"Violations ({len(violations)})", show_lines=False)
        for column in ("severity", "kind", "datastore", "table", "field", "entity", "count", "clause", "status"):
            table.add_column(column)
        for v in violations:
            table.add_row(v.get("severity", ""), v.get("kind", ""), str(v.get("datastore") or ""), str(v.get("table") or ""),
                          str(v.get("field") or ""), v.get("entity_type") or "", str(v.get("count", "")),
                          str(v.get("clause") or ""), str(v.get("status") or ""))
        console.print(table)
    findings = doc.get("findings") or []
    table = Table(title=f"Findings ({len(findings)})")
    for column in ("source", "table", "field / lines", "entity", "count", "sampled", "conf", "examples (masked)"):
        table.add_column(column, overflow="fold")
    for f in findings:
        where = f.get("field") or _lines(f.get("lines"))
        table.add_row(f["source"], f.get("table") or "", where, f["entity_type"],
                      ("≈" if f.get("count_estimated") else "") + str(f["count"]), str(f["sampled"]),
                      f"{f['confidence']:.2f}", ", ".join(f.get("examples") or []))
    console.print(table)
    errors = doc.get("errors") or []
    if errors:
        table = Table(title=f"Errors ({len(errors)})")
        for column in ("source", "table", "kind", "message"):
            table.add_column(column, overflow="fold")
        for e in errors:
            table.add_row(e["source"], e.get("table") or "", e.get("kind", ""), e.get("message", ""))
        console.print(table)
    stats = doc.get("stats") or {}
    console.print(
        f"{stats.get('datasets', 0)} datasets, {stats.get('rows_scanned', 0):,} rows, "
        f"{stats.get('cells_scanned', 0):,} cells in {stats.get('seconds', 0):.2f}s; "
        f"{stats.get('files_skipped_binary', 0)} binary files skipped"
    )
    return buffer.getvalue().rstrip()


def _lines(lines: list[int] | None) -> str:
    if not lines:
        return ""
    shown = ", ".join(str(n) for n in lines[:8])
    return f"lines {shown}{' …' if len(lines) > 8 else ''}"
