"""`why` on every finding: what made the detector report it.

Reviewers (and users tuning configs/detection.yaml) ask the same questions of
every finding: which recognizer, did the column name say so, what share of the
values matched AND passed the validator, how often the validator passed among
pattern matches, and which context words decided in free text. `Why` answers
them with counts and our own vocabulary only (hint patterns, context words),
never a scanned value, so it can be printed anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Why:
    recognizers: tuple[str, ...] = ()  # the recognizers whose hits make the finding
    column_hint: str | None = None  # the column-name pattern that matched ("not:..." for a negative one)
    share: float | None = None  # share of non-empty values that matched the pattern and validated
    validator_pass_rate: float | None = None  # valid values among pattern matches (columns)
    context_words: tuple[str, ...] = ()  # context words that raised free-text hits (most frequent first)
    text_hits: int = 0  # values / lines where the entity stood inside text

    def to_dict(self) -> dict[str, Any]:
        return {
            "recognizers": list(self.recognizers),
            "column_hint": self.column_hint,
            "share": None if self.share is None else round(self.share, 3),
            "validator_pass_rate": None if self.validator_pass_rate is None else round(self.validator_pass_rate, 3),
            "context_words": list(self.context_words),
            "text_hits": self.text_hits,
        }

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any] | None) -> Why | None:
        if not isinstance(doc, Mapping):
            return None

        def ratio(key: str) -> float | None:
            value = doc.get(key)
            return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

        hits = doc.get("text_hits")
        return cls(
            recognizers=tuple(str(r) for r in doc.get("recognizers") or ()),
            column_hint=None if doc.get("column_hint") is None else str(doc["column_hint"]),
            share=ratio("share"),
            validator_pass_rate=ratio("validator_pass_rate"),
            context_words=tuple(str(w) for w in doc.get("context_words") or ()),
            text_hits=hits if isinstance(hits, int) and not isinstance(hits, bool) else 0,
        )
