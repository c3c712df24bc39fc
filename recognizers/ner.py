"""PERSON and ADDRESS from a Japanese NER model (GiNZA), an optional boost for free text.

Patterns and word lists find names with an honorific, a label or a listed
surname; a statistical model also finds 「担当は高梨でした」-style names and place
names that no list holds. GiNZA (`pip install piiscan[ja]`, the official
`ja-ginza` package with SudachiPy) tags them with its own labels (`Person`,
`Province`, `City`…), mapped here to PERSON and ADDRESS.

It is slow (tens of texts per second), so the engine gives it only a bounded
number of distinct free-text values per column (`configs/detection.yaml`,
`ner.max_texts_per_column`), and only when the package is installed: without it
piiscan runs exactly as before. Nothing is downloaded: the model ships inside the
`ja-ginza` wheel.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, ClassVar

from recognizers.base import Hit, OwnFindRecognizer, PatternSpec
from recognizers.person import JA_RE2
from recognizers.person import SPEC as PERSON_SPEC
from recognizers.spec import EntitySpec

GINZA_PACKAGE = "ja_ginza"
# A place name is an address only when a block / lot number follows it closely.
_STREET_NUMBER = re.compile(r"[^\n。、]{0,12}?(?:\d+(?:丁目|番地?|号|-\d)|[一二三四五六七八九十]+丁目)")
# GiNZA's NER labels (Sekine's extended named entity hierarchy) -> piiscan entities
LABELS: dict[str, str] = {
    "Person": "PERSON",
    "Province": "ADDRESS",
    "City": "ADDRESS",
    "County": "ADDRESS",
    "Address_Other": "ADDRESS",
    "Postal_Address": "ADDRESS",
}


def ginza_available() -> bool:
    """Whether the GiNZA model is installed, asked without importing spaCy (1.5 s of start-up)."""
    import importlib.util

    return importlib.util.find_spec(GINZA_PACKAGE.replace("-", "_")) is not None


@cache
def _load_ginza() -> Any:
    import spacy

    return spacy.load(GINZA_PACKAGE, exclude=["compound_splitter", "bunsetu_recognizer"])


class JapaneseNerRecognizer(OwnFindRecognizer):
    """Names and places that a NER model finds in Japanese free text."""

    ENTITY = "PERSON"
    SPEC: ClassVar[EntitySpec] = PERSON_SPEC
    EXTRA_ENTITIES = ("ADDRESS",)
    # Japanese free text of some length: short cells (a city, a street) are values that
    # the column classifier reads better, and the model mistakes places for people there.
    PREFILTER = f"(?s){JA_RE2}{{2}}.{{13,}}|.{{13,}}{JA_RE2}{{2}}"
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = ()
    NER = True  # the engine budgets its calls (see scanner/detect/engine.py)
    SCORE = 0.6
    MIN_CHARS = 2

    def __init__(self, supported_language: str = "ja", name: str | None = None, nlp: Any = None):
        super().__init__(supported_language=supported_language, name=name)
        self._nlp = nlp  # a spaCy pipeline with an NER (tests pass a stand-in); default: GiNZA

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = _load_ginza()
        return self._nlp

    def find(self, text: str) -> list[Hit]:
        hits = []
        for ent in self.nlp(text).ents:
            entity = LABELS.get(ent.label_)
            if not entity or len(ent.text.strip()) < self.MIN_CHARS:
                continue
            if entity == "ADDRESS" and not _STREET_NUMBER.match(text, ent.end_char):
                continue  # 「沖縄3日間」「札幌の雪まつり」: a place, not where someone lives
            hits.append(Hit(entity, ent.start_char, ent.end_char, self.SCORE, ent.text, f"ner:{ent.label_}"))
        return hits

    def __getstate__(self) -> dict[str, Any]:  # the model is not pickled (Spark, processes)
        state = super().__getstate__()
        state["_nlp"] = None
        return state
