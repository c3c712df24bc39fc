"""Decisions: a column's counts become findings (at most one per entity type).

Why apart: the thresholds (configs/detection.yaml `columns`) and the confidence
formula are policy about evidence, not scanning; they read only `ColumnStats`.
"""

from __future__ import annotations

from recognizers.base import PiiRecognizer
from recognizers.explain import hint_pattern
from scanner.detect.config import DetectionConfig
from scanner.detect.stats import ColumnStats, EntityStats
from scanner.detect.why import Why
from scanner.model import Finding, Location


class Decisions:
    """The deciding half of `Detector` (a mixin: it reads `config` and `_primary`)."""

    config: DetectionConfig
    _primary: dict[str, PiiRecognizer]

    def findings(self, stats: ColumnStats, location: Location, rows_scanned: int, text_file: bool = False) -> list[Finding]:
        """Turn a column's counts into findings (at most one per entity type)."""
        results: list[Finding] = []
        for entity_type, entity in sorted(stats.entities.items()):
            recognizer = self._primary.get(entity_type)
            if not text_file and recognizer is not None and stats.hint(recognizer) < 0:
                continue  # the column's name says its values are something else (`hotel_phone`, `job`)
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
                    count_estimated=(entity.estimated and column_conf > 0) or entity.estimated_text,
                    why=_why(recognizer, stats, entity, column=column_conf > 0),
                )
            )
        return results

    def _column_confidence(self, recognizer: PiiRecognizer, stats: ColumnStats, entity: EntityStats) -> float:
        rules = self.config.rules_for(recognizer.ENTITY)
        hint = stats.hint(recognizer)
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


def _why(recognizer: PiiRecognizer | None, stats: ColumnStats, entity: EntityStats, column: bool) -> Why:
    """What made this finding: recognizers, column-name hint, shares, deciding context words."""
    matches = entity.value_matches
    words = sorted(entity.context_words.items(), key=lambda kv: (-kv[1], kv[0]))
    return Why(
        recognizers=tuple(sorted(entity.recognizers)),
        column_hint=hint_pattern(recognizer, stats.name) if recognizer is not None else None,
        share=(entity.valid / stats.non_empty if stats.non_empty else 0.0) if column else None,
        validator_pass_rate=(entity.valid / matches if matches else None) if column else None,
        context_words=tuple(word for word, _ in words[:5]),
        text_hits=entity.text_hits,
    )
