"""Masking of evidence: the one place where a raw value becomes printable.

Everything downstream of detection (findings, violations, reports, the state
store, logs) only ever holds `Masked` strings. Each identifier's rule lives with
its recognizer (`recognizers.masks`, named in its `EntitySpec`): it keeps just
enough for a reviewer to recognise the kind of value (a card's first six and
last four digits, as PCI DSS allows for display) and nothing that identifies a
person.
"""

from __future__ import annotations

from collections.abc import Callable


class Masked(str):
    """A string that has been through `mask`; the only kind a Finding accepts."""

    __slots__ = ()


def mask(entity_type: str, value: str, rule: Callable[[str], str] | None = None) -> Masked:
    """Mask `value` as evidence of `entity_type` by `rule`, else the rule its recognizer
    declares (`recognizers.registry`; an unknown type keeps 2+2 characters)."""
    if rule is None:
        from recognizers.registry import mask_rule  # lazy: the registry loads every recognizer

        rule = mask_rule(entity_type)
    return Masked(rule(str(value)))


# One scrubber for names, messages and logs: scanner.scrubbing (re-exported for old imports).
from scanner.scrubbing import scrub, scrub_name  # noqa: E402,F401
