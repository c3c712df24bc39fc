"""Loading the policy and the inventory: read the YAML, validate it, check references.

The models live in `policy_model` (what the policy says) and `inventory` (what
the company keeps where); this module turns a file into a checked object, once,
so that the evaluation never meets a dangling reference: every problem becomes
one `ConfigError` naming the file, the key and the problem. The names of both
model modules are re-exported here, so `scanner.policy.config` stays the one
import for callers that load and use the configs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from scanner.configfiles import ConfigError, find_config
from scanner.policy.inventory import (
    MTIME,
    SQLITE_SUFFIXES,
    Datastore,
    Inventory,
    ScanTarget,
    TableSpec,
    redact_url,
)
from scanner.policy.policy_model import (
    KINDS,
    UNCATEGORISED,
    Allowance,
    Category,
    ImpactRule,
    Kind,
    Policy,
    Prohibition,
    Purpose,
    Recipient,
    RetentionRule,
    Rule,
    Severity,
)

__all__ = [
    "KINDS",
    "MTIME",
    "SQLITE_SUFFIXES",
    "UNCATEGORISED",
    "Allowance",
    "Category",
    "ConfigError",
    "Datastore",
    "ImpactRule",
    "Inventory",
    "Kind",
    "Policy",
    "Prohibition",
    "Purpose",
    "Recipient",
    "RetentionRule",
    "Rule",
    "ScanTarget",
    "Severity",
    "TableSpec",
    "load_inventory",
    "load_policy",
    "redact_url",
]


def _key(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "(file)", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "(file)", f"cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(yaml)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(str(path), where, f"invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(str(path), "(top level)", "expected a mapping of keys to values")
    return data


def _validate(model: type[BaseModel], path: Path, data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        problem = first["msg"]
        if first["type"] == "extra_forbidden":
            problem = "unknown key"
        if len(exc.errors()) > 1:
            problem += f" (and {len(exc.errors()) - 1} more problem(s))"
        raise ConfigError(str(path), _key(first["loc"]), problem) from None


def _locate(path: str | os.PathLike[str] | None, name: str) -> Path:
    if path is not None:
        return Path(path)
    found = find_config(name)
    if found is None:
        raise ConfigError(f"configs/{name}", "(file)", "not found beside the working directory and no packaged default")
    return found


def load_policy(path: str | os.PathLike[str] | None = None) -> Policy:
    """Load and check a policy file (default: configs/policy.yaml, else the packaged default)."""
    file = _locate(path, "policy.yaml")
    policy: Policy = _validate(Policy, file, _read_yaml(file))
    policy._path = str(file)
    policy._cross_check()
    return policy


def load_inventory(path: str | os.PathLike[str] | None = None, policy: Policy | None = None) -> Inventory:
    """Load and check an inventory file; with `policy`, also check its purposes, recipients and dates."""
    file = _locate(path, "inventory.yaml")
    inventory: Inventory = _validate(Inventory, file, _read_yaml(file))
    inventory._path = str(file)
    inventory._self_check()
    if policy is not None:
        inventory.check_against(policy)
    return inventory
