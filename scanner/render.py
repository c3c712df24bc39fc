"""Plain terminal rendering of a result: violations first, then findings, errors and the sources.

Everything fits the terminal: the width is the caller's (the CLI passes the
terminal's) or rich's own guess, and long cells wrap (`fold`) instead of being
cut, so a path or a clause is never lost off the right edge. Fingerprints are
shown (the first 12 characters, enough for `piiscan triage`) and never wrapped,
so they can be copied. The sources line counts how every source ended; the
sources not fully scanned are listed with their reason, because a reviewer
trusts a scan for what it says it did not read. Messages pass the reports'
`redact` too, as a second guard behind the scrubber at the source.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table

from scanner.report.redact import redact

FINGERPRINT_SHOWN = 12
WIDE = 120  # narrower terminals get the violations in four columns instead of eight
SOURCE_STATUSES = ("scanned", "partial", "skipped", "failed")
NOT_FULLY_ORDER = {"failed": 0, "partial": 1, "skipped": 2}


def render_table(doc: dict[str, Any], width: int | None = None) -> str:
    """The result as text tables no wider than `width` (default: the terminal's, as rich sees it)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width or Console().width, force_terminal=False, color_system=None,
                      soft_wrap=False)
    violations = doc.get("violations") or []
    if violations:
        console.print(_violations(violations, console.width))
    findings = doc.get("findings") or []
    console.print(_findings(findings))
    errors = doc.get("errors") or []
    if errors:
        table = _table(f"Errors ({len(errors)})", ("source", "table", "kind", "message"))
        for e in errors:
            table.add_row(str(e.get("source") or ""), str(e.get("table") or ""), str(e.get("kind") or ""),
                          redact(str(e.get("message") or "")))
        console.print(table)
    sources = doc.get("sources")
    if isinstance(sources, list):
        _print_sources(console, sources, (doc.get("stats") or {}).get("sources"))
    stats = doc.get("stats") or {}
    console.print(
        f"{stats.get('datasets', 0)} datasets, {stats.get('rows_scanned', 0):,} rows, "
        f"{stats.get('cells_scanned', 0):,} cells in {stats.get('seconds', 0):.2f}s; "
        f"{stats.get('files_skipped_binary', 0)} binary files skipped"
    )
    return buffer.getvalue().rstrip()


def _table(title: str, columns: tuple[str, ...]) -> Table:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _violations(violations: list[dict[str, Any]], width: int) -> Table:
    """One row per violation; under WIDE columns the codes stack in fewer columns, so nothing is cut."""
    table = Table(title=f"Violations ({len(violations)})", show_lines=width < WIDE)
    wide = width >= WIDE
    columns = ("severity", "kind", "where", "entity", "count", "clause", "status") if wide else (
        "severity / kind / status", "where / entity / clause", "count")
    for column in columns:
        table.add_column(column, overflow="fold", justify="right" if column == "count" else "left",
                         ratio=2 if column.startswith(("where", "clause")) else 1)
    table.add_column("fingerprint", no_wrap=True, min_width=FINGERPRINT_SHOWN)
    for v in violations:
        where = " › ".join(str(p) for p in (v.get("datastore"), v.get("table"), v.get("field")) if p)
        count = f"{v['count']:,}" if isinstance(v.get("count"), int) else str(v.get("count") or "")
        codes = [str(v.get(key) or "") for key in ("severity", "kind", "entity_type", "clause", "status")]
        fingerprint = str(v.get("fingerprint") or "")[:FINGERPRINT_SHOWN]
        if wide:
            table.add_row(codes[0], codes[1], where, codes[2], count, codes[3], codes[4], fingerprint)
        else:
            table.add_row("\n".join(c for c in (codes[0], codes[1], codes[4]) if c),
                          "\n".join(c for c in (where, codes[2], codes[3]) if c), count, fingerprint)
    return table


def _findings(findings: list[dict[str, Any]]) -> Table:
    table = _table(f"Findings ({len(findings)})",
                   ("source", "table", "field / lines", "entity", "count", "sampled", "conf", "examples (masked)"))
    for f in findings:
        where = f.get("field") or _lines(f.get("lines"))
        table.add_row(str(f.get("source") or ""), str(f.get("table") or ""), where, str(f.get("entity_type") or ""),
                      ("≈" if f.get("count_estimated") else "") + str(f.get("count", 0)), str(f.get("sampled", 0)),
                      f"{f.get('confidence', 0):.2f}", ", ".join(f.get("examples") or []))
    return table


def _print_sources(console: Console, sources: list[Any], counts: Any) -> None:
    entries = [s for s in sources if isinstance(s, dict)]
    if not isinstance(counts, dict):
        counts = {status: sum(1 for s in entries if s.get("status") == status) for status in SOURCE_STATUSES}
    console.print("Sources: " + ", ".join(f"{counts.get(status, 0):,} {status}" for status in SOURCE_STATUSES))
    not_fully = sorted((s for s in entries if s.get("status") != "scanned"),
                       key=lambda s: NOT_FULLY_ORDER.get(str(s.get("status")), len(NOT_FULLY_ORDER)))
    if not not_fully:
        return
    table = _table(f"Sources not fully scanned ({len(not_fully)})", ("source", "table", "status", "reason", "detail"))
    for s in not_fully:
        table.add_row(str(s.get("source") or ""), str(s.get("table") or ""), str(s.get("status") or ""),
                      str(s.get("reason") or ""), redact(str(s.get("detail") or "")))
    console.print(table)


def _lines(lines: list[int] | None) -> str:
    if not lines:
        return ""
    shown = ", ".join(str(n) for n in lines[:8])
    return f"lines {shown}{' …' if len(lines) > 8 else ''}"
