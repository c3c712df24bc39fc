"""Running counts of one column (or one text file) across batches.

Why apart from the engine: the counts are what a scan carries between batches,
partitions and worker processes (`ColumnStats.merge`); the passes that fill them
(`scanner.detect.cells`, `scanner.detect.text`) and the decision that reads them
(`scanner.detect.decide`) are separate concerns. Examples are `Masked` from the
moment they are collected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from recognizers.base import PiiRecognizer
from scanner.detect.config import ColumnRules
from scanner.detect.masking import Masked

RULE_OUT_AFTER = 20_000  # values a column must show before an entity is ruled out for it


@dataclass
class EntityStats:
    """What one recognizer saw in one column."""

    value_matches: int = 0  # whole cells matching VALUE_PATTERN
    valid: int = 0  # ... that also passed the validator
    estimated: bool = False  # `valid` extrapolated from a validated subset
    estimated_text: bool = False  # `text_hits` extrapolated (see Detector._confirmed_subsample)
    text_hits: int = 0  # values/lines where find() reported the entity inside text
    max_text_score: float = 0.0
    examples: list[Masked] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    # for `why`: recognizers whose hits count, and the context words behind explained hits
    recognizers: set[str] = field(default_factory=set)
    context_words: dict[str, int] = field(default_factory=dict)
    explained: int = 0  # free-text hits whose deciding context word was looked up


@dataclass
class TextCandidates:
    """The free text of one batch that recognizers have to read: distinct texts, and
    per recognizer the ones its RE2 prefilter (and context words) admit."""

    texts: pa.Array  # distinct candidate texts
    where: np.ndarray  # candidate -> index into texts
    lines: np.ndarray  # candidate -> line (text file) or row (table) number
    readers: list[tuple[PiiRecognizer, np.ndarray]]  # recognizer, positions in texts


@dataclass
class ScreenedLines:
    """A batch of text lines after `Detector.screen_lines`."""

    rows: int
    non_empty: int
    candidates: TextCandidates | None


@dataclass
class ColumnStats:
    """Running counts for one field (or one text file) across batches."""

    name: str | None
    non_empty: int = 0
    rows_seen: int = 0  # rows observed, empty cells included (row numbers of free-text hits)
    entities: dict[str, EntityStats] = field(default_factory=dict)
    _hints: dict[int, int] = field(default_factory=dict, repr=False)
    _validated: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)  # checked, passed

    def merge(self, other: ColumnStats, max_examples: int = 3) -> None:
        """Fold in the counts of the same column seen elsewhere (another partition, another worker)."""
        self.non_empty += other.non_empty
        self.rows_seen += other.rows_seen
        for name, theirs in other.entities.items():
            mine = self.entity(name)
            mine.value_matches += theirs.value_matches
            mine.valid += theirs.valid
            mine.estimated |= theirs.estimated
            mine.estimated_text |= theirs.estimated_text
            mine.text_hits += theirs.text_hits
            mine.max_text_score = max(mine.max_text_score, theirs.max_text_score)
            mine.examples.extend(theirs.examples[: max(0, max_examples - len(mine.examples))])
            mine.lines.extend(theirs.lines)
            mine.recognizers |= theirs.recognizers
            for word, n in theirs.context_words.items():
                mine.context_words[word] = mine.context_words.get(word, 0) + n
            mine.explained += theirs.explained

    def validation_budget(self, recognizer: PiiRecognizer, per_column: int) -> int:
        """How many more distinct values a slow validator may check in this column (at least a few per batch)."""
        spent = self._validated.get(id(recognizer), (0, 0))[0]
        return max(per_column - spent, min(100, per_column))

    def spent(self, recognizer: PiiRecognizer) -> int:
        return self._validated.get(id(recognizer), (0, 0))[0]

    def spend(self, recognizer: PiiRecognizer, checked: int, passed: int) -> None:
        spent, ok = self._validated.get(id(recognizer), (0, 0))
        self._validated[id(recognizer)] = (spent + checked, ok + passed)

    def pass_rate(self, recognizer: PiiRecognizer) -> float:
        spent, ok = self._validated.get(id(recognizer), (0, 0))
        return ok / spent if spent else 0.0

    def ruled_out(self, recognizer: PiiRecognizer, rules: ColumnRules, hint: int) -> bool:
        """True once so many values were seen that this entity's share can no longer reach
        the column threshold (the column is not this entity: skip its passes from now on).

        A fifth of the threshold after 20,000 values: the count so far, not a sample guess.
        """
        if self.non_empty < RULE_OUT_AFTER:
            return False
        threshold = rules.hinted_min_share if hint > 0 else rules.unhinted_min_share
        entity = self.entities.get(recognizer.ENTITY)
        valid = entity.valid if entity is not None else 0
        return valid < threshold / 5 * self.non_empty

    def hint(self, recognizer: PiiRecognizer) -> int:
        """The recognizer's field-name hint for this column (computed once)."""
        key = id(recognizer)
        if key not in self._hints:
            self._hints[key] = recognizer.field_hint(self.name)
        return self._hints[key]

    def entity(self, name: str) -> EntityStats:
        stats = self.entities.get(name)
        if stats is None:
            stats = self.entities[name] = EntityStats()
        return stats
