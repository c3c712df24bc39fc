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

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from recognizers.digit_template import digit_translation
from recognizers.hits import Hit, PatternSpec  # noqa: F401 - the recognizers import them from here
from recognizers.presidio_light import AnalysisExplanation, EntityRecognizer, RecognizerResult
from recognizers.spec import EntitySpec
from recognizers.template_find import find_by_template, template_patterns

# Separators people put inside numbers, after NFKC (which already maps full-width
# forms to ASCII): the space, the ASCII hyphen and these dashes. The katakana long-vowel
# mark is a common typo for a hyphen.
NON_ASCII_DASHES = "‐‑‒–—―−ー"
SEP = rf"[ \-{NON_ASCII_DASHES}]"  # one separator; the same text in Python `re` and RE2
SEP_RE2 = SEP


# Methods whose base behaviour the digit-template path relies on: a recognizer that
# overrides one keeps the text-by-text path.
_TEMPLATE_SAFE = ("find_many", "context_score", "_decide_context", "_keyword_matches", "accept_matches")
# Batches smaller than this go text by text (grouping by digit template would not pay).
TEMPLATE_MIN_TEXTS = 16
# Fewer candidates than this are validated one by one (a NumPy call costs more there).
BULK_MIN_CANDIDATES = 8
# Distinct context windows remembered per recognizer, then the memo starts again
# (a log has a few hundred templates; this bounds memory at a few MB per recognizer).
CONTEXT_MEMO_SIZE = 10_000


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


@functools.lru_cache(maxsize=65_536)  # every recognizer asks it of every column name
def normalize_field_name(name: str) -> str:
    """`CardNumber`, `card-number`, `ＣＡＲＤ　ＮＯ` -> `card_number` / `card_no` for hint matching."""
    name = normalize(name or "")
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    name = name.lower()
    return re.sub(r"[\s\-./:#()\[\]]+", "_", name).strip("_")


class PiiRecognizer(EntityRecognizer):
    """Base for all piiscan recognizers; subclasses set the class attributes."""

    ENTITY: ClassVar[str]
    # ENTITY's mask rule, ja/en labels and default policy category (see recognizers.spec)
    SPEC: ClassVar[EntitySpec]
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
    # True for model-based recognizers (slow): the engine gives them a bounded number
    # of distinct free-text values per column.
    NER: ClassVar[bool] = False
    # True when find() gives the same spans whatever the digits in the text are (names,
    # keywords): the engine then calls it once for texts that differ only in digits.
    DIGIT_INVARIANT: ClassVar[bool] = False
    # True when an overridden `accept_match` (and `accept_matches`) decides on the value alone (not
    # the match object, None on the digit-template path): digit templates may share pattern passes.
    ACCEPT_BY_VALUE: ClassVar[bool] = False
    # True when an overridden `_decide_context` reads the two windows alone (as the base does).
    CONTEXT_BY_WINDOW: ClassVar[bool] = False
    # Hits scoring below this are dropped by find().
    MIN_SCORE: ClassVar[float] = 0.4

    def __init__(self, supported_language: str = "en", name: str | None = None):
        self._compiled = [(p, re.compile(p.regex)) for p in self.PATTERNS]
        self._context_re = _word_alternation(self.CONTEXT)
        self._negative_re = _word_alternation(self.NEGATIVE_CONTEXT)
        self._hint_re = re.compile("|".join(f"(?:{h})" for h in self.FIELD_HINTS)) if self.FIELD_HINTS else None
        # digit templates (see find_many): only for the generic pipeline, whose acceptance
        # looks at the value alone
        value_only = type(self).accept_match is PiiRecognizer.accept_match or self.ACCEPT_BY_VALUE
        generic = all(getattr(type(self), name) is getattr(PiiRecognizer, name) for name in _TEMPLATE_SAFE
                      if not (name == "_decide_context" and self.CONTEXT_BY_WINDOW)
                      and not (name == "accept_matches" and self.ACCEPT_BY_VALUE))
        # None (text by text) when a pattern cannot be analysed (recognizers.template_find)
        self._templates = template_patterns(self) if value_only and generic else None
        # context decisions depend on the windows around a match only (see context_score)
        self._context_memo: dict[tuple[str, str], int] = {}
        # only the digits of the context words ("last 4", "track1") decide: the others are
        # masked in the memo key, so lines that differ only in them share a decision
        self._context_digits = digit_translation([], (*self.CONTEXT, *self.NEGATIVE_CONTEXT))
        self._neg_hint_re = (
            re.compile("|".join(f"(?:{h})" for h in self.FIELD_NEGATIVE_HINTS)) if self.FIELD_NEGATIVE_HINTS else None
        )
        super().__init__(
            supported_entities=[self.ENTITY, *self.EXTRA_ENTITIES],
            name=name or type(self).__name__,
            supported_language=supported_language,
            context=list(self.CONTEXT),
        )

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "find" in vars(cls) and "find_many" not in vars(cls) and not issubclass(cls, OwnFindRecognizer):
            # the engine calls find_many: a find() of its own would silently be bypassed
            raise TypeError(f"{cls.__name__} overrides find(): derive it from OwnFindRecognizer "
                            "or override find_many() instead")

    def __getstate__(self) -> dict:
        """Pickled for Spark executors and worker processes: without the memo (it refills)."""
        state = dict(self.__dict__)
        state["_context_memo"] = {}
        return state

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

    def validate_field(self, candidates: Sequence[str], field_name: str | None,
                       valid: np.ndarray | None = None) -> np.ndarray:
        """`validate_many` for the cells of one named column (a name can widen what is valid).
        `valid`: `validate_many(candidates)` already computed (the engine validates many short
        columns in one call, `scanner.detect.stack`); an override adds its column rules to it."""
        return self.validate_many(candidates) if valid is None else valid

    def context_score(self, text: str, start: int, end: int) -> int:
        """+1 when the nearest keyword is a CONTEXT word, -1 when it is a NEGATIVE_CONTEXT word, else 0.

        Why the nearest: a log line or ticket often names several things ("予約番号 JPK…、
        パスポート番号 TK…", "jmb=… passport=…"), and the label a value belongs to is the
        one written just before it. So the nearest keyword before the match decides; only
        when there is none does the text right after it count.
        """
        before = text[max(0, start - self.CONTEXT_CHARS_BEFORE) : start]
        after = text[end : end + self.CONTEXT_CHARS_AFTER]
        key = (before.translate(self._context_digits), after.translate(self._context_digits))
        decided = self._context_memo.get(key)
        if decided is None:
            decided = self._decide_context(before, after)
            if len(self._context_memo) >= CONTEXT_MEMO_SIZE:
                self._context_memo.clear()
            self._context_memo[key] = decided
        return decided

    def _decide_context(self, before: str, after: str) -> int:
        found = self._keyword_matches(before)
        if found:
            # nearest = ending last; on a tie the longer keyword (starting first) wins
            return max(found, key=lambda k: (k[1], -k[0]))[2]
        found = self._keyword_matches(after)
        if found:
            return min(found, key=lambda k: (k[0], -k[1]))[2]
        return 0

    def _keyword_matches(self, window: str) -> list[tuple[int, int, int]]:
        """(start, end, +1 or -1) for every context / negative keyword in `window`."""
        window = context_text(window)
        found: list[tuple[int, int, int]] = []
        for regex, sign in ((self._context_re, 1), (self._negative_re, -1)):
            if regex is not None:
                found.extend((m.start(), m.end(), sign) for m in regex.finditer(window))
        return found

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
        """All hits in NFKC-normalised `text`, in text order: pattern, then `accept_match`
        (the validator), then `accept_context`. Earlier patterns win overlaps."""
        return self.find_many([text])[0]

    def find_many(self, texts: Sequence[str]) -> list[list[Hit]]:
        """`find` for many texts at once, with the same hits.

        Why a batch: a dense log sends a hundred thousand lines to each recognizer, and
        per line the pattern, validator and context decision cost ~15 µs in Python. So
        the candidates of one pattern over all texts are validated in one `validate_many`
        call (NumPy for cards, passports, My Numbers...), context decisions are memoised
        on their windows (see `context_score`), and where the patterns allow it, texts
        that differ only in digits the patterns cannot tell apart share one pattern and
        context pass (see `recognizers.digit_template`).
        """
        if self._templates is not None and len(texts) >= TEMPLATE_MIN_TEXTS:
            return self._find_by_template(texts)
        return self._find_text_by_text(texts)

    def _find_by_template(self, texts: Sequence[str]) -> list[list[Hit]]:
        """Patterns and context once per digit template of each pattern, the real values
        validated in bulk (see `recognizers.template_find`)."""
        assert self._templates is not None
        return find_by_template(self, self._templates, texts)

    def _find_text_by_text(self, texts: Sequence[str]) -> list[list[Hit]]:
        """The reference path: each text through the patterns, validator and context."""
        found: list[list[Hit]] = [[] for _ in texts]
        for spec, regex in self._compiled:
            group = "value" if "value" in regex.groupindex else 0
            matches: list[tuple[int, re.Match[str], int, int]] = []
            for i, text in enumerate(texts):
                taken = found[i]
                for m in regex.finditer(text):
                    start, end = m.span(group)
                    if start < 0 or (taken and any(h.start < end and start < h.end for h in taken)):
                        continue  # matches of one pattern never overlap: only earlier patterns' hits count
                    matches.append((i, m, start, end))
            if not matches:
                continue
            values = [m.group(group) for _, m, _, _ in matches]
            accepted = self.accept_matches(spec, [m for _, m, _, _ in matches], values)
            for (i, _, start, end), value, ok in zip(matches, values, accepted, strict=False):
                if not ok:
                    continue
                context = self.context_score(texts[i], start, end)
                if not self.accept_context(spec, context):
                    continue
                score = min(1.0, spec.score + (self.CONTEXT_BOOST if context > 0 else 0.0))
                if score >= self.MIN_SCORE:
                    found[i].append(Hit(self.ENTITY, start, end, score, value, spec.name))
        return [sorted(hits, key=lambda h: h.start) if len(hits) > 1 else hits for hits in found]

    def accept_matches(self, spec: PatternSpec, matches: Sequence[re.Match[str]],
                       candidates: Sequence[str]) -> np.ndarray:
        """`accept_match` for many matches of one pattern: one `validate_many` call when
        the validator alone decides (a few candidates go one by one: NumPy costs more there)."""
        if type(self).accept_match is PiiRecognizer.accept_match and len(candidates) >= BULK_MIN_CANDIDATES:
            return np.asarray(self.validate_many(candidates), dtype=bool)
        return np.fromiter((self.accept_match(spec, m, c) for m, c in zip(matches, candidates, strict=False)),
                           dtype=bool, count=len(candidates))

    def accept_match(self, spec: PatternSpec, match: re.Match[str], candidate: str) -> bool:
        """Whether a pattern match can be this entity; by default the validator decides."""
        return self.validate(candidate)

    def accept_context(self, spec: PatternSpec, context: int) -> bool:
        """Whether the context (see `context_score`) allows the hit: no negative word
        nearest, and a context word when `CONTEXT_REQUIRED`."""
        return context > 0 or (context == 0 and not self.CONTEXT_REQUIRED)

class OwnFindRecognizer(PiiRecognizer):
    """Base for recognizers whose `find` is their own (a lexicon, a parser, a model) rather
    than the pattern-validator-context pipeline: `find_many` calls it text by text."""

    def find(self, text: str) -> list[Hit]:
        raise NotImplementedError

    def find_many(self, texts: Sequence[str]) -> list[list[Hit]]:
        return [self.find(text) for text in texts]


def context_text(text: str) -> str:
    """The form context words are matched in: lower case, `_` read as a space (so the key
    `pp_no=` reads as the words "pp no"). Keeps the length, so offsets stay valid."""
    return text.lower().replace("_", " ")


def _word_alternation(words: Sequence[str]) -> re.Pattern[str] | None:
    """One regex for a list of context words, longest phrase first.

    Longest first: at one position the alternation takes the first word that matches,
    and the nearest-keyword rule needs the longest ("passport expiry", not "passport").
    ASCII words match as whole words: no letter next to them, and no hyphen joining
    them to another word (`[booking-api]` is a service name, not the word "booking";
    `JMB-417532270` still reads as "jmb").
    """
    forms = sorted(dict.fromkeys(context_text(w) for w in words), key=len, reverse=True)
    if not forms:
        return None
    ascii_words = [re.escape(w) for w in forms if re.fullmatch(r"[a-z0-9 \-]+", w)]
    other_words = [re.escape(w) for w in forms if not re.fullmatch(r"[a-z0-9 \-]+", w)]
    parts = []
    if other_words:  # first: these can start with ASCII ("jmb会員番号") and are the longer reading
        parts.append("(?:" + "|".join(other_words) + ")")
    if ascii_words:  # the word-boundary checks once around the group, not per word (much faster)
        parts.append(r"(?<![a-z])(?<![a-z]-)(?:" + "|".join(ascii_words) + r")(?![a-z])(?!-[a-z])")
    return re.compile("|".join(parts))


def re2_words(words: Sequence[str]) -> str | None:
    """A case-insensitive RE2 alternation of context words: a cheap superset of `context_score`'s check.

    `context_score` reads "_" as a space, so "pp no" also stands for "pp_no".
    """
    if not words:
        return None
    alternatives = (re.escape(w.lower().replace("_", " ")).replace(r"\ ", "[ _]") for w in words)
    return "(?i)(?:" + "|".join(alternatives) + ")"
