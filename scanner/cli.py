"""The `piiscan` command line: parse, call, print. No logic lives here."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from scanner import __version__
from scanner.configfiles import ConfigError
from scanner.logs import setup_logging
from scanner.severity import SEVERITIES, at_or_above


class ConfigProblem(click.ClickException):
    """A broken config file or bad usage: one clear line, exit code 2."""

    exit_code = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="piiscan")
def cli() -> None:
    """Find personal data in files and databases, check it against the privacy policy, report it."""


@cli.command()
@click.argument("targets", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the result here instead of stdout.")
@click.option("--sample", "sample_rows", type=click.IntRange(min=1), help="Rows sampled per table (default: configs/detection.yaml).")
@click.option("--full", is_flag=True, help="Scan every row instead of a sample.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Columns scanned in parallel (default: the number of cores, at most 4).")
@click.option("--processes", "-p", type=click.IntRange(min=1), default=1, show_default=True,
              help="Files and tables scanned at once, each in its own worker process: pays on estates of "
                   "many datasets and machines with many cores.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="spark: run the recognizers inside Spark (pip install -e '.[spark]') for Parquet, CSV and JDBC.")
@click.option("--include", multiple=True, help="Glob of files to scan, relative to a scanned directory (repeatable).")
@click.option("--exclude", multiple=True, help="Glob of files to skip (repeatable).")
@click.option("--inventory", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Inventory to scan and evaluate (default when no TARGET: configs/inventory.yaml).")
@click.option("--policy", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Policy file (default: configs/policy.yaml).")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path), help="Write every report format into this folder.")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Report language (default: from the locale).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Exit 1 when a violation at or above this severity is found.")
@click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when stderr is a terminal).")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False), default="WARNING", show_default=True)
def scan(targets, fmt, output, sample_rows, full, jobs, processes, engine, include, exclude, inventory, policy, report_dir, lang, fail_on,
         progress, log_level) -> None:
    """Scan TARGETS (directories, files, database URLs); with none, scan the inventory.

    Exit codes: 0 the scan ran (findings and per-source errors are in the result);
    1 a violation at or above --fail-on was found; 2 bad usage or a broken config.
    """
    from scanner.pipeline import ScanOptions, default_jobs, run_scan, scan_inventory
    from scanner.render import render_table

    setup_logging(log_level)
    options = ScanOptions(sample_rows=sample_rows, full=full, jobs=jobs or default_jobs(), processes=processes,
                          include=list(include), exclude=list(exclude),
                          progress=sys.stderr.isatty() if progress is None else progress)
    try:
        with _progress(options.progress) as on_dataset:
            if engine == "spark":
                if not targets:
                    raise click.UsageError("--engine spark needs TARGETs (it does not scan the inventory)")
                from scanner.engines.spark import run_spark_scan

                result = run_spark_scan(list(targets), options)
            elif targets and inventory is None:
                result = run_scan(list(targets), options, on_dataset=on_dataset)
            else:
                result = scan_inventory(inventory, policy, options, on_dataset=on_dataset)
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from None
    doc = result.to_dict()
    if report_dir is not None:
        from scanner.report import ReportError, write_all_reports

        try:
            write_all_reports(doc, report_dir, lang)
        except ReportError as exc:
            raise click.ClickException(str(exc)) from None
    text = json.dumps(doc, ensure_ascii=False, indent=2) if fmt == "json" else render_table(doc)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)
    if fail_on and any(at_or_above(v.get("severity"), fail_on) for v in doc.get("violations", [])):
        sys.exit(1)


@contextmanager
def _progress(enabled: bool):
    """A spinner on stderr naming the dataset being scanned (datasets are discovered lazily)."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} datasets"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("scanning", total=None)

        def on_dataset(dataset) -> None:
            where = dataset.source + (f" [{dataset.table}]" if dataset.table else "")
            bar.update(task, description=f"scanning {where}", advance=1)

        yield on_dataset


def _register_commands() -> None:
    """One line per command group that lives with its own feature."""
    from scanner.policy.commands import policy
    from scanner.report.commands import report
    from scanner.state.commands import nightly, triage

    cli.add_command(policy)
    cli.add_command(report)
    cli.add_command(nightly)
    cli.add_command(triage)


_register_commands()


def main() -> None:
    try:
        cli(standalone_mode=True)
    except ConfigError as exc:  # pragma: no cover - commands convert these themselves
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
