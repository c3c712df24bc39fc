"""`piiscan policy ...`: check the policy and inventory files and explain what they allow.

Registered by scanner/cli.py (`cli.add_command(policy)`). Only parsing and
printing here; loading and checking live in `scanner.policy.config`.
"""

from __future__ import annotations

from pathlib import Path

import click

from scanner.configfiles import ConfigError
from scanner.policy.config import Inventory, Policy, load_inventory, load_policy


class BrokenConfig(click.ClickException):
    """One clear line naming the file, key and problem; exit code 2 like every usage error."""

    exit_code = 2


def _allowed(policy: Policy, categories: list[str], entities: list[str]) -> str:
    parts = [f"{c} ({', '.join(policy.categories[c].entities)})" for c in categories]
    parts += [f"{e} only" for e in entities]
    return "; ".join(parts) or "nothing"


def explain_policy(policy: Policy) -> list[str]:
    """Human-readable lines: what each purpose allows, who may receive what, how long data is kept."""
    lines = [f"Policy: {policy.name}  [{policy.path}]", "", "Purposes (what a table declared for the purpose may hold):"]
    for name, purpose in policy.purposes.items():
        lines.append(f"  {name}: {purpose.title} ({purpose.clause})")
        lines.append(f"      may hold: {_allowed(policy, purpose.categories, purpose.entities)}")
        if purpose.note:
            lines.append(f"      note: {purpose.note}")
    prohibited = [
        f"  {name}: {'never stored' if cat.prohibited.always else 'only where a declared purpose allows it'} ({cat.prohibited.clause})"
        for name, cat in policy.categories.items()
        if cat.prohibited
    ]
    if prohibited:
        lines += ["", "Prohibited data:", *prohibited]
    if policy.recipients:
        lines += ["", "Recipients (what an export to them may contain):"]
        for name, rec in policy.recipients.items():
            lines.append(f"  {name}: {rec.title}, {rec.kind} ({rec.clause})")
            lines.append(f"      may receive: {_allowed(policy, rec.categories, rec.entities)}")
    if policy.retention:
        lines += ["", "Retention:"]
        for cat, rule in policy.retention.items():
            lines.append(f"  {cat}: {rule.days} days after the {rule.runs_from} date ({rule.clause})")
    return lines


def explain_inventory(inventory: Inventory, policy: Policy) -> list[str]:
    lines = [f"Inventory: {len(inventory.datastores)} datastore(s)  [{inventory.path}]"]
    for store in inventory.datastores:
        where = store.location or f"${store.url_env}"
        lines.append(f"  {store.name} ({store.kind}, owner {store.owner}): {where}")
        for spec in store.tables:
            label = spec.name + (f" [{spec.sheet}]" if spec.sheet else "")
            purposes = ", ".join(spec.purposes) or "no purpose declared"
            recipient = f" -> {spec.recipient}" if spec.recipient else ""
            lines.append(f"      {label}: {purposes}{recipient}; fields: {', '.join(spec.fields) or 'none'}")
            dates = {role: spec.date_column(role) for role in sorted(policy.date_roles())}
            dated = ", ".join(f"{role}={col}" for role, col in dates.items() if col)
            if dated:
                lines.append(f"          retention dates: {dated}")
    if inventory.discover:
        lines.append(f"  discovery (undeclared files are shadow data): {', '.join(inventory.discover)}")
    return lines


@click.group("policy")
def policy() -> None:
    """Check and explain the policy and the inventory."""


@policy.command("check")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Policy file (default: configs/policy.yaml, else the packaged default).")
@click.option("--inventory", "inventory_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Inventory file (default: configs/inventory.yaml).")
def check(policy_file: Path | None, inventory_file: Path | None) -> None:
    """Validate both files and explain what each purpose allows. Exit 2 on a broken file."""
    try:
        loaded = load_policy(policy_file)
        inventory = load_inventory(inventory_file, loaded)
    except ConfigError as exc:
        raise BrokenConfig(str(exc)) from None
    click.echo("\n".join(explain_policy(loaded)))
    click.echo("")
    click.echo("\n".join(explain_inventory(inventory, loaded)))
    click.echo("")
    click.echo("OK: policy and inventory are valid.")
