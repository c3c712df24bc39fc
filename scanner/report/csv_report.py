"""CSV reports: violations.csv and findings.csv, one row per violation / finding.

Named csv_report so it does not shadow the standard library's `csv` module.
Column names are the stable ids of `scanner.report.view` (the same in every
language, so scripts can rely on them); codes stay codes (`critical`,
`clear_pan`, `PASSPORT_NUMBER`) and each coded column is followed by a
`*_label` column in the report language for people. Files are UTF-8 with a
byte-order mark, which is what makes Excel read Japanese correctly on
double-click, with CRLF line ends as RFC 4180 says.

`--output PATH` for csv: PATH names a directory that receives violations.csv
and findings.csv (and sources.csv when the result lists its sources), unless it
ends in `.csv`, in which case the files are written beside it as
`<stem>.violations.csv`, `<stem>.findings.csv` and `<stem>.sources.csv`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scanner.report.cells import spreadsheet_safe
from scanner.report.coverage import COVERAGE_COLUMNS, Coverage
from scanner.report.output import write_text
from scanner.report.view import FINDING_COLUMNS, VIOLATION_COLUMNS, Column, ReportView, build_view

VIOLATIONS_FILE = "violations.csv"
FINDINGS_FILE = "findings.csv"
SOURCES_FILE = "sources.csv"  # written when the result has a `sources` list


def header(columns: Sequence[Column]) -> list[str]:
    """The stable column names: each column id, plus `<id>_label` after coded columns."""
    names: list[str] = []
    for column in columns:
        names.append(column.key)
        if column.group:
            names.append(f"{column.key}_label")
    return names


def _rows(view: ReportView, rows: Sequence[Any], columns: Sequence[Column]) -> list[list[Any]]:
    table = []
    for row in rows:
        cells: list[Any] = []
        for column in columns:
            value = view.export(row, column)
            cells.append("" if value is None else value)
            if column.group:
                cells.append(view.cell(row, column))
        table.append([spreadsheet_safe(cell) for cell in cells])
    return table


def render_csv(view: ReportView, rows: Sequence[Any], columns: Sequence[Column]) -> str:
    """One CSV document (without BOM: `write_csv` adds it) of `rows` under the stable header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(columns))
    writer.writerows(_rows(view, rows, columns))
    return buffer.getvalue()


def csv_paths(output: Path) -> tuple[Path, Path, Path]:
    """Where `--output PATH` puts (violations, findings, sources); see the module docstring."""
    if output.suffix.lower() == ".csv":
        return (output.with_name(f"{output.stem}.violations.csv"), output.with_name(f"{output.stem}.findings.csv"),
                output.with_name(f"{output.stem}.sources.csv"))
    return output / VIOLATIONS_FILE, output / FINDINGS_FILE, output / SOURCES_FILE


def render_sources_csv(coverage: Coverage) -> str:
    """Every source with its status and reason: codes under the stable ids, then `*_label` columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*COVERAGE_COLUMNS, "status_label", "reason_label"])
    for row in coverage.rows:
        cells = [row.export(key) for key in COVERAGE_COLUMNS] + [row.status_label, row.reason_label]
        writer.writerow([spreadsheet_safe("" if cell is None else cell) for cell in cells])
    return buffer.getvalue()


def write_csv(result: dict[str, Any], output: Path, lang: str) -> list[Path]:
    """Write violations and findings CSVs for `result` (see `csv_paths` for where)."""
    view = build_view(result, lang)
    violations_path, findings_path, sources_path = csv_paths(output)
    written = [
        write_text(violations_path, render_csv(view, view.violations, VIOLATION_COLUMNS), encoding="utf-8-sig"),
        write_text(findings_path, render_csv(view, view.findings, FINDING_COLUMNS), encoding="utf-8-sig"),
    ]
    if view.coverage is not None:
        written.append(write_text(sources_path, render_sources_csv(view.coverage), encoding="utf-8-sig"))
    return written
