"""What the rest of piiscan needs to know about an entity type, declared by its recognizer.

Why here: an identifier should be one module. Its recognizer finds it; the same
module says how its evidence is masked, what reports call it in Japanese and
English, which policy category it falls in by default, and (for identifiers a
report must never print in full) the shape the report-side guard re-masks.
`scanner/` asks `recognizers.registry` for these and never names an entity type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from recognizers import masks

MaskRule = Callable[[str], str]


@dataclass(frozen=True)
class Redaction:
    """A raw value of this entity as it could appear in any printed string.

    `pattern` (Python `re`) finds candidates; `check` (given the match text)
    confirms them, so an innocent number is left alone; `order` sorts the passes:
    a pass that consumes a longer form (track data, which holds a PAN) runs before
    the pass for what it contains.
    """

    pattern: str
    check: Callable[[str], bool] | None = None
    order: int = 50

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


_COMPILED: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern not in _COMPILED:
        _COMPILED[pattern] = re.compile(pattern)
    return _COMPILED[pattern]


@dataclass(frozen=True)
class EntitySpec:
    """One entity type's mask rule, labels and default policy category."""

    label_en: str
    label_ja: str
    # the policy category an entity belongs to unless the policy file lists it elsewhere;
    # None: uncategorised unless the policy lists it
    category: str | None
    mask: MaskRule = field(default=masks.DEFAULT)
    redaction: Redaction | None = None

    def label(self, lang: str) -> str:
        return self.label_ja if lang == "ja" else self.label_en
