"""Why a recognizer decided: the column-name hint and the context word behind a hit.

Why apart from `recognizers.base`: detection itself only needs the decision
(+1 / 0 / -1); reviewers ask which word or column name made it, so the engine
asks here for a few hits per finding (see `scanner.detect.why`). Both answers are
words from the recognizer's own vocabulary (its `CONTEXT` words and
`FIELD_HINTS` patterns), never a scanned value.
"""

from __future__ import annotations

import re

from recognizers.base import PiiRecognizer, context_text, normalize_field_name


def deciding_word(recognizer: PiiRecognizer, text: str, start: int, end: int) -> str | None:
    """The context word that raised the hit at `text[start:end]` (the nearest one before it,
    else the first after it, as `PiiRecognizer.context_score` decides), or None."""
    before = text[max(0, start - recognizer.CONTEXT_CHARS_BEFORE) : start]
    after = text[end : end + recognizer.CONTEXT_CHARS_AFTER]
    for window, nearest in ((before, max), (after, min)):
        found = recognizer._keyword_matches(window)
        if found:
            key = (lambda k: (k[1], -k[0])) if nearest is max else (lambda k: (k[0], -k[1]))
            s, e, sign = nearest(found, key=key)
            return context_text(window)[s:e].strip() if sign > 0 else None
    return None


def hint_pattern(recognizer: PiiRecognizer, field_name: str | None) -> str | None:
    """The `FIELD_HINTS` (or, prefixed ``not:``, `FIELD_NEGATIVE_HINTS`) pattern that the
    column name matches, as `PiiRecognizer.field_hint` reads it; None when none does."""
    if not field_name:
        return None
    name = normalize_field_name(field_name)
    for prefix, hints in (("not:", recognizer.FIELD_NEGATIVE_HINTS), ("", recognizer.FIELD_HINTS)):
        for hint in hints:
            if re.search(hint, name):
                return prefix + hint
    return None
