"""`piiscan locate`: parse, call, print."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command()
@click.argument("targets", nargs=-1)
@click.option("--email", multiple=True, help="E-mail address (repeatable).")
@click.option("--phone", multiple=True, help="Phone number, any format (repeatable).")
@click.option("--name", multiple=True, help="Name in kanji or romaji, family name first ('山田 太郎').")
@click.option("--kana", multiple=True, help="Reading of the name in kana ('ヤマダ タロウ').")
@click.option("--birth-date", "birth_date", multiple=True, help="Birth date (1985-04-12, 昭和60年4月12日, ...).")
@click.option("--passport", multiple=True)
@click.option("--jmb", multiple=True, help="JAL Mileage Bank number.")
@click.option("--my-number", "my_number", multiple=True)
@click.option("--card-last4", "card_last4", multiple=True, help="Last four digits of a payment card.")
@click.option("--from-file", "from_file", type=click.Path(dir_okay=False, allow_dash=True),
              help="People as JSON, JSON lines, CSV or YAML ('-' = stdin): keeps identifiers out of shell history.")
@click.option("--format", "fmt", type=click.Choice(["json", "table", "html"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("--state", help="State store (path or URL): the last scan's classification, and the audit trail.")
@click.option("--inventory", type=click.Path(exists=True, dir_okay=False), help="Inventory (default when no TARGET).")
@click.option("--policy", type=click.Path(exists=True, dir_okay=False), help="Policy (declared retention).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="en", show_default=True)
@click.option("--actor", help="Who handles the request (default: the OS user); kept in the audit.")
@click.option("--sample", "sample_rows", type=click.IntRange(min=1), help="Rows sampled per table to classify fields.")
@click.option("--thorough", is_flag=True, help="Databases: normalise in SQL even where an index could answer.")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              default="WARNING", show_default=True)
def locate(targets, email, phone, name, kana, birth_date, passport, jmb, my_number, card_last4, from_file, fmt,
           output, state, inventory, policy, lang, actor, sample_rows, thorough, log_level) -> None:
    """Find every place a person's data is held (privacy policy §3 requests).

    Searches TARGETS (or the inventory) in the fields classified as holding the
    identifiers given; every run is recorded in the audit trail, with salted
    hashes only. Exit codes: 0 done (with or without matches), 2 bad usage.
    """
    from scanner.configfiles import ConfigError
    from scanner.locate.identifiers import IdentifierError, people_from
    from scanner.locate.report import render_html, render_text
    from scanner.locate.request import locate_request
    from scanner.locate.search import LocateOptions
    from scanner.logs import setup_logging
    from scanner.state.store import StateError

    setup_logging(log_level)
    given = {"email": email, "phone": phone, "name": name, "kana": kana, "birth_date": birth_date,
             "passport": passport, "jmb": jmb, "my_number": my_number, "card_last4": card_last4}
    text = None
    if from_file:
        text = sys.stdin.read() if from_file == "-" else Path(from_file).read_text(encoding="utf-8-sig")
    try:
        people = people_from(given, text, "stdin" if from_file == "-" else str(from_file or "input"))
        options = LocateOptions(targets=list(targets), inventory=inventory, policy=policy, state=state,
                                sample_rows=sample_rows, thorough=thorough)
        outcome = locate_request(people, options, actor=actor)
    except (IdentifierError, ConfigError) as exc:
        raise click.UsageError(str(exc)) from None
    except (StateError, OSError) as exc:  # the audit trail could not be written: the run does not count
        raise click.ClickException(f"locate: {exc}") from None
    doc = outcome.doc
    if fmt == "json":
        rendered = json.dumps(doc, ensure_ascii=False, indent=2)
    elif fmt == "html":
        rendered = render_html(doc, lang)
    else:
        rendered = render_text(doc, lang)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(rendered + "\n", encoding="utf-8")
    else:
        click.echo(rendered)
