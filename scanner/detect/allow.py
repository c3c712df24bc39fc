"""Allow lists: values that are never findings, checked before a finding is made.

Why: a company's own main phone number, its test card numbers (4111 1111 1111
1111), a sample passport number in a manual: real matches of real identifiers that
are not anyone's personal data. `allow_list:` in configs/detection.yaml lists them
per entity type, as exact values (compared without spaces, hyphens, dots and
brackets, so ``03-1234-5678`` also allows ``0312345678``) or `{pattern: RE2}`
matched against the whole value. Whole cells are checked in bulk (Arrow), hits in
free text one by one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scanner.detect.config import AllowPattern, DetectionConfig

_SEPARATORS = r"[\s\-‐‑‒–—―−ー().]"
_SEPARATORS_RE = re.compile(_SEPARATORS)


def compact(value: str) -> str:
    """The form exact allow-list values are compared in: NFKC, no separators."""
    return _SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", value))


@dataclass
class AllowList:
    """Per entity type: the exact values (compacted) and one anchored pattern alternation."""

    exact: dict[str, frozenset[str]] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)  # RE2 and Python `re`, anchored
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_config(cls, config: DetectionConfig) -> AllowList:
        allow = cls()
        for entity, items in config.allow_list.items():
            values = frozenset(compact(i) for i in items if isinstance(i, str))
            patterns = [i.pattern for i in items if isinstance(i, AllowPattern)]
            if values:
                allow.exact[entity] = values
            if patterns:
                allow.patterns[entity] = "^(?:" + "|".join(f"(?:{p})" for p in patterns) + ")$"
                allow._compiled[entity] = re.compile(allow.patterns[entity])
        return allow

    def __bool__(self) -> bool:
        return bool(self.exact or self.patterns)

    def covers(self, entity: str) -> bool:
        return entity in self.exact or entity in self.patterns

    def allows(self, entity: str, value: str) -> bool:
        """True when `value` (one hit) is on the allow list of `entity`."""
        if not self.covers(entity):
            return False
        value = unicodedata.normalize("NFKC", value).strip()
        if compact(value) in self.exact.get(entity, ()):
            return True
        regex = self._compiled.get(entity)
        return bool(regex is not None and regex.match(value))

    def allowed_many(self, entity: str, values: pa.Array) -> np.ndarray:
        """`allows` over a column of (NFKC, trimmed) cells, in Arrow."""
        out = np.zeros(len(values), dtype=bool)
        if not self.covers(entity) or len(values) == 0:
            return out
        if entity in self.exact:
            compacted = pc.replace_substring_regex(values, _SEPARATORS, "")
            hit = pc.is_in(compacted, value_set=pa.array(sorted(self.exact[entity]), pa.string()))
            out |= pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
        if entity in self.patterns:
            hit = pc.match_substring_regex(values, self.patterns[entity])
            out |= pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
        return out
