"""The `piiscan` command line: parse, call, print. No logic lives here."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from scanner import __version__
from scanner.configfiles import ConfigError
from scanner.severity import SEVERITIES, at_or_above

# Commands that live with their feature, as "module:object" and their one-line help: a command's
# module (and Presidio, SQLAlchemy, Starlette behind it) is imported only when that command runs,
# so `piiscan --help` and `piiscan scan` pay for nothing they do not use. One line per command.
FEATURE_COMMANDS: dict[str, tuple[str, str]] = {
    "policy": ("scanner.policy.commands:policy", "Check and explain the policy and the inventory."),
    "report": ("scanner.report.commands:report", "Write a report (html, xlsx, csv, md) of a scan result saved as JSON."),
    "nightly": ("scanner.state.commands:nightly", "Scan the inventory, diff against the last run, write dated reports."),
    "triage": ("scanner.state.commands:triage", "Record a decision about the violation FINGERPRINT."),
    "locate": ("scanner.locate.commands:locate", "Find every place a person's data is held (policy §3 requests)."),
    "serve": ("scanner.console.commands:serve", "Serve the review console over the state store."),
    "users": ("scanner.console.commands:users", "Accounts of the review console (kept in the state store)."),
    "eval": ("scanner.evaluation:eval_command", "Score piiscan on a labelled corpus (truth.json): P/R/F1."),
}


class LazyGroup(click.Group):
    """A group whose feature commands are imported on first use (see FEATURE_COMMANDS)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *FEATURE_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in FEATURE_COMMANDS:
            from scanner.lazy import load

            command = load(FEATURE_COMMANDS[name][0])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list without importing any feature (their help line is in FEATURE_COMMANDS)."""
        rows = [(name, FEATURE_COMMANDS[name][1]) if name in FEATURE_COMMANDS
                else (name, self.commands[name].get_short_help_str(formatter.width)) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

EXIT_NOTHING_SCANNED = 3  # every source of the scan failed: nothing was read
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


class ConfigProblem(click.ClickException):
    """A broken config file, a missing optional extra or bad usage: one clear line, exit code 2."""

    exit_code = 2


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="piiscan")
def cli() -> None:
    """Find personal data in files and databases, check it against the privacy policy, report it."""


@cli.command()
@click.argument("targets", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default=None,
              help="table or json (default: json when --output ends in .json, else table).")
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
              help="Inventory that declares the datastores (default: configs/inventory.yaml). Without TARGETs "
                   "its datastores are scanned; with TARGETs it says which datastore each one belongs to.")
@click.option("--policy", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Policy file (default: configs/policy.yaml).")
@click.option("--detection", "detection", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Detection config (default: configs/detection.yaml).")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path), help="Write every report format into this folder.")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Report language (default: from the locale).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Exit 1 when a violation at or above this severity is found.")
@click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when stderr is a terminal).")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False), default="WARNING", show_default=True)
def scan(targets, fmt, output, sample_rows, full, jobs, processes, engine, include, exclude, inventory, policy,
         detection, report_dir, lang, fail_on, progress, log_level) -> None:
    """Scan TARGETS (folders, files, database or s3:// URLs); with none, scan the inventory.

    Every scan is judged by the policy: a TARGET inside a datastore the inventory
    declares is judged by that declaration, anything else is undeclared (shadow data).

    \b
    Exit codes:
      0  the scan ran (findings, and per-source problems listed under `sources`)
      1  a violation at or above --fail-on was found
      2  bad usage, a broken config file, a missing target or optional extra
      3  nothing could be scanned: every source failed
      130 interrupted (Ctrl-C); no output is written
    """
    from scanner.extras import MissingExtra
    from scanner.lean_arrow import skip_pandas_probe
    from scanner.logs import setup_logging
    from scanner.pipeline import ScanOptions, default_jobs, run_scan, scan_inventory
    from scanner.targets import TargetError, parse_targets

    setup_logging(log_level)
    skip_pandas_probe()
    try:
        parsed = parse_targets(targets)
    except TargetError as exc:
        raise ConfigProblem(str(exc)) from None
    missing = [t.display for t in parsed if not t.exists()]
    if missing:
        raise ConfigProblem(f"no such file or directory: {missing[0]}")  # displays are scrubbed
    fmt = fmt or ("json" if output is not None and output.suffix.lower() == ".json" else "table")
    options = ScanOptions(sample_rows=sample_rows, full=full, jobs=jobs or default_jobs(), processes=processes,
                          include=list(include), exclude=list(exclude),
                          detection_config=str(detection) if detection else None,
                          progress=sys.stderr.isatty() if progress is None else progress)
    try:
        with _progress(options.progress) as on_dataset:
            if parsed:
                result = run_scan(parsed, options, on_dataset=on_dataset, engine=engine, judge=True,
                                  inventory_path=inventory, policy_path=policy)
            elif engine != "local":
                raise ConfigProblem(f"--engine {engine} needs TARGETs (it does not scan the inventory)")
            else:
                result = scan_inventory(inventory, policy, options, on_dataset=on_dataset)
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from None
    except MissingExtra as exc:
        raise ConfigProblem(str(exc)) from None
    doc = result.to_dict()
    if report_dir is not None:
        from scanner.report import ReportError, write_all_reports

        try:
            written = write_all_reports(doc, report_dir, lang)
        except ReportError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"reports written to {report_dir}/: {', '.join(sorted(p.name for p in written))}", err=True)
    text = json.dumps(doc, ensure_ascii=False, indent=2) if fmt == "json" else render_terminal(doc)
    write_output(text, output)
    counts = doc["stats"]["sources"]
    not_read = counts["failed"] + counts["partial"] + counts["skipped"]
    if not_read:
        where = str(output) if output else "the result"
        click.echo(f"piiscan: {counts['failed']} sources failed, {counts['partial']} partly read, "
                   f"{counts['skipped']} skipped; see `sources` in {where}", err=True)
    if fail_on and any(at_or_above(v.get("severity"), fail_on) for v in doc.get("violations", [])):
        sys.exit(1)
    if counts["failed"] and counts["failed"] == sum(counts.values()):
        sys.exit(EXIT_NOTHING_SCANNED)


def render_terminal(doc: dict) -> str:
    """The table as wide as the terminal (wrapped, never cut); piped to a file or a pager, where
    there is no terminal to fit, 160 columns unless COLUMNS says otherwise."""
    import os
    import shutil

    from scanner.render import render_table

    width = shutil.get_terminal_size((160, 24)).columns
    if not sys.stdout.isatty() and "COLUMNS" not in os.environ:
        width = 160
    return render_table(doc, width=width)


def write_output(text: str, output: Path | None) -> None:
    """To stdout, or to `output` whole or not at all (a temporary file renamed into place, with
    what the umask allows), so an interrupted run leaves no half-written result."""
    if output is None:
        click.echo(text)
        return
    from scanner.report.output import write_text

    write_text(output, text + "\n")


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


def main() -> None:
    """The console entry point: click's error handling, except that Ctrl-C exits 130 (not 1,
    which means "violation found") and a config error is one line with exit 2."""
    try:
        code = cli.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):  # Ctrl-C (click turns it into Abort)
        click.echo("piiscan: interrupted", err=True)
        _leave_now(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ConfigError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


def _leave_now(code: int) -> None:
    """Exit at once after an interrupt. A normal exit joins every thread and finalises every
    object, and an interrupted scan can leave a native reader (Arrow's CSV read-ahead on a
    Python stream) waiting for the interpreter lock that the exit holds: the process would
    hang instead of exiting. Cleanups registered with atexit (temporary copies) get a few
    seconds first; no output file exists yet (they are written whole, at the end)."""
    import atexit
    import os
    import threading

    sys.stdout.flush()
    sys.stderr.flush()
    cleanup = threading.Thread(target=atexit._run_exitfuncs, daemon=True)
    cleanup.start()
    cleanup.join(timeout=5)
    os._exit(code)


if __name__ == "__main__":
    main()
