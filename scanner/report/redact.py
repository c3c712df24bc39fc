"""Last line of defence: no report ever prints a full card, passport or My Number.

Findings and violations are masked where they are made (scanner.detect.masking),
so for a result the scanner wrote this changes nothing. But a report can be
rendered from any JSON file (hand-edited, written by an older tool, or holding
an error message that quoted a raw line), and a leaked PAN in a report filed to
a ticket system is an incident. So every string a report prints goes through
`redact`, which re-masks anything shaped like an unmasked identifier with the
same `mask` rules, using python-stdnum's check digits to avoid masking innocent
numbers.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# A long hex token is a hash (a fingerprint), whatever digit runs it happens to hold.
_HEX_TOKEN = re.compile(r"[0-9a-fA-F]{32,}")


def _inside_hash(match: re.Match[str]) -> bool:
    source, start, end = match.string, match.start(), match.end()
    while start > 0 and source[start - 1].isascii() and source[start - 1].isalnum():
        start -= 1
    while end < len(source) and source[end].isascii() and source[end].isalnum():
        end += 1
    return bool(_HEX_TOKEN.fullmatch(source[start:end]))


def _passes() -> list[tuple[re.Pattern[str], Any, Any]]:
    """(pattern, check, mask rule) of every identifier whose recognizer declares a `Redaction`."""
    from recognizers.registry import redactions  # lazy: the registry loads every recognizer

    return [(spec.redaction.regex, spec.redaction.check, spec.mask) for spec in redactions()]


def _substitute(text: str, pattern: re.Pattern[str], check: Any, rule: Any) -> str:
    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if _inside_hash(match) or (check is not None and not check(found)):
            return found  # a hash, or check digits say no: a timestamp or an order number is not a card
        return rule(found)

    return pattern.sub(replace, text)


def redact(text: str) -> str:
    """`text` with every unmasked identifier a recognizer declares a `Redaction` for masked
    (card numbers, track data, My Numbers, passport numbers)."""
    if not text:
        return text
    passes = _passes()
    # Full-width digits and letters (４１１１…) are folded first so they cannot slip past.
    folded = unicodedata.normalize("NFKC", text)
    if folded != text and any(pattern.search(folded) for pattern, _, _ in passes):
        text = folded
    for pattern, check, rule in passes:
        text = _substitute(text, pattern, check, rule)
    return text


def redact_value(value: Any) -> Any:
    """`redact` applied to every string inside `value` (dicts, lists, scalars); other types unchanged."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(v) for v in value]
    return value
