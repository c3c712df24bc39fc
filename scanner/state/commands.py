"""Click commands `nightly` and `triage` (registered in scanner/cli.py): parse, call, print."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from scanner.logs import setup_logging
from scanner.nightly import CHOICES, NightlyOptions, run_nightly
from scanner.state.store import StateError, StateStore
from scanner.state.triage import TRIAGE_STATUSES


class TriageProblem(click.ClickException):
    """Unknown or ambiguous fingerprint, unusable store: one clear line, exit code 2."""

    exit_code = 2


_STATE_HELP = "State store: a SQLite file path or a SQLAlchemy URL (default: the user state directory)."


@click.command("nightly")
@click.option("--inventory", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Inventory to scan (default: configs/inventory.yaml).")
@click.option("--policy", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Policy file (default: configs/policy.yaml).")
@click.option("--state", envvar="PIISCAN_STATE", help=_STATE_HELP)
@click.option("--reports", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the dated report folders (default: <state dir>/reports).")
@click.option("--keep", type=click.IntRange(min=1), default=30, show_default=True, help="Report folders kept.")
@click.option("--fail-on", type=click.Choice(CHOICES), default="low", show_default=True,
              help="Exit 1 when a NEW violation at or above this severity appears.")
@click.option("--full", is_flag=True, help="Scan every dataset again, even unchanged ones.")
@click.option("--processes", "-p", type=click.IntRange(min=1), default=1, show_default=True,
              help="Files and tables scanned at once, each in its own worker process.")
@click.option("--triage-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Reviewed triage YAML (default: triage.yaml beside the inventory, else configs/triage.yaml).")
@click.option("--notify-command", envvar="PIISCAN_NOTIFY_COMMAND",
              help="Command run when new violations appear (summary JSON on stdin).")
@click.option("--notify-url", envvar="PIISCAN_NOTIFY_URL", help="Webhook POSTed the summary JSON when new violations appear.")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Report language.")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              default="INFO", show_default=True)
def nightly(inventory, policy, state, reports, keep, fail_on, full, processes, triage_file, notify_command, notify_url, lang,
            log_level) -> None:
    """Scan the inventory, diff against the last run, write dated reports.

    Exit codes: 0 nothing new at or above --fail-on; 1 new violations at or
    above --fail-on; 2 the run itself failed (see the log).
    """
    setup_logging(log_level)
    sys.exit(run_nightly(NightlyOptions(
        inventory=inventory, policy=policy, state=state, reports=reports, keep=keep, fail_on=fail_on, full=full,
        processes=processes, triage_file=triage_file, notify_command=notify_command, notify_url=notify_url, lang=lang)))


@click.command("triage")
@click.argument("fingerprint")
@click.option("--status", type=click.Choice(TRIAGE_STATUSES), required=True)
@click.option("--reason", required=True, help="Why: shown in every later report.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), help="Expiry (inclusive); the item opens again after it.")
@click.option("--by", default=None, help="Who decided (default: the login name).")
@click.option("--state", envvar="PIISCAN_STATE", help=_STATE_HELP)
def triage(fingerprint, status, reason, until, by, state) -> None:
    """Record a decision about the violation FINGERPRINT (a unique prefix is enough)."""
    try:
        store = StateStore.open(state)
        try:
            entry = store.add_triage(fingerprint, status, reason, by or getpass.getuser(),
                                     until.date() if until else None)
        finally:
            store.close()
    except StateError as exc:
        raise TriageProblem(str(exc)) from None
    click.echo(f"{entry.fingerprint}: {entry.status} by {entry.by}"
               f"{' until ' + entry.until.isoformat() if entry.until else ''} ({store.display})")
