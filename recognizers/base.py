"""The shape every piiscan recognizer shares.

A recognizer is declarative, like Presidio's own: a loose RE2 `PREFILTER`
(so a whole column can be screened in one vectorised pass), exact `PATTERNS`
(Python `re`, run only on candidates), a pure `validate` (check digits, ranges)
with a bulk `validate_many` for whole columns, `CONTEXT` words in Japanese and
English, and `FIELD_HINTS` for column names. `find()` is the single
per-value detection routine; Presidio's `analyze()` and piiscan's vectorised
engine both call it, so the two paths cannot disagree.

All matching happens on NFKC-normalised text (full-width digits and letters
become ASCII); `analyze()` maps offsets back to the caller's original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

# Separators people put inside numbers, after NFKC (which already maps full-width
# forms to ASCII). The katakana long-vowel mark is a common typo for a hyphen.
SEP = r"[ \-‐‑‒–—―−ー]"
SEP_RE2 = r"[ \-‐‑‒–—―−ー]"


@dataclass(frozen=True)
class Hit:
    """One match in normalised text. `value` is raw: mask it before it leaves detection."""

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


def normalize(text: str) -> str:
    """NFKC: the form all patterns are written for."""
    return unicodedata.normalize("NFKC", text)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFKC-normalise `text` and return, for each normalised index (and one past the end),
    the index in the original text it came from."""
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        # keep combining marks (and half-width voiced marks) with their base character
        while j < n and (unicodedata.combining(text[j]) or text[j] in "\uff9e\uff9f"):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j])
        out.append(piece)
        offsets.extend([i] * len(piece))
        i = j
    offsets.append(n)
    return "".join(out), offsets


def normalize_field_name(name: str) -> str:
    """`CardNumber`, `card-number`, `ＣＡＲＤ　ＮＯ` -> `card_number` / `card_no` for hint matching."""
    name = normalize(name or "")
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    name = name.lower()
    return re.sub(r"[\s\-./:#()\[\]]+", "_", name).strip("_")


class PiiRecognizer(EntityRecognizer):
    """Base for all piiscan recognizers; subclasses set the class attributes."""

    ENTITY: ClassVar[str]
    # Other entity types this recognizer can emit (e.g. an MRZ also yields PERSON).
    EXTRA_ENTITIES: ClassVar[tuple[str, ...]] = ()
    # RE2 syntax, searched (unanchored) in NFKC text; must match every text in which
    # find() can return a hit. Used to screen whole columns at once.
    PREFILTER: ClassVar[str]
    PATTERNS: ClassVar[tuple[PatternSpec, ...]]
    # RE2 syntax, matched against a whole stripped NFKC cell of a structured column
    # (anchor it with ^...$). None: this entity is not classified column-wise.
    VALUE_PATTERN: ClassVar[str | None] = None
    # A looser whole-cell pattern used instead when the field name hints at this entity
    # (e.g. any state's passport format in a `passport_no` column). None: VALUE_PATTERN.
    VALUE_PATTERN_WITH_HINT: ClassVar[str | None] = None
    # Lower-case words near a match that make it more likely (Japanese and English).
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    # Words near a match that make it something else (order no., session id...).
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ()
    # True: a match without a CONTEXT word nearby (or a field hint) is never reported.
    CONTEXT_REQUIRED: ClassVar[bool] = False
    CONTEXT_CHARS_BEFORE: ClassVar[int] = 40
    CONTEXT_CHARS_AFTER: ClassVar[int] = 10
    CONTEXT_BOOST: ClassVar[float] = 0.35
    # Regexes searched in a normalised field name / dotted path (see normalize_field_name).
    # True: a cell matching VALUE_PATTERN *is* the identifier (a card number, an e-mail).
    # False: the pattern only says the cell mentions the entity (a note about a
    # wheelchair), so such cells are also read as free text.
    CELL_IS_VALUE: ClassVar[bool] = True
    FIELD_HINTS: ClassVar[tuple[str, ...]] = ()
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = ()
    # True when validate_many is vectorised (NumPy/Arrow) and cheap on millions of
    # values; False: a full scan validates a random subset of a column's matches and
    # extrapolates (the column decision only needs the pass rate).
    BULK_VALIDATION: ClassVar[bool] = False
    # Hits scoring below this are dropped by find().
    MIN_SCORE: ClassVar[float] = 0.4

    def __init__(self, supported_language: str = "en", name: str | None = None):
        self._compiled = [(p, re.compile(p.regex)) for p in self.PATTERNS]
        self._context_re = _word_alternation(self.CONTEXT)
        self._negative_re = _word_alternation(self.NEGATIVE_CONTEXT)
        self._hint_re = re.compile("|".join(f"(?:{h})" for h in self.FIELD_HINTS)) if self.FIELD_HINTS else None
        self._neg_hint_re = (
            re.compile("|".join(f"(?:{h})" for h in self.FIELD_NEGATIVE_HINTS)) if self.FIELD_NEGATIVE_HINTS else None
        )
        super().__init__(
            supported_entities=[self.ENTITY, *self.EXTRA_ENTITIES],
            name=name or type(self).__name__,
            supported_language=supported_language,
            context=list(self.CONTEXT),
        )

    # --- Presidio API -------------------------------------------------------------
    def load(self) -> None:  # nothing to load: patterns compile in __init__
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        normalised, offsets = normalize_with_offsets(text)
        results = []
        for hit in self.find(normalised):
            if entities and hit.entity_type not in entities:
                continue
            explanation = AnalysisExplanation(
                recognizer=self.name, original_score=hit.score, pattern_name=hit.pattern, pattern=None
            )
            results.append(
                RecognizerResult(
                    entity_type=hit.entity_type,
                    start=offsets[hit.start],
                    end=offsets[hit.end],
                    score=hit.score,
                    analysis_explanation=explanation,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        # our own context logic already ran: keep Presidio's enhancer off
                        RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
                    },
                )
            )
        return results

    # --- piiscan API ----------------------------------------------------------------
    def cell_pattern(self, field_name: str | None) -> str | None:
        """The whole-cell pattern for a column with this name (looser when the name says it)."""
        if self.VALUE_PATTERN_WITH_HINT and self.field_hint(field_name) > 0:
            return self.VALUE_PATTERN_WITH_HINT
        return self.VALUE_PATTERN

    def validate(self, candidate: str) -> bool:
        """Check digits, ranges, calendar...: True when `candidate` can be this entity."""
        return True

    def validate_many(self, candidates: Sequence[str]) -> np.ndarray:
        """Bulk `validate` for a column of candidates; override with NumPy where it pays."""
        return np.fromiter((self.validate(c) for c in candidates), dtype=bool, count=len(candidates))

    def validate_field(self, candidates: Sequence[str], field_name: str | None) -> np.ndarray:
        """`validate_many` for the cells of one named column (a name can widen what is valid)."""
        return self.validate_many(candidates)

    def context_score(self, text: str, start: int, end: int) -> int:
        """+1 when a CONTEXT word is near the match, -1 for a NEGATIVE_CONTEXT word, else 0."""
        lo = max(0, start - self.CONTEXT_CHARS_BEFORE)
        window = text[lo:start].lower() + " " + text[end : end + self.CONTEXT_CHARS_AFTER].lower()
        if self._negative_re is not None and self._negative_re.search(window):
            return -1
        if self._context_re is not None and self._context_re.search(window):
            return 1
        return 0

    def field_hint(self, field_name: str | None) -> int:
        """+1 when the field name suggests this entity, -1 when it says it is something else."""
        if not field_name:
            return 0
        name = normalize_field_name(field_name)
        if self._neg_hint_re is not None and self._neg_hint_re.search(name):
            return -1
        if self._hint_re is not None and self._hint_re.search(name):
            return 1
        return 0

    def find(self, text: str) -> list[Hit]:
        """All hits in NFKC-normalised `text`: pattern, then validator, then context."""
        hits: list[Hit] = []
        taken: list[tuple[int, int]] = []
        for spec, regex in self._compiled:
            for m in regex.finditer(text):
                group = "value" if "value" in regex.groupindex else 0
                start, end = m.span(group)
                if start < 0 or any(s < end and start < e for s, e in taken):
                    continue
                candidate = m.group(group)
                if not self.validate(candidate):
                    continue
                context = self.context_score(text, start, end)
                if context < 0 or (self.CONTEXT_REQUIRED and context == 0):
                    continue
                score = min(1.0, spec.score + (self.CONTEXT_BOOST if context > 0 else 0.0))
                if score < self.MIN_SCORE:
                    continue
                taken.append((start, end))
                hits.append(Hit(self.ENTITY, start, end, score, candidate, spec.name))
        return hits


def _word_alternation(words: Sequence[str]) -> re.Pattern[str] | None:
    """One regex for a list of context words; ASCII words match on word boundaries."""
    if not words:
        return None
    parts = []
    for w in words:
        escaped = re.escape(w.lower())
        if re.fullmatch(r"[a-z0-9 _\-]+", w.lower()):
            parts.append(rf"(?<![a-z]){escaped}(?![a-z])")
        else:
            parts.append(escaped)
    return re.compile("|".join(parts))
