"""Vectorised detection over Arrow columns.

The shape of a scan, per column (a table field, or the lines of a text file):

1. cast to string, trim, NFKC-normalise: one Arrow compute call each;
2. structured cells: each recognizer's anchored `VALUE_PATTERN` is matched
   over the whole column in one RE2 pass, and only the matches reach its bulk
   `validate_many` (Luhn, check digits, calendars in NumPy);
3. free text: one RE2 pass of the union of every recognizer's `PREFILTER`
   picks candidate values; per recognizer, a second RE2 pass (and for
   context-required recognizers, a pass over their context words) narrows the
   candidates, and only those reach the exact per-value `find()`.

Counts accumulate batch by batch (so full scans stream), and `findings()`
turns them into `Finding`s: a structured column is classified as a whole
(field-name hint + share of valid values), free text reports every entity it
found with the values/lines where it stood. Raw values never leave this module:
examples are masked as they are collected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recognizers.base import PiiRecognizer
from scanner.detect.config import DetectionConfig
from scanner.detect.masking import Masked, mask
from scanner.model import Finding, Location


@dataclass
class EntityStats:
    """What one recognizer saw in one column."""

    value_matches: int = 0  # whole cells matching VALUE_PATTERN
    valid: int = 0  # ... that also passed the validator
    text_hits: int = 0  # values/lines where find() reported the entity inside text
    max_text_score: float = 0.0
    examples: list[Masked] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class ColumnStats:
    """Running counts for one field (or one text file) across batches."""

    name: str | None
    non_empty: int = 0
    rows_seen: int = 0  # rows observed, empty cells included (row numbers of free-text hits)
    entities: dict[str, EntityStats] = field(default_factory=dict)

    def merge(self, other: ColumnStats, max_examples: int = 3) -> None:
        """Fold in the counts of the same column seen elsewhere (another partition, another worker)."""
        self.non_empty += other.non_empty
        self.rows_seen += other.rows_seen
        for name, theirs in other.entities.items():
            mine = self.entity(name)
            mine.value_matches += theirs.value_matches
            mine.valid += theirs.valid
            mine.text_hits += theirs.text_hits
            mine.max_text_score = max(mine.max_text_score, theirs.max_text_score)
            mine.examples.extend(theirs.examples[: max(0, max_examples - len(mine.examples))])
            mine.lines.extend(theirs.lines)

    def entity(self, name: str) -> EntityStats:
        stats = self.entities.get(name)
        if stats is None:
            stats = self.entities[name] = EntityStats()
        return stats


def _re2_words(words: Sequence[str]) -> str | None:
    """A case-insensitive RE2 alternation of context words (a cheap superset of the Python check)."""
    if not words:
        return None
    return "(?i)(?:" + "|".join(re.escape(w.lower()) for w in words) + ")"


def prepare_strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Cast any Arrow column to trimmed NFKC strings (nulls stay null)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        try:
            values = pc.cast(values, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = pa.array([None if v is None else str(v) for v in values.to_pylist()], type=pa.string())
    values = pc.utf8_normalize(values, "NFKC")
    return pc.utf8_trim_whitespace(values)


class Detector:
    """Runs a set of recognizers over Arrow columns; one instance per scan (stateless per column)."""

    def __init__(self, recognizers: Sequence[PiiRecognizer], config: DetectionConfig):
        self.recognizers = list(recognizers)
        self.config = config
        self.union_prefilter = "|".join(f"(?:{r.PREFILTER})" for r in self.recognizers)
        self._context_prefilter = {
            id(r): _re2_words(r.CONTEXT) for r in self.recognizers if r.CONTEXT_REQUIRED
        }

    # --- accumulation -----------------------------------------------------------------
    def observe(self, stats: ColumnStats, values: pa.Array, line_numbers: pa.Array | None = None,
                structured: bool = True) -> None:
        """Add one batch of one column to `stats`.

        `structured`: cells of a table field (whole-cell patterns apply); False for
        lines of a text file (everything is free text). `line_numbers` (text only)
        are recorded for free-text hits; otherwise the running value index is used.
        """
        strings = prepare_strings(values)
        keep = pc.and_(pc.is_valid(strings), pc.greater(pc.utf8_length(strings), 0))
        keep = pc.fill_null(keep, False)
        if line_numbers is None:  # a table: remember each value's row number (1-based, scan order)
            line_numbers = pa.array(np.arange(stats.rows_seen + 1, stats.rows_seen + 1 + len(strings), dtype=np.int64))
        stats.rows_seen += len(strings)
        strings = pc.filter(strings, keep)
        line_numbers = pc.filter(line_numbers, keep)
        n = len(strings)
        stats.non_empty += n
        if n == 0:
            return
        whole_cell = np.zeros(n, dtype=bool)
        if structured:
            whole_cell = self._observe_cells(stats, strings)
        self._observe_text(stats, strings, whole_cell, line_numbers)

    def _observe_cells(self, stats: ColumnStats, strings: pa.Array) -> np.ndarray:
        whole_cell = np.zeros(len(strings), dtype=bool)
        max_examples = self.config.free_text.max_examples
        for recognizer in self.recognizers:
            pattern = recognizer.cell_pattern(stats.name)
            if not pattern:
                continue
            matched = pc.fill_null(pc.match_substring_regex(strings, pattern), False)
            matched_np = matched.to_numpy(zero_copy_only=False)
            count = int(matched_np.sum())
            if count == 0:
                continue
            candidates = pc.filter(strings, matched).to_pylist()
            valid = recognizer.validate_many(candidates)
            entity = stats.entity(recognizer.ENTITY)
            entity.value_matches += count
            n_valid = int(valid.sum())
            entity.valid += n_valid
            if n_valid and recognizer.CELL_IS_VALUE:
                whole_cell |= _scatter(matched_np, valid)
                for idx in np.flatnonzero(valid)[: max(0, max_examples - len(entity.examples))]:
                    entity.examples.append(mask(recognizer.ENTITY, candidates[idx]))
        return whole_cell

    def _observe_text(self, stats: ColumnStats, strings: pa.Array, whole_cell: np.ndarray,
                      line_numbers: pa.Array) -> None:
        if not self.union_prefilter:
            return
        candidate = pc.fill_null(pc.match_substring_regex(strings, self.union_prefilter), False)
        candidate_np = candidate.to_numpy(zero_copy_only=False) & ~whole_cell
        if not candidate_np.any():
            return
        index = np.flatnonzero(candidate_np)
        texts = pc.take(strings, pa.array(index))
        lines = pc.take(line_numbers, pa.array(index)).to_pylist()
        min_score = self.config.free_text.min_score
        max_examples = self.config.free_text.max_examples
        max_locations = self.config.free_text.max_locations
        for recognizer in self.recognizers:
            mask_r = pc.fill_null(pc.match_substring_regex(texts, recognizer.PREFILTER), False)
            context_re = self._context_prefilter.get(id(recognizer))
            if context_re:
                mask_r = pc.and_(mask_r, pc.fill_null(pc.match_substring_regex(texts, context_re), False))
            positions = np.flatnonzero(mask_r.to_numpy(zero_copy_only=False))
            if len(positions) == 0:
                continue
            selected = pc.take(texts, pa.array(positions)).to_pylist()
            for pos, text in zip(positions, selected, strict=True):
                found: dict[str, float] = {}
                example: dict[str, str] = {}
                for hit in recognizer.find(text):
                    if hit.score >= min_score and hit.score > found.get(hit.entity_type, 0.0):
                        found[hit.entity_type] = hit.score
                        example[hit.entity_type] = hit.value
                for entity_type, score in found.items():
                    entity = stats.entity(entity_type)
                    entity.text_hits += 1
                    entity.max_text_score = max(entity.max_text_score, score)
                    if len(entity.lines) < max_locations:
                        entity.lines.append(int(lines[pos]))
                    if len(entity.examples) < max_examples:
                        entity.examples.append(mask(entity_type, example[entity_type]))

    # --- decisions --------------------------------------------------------------------
    def findings(self, stats: ColumnStats, location: Location, rows_scanned: int, text_file: bool = False) -> list[Finding]:
        """Turn a column's counts into findings (at most one per entity type)."""
        results: list[Finding] = []
        recognizer_of = {}
        for r in self.recognizers:
            recognizer_of.setdefault(r.ENTITY, r)
        for entity_type, entity in sorted(stats.entities.items()):
            recognizer = recognizer_of.get(entity_type)
            column_conf = 0.0
            if not text_file and recognizer is not None and entity.valid:
                column_conf = self._column_confidence(recognizer, stats, entity)
            text_conf = entity.max_text_score if entity.text_hits else 0.0
            if column_conf <= 0 and text_conf <= 0:
                continue
            column_count = entity.valid if column_conf > 0 else 0
            if recognizer is not None and not recognizer.CELL_IS_VALUE:  # the same cells were read as text too
                count = max(column_count, entity.text_hits)
            else:
                count = column_count + entity.text_hits
            positions = tuple(sorted(set(entity.lines)))
            results.append(
                Finding(
                    entity_type=entity_type,
                    location=location,
                    count=count,
                    sampled=stats.non_empty,
                    confidence=max(column_conf, text_conf),
                    examples=tuple(entity.examples),
                    lines=positions if text_file else None,
                    rows=positions if (not text_file and positions) else None,
                    rows_scanned=rows_scanned,
                    method="text" if text_file else ("column" if column_conf >= text_conf else "value"),
                )
            )
        return results

    def _column_confidence(self, recognizer: PiiRecognizer, stats: ColumnStats, entity: EntityStats) -> float:
        rules = self.config.rules_for(recognizer.ENTITY)
        hint = recognizer.field_hint(stats.name)
        share = entity.valid / stats.non_empty if stats.non_empty else 0.0
        valid_ratio = entity.valid / entity.value_matches if entity.value_matches else 0.0
        if hint < 0:
            return 0.0
        if hint > 0:
            if share < rules.hinted_min_share:
                return 0.0
            return min(1.0, 0.6 + 0.25 * share + 0.15 * valid_ratio)
        if recognizer.CONTEXT_REQUIRED or stats.non_empty < rules.min_values:
            return 0.0
        if share < rules.unhinted_min_share or valid_ratio < rules.min_valid_ratio:
            return 0.0
        return min(1.0, 0.3 + 0.4 * share + 0.2 * valid_ratio)


def _scatter(mask_np: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Put `values` (one per True in `mask_np`) back at the True positions."""
    out = np.zeros(len(mask_np), dtype=bool)
    out[np.flatnonzero(mask_np)] = values
    return out
