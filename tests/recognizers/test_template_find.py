"""The digit-template path of `find_many` (recognizers.template_find): a template per pattern,
and patterns read from their first start word, give `find`'s hits text for text."""

from __future__ import annotations

import random
import re

import pytest

from recognizers import default_recognizers
from recognizers.base import TEMPLATE_MIN_TEXTS, PiiRecognizer, normalize
from recognizers.credit_card import CreditCardRecognizer
from recognizers.phone import PhoneRecognizer

RECOGNIZERS = [r for r in default_recognizers(ner=False) if r._templates is not None]

_PREFIXES = ("", "2026-11-{d2}T{d2}:{d2}:{d2}Z INFO ", "{d4}-{d2}-{d2} {d2}:{d2}:{d2},{d3} WARN [worker-{d1}] ",
             "req {d6} ", "会員 {d4} ", "ＴＥＬ ", "hotel ", "xsms ", "tel tel ")
_MESSAGES = (
    "sms sent to 0{d2}-{d4}-{d4}", "call me on 0{d2} {d4} {d4} please", "call back on 212-555-{d4}",
    "Tel: (0{d1}){d4}-{d4}", "phone {d3}.{d3}.{d4} or mobile +81-{d2}-{d4}-{d4}", "fax 0{d1}-{d4}-{d4} ext. {d3}",
    "携帯 0{d2}{d4}{d4}", "電話番号は0{d2}-{d4}-{d4}です", "reach me at 00{d1} {d3} {d3} {d4}",
    "contact number 011 {d2} {d4} {d4}", "order 0{d2}-{d4}-{d4} by phone", "amount={d6} no phone",
    "mobıle 0{d2}-{d4}-{d4}", "MOBİLE: 212-555-{d4}", "mobıle (425) 882-{d4}",  # IGNORECASE: Python folds these, RE2 not
    "card={d16} exp {d2}/{d2}", "passport number=TK{d7} tel {d2}-{d4}-{d4}",
)


def _lines(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    digits = "00001123456789"  # zeros and ones over-represented: trunk and international prefixes

    def fill(text: str) -> str:
        return text.format_map({f"d{n}": "".join(rng.choice(digits) for _ in range(n)) for n in range(1, 17)})

    return [normalize(fill(rng.choice(_PREFIXES)) + fill(rng.choice(_MESSAGES))) for _ in range(count)]


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: r.name)
def test_template_path_gives_find_hits(recognizer: PiiRecognizer) -> None:
    """Lines whose prefixes (timestamps, ids, non-ASCII words, a phone word twice or glued to
    another word) differ while the message repeats: the batch gives each line its own hits."""
    lines = _lines(4_000, seed=sum(map(ord, recognizer.name)))
    fresh = type(recognizer)(supported_language=recognizer.supported_language)
    batch = fresh.find_many(lines)
    alone = type(recognizer)(supported_language=recognizer.supported_language)
    assert batch == [alone.find(line) for line in lines], recognizer.name


def test_phone_lines_are_found_and_share_templates() -> None:
    """The phone words case is exercised: many hits, and the cut path is taken."""
    lines = _lines(2_000, seed=7)
    recognizer = PhoneRecognizer()
    assert len(lines) >= TEMPLATE_MIN_TEXTS
    assert sum(bool(h) for h in recognizer.find_many(lines)) > 500
    assert any(t.spec.starts_with for t in recognizer._templates)


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: r.name)
def test_starts_with_is_where_every_match_begins(recognizer: PiiRecognizer) -> None:
    """`PatternSpec.starts_with` must hold for every match: the template path reads a text
    from the first place it matches and skips texts where it matches nowhere."""
    lines = _lines(3_000, seed=11)
    for spec, regex in recognizer._compiled:
        if not spec.starts_with:
            continue
        start = re.compile(spec.starts_with)
        for line in lines:
            for m in regex.finditer(line):
                assert start.match(line, m.start()), (spec.name, line)


def test_a_pattern_keeps_only_the_digits_it_tells_apart() -> None:
    """Patterns with the same view of digits share one grouping (the card's); a pattern that
    treats every digit alike reads every line of one shape as one template."""
    card = {t.table for t in CreditCardRecognizer()._templates}
    assert len(card) == 1
    dashed = next(t for t in PhoneRecognizer()._templates if t.spec.name == "dashed_with_context")
    assert len({c for c in "0123456789".translate(dashed.table)}) == 1
