"""A finding's `why` as one sentence a reviewer reads, in Japanese or English.

The detector publishes `why` as numbers and our own vocabulary (recognizer
names, the column-name pattern that matched, the share of values that matched
and validated, the validator's pass rate, the context words that decided), never
a scanned value, so the sentence can be printed in any report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HINT_CHARS = 40
_PHRASES = {
    "en": {"column": "column name matches {hint}", "not_column": "column name says it is not ({hint})",
           "share": "{share:.0%} of values matched and validated", "validator": "validator passed {rate:.0%}",
           "context": "context: {words}", "text": "found in text {hits:,} times", "by": "by {names}",
           "sep": "; "},
    "ja": {"column": "列名が一致({hint})", "not_column": "列名が否定({hint})",
           "share": "値の{share:.0%}が一致・検証済み", "validator": "検証合格率{rate:.0%}",
           "context": "文脈語: {words}", "text": "本文中で{hits:,}件", "by": "認識器: {names}", "sep": "、"},
}


def why_sentence(why: Mapping[str, Any] | None, lang: str) -> str:
    """`why` worded for a reader ("" when the finding carries none, as in older results)."""
    if not isinstance(why, Mapping):
        return ""
    words = _PHRASES.get(lang, _PHRASES["en"])
    parts: list[str] = []
    hint = why.get("column_hint")
    if isinstance(hint, str) and hint:
        negative = hint.startswith("not:")
        hint = hint.removeprefix("not:")
        hint = hint if len(hint) <= HINT_CHARS else hint[:HINT_CHARS] + "…"  # the whole pattern is in the JSON
        parts.append(words["not_column" if negative else "column"].format(hint=hint))
    share, rate = why.get("share"), why.get("validator_pass_rate")
    if isinstance(share, (int, float)) and not isinstance(share, bool):
        parts.append(words["share"].format(share=share))
    if isinstance(rate, (int, float)) and not isinstance(rate, bool):
        parts.append(words["validator"].format(rate=rate))
    context = [str(w) for w in why.get("context_words") or ()][:5]
    if context:
        parts.append(words["context"].format(words=", ".join(context)))
    hits = why.get("text_hits")
    if isinstance(hits, int) and not isinstance(hits, bool) and hits:
        parts.append(words["text"].format(hits=hits))
    names = [str(n) for n in why.get("recognizers") or ()]
    if names:
        parts.append(words["by"].format(names=", ".join(names)))
    return words["sep"].join(parts)
