"""Masking of evidence: the one place where a raw value becomes printable.

Everything downstream of detection (findings, violations, reports, the state
store, logs) only ever holds `Masked` strings. Each identifier's rule lives with
its recognizer (`recognizers.masks`, named in its `EntitySpec`): it keeps just
enough for a reviewer to recognise the kind of value (a card's first six and
last four digits, as PCI DSS allows for display) and nothing that identifies a
person.
"""

from __future__ import annotations

import re


class Masked(str):
    """A string that has been through `mask`; the only kind a Finding accepts."""

    __slots__ = ()


def mask(entity_type: str, value: str) -> Masked:
    """Mask `value` as evidence of `entity_type` by the rule its recognizer declares
    (`recognizers.registry`; an unknown type keeps 2+2 characters)."""
    from recognizers.registry import mask_rule  # lazy: the registry loads every recognizer

    return Masked(mask_rule(entity_type)(str(value)))


_SCRUB_PATTERNS = [
    re.compile(r"\d[\d \-]{5,}\d"),  # digit runs: card, My Number, JMB, phone
    re.compile(r"[A-Za-z]{1,2}\d{6,8}"),  # passport-like codes
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),  # e-mail addresses
    re.compile(r"(?i)(password|passwd|pwd)=\S+"),
    re.compile(r"://([^:/@\s]+):[^@/\s]+@"),  # credentials in URLs
]


def scrub(message: str, limit: int = 300) -> str:
    """Make an error message safe to print: library exceptions can quote the data they choked on."""
    message = str(message)[:limit]
    for pattern in _SCRUB_PATTERNS:
        message = pattern.sub(lambda m: "://***@" if m.group(0).startswith("://") else "[redacted]", message)
    return message
