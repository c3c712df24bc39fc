"""Which digits a recognizer can tell apart, so texts that differ only in other digits
share one pattern-and-context pass.

Why: a log line differs from the next mostly in its digits (timestamps, amounts,
the numbers themselves). A pattern such as `[0-9]{13,19}` cannot see which digit
stands where, so its matches are the same in `card=4111…` and `card=5500…`; only
the validator (Luhn, ranges) must see the real value. `find_many` therefore runs
the patterns and the context decision once per *digit template* (the text with
digits replaced by a representative) and validates the real values in bulk.

That is exact only when every digit the patterns or context words treat apart
keeps its identity. This module reads each regex (Python's own parser) and
splits the ten ASCII digits into blocks the recognizer cannot distinguish: a
literal `0` (phone trunk prefixes) or `19|20` (years) makes those digits blocks
of their own, a class such as `[1-9]` splits `0` from the rest. A construct it
does not know, or a back-reference to a group that can hold digits, makes the
recognizer ineligible (None): it then keeps the text-by-text path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

try:  # Python >= 3.11
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

DIGITS = frozenset("0123456789")


class _Ineligible(Exception):
    """A construct whose view of digits is not modelled."""


def digit_translation(patterns: Sequence[str], words: Iterable[str] = ()) -> str | None:
    """A `str.translate` table mapping each ASCII digit to its block's representative
    (the smallest digit of the block), or None when the patterns cannot be analysed.
    Digits inside context `words` are kept apart too.

    The table is a 128-character string (other ASCII characters map to themselves,
    the rest is left alone): CPython translates ASCII text through it three times
    faster than through a dict."""
    blocks = [set(DIGITS)]
    try:
        for pattern in patterns:
            parsed = sre_parse.parse(pattern)
            groups = _group_contents(parsed)
            for digits in _digit_sets(parsed, groups):
                blocks = _split(blocks, digits)
    except _Ineligible:
        return None
    for word in words:
        for ch in word:
            if ch in DIGITS:
                blocks = _split(blocks, {ch})
    table = [chr(i) for i in range(128)]
    for block in blocks:
        for digit in block:
            table[ord(digit)] = min(block)
    return "".join(table)


def _split(blocks: list[set[str]], digits: set[str]) -> list[set[str]]:
    out = []
    for block in blocks:
        inside, outside = block & digits, block - digits
        out += [b for b in (inside, outside) if b]
    return out


def _group_contents(parsed) -> dict[int, list]:
    """Group number -> its sub-pattern (for back-references)."""
    found: dict[int, list] = {}

    def walk(items) -> None:
        for op, av in items:
            if op is sre_constants.SUBPATTERN:
                if av[0] is not None:
                    found[av[0]] = av[-1]
                walk(av[-1])
            elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) or op is getattr(
                    sre_constants, "POSSESSIVE_REPEAT", None):
                walk(av[2])
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                walk(av[1])
            elif op is sre_constants.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op is getattr(sre_constants, "ATOMIC_GROUP", None):
                walk(av)

    walk(parsed)
    return found


def _digit_sets(items, groups: dict[int, list]) -> Iterable[set[str]]:
    """Every set of digits some node of the pattern tests for (each splits the blocks)."""
    c = sre_constants
    for op, av in items:
        if op in (c.LITERAL, c.NOT_LITERAL):
            if chr(av) in DIGITS:
                yield {chr(av)}
        elif op is c.IN:
            yield _class_digits(av)
        elif op in (c.ANY, c.AT):
            continue
        elif op is c.SUBPATTERN:
            yield from _digit_sets(av[-1], groups)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) or op is getattr(c, "POSSESSIVE_REPEAT", None):
            yield from _digit_sets(av[2], groups)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            yield from _digit_sets(av[1], groups)
        elif op is c.BRANCH:
            for branch in av[1]:
                yield from _digit_sets(branch, groups)
        elif op is getattr(c, "ATOMIC_GROUP", None):
            yield from _digit_sets(av, groups)
        elif op is c.GROUPREF:
            # a back-reference compares text: only safe when its group never holds a digit
            if any(_may_hold_digit(node) for node in groups.get(av, [None])):
                raise _Ineligible
        else:
            raise _Ineligible(op)


def _may_hold_digit(node) -> bool:
    if node is None:
        return True
    op, av = node
    c = sre_constants
    if op is c.LITERAL:
        return chr(av) in DIGITS
    if op is c.IN:
        return bool(_class_digits(av))
    if op is c.NOT_LITERAL or op is c.ANY:
        return True
    if op is c.SUBPATTERN:
        return any(_may_hold_digit(n) for n in av[-1])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return any(_may_hold_digit(n) for n in av[2])
    if op is c.BRANCH:
        return any(_may_hold_digit(n) for branch in av[1] for n in branch)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return False
    return True


def _class_digits(items) -> set[str]:
    """The ASCII digits a character class `[...]` admits."""
    c = sre_constants
    negate = False
    admitted: set[str] = set()
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            if chr(av) in DIGITS:
                admitted.add(chr(av))
        elif op is c.RANGE:
            admitted |= {d for d in DIGITS if av[0] <= ord(d) <= av[1]}
        elif op is c.CATEGORY:
            if av in (c.CATEGORY_DIGIT, c.CATEGORY_WORD, c.CATEGORY_NOT_SPACE,
                      c.CATEGORY_UNI_DIGIT, c.CATEGORY_UNI_WORD, c.CATEGORY_UNI_NOT_SPACE):
                admitted |= DIGITS
            elif av in (c.CATEGORY_NOT_DIGIT, c.CATEGORY_NOT_WORD, c.CATEGORY_SPACE,
                        c.CATEGORY_UNI_NOT_DIGIT, c.CATEGORY_UNI_NOT_WORD, c.CATEGORY_UNI_SPACE):
                pass
            else:
                raise _Ineligible(av)
        else:
            raise _Ineligible(op)
    return DIGITS - admitted if negate else admitted
