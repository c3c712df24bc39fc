"""Triage decisions: a person says a violation is accepted, a false positive, or remediated.

This is the baseline/audit loop of detect-secrets applied to a PII estate. A
decision names a fingerprint, who made it, why, and optionally until when it
holds; later runs report the item with that status instead of new/open, and
once `until` has passed the item opens again. Decisions come from two places:
`piiscan triage` (recorded in the state store, newest wins) and a reviewed
YAML file beside the configs (configs/triage.yaml), which goes through code
review and therefore overrides the store for the fingerprints it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scanner.configfiles import ConfigError

TRIAGE_STATUSES = ("accepted", "false_positive", "remediated")
TRIAGE_FILE_NAME = "triage.yaml"


@dataclass(frozen=True)
class TriageEntry:
    """One decision about one fingerprint."""

    fingerprint: str
    status: str  # one of TRIAGE_STATUSES
    reason: str
    by: str
    created_at: str | None = None  # ISO time; None in a YAML file that does not say
    until: date | None = None  # inclusive; None = no expiry
    origin: str = "store"  # "store" or the YAML file's path

    def __post_init__(self) -> None:
        if self.status not in TRIAGE_STATUSES:
            raise ValueError(f"triage status must be one of {', '.join(TRIAGE_STATUSES)}, not {self.status!r}")

    def active_on(self, day: date) -> bool:
        return self.until is None or day <= self.until

    def to_dict(self, day: date | None = None) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "status": self.status, "reason": self.reason, "by": self.by, "at": self.created_at,
            "until": self.until.isoformat() if self.until else None, "origin": self.origin,
        }
        if day is not None:
            doc["expired"] = not self.active_on(day)
        return doc


class _FileEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fingerprint: str = Field(min_length=8, max_length=64, pattern=r"^[0-9a-f]+$")
    status: Literal["accepted", "false_positive", "remediated"]
    reason: str = Field(min_length=1)
    by: str = Field(min_length=1)
    until: date | None = None
    at: str | None = None


def load_triage_file(path: Path) -> list[TriageEntry]:
    """Read a reviewed triage YAML: a list of {fingerprint, status, reason, by, until?, at?}.

    A top-level mapping with a `triage:` list is accepted too. Raises ConfigError
    naming the file and the bad key (e.g. `triage.yaml: 2.status: ...`).
    """
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"not valid YAML: {exc}") from None
    if isinstance(doc, Mapping):
        unknown = set(doc) - {"triage"}
        if unknown:
            raise ConfigError(str(path), sorted(unknown)[0], "unknown key (expected 'triage')")
        doc = doc.get("triage")
    if doc is None:
        return []
    if not isinstance(doc, list):
        raise ConfigError(str(path), "triage", "must be a list of entries")
    entries = []
    for index, raw in enumerate(doc):
        try:
            entry = _FileEntry.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ".".join(str(part) for part in (index, *first.get("loc", ())))
            raise ConfigError(str(path), key, first.get("msg", "invalid value")) from None
        entries.append(TriageEntry(entry.fingerprint, entry.status, entry.reason, entry.by, entry.at,
                                   entry.until, origin=str(path)))
    return entries


def effective_triage(stored: Iterable[TriageEntry], reviewed: Iterable[TriageEntry]) -> dict[str, TriageEntry]:
    """The decision that applies to each fingerprint: the reviewed file first, else the newest in the store."""
    result: dict[str, TriageEntry] = {}
    for entry in sorted(stored, key=lambda e: e.created_at or ""):
        result[entry.fingerprint] = entry
    for entry in reviewed:
        result[entry.fingerprint] = entry
    return result


def find_triage_file(inventory: Path | None, cwd: Path | None = None) -> Path | None:
    """The reviewed triage file beside the configs: next to the inventory, else ./configs/triage.yaml."""
    candidates = [inventory.parent / TRIAGE_FILE_NAME] if inventory is not None else []
    candidates.append((cwd or Path.cwd()) / "configs" / TRIAGE_FILE_NAME)
    return next((c for c in candidates if c.is_file()), None)
