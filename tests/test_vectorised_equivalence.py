"""The vectorised path finds exactly what the per-value path finds, on the evaluation corpus.

Why: the speed of a full scan comes from screening whole columns with RE2 and
sending only candidates to the recognizers (scanner.detect.engine). That is
only safe if nothing is lost on the way, so this test runs both paths over
every value of the evaluation corpus (read-only, through the source layer so
the values are the ones a scan sees):

- free text: for every distinct value and every log line, the entity types
  the `Detector` reports (whole column at once, `structured=False`) equal
  those Presidio's `AnalyzerEngine.analyze()` returns for that value alone
  (score >= free_text.min_score);
- screening: no value for which a recognizer's `find()` reports a hit is
  dropped by the union prefilter, by that recognizer's own prefilter, or by
  its context-word prefilter (the superset property, over all cells).

Failure messages name value indices and entity types, never the values.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tests.conftest import SHARED_EVAL

CORPUS = Path(os.environ.get("PIISCAN_EVAL_DIR", SHARED_EVAL / "dev"))

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="evaluation corpus not present")


def _as_strings(values: pa.Array | pa.ChunkedArray) -> list[str]:
    """Cell values as the text a per-value caller would pass (nulls and blanks dropped)."""
    from scanner.detect.engine import prepare_strings

    strings = prepare_strings(values)
    return [v for v in strings.to_pylist() if v]


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[str]]:
    """Distinct structured cell values and every log line of the corpus."""
    from scanner.sources import open_target
    from scanner.sources.base import Dataset

    cells: set[str] = set()
    lines: list[str] = []
    for dataset in open_target(str(CORPUS)):
        if not isinstance(dataset, Dataset):
            continue
        try:
            for batch in dataset.iter_batches():
                if dataset.kind == "text":
                    lines += [line for line in batch.column("text").to_pylist() if line and line.strip()]
                else:
                    for column in batch.columns:
                        cells.update(_as_strings(column))
        finally:
            dataset.close()
    assert cells and lines, "the corpus should hold tables and a log"
    return {"cells": sorted(cells), "lines": lines}


@pytest.fixture(scope="module")
def detector():
    from scanner.pipeline import ScanOptions, build_detector

    detector, config = build_detector(ScanOptions())
    # per value means exact: no counting on a share once an entity is confirmed
    detector.config = config.model_copy(
        update={"free_text": config.free_text.model_copy(update={"confirm_hits": 0})})
    return detector


@pytest.fixture(scope="module")
def analyzer():
    from recognizers.engine import build_analyzer

    return build_analyzer()


def _vectorised(detector, values: list[str]) -> list[set[str]]:
    """Entity types per value, from one Detector pass over the whole column of free text."""
    from scanner.detect.engine import ColumnStats

    stats = ColumnStats(name=None)
    detector.observe(stats, pa.array(values, pa.string()), pa.array(np.arange(1, len(values) + 1)), structured=False)
    found: list[set[str]] = [set() for _ in values]
    for entity_type, entity in stats.entities.items():
        for line in entity.lines:
            found[line - 1].add(entity_type)
    return found


def _entities(detector) -> list[str]:
    return sorted({e for r in detector.recognizers for e in (r.ENTITY, *r.EXTRA_ENTITIES)})


@pytest.mark.parametrize("kind", ["cells", "lines"])
def test_vectorised_equals_presidio_per_value(corpus, detector, analyzer, kind):
    values = corpus[kind]
    min_score = detector.config.free_text.min_score
    entities = _entities(detector)
    vectorised = _vectorised(detector, values)
    mismatches = []
    for index, value in enumerate(values):
        per_value = {r.entity_type for r in analyzer.analyze(value, language="en", entities=entities)
                     if r.score >= min_score}
        if per_value != vectorised[index]:
            mismatches.append((index, sorted(per_value), sorted(vectorised[index])))
    assert sum(bool(v) for v in vectorised) > 0, "the corpus holds PII: something must be found"
    assert not mismatches, f"{len(mismatches)} of {len(values)} {kind} differ (index, presidio, vectorised): {mismatches[:10]}"


@pytest.mark.parametrize("kind", ["cells", "lines"])
def test_prefilters_never_drop_a_value_find_reports(corpus, detector, kind):
    """Superset property: every value with a find() hit passes every screen in front of find()."""
    values = corpus[kind]
    strings = pa.array(values, pa.string())

    def screened(pattern: str) -> np.ndarray:
        return pc.fill_null(pc.match_substring_regex(strings, pattern), False).to_numpy(zero_copy_only=False)

    union = screened(detector.union_prefilter)
    dropped: dict[str, list[int]] = defaultdict(list)
    reported = 0
    for recognizer in detector.recognizers:
        own = screened(recognizer.PREFILTER)
        # the context-word screen the detector puts in front of context-required recognizers
        context_re = detector._context_prefilter.get(id(recognizer))
        context = screened(context_re) if context_re else np.ones(len(values), dtype=bool)
        for index, value in enumerate(values):
            if not recognizer.find(value):
                continue
            reported += 1
            if not (union[index] and own[index] and context[index]):
                dropped[type(recognizer).__name__].append(index)
    assert reported > 0
    assert not dropped, f"prefilters drop values find() reports (recognizer: value indices): {dict(dropped)}"


def test_detector_keeps_per_value_results_across_batches(corpus, detector):
    """Observing the lines in several batches gives the same per-value answer as one batch."""
    from scanner.detect.engine import ColumnStats

    values = corpus["lines"]
    whole = _vectorised(detector, values)
    stats = ColumnStats(name=None)
    step = max(1, len(values) // 7)
    for start in range(0, len(values), step):
        chunk = values[start : start + step]
        detector.observe(stats, pa.array(chunk, pa.string()),
                         pa.array(np.arange(start + 1, start + len(chunk) + 1)), structured=False)
    batched: list[set[str]] = [set() for _ in values]
    for entity_type, entity in stats.entities.items():
        for line in entity.lines:
            batched[line - 1].add(entity_type)
    assert batched == whole
