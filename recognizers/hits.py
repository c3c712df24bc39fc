"""What a recognizer is made of and what it finds: a pattern's spec, and a hit in a text.

Their own module so that the base class (`recognizers.base`) and the batch finder
(`recognizers.template_find`) share them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Hit(NamedTuple):
    """One match in normalised text. `value` is raw: mask it before it leaves detection.
    A named tuple, not a frozen dataclass: a dense log makes hundreds of thousands, and a
    tuple is made three times faster."""

    entity_type: str
    start: int
    end: int
    score: float
    value: str
    pattern: str = ""


@dataclass(frozen=True)
class PatternSpec:
    name: str
    regex: str  # Python `re` syntax; if it has a group named `value`, that group is the match
    score: float
    # RE2: every match of `regex` begins with a match of this (the words a pattern starts with);
    # the digit-template path then reads a text from its first one (recognizers.template_find)
    starts_with: str | None = None
