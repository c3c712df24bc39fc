"""Plain terminal rendering of a result: violations first, then findings, errors and the sources.

Everything fits the terminal: the width is the caller's (the CLI passes the
terminal's, $COLUMNS, else 80), and long cells wrap (`fold`) instead of being
cut, so a path or a clause is never lost off the right edge. Fingerprints are
shown (the first 12 characters, enough for `piiscan triage`) and never wrapped,
so they can be copied. The sources line counts how every source ended; the
sources not fully scanned are listed with their reason, because a reviewer
trusts a scan for what it says it did not read. Messages pass the reports'
`redact` too, as a second guard behind the scrubber at the source.
"""

from __future__ import annotations

import shutil
from typing import Any

from scanner.report.redact import redact
from scanner.report.text_table import Column, paragraph, render

FINGERPRINT_SHOWN = 12
WIDE = 120  # narrower terminals get the violations in four columns instead of eight
SOURCE_STATUSES = ("scanned", "partial", "skipped", "failed")
NOT_FULLY_ORDER = {"failed": 0, "partial": 1, "skipped": 2}


def render_table(doc: dict[str, Any], width: int | None = None) -> str:
    """The result as text tables no wider than `width` (default: the terminal's, or $COLUMNS, else 80)."""
    width = width or shutil.get_terminal_size().columns  # honours $COLUMNS, 80 when not a terminal
    out: list[str] = []
    violations = doc.get("violations") or []
    if violations:
        out.append(_violations(violations, width))
    out.append(_findings(doc.get("findings") or [], width))
    errors = doc.get("errors") or []
    if errors:
        rows = [(str(e.get("source") or ""), str(e.get("table") or ""), str(e.get("kind") or ""),
                 redact(str(e.get("message") or ""))) for e in errors]
        out.append(render(f"Errors ({len(errors)})", _plain("source", "table", "kind", "message"), rows, width))
    sources = doc.get("sources")
    if isinstance(sources, list):
        out.extend(_sources(sources, (doc.get("stats") or {}).get("sources"), width))
    stats = doc.get("stats") or {}
    out.append(paragraph(
        f"{stats.get('datasets', 0)} datasets, {stats.get('rows_scanned', 0):,} rows, "
        f"{stats.get('cells_scanned', 0):,} cells in {stats.get('seconds', 0):.2f}s; "
        f"{stats.get('files_skipped_binary', 0)} binary files skipped", width))
    return "\n".join(out).rstrip()


def _plain(*headers: str) -> list[Column]:
    return [Column(h) for h in headers]


def _violations(violations: list[dict[str, Any]], width: int) -> str:
    """One row per violation; under WIDE columns the codes stack in fewer columns, so nothing is cut."""
    wide = width >= WIDE
    headers = ("severity", "kind", "where", "entity", "count", "clause", "status") if wide else (
        "severity / kind / status", "where / entity / clause", "count")
    columns = [Column(h, justify="right" if h == "count" else "left", ratio=2 if h.startswith(("where", "clause")) else 1)
               for h in headers]
    columns.append(Column("fingerprint", no_wrap=True, min_width=FINGERPRINT_SHOWN))
    rows = []
    for v in violations:
        where = " › ".join(str(p) for p in (v.get("datastore"), v.get("table"), v.get("field")) if p)
        count = f"{v['count']:,}" if isinstance(v.get("count"), int) else str(v.get("count") or "")
        codes = [str(v.get(key) or "") for key in ("severity", "kind", "entity_type", "clause", "status")]
        fingerprint = str(v.get("fingerprint") or "")[:FINGERPRINT_SHOWN]
        if wide:
            rows.append((codes[0], codes[1], where, codes[2], count, codes[3], codes[4], fingerprint))
        else:
            rows.append(("\n".join(c for c in (codes[0], codes[1], codes[4]) if c),
                         "\n".join(c for c in (where, codes[2], codes[3]) if c), count, fingerprint))
    return render(f"Violations ({len(violations)})", columns, rows, width, show_lines=not wide)


def _findings(findings: list[dict[str, Any]], width: int) -> str:
    rows = []
    for f in findings:
        where = f.get("field") or _lines(f.get("lines"))
        rows.append((str(f.get("source") or ""), str(f.get("table") or ""), where, str(f.get("entity_type") or ""),
                     ("≈" if f.get("count_estimated") else "") + str(f.get("count", 0)), str(f.get("sampled", 0)),
                     f"{f.get('confidence', 0):.2f}", ", ".join(f.get("examples") or [])))
    columns = _plain("source", "table", "field / lines", "entity", "count", "sampled", "conf", "examples (masked)")
    return render(f"Findings ({len(findings)})", columns, rows, width)


def _sources(sources: list[Any], counts: Any, width: int) -> list[str]:
    entries = [s for s in sources if isinstance(s, dict)]
    if not isinstance(counts, dict):
        counts = {status: sum(1 for s in entries if s.get("status") == status) for status in SOURCE_STATUSES}
    out = [paragraph("Sources: " + ", ".join(f"{counts.get(status, 0):,} {status}" for status in SOURCE_STATUSES),
                     width)]
    not_fully = sorted((s for s in entries if s.get("status") != "scanned"),
                       key=lambda s: NOT_FULLY_ORDER.get(str(s.get("status")), len(NOT_FULLY_ORDER)))
    if not_fully:
        rows = [(str(s.get("source") or ""), str(s.get("table") or ""), str(s.get("status") or ""),
                 str(s.get("reason") or ""), redact(str(s.get("detail") or ""))) for s in not_fully]
        out.append(render(f"Sources not fully scanned ({len(not_fully)})",
                          _plain("source", "table", "status", "reason", "detail"), rows, width))
    return out


def _lines(lines: list[int] | None) -> str:
    if not lines:
        return ""
    shown = ", ".join(str(n) for n in lines[:8])
    return f"lines {shown}{' …' if len(lines) > 8 else ''}"
