"""`find_many` for texts that differ mostly in their digits: each pattern reads each of its
templates once, and the real values are validated in bulk.

Why: a log line differs from the next mostly in its digits (a timestamp, an amount, the
number itself), and per line the pattern, validator and context decision cost ~15 µs in
Python. A match on a *digit template* (the text with the digits a pattern cannot tell
apart replaced by one representative, see `recognizers.digit_template`) is a match of
every text behind it, at the same span, so a pattern runs once per template.

Two things make templates coincide where lines differ only in what a pattern cannot see:

- **A template per pattern.** Each pattern keeps only the digits *it* tells apart (its own
  regex and the context words): `[0-9]{13,19}` reads every card line as one text even when
  the recognizer's phone pattern next to it must keep `0` and `1` apart. With one table for
  the whole recognizer, a timestamp's zeros and ones split every line from the next.
- **A start for patterns that begin with words** (`PatternSpec.starts_with`, RE2): every match
  of `after a phone word, a national number` begins with a phone word, so nothing before the
  first one (the timestamp, the level) can be part of a match; the pattern reads each text
  from there. Found in Arrow for the batch at once, and only in ASCII texts (where Arrow's
  byte offsets are character offsets and RE2's case folding is Python's); an ASCII text with
  no such word is not read at all, any other text is read whole.

Context is decided per template as before, except after a cut, where the window before a
match reaches back past the cut: there each text's own window decides (memoised on its
words, see `PiiRecognizer.context_score`). What differs between texts of one template is the
value: validated per text, then overlaps are resolved per text in pattern order, as
`PiiRecognizer._find_text_by_text` does. Matches that overlap an earlier pattern's hit are
dropped before validation: that outcome does not depend on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recognizers.digit_template import digit_translation
from recognizers.hits import Hit, PatternSpec


class TemplateReader(Protocol):
    """What the template path reads of a recognizer (`recognizers.base.PiiRecognizer`)."""

    ENTITY: ClassVar[str]
    CONTEXT: ClassVar[tuple[str, ...]]
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]]
    CONTEXT_BOOST: ClassVar[float]
    MIN_SCORE: ClassVar[float]
    _compiled: list[tuple[PatternSpec, re.Pattern[str]]]

    def context_score(self, text: str, start: int, end: int) -> int: ...

    def accept_context(self, spec: PatternSpec, context: int) -> bool: ...

    def accept_matches(self, spec: PatternSpec, matches: Sequence[Any], candidates: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class TemplatePattern:
    """One pattern of a recognizer, ready for the template path."""

    spec: PatternSpec
    regex: re.Pattern[str]
    group: str | int  # the `value` group, else the whole match
    table: str  # `str.translate` table: the digits this pattern (and the context words) tell apart


def template_patterns(recognizer: TemplateReader) -> list[TemplatePattern] | None:
    """The recognizer's patterns with their own digit tables, or None when one cannot be
    analysed (the recognizer then keeps the text-by-text path)."""
    words = (*recognizer.CONTEXT, *recognizer.NEGATIVE_CONTEXT)
    out = []
    for spec, regex in recognizer._compiled:
        table = digit_translation([spec.regex], words)
        if table is None:
            return None
        out.append(TemplatePattern(spec, regex, "value" if "value" in regex.groupindex else 0, table))
    return out


def find_by_template(recognizer: TemplateReader, patterns: Sequence[TemplatePattern],
                     texts: Sequence[str]) -> list[list[Hit]]:
    """`find` for every text (the same hits), each pattern run once per template of its own."""
    found: list[list[Hit]] = [[] for _ in texts]
    shared: dict[str, dict[str, list[int]]] = {}  # table -> its templates (patterns alike share them)
    for pattern in patterns:
        spec = pattern.spec
        cuts = _cuts(texts, spec.starts_with) if spec.starts_with else None
        members = shared.get(pattern.table) if cuts is None else None
        if members is None:
            members = {}
            for i, text in enumerate(texts):
                cut = 0 if cuts is None else int(cuts[i])
                if cut >= 0:
                    members.setdefault((text[cut:] if cut else text).translate(pattern.table), []).append(i)
            if cuts is None:
                shared[pattern.table] = members
        entries: list[tuple[int, int, int, float]] = []  # text, start, end, score
        for template, indices in members.items():
            for m in pattern.regex.finditer(template):
                start, end = m.span(pattern.group)
                if start < 0:
                    continue
                if cuts is None:  # one window for every text of the template
                    score = _score(recognizer, spec, recognizer.context_score(template, start, end))
                    if score is not None:
                        entries += [(i, start, end, score) for i in indices
                                    if not found[i] or not _overlaps(found[i], start, end)]
                    continue
                for i in indices:  # past a cut each text's window before the match is its own
                    cut = int(cuts[i])
                    if not found[i] or not _overlaps(found[i], start + cut, end + cut):
                        score = _score(recognizer, spec, recognizer.context_score(texts[i], start + cut, end + cut))
                        if score is not None:
                            entries.append((i, start + cut, end + cut, score))
        if not entries:
            continue
        values = [texts[i][start:end] for i, start, end, _ in entries]
        accepted = recognizer.accept_matches(spec, [None] * len(values), values)
        for (i, start, end, score), value, ok in zip(entries, values, accepted, strict=True):
            if ok:  # a pattern's own matches never overlap (finditer), earlier ones were dropped
                found[i].append(Hit(recognizer.ENTITY, start, end, score, value, spec.name))
    return [sorted(hits, key=lambda h: h.start) if len(hits) > 1 else hits for hits in found]


def _score(recognizer: TemplateReader, spec: PatternSpec, context: int) -> float | None:
    """The hit's score under this context, or None when the context or the score drops it."""
    if not recognizer.accept_context(spec, context):
        return None
    score = min(1.0, spec.score + (recognizer.CONTEXT_BOOST if context > 0 else 0.0))
    return score if score >= recognizer.MIN_SCORE else None


def _overlaps(hits: list[Hit], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of `hits` (callers skip the call for a text with none)."""
    return any(h.start < end and start < h.end for h in hits)


def _cuts(texts: Sequence[str], starts_with: str) -> np.ndarray:
    """Per ASCII text: where the first match of `starts_with` begins, or -1 (none: the pattern
    cannot match the text). Other texts: 0, read whole. Not only because Arrow's offsets are
    bytes: Python's IGNORECASE matches `mobıle` (dotless i) to `mobile`, RE2's does not."""
    column = pa.array(texts, pa.string())
    first = pc.find_substring_regex(column, starts_with).to_numpy(zero_copy_only=False).astype(np.int64)
    ascii_text = pc.string_is_ascii(column).to_numpy(zero_copy_only=False)
    return np.where(ascii_text, first, 0)
