"""`piiscan report`: turn a saved result.json into a report a reviewer can open.

Only parsing, calling and printing live here; the writing is in
scanner.report. The result is checked against the published schema first, so
a damaged or foreign file gets a message naming the bad field instead of a
report with holes in it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from scanner.report import FORMATS, LANGUAGES, ReportError, default_language, write_all_reports, write_report
from scanner.schema import ResultSchemaError, validate_result


def load_result(path: Path, validate: bool = True) -> dict[str, Any]:
    """Read and check a result document; raises click.ClickException with a message naming `path`."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        # exc.msg and position only: never echo the document, it may hold anything
        raise click.ClickException(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    if not isinstance(doc, dict):
        raise click.ClickException(f"{path}: not a piiscan result (the top level must be an object)")
    if validate:
        try:
            validate_result(doc)
        except ResultSchemaError as exc:
            raise click.ClickException(f"{path}: {exc}") from exc
    return doc


def default_output(result_path: Path, fmt: str) -> Path:
    """Beside the result: result.html / result.xlsx / result.md, result.*.csv, or a result-report/ folder."""
    if fmt == "all":
        return result_path.with_name(f"{result_path.stem}-report")
    return result_path.with_suffix(f".{fmt}")


@click.command("report")
@click.argument("result_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "all"]), default="html", show_default=True,
              help="Report format; 'all' writes every format and result.json into the --output directory.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="File to write (for csv: a directory, or NAME.csv for NAME.violations.csv and "
                   "NAME.findings.csv). Default: beside RESULT_FILE.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Report language. Default: ja when the locale (or PIISCAN_LANG) is Japanese, else en.")
@click.option("--no-validate", is_flag=True, help="Render even if RESULT_FILE does not match the result schema.")
def report(result_file: Path, fmt: str, output: Path | None, lang: str | None, no_validate: bool) -> None:
    """Write a report (html, xlsx, csv, md) of a scan result saved as JSON."""
    result = load_result(result_file, validate=not no_validate)
    output = output or default_output(result_file, fmt)
    lang = lang or default_language()
    try:
        paths = write_all_reports(result, output, lang) if fmt == "all" else write_report(result, fmt, output, lang)
    except ReportError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in paths:
        click.echo(str(path))
