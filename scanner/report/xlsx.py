"""The Excel workbook: a summary sheet and one sheet per table.

Written with openpyxl. Each table sheet has a bold frozen header row, an
AutoFilter over the whole table and column widths measured in display cells
(a kanji is two), and uses a Japanese UI font when the report is Japanese so
the text is readable in Excel without the reviewer changing anything. Values
stay typed (counts are numbers, so they sort and sum), and text that Excel
would run as a formula (a field named `=HYPERLINK(...)`) is stored as text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scanner.report.coverage import COVERAGE_COLUMNS
from scanner.report.output import write_atomic
from scanner.report.view import (
    ERROR_COLUMNS,
    FINDING_COLUMNS,
    IMPACT_COLUMNS,
    VIOLATION_COLUMNS,
    Column,
    ReportView,
    build_view,
)

FONTS = {"ja": "Yu Gothic", "en": "Calibri"}
SEVERITY_FILLS = {"critical": "FEE4E2", "high": "FEEFC6", "medium": "FEF7C3", "low": "E0ECFB"}
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
MIN_WIDTH, MAX_WIDTH, WIDE_WIDTH = 8, 48, 60

# Sheet names: Excel allows 31 characters and no []:*?/\ ; these are fixed, per language.
SHEETS = {
    "en": {"summary": "Summary", "violations": "Violations", "findings": "Findings", "impact": "Impact",
           "errors": "Errors", "sources": "Sources"},
    "ja": {"summary": "概要", "violations": "違反", "findings": "検出", "impact": "漏えい影響", "errors": "エラー",
           "sources": "ソース"},
}


def display_width(text: str) -> int:
    """Width in Excel character cells: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _append(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Append a row; text that looks like a formula is stored as text, never evaluated."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _cell_value(view: ReportView, row: Any, column: Column) -> Any:
    if column.group or isinstance(getattr(row, column.key), bool):
        return view.cell(row, column)  # labels in the reader's language; codes are in the CSV
    value = view.export(row, column)
    return "" if value is None else value


def _write_table(sheet: Worksheet, view: ReportView, rows: Sequence[Any], columns: Sequence[Column]) -> None:
    font = Font(name=FONTS[view.lang])
    header_font = Font(name=FONTS[view.lang], bold=True, color="FFFFFF")
    sheet.append([view.labels.column(c.key) for c in columns])
    for cell in sheet[1]:
        cell.font, cell.fill = header_font, HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    widths = [display_width(view.labels.column(c.key)) + 3 for c in columns]  # room for the filter button
    severity_index = next((i for i, c in enumerate(columns) if c.key == "severity"), None)
    for row in rows:
        values = [_cell_value(view, row, column) for column in columns]
        _append(sheet, values)
        excel_row = sheet.max_row
        for index, (column, value) in enumerate(zip(columns, values, strict=True)):
            cell = sheet.cell(row=excel_row, column=index + 1)
            cell.font = font
            if column.wide:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")
            if column.key == "confidence":
                cell.number_format = "0.00"
            elif column.numeric:
                cell.number_format = "#,##0"
            widths[index] = max(widths[index], display_width(str(value)))
        if severity_index is not None:
            fill = SEVERITY_FILLS.get(getattr(row, "severity", ""))
            if fill:
                sheet.cell(row=excel_row, column=severity_index + 1).fill = PatternFill("solid", fgColor=fill)
    for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
        limit = WIDE_WIDTH if column.wide else MAX_WIDTH
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(MIN_WIDTH, min(width + 2, limit))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"


def _write_summary(sheet: Worksheet, view: ReportView) -> None:
    labels = view.labels
    font = Font(name=FONTS[view.lang])
    bold = Font(name=FONTS[view.lang], bold=True)
    title = Font(name=FONTS[view.lang], bold=True, size=14)
    sheet.append([labels.text("title")])
    sheet["A1"].font = title
    meta = [
        (labels.text("targets"), ", ".join(view.targets)),
        (labels.text("started"), view.started_at or ""),
        (labels.text("finished"), view.finished_at or ""),
        (labels.text("run"), view.run_id or ""),
        (labels.text("previous_run"), view.previous_run_id or ""),
        (labels.text("tool"), f"piiscan {view.tool_version}"),
        (labels.text("schema"), view.schema_version),
    ]
    sections: list[tuple[str, list[tuple[str, Any]]]] = [
        ("", meta),
        (labels.text("summary"), [(card.label, card.number if card.number is not None else card.value)
                                  for card in view.cards]),
        (labels.text("by_severity"), [(bar.label, bar.value) for bar in view.by_severity]),
        (labels.text("by_category"), [(bar.label, bar.value) for bar in view.by_category]),
        (labels.text("by_datastore"), [(bar.label, bar.value) for bar in view.by_datastore]),
    ]
    if view.diff is not None:
        sections.append((labels.text("since_last_run"),
                         [(labels.code("status", code), n) for code, n in view.diff.items()]))
    if view.coverage is not None:
        sections.append((view.coverage.text("counts"),
                         [(label, count) for _, label, count in view.coverage.counts]))
    sections.append((labels.text("stats"), [(label, "" if number is None else number)
                                            for label, number in view.stat_numbers]))
    for heading, pairs in sections:
        sheet.append([])
        if heading:
            sheet.append([heading])
            sheet.cell(row=sheet.max_row, column=1).font = bold
        for key, value in pairs:
            _append(sheet, [key, value])  # numbers stay numbers, so they sort, sum and chart
            for cell in sheet[sheet.max_row]:
                cell.font = font
            value_cell = sheet.cell(row=sheet.max_row, column=2)
            if isinstance(value, float):
                value_cell.number_format = "#,##0.00"
            elif isinstance(value, int):
                value_cell.number_format = "#,##0"
    sheet.append([])
    sheet.append([labels.text("masked_note")])
    width_a = max((display_width(str(c.value or "")) for c in sheet["A"][1:]), default=10)
    sheet.column_dimensions["A"].width = min(max(width_a + 2, 16), 50)
    sheet.column_dimensions["B"].width = 60


def _write_sources(sheet: Worksheet, view: ReportView) -> None:
    """Every source the scan met, the ones not fully scanned first, with status and reason labelled."""
    coverage = view.coverage
    assert coverage is not None
    font = Font(name=FONTS[view.lang])
    header_font = Font(name=FONTS[view.lang], bold=True, color="FFFFFF")
    sheet.append([coverage.column(key) for key in COVERAGE_COLUMNS])
    for cell in sheet[1]:
        cell.font, cell.fill = header_font, HEADER_FILL
    scanned = [row for row in coverage.rows if row.status == "scanned"]
    widths = [display_width(coverage.column(key)) + 3 for key in COVERAGE_COLUMNS]
    for row in (*coverage.not_fully, *scanned):
        values = [row.export(key) if key in ("rows", "bytes") else row.shown(key) for key in COVERAGE_COLUMNS]
        _append(sheet, ["" if value is None else value for value in values])
        for index, cell in enumerate(sheet[sheet.max_row]):
            cell.font = font
            cell.alignment = Alignment(vertical="top", wrap_text=COVERAGE_COLUMNS[index] == "detail")
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
            widths[index] = max(widths[index], display_width(str(cell.value or "")))
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(MIN_WIDTH, min(width + 2, MAX_WIDTH))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COVERAGE_COLUMNS))}{max(sheet.max_row, 1)}"


def build_workbook(view: ReportView) -> Workbook:
    """The workbook for `view` (not yet saved)."""
    names = SHEETS[view.lang]
    workbook = Workbook()
    summary = workbook.active
    summary.title = names["summary"]
    _write_summary(summary, view)
    for key, rows, columns in (
        ("violations", view.violations, VIOLATION_COLUMNS),
        ("findings", view.findings, FINDING_COLUMNS),
        ("impact", view.impact, IMPACT_COLUMNS),
        ("errors", view.errors, ERROR_COLUMNS),
    ):
        _write_table(workbook.create_sheet(names[key]), view, rows, columns)
    if view.coverage is not None:
        _write_sources(workbook.create_sheet(names["sources"]), view)
    workbook.properties.title = view.labels.text("title")
    workbook.properties.creator = f"piiscan {view.tool_version}"
    return workbook


def write_xlsx(result: dict[str, Any], output: Path, lang: str) -> list[Path]:
    """Write the workbook of `result` to `output`."""
    workbook = build_workbook(build_view(result, lang))
    return [write_atomic(output, lambda tmp: workbook.save(tmp))]
