"""What every recognizer test shares: one offline Presidio engine, small helpers, and
`RecognizerContract`, the table-driven tests every recognizer must pass.

A test module states its recognizer's behaviour as tables on a `RecognizerContract`
subclass (texts and what `find()` reports in them, field names and their hint,
whole cells and whether a column counts them, texts for the Presidio path); the test
bodies are written once, here. What is particular to one identifier (check digits,
word lists, MRZ parsing) stays in its own module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from presidio_analyzer import AnalyzerEngine

from recognizers.base import Hit, PiiRecognizer, normalize
from recognizers.engine import build_analyzer
from scanner.detect.masking import mask


def found(recognizer: PiiRecognizer, text: str) -> list[str]:
    """The values `recognizer` finds in `text` (normalised first, as every caller does)."""
    return [h.value for h in recognizer.find(normalize(text))]


def prefilter_matches(pattern: str, texts: Sequence[str]) -> list[bool]:
    """Which `texts` the RE2 `pattern` matches somewhere, as the vectorised engine runs it."""
    return pc.match_substring_regex(pa.array(list(texts), type=pa.string()), pattern=pattern).to_pylist()


def cell_accepted(recognizer: PiiRecognizer, cell: str, field: str | None) -> bool:
    """Whether the column classifier counts `cell` of column `field` as this entity: the
    field name does not say it is something else, the whole-cell pattern for that column
    matches and the validator agrees."""
    value = normalize(cell).strip()
    if recognizer.field_hint(field) < 0:
        return False
    pattern = recognizer.cell_pattern(field)
    if pattern is None or prefilter_matches(pattern, [value]) != [True]:
        return False
    return bool(recognizer.validate_field([value], field)[0])


def presidio_hits(analyzer: AnalyzerEngine, text: str, entities: Sequence[str]) -> list[tuple[str, str]]:
    """(entity, original text of the span) for each Presidio result of `entities`, in text order."""
    results = analyzer.analyze(text=text, language="en", entities=list(entities))
    return [(r.entity_type, text[r.start : r.end]) for r in sorted(results, key=lambda r: (r.start, r.entity_type))]


def _flat(value: str) -> str:
    return re.sub(r"[\s\-]", "", normalize(value))


@pytest.fixture(scope="session")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> AnalyzerEngine:
    """The engine users get (every default recognizer), offline; its blank spaCy model is
    written to a temporary cache, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIISCAN_CACHE", str(tmp_path_factory.mktemp("piiscan_cache")))
        return build_analyzer(languages=("en",), use_ginza=False)


# --- the shared tests -------------------------------------------------------------------------
# argument -> (table, keep only the rows that expect a hit)
_TABLES = {
    "find_case": ("find_cases", False),
    "hit_case": ("find_cases", True),
    "field_hint_case": ("field_hint_cases", False),
    "cell_case": ("cell_cases", False),
    "presidio_case": ("presidio_cases", False),
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise the contract's tests from the tables of the class that runs them."""
    for arg, (table, hits_only) in _TABLES.items():
        if arg in metafunc.fixturenames:
            rows = [row for row in getattr(metafunc.cls, table) if row[1] or not hits_only]
            if not rows:
                raise pytest.UsageError(f"{metafunc.cls.__name__}.{table} is empty: state the behaviour")
            metafunc.parametrize(arg, rows, ids=[str(row[0])[:60] for row in rows])


class RecognizerContract:
    """Tests every recognizer passes; a subclass (named Test…) fills in the tables."""

    # the recognizer(s) under test; `find` and the evidence check run them all
    recognizers: ClassVar[tuple[PiiRecognizer, ...]]
    # (text, what `found` returns for it)
    find_cases: ClassVar[Sequence[tuple[str, Any]]]
    # (field name, field_hint of the first recognizer: 1, 0 or -1)
    field_hint_cases: ClassVar[Sequence[tuple[str | None, int]]]
    # (cell, field name, whether the column classifier counts it: see `cell_accepted`)
    cell_cases: ClassVar[Sequence[tuple[str, str | None, bool]]]
    # (text, [(entity, original text of the span)]) through the Presidio AnalyzerEngine
    presidio_cases: ClassVar[Sequence[tuple[str, list[tuple[str, str]]]]]
    # also check the prefilter on the raw (un-normalised) text: full-width forms included
    prefilter_sees_raw_text: ClassVar[bool] = False

    def found(self, text: str) -> Any:
        """What `find_cases` compare: the values the (first) recognizer finds."""
        return found(self.recognizers[0], text)

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e for r in self.recognizers for e in (r.ENTITY, *r.EXTRA_ENTITIES)))

    def test_find(self, find_case: tuple[str, Any]) -> None:
        text, expected = find_case
        assert self.found(text) == expected

    def hits(self, text: str) -> list[tuple[PiiRecognizer, Hit]]:
        return [(r, hit) for r in self.recognizers for hit in r.find(normalize(text))]

    def test_prefilter_is_a_superset_of_find(self, hit_case: tuple[str, Any]) -> None:
        text = hit_case[0]
        forms = [normalize(text), text] if self.prefilter_sees_raw_text else [normalize(text)]
        hits = self.hits(text)
        assert hits
        for recognizer, _ in hits:
            assert prefilter_matches(recognizer.PREFILTER, forms) == [True] * len(forms), recognizer.name

    def test_find_many_equals_find_text_by_text(self) -> None:
        """The engine's batch call gives, text for text, what `find` gives alone: the table's
        texts (each twice, in a shuffled order, so that batches reach the bulk validators
        and the context memo is shared between texts) against fresh recognizers."""
        texts = [normalize(row[0]) for row in self.find_cases] * 2
        order = sorted(range(len(texts)), key=lambda i: (i * 7919) % len(texts))
        batch = [texts[i] for i in order]
        for recognizer in self.recognizers:
            alone = type(recognizer)(supported_language=recognizer.supported_language)
            expected = [alone.find(text) for text in batch]
            together = type(recognizer)(supported_language=recognizer.supported_language).find_many(batch)
            assert together == expected, recognizer.name

    def check_evidence(self, hit: Hit, evidence: str) -> None:
        """What the masked evidence of `hit` may show: by default not the value."""
        assert _flat(hit.value) not in _flat(evidence)

    def test_evidence_is_masked(self, hit_case: tuple[str, Any]) -> None:
        hits = self.hits(hit_case[0])
        assert hits
        for _, hit in hits:
            self.check_evidence(hit, mask(hit.entity_type, hit.value))

    def test_field_hint(self, field_hint_case: tuple[str | None, int]) -> None:
        field, expected = field_hint_case
        assert self.recognizers[0].field_hint(field) == expected

    def test_cell(self, cell_case: tuple[str, str | None, bool]) -> None:
        cell, field, expected = cell_case
        assert cell_accepted(self.recognizers[0], cell, field) is expected

    def test_presidio_returns_original_offsets(
        self, analyzer: AnalyzerEngine, presidio_case: tuple[str, list[tuple[str, str]]]
    ) -> None:
        text, expected = presidio_case
        assert presidio_hits(analyzer, text, self.entities) == expected
