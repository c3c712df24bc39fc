"""Reports for compliance reviewers: HTML, xlsx, CSV and Markdown, in Japanese or English.

Every format is drawn from one projection of the result (`view.build_view`),
which reads only the documented keys of the result schema and re-masks
anything that looks like a raw identifier, so no format can print what
another would not. One module per format; `FORMATS` maps a format name to its
writer `(result, output, lang) -> [paths written]`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scanner.lazy import entry
from scanner.report.labels import LANGUAGES, default_language
from scanner.report.output import write_text
from scanner.report.redact import redact_value

Writer = Callable[[dict[str, Any], Path, str], list[Path]]

# Format -> its writer, as "module:function" (imported when that format is written: Jinja2 and
# openpyxl stay out of a scan that writes no report), or a callable (`register_format`).
FORMATS: dict[str, Writer | str] = {
    "html": "scanner.report.html:write_html",
    "xlsx": "scanner.report.xlsx:write_xlsx",
    "csv": "scanner.report.csv_report:write_csv",
    "md": "scanner.report.md:write_md",
}

# File names inside a `--report DIR` directory.
REPORT_FILES = {"html": "report.html", "xlsx": "report.xlsx", "md": "report.md"}
RESULT_FILE = "result.json"

__all__ = [
    "FORMATS",
    "LANGUAGES",
    "REPORT_FILES",
    "RESULT_FILE",
    "ReportError",
    "register_format",
    "default_language",
    "write_all_reports",
    "write_report",
]


def _writer(fmt: str) -> Writer:
    return entry(FORMATS, fmt)


def register_format(name: str, writer: Writer, file_name: str | None = None) -> None:
    """Make `name` a report format (`piiscan report --format NAME`); with `file_name`, `--report DIR`
    writes it too. The one registration line a new format needs."""
    FORMATS[name] = writer
    if file_name is not None:
        REPORT_FILES[name] = file_name


class ReportError(ValueError):
    """A report cannot be written as asked (unknown format or language, unwritable path)."""


def _check_language(lang: str | None) -> str:
    lang = lang or default_language()
    if lang not in LANGUAGES:
        raise ReportError(f"unknown report language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    return lang


def write_report(result: dict[str, Any], fmt: str, output: Path, lang: str | None = None) -> list[Path]:
    """Write `result` as `fmt` to `output` in `lang` (default: from the locale); returns the files written.

    csv writes two files: into `output` as a directory (violations.csv,
    findings.csv), or beside it as <stem>.violations.csv / <stem>.findings.csv
    when `output` ends in .csv.
    """
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    lang = _check_language(lang)
    output = Path(output)
    if fmt != "csv" and output.is_dir():
        raise ReportError(f"{output} is a directory; give a file name for the {fmt} report")
    try:
        return _writer(fmt)(result, output, lang)
    except OSError as exc:
        raise ReportError(f"cannot write the {fmt} report to {output}: {exc.strerror or exc}") from exc


def write_all_reports(result: dict[str, Any], directory: Path, lang: str | None = None) -> list[Path]:
    """Write every format plus result.json into `directory` (created if missing); returns the files.

    The files: report.html, report.xlsx, report.md, violations.csv,
    findings.csv, sources.csv (when the result lists its sources) and result.json (the result with any stray raw identifier
    masked, UTF-8, Japanese kept readable).
    """
    lang = _check_language(lang)
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ReportError(f"{directory} exists and is not a directory")
    written: list[Path] = []
    for fmt, name in REPORT_FILES.items():
        written += write_report(result, fmt, directory / name, lang)
    written += write_report(result, "csv", directory, lang)
    text = json.dumps(redact_value(result), ensure_ascii=False, indent=2) + "\n"
    try:
        written.append(write_text(directory / RESULT_FILE, text))
    except OSError as exc:
        raise ReportError(f"cannot write {directory / RESULT_FILE}: {exc.strerror or exc}") from exc
    return written
