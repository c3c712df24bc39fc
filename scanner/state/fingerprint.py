"""Stable identities for findings and violations, so runs can be compared.

A fingerprint is what an operator triages and what the diff matches on, so it
must not move when nothing meaningful changed: it is built from the datastore,
the table or file, the field, the entity type and the kind. Line numbers are
deliberately left out (a line inserted above would reopen everything); for
free text, where there is no field, the sorted masked evidence stands in for
the position, so two different leaks in one file stay two items. Only masked
values ever enter the hash, and the hash is truncated: it identifies, it does
not encode.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from scanner.model import FINGERPRINT_CHARS, violation_fingerprint

__all__ = ["FINGERPRINT_CHARS", "finding_fingerprint", "violation_fingerprint"]  # violations: defined with Violation


def _digest(parts: list[Any]) -> str:
    payload = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


def _context(masked: Iterable[Any] | None) -> list[str]:
    return sorted({str(value) for value in masked or ()})


def finding_fingerprint(finding: Mapping[str, Any]) -> str:
    """Fingerprint of one finding (a dict as in ScanResult.to_dict()['findings'])."""
    parts: list[Any] = ["finding", finding.get("source"), finding.get("table"), finding.get("field"),
                        finding.get("entity_type"), "finding"]
    if finding.get("field") is None or finding.get("method") == "text":
        parts.append(_context(finding.get("examples")))
    return _digest(parts)
