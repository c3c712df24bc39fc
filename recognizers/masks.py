"""Mask rules: pure functions from a raw value to the evidence a reviewer may see.

A recognizer names its rule in its `EntitySpec` (see `recognizers.spec`); the
one place that applies them is `scanner.detect.masking.mask`, where a Finding is
made. A rule keeps just enough for a reviewer to recognise the kind of value (a
card's first six and last four digits, as PCI DSS allows for display; a
passport's first two and last two characters) and nothing that identifies a
person. Most identifiers need only `Keep(start, end)`; the others are the named
functions below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATORS = set(" -/.:@_()（）　ー－")


def keep(value: str, keep_start: int, keep_end: int) -> str:
    """Replace letters and digits with '*' except the first `keep_start` and last `keep_end` of them."""
    positions = [i for i, ch in enumerate(value) if ch.isalnum() and ch not in _SEPARATORS]
    shown = set(positions[:keep_start]) | set(positions[len(positions) - keep_end :] if keep_end else [])
    hidden = set(positions) - shown
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


@dataclass(frozen=True)
class Keep:
    """The named rule most identifiers use: show the first `start` and last `end` letters/digits."""

    start: int
    end: int

    def __call__(self, value: str) -> str:
        return keep(value, self.start, self.end)


DEFAULT = Keep(2, 2)  # an entity type no recognizer declares


def card(value: str) -> str:
    """A PAN: first six and last four digits (PCI DSS 3.4); fewer than 12 digits: the last four."""
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    if len(digits) < 12:
        return keep(value, 0, 4)
    shown = set(digits[:6]) | set(digits[-4:])
    return "".join("*" if (ch.isdigit() and i not in shown) else ch for i, ch in enumerate(value))


def masked_card(value: str) -> str:
    """An already truncated PAN stays as it is, unless it shows too much (12+ digits)."""
    return card(value) if sum(c.isdigit() for c in value) >= 12 else value


def track(value: str) -> str:
    """Track data: the sentinels and the PAN's first 6 / last 4; expiry, name and the rest: gone."""
    match = re.search(r"\d{12,19}", value)
    if not match:
        return "*" * min(len(value), 12)
    pan = match.group(0)
    return f"{value[: match.start()]}{pan[:6]}{'*' * (len(pan) - 10)}{pan[-4:]}…"


def email(value: str) -> str:
    """First letter of the local part, then the domain (which names a company, not a person)."""
    local, _, domain = value.partition("@")
    if not domain:
        return keep(value, 1, 0)
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"


def name(value: str) -> str:
    """The first character of each part of a name."""
    parts = re.split(r"(\s+)", value)
    return "".join(p if p.isspace() else ("*" if len(p) == 1 else p[:1] + "*" * (len(p) - 1)) for p in parts)


def address(value: str) -> str:
    """The first three characters (the prefecture or a coarse region), nothing more."""
    return value[:3] + "*" * max(len(value) - 3, 1) if len(value) > 3 else "*" * len(value)


def all_hidden(value: str) -> str:
    """Every character hidden (a security code: even its length barely matters)."""
    return "*" * len(value.strip())


def digits_hidden(value: str) -> str:
    """Every digit hidden, separators kept (an expiry date keeps its shape: ``**/**``)."""
    return re.sub(r"\d", "*", value)


def truncated(value: str, limit: int = 40) -> str:
    """Words, not numbers: shown up to `limit` characters (special-care notes)."""
    return value if len(value) <= limit else value[:limit] + "…"
