"""The shared machinery of `recognizers.base`: the batch `find_many`, its guard, and
the memoised context decision.

Why: the engine calls `find_many` over thousands of texts at once and memoises
context decisions on their windows with the digits masked; both are only safe if
they give exactly what the plain per-text logic gives.
"""

from __future__ import annotations

import pytest

from recognizers import default_recognizers
from recognizers.base import OwnFindRecognizer, PatternSpec, PiiRecognizer, normalize

RECOGNIZERS = default_recognizers(ner=False)


def _window_texts(recognizer: PiiRecognizer) -> list[tuple[str, int, int]]:
    """(text, start, end) around a value, with every context and negative word of the
    recognizer before it, after it, next to other words and next to digits."""
    value = "AB1234567"
    cases = []
    for word in (*recognizer.CONTEXT, *recognizer.NEGATIVE_CONTEXT):
        for before, after in (
            (f"{word} ", ""), (f"{word}: 2026 ", " 12"), (f"x{word}1 ", ""), (f"{word}-api ", ""),
            ("", f" {word}"), ("id 42 ", f" ({word} 7)"), (f"{word} 3 and 4 ", f" 5 {word}"),
        ):
            text = normalize(f"2026-11-25T10:00:00Z {before}{value}{after}")
            start = text.index(value)
            cases.append((text, start, start + len(value)))
    return cases


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: r.name)
def test_memoised_context_equals_the_decision_on_the_raw_windows(recognizer: PiiRecognizer) -> None:
    """Digits are masked in the memo key, except those a context word holds (`last 4`,
    `track1`): the memo gives the decision on the unmasked windows."""
    fresh = type(recognizer)(supported_language=recognizer.supported_language)
    for text, start, end in _window_texts(recognizer) * 2:  # the second round reads the memo
        before = text[max(0, start - fresh.CONTEXT_CHARS_BEFORE) : start]
        after = text[end : end + fresh.CONTEXT_CHARS_AFTER]
        assert fresh.context_score(text, start, end) == fresh._decide_context(before, after), (fresh.name, text)


def test_words_with_digits_keep_their_digits_in_the_memo() -> None:
    from recognizers.card import MaskedCardRecognizer

    recognizer = MaskedCardRecognizer()
    assert "4".translate(recognizer._context_digits) == "4"  # "last 4", "下4桁": 4 keeps its identity
    text_with, text_without = "last 4 ****1234", "last 5 ****1234"
    assert recognizer.context_score(text_with, 7, 15) == 1
    assert recognizer.context_score(text_without, 7, 15) == 0


def test_a_recognizer_that_overrides_find_must_say_how_batches_run() -> None:
    """The engine calls find_many: a find() of its own would silently be bypassed."""
    with pytest.raises(TypeError, match="OwnFindRecognizer"):

        class Bypassed(PiiRecognizer):  # noqa: F841 - defining it is the test
            ENTITY = "X"
            PREFILTER = "x"
            PATTERNS = (PatternSpec("x", "x", 0.5),)

            def find(self, text: str) -> list:
                return []

    class OwnFind(OwnFindRecognizer):
        ENTITY = "X"
        PREFILTER = "x"
        PATTERNS = ()

        def find(self, text: str) -> list:
            return [text]

    assert OwnFind().find_many(["a", "b"]) == [["a"], ["b"]]


@pytest.mark.parametrize("size", [1, 7, 8, 200])
def test_bulk_and_one_by_one_validation_agree(size: int) -> None:
    """Below BULK_MIN_CANDIDATES candidates are validated one by one, above in one
    validate_many call: the hits are the same."""
    from recognizers.card import CreditCardRecognizer

    texts = [f"card={number} ok" for number in ("4111111111111111", "4111111111111112", "5500005555555559")] * size
    recognizer = CreditCardRecognizer()
    together = recognizer.find_many(texts[:size])
    assert together == [recognizer.find(text) for text in texts[:size]]
    assert [bool(hits) for hits in together] == [i % 3 != 1 for i in range(size)]


_LINE_SHAPES = (
    "2026-11-{d2}T{d2}:{d2}:{d2}Z INFO sms sent to 0{d2}-{d4}-{d4}",
    "2026-11-{d2}T{d2}:{d2}:{d2}Z WARN passport check failed number=TK{d7}",
    "2026-11-{d2}T{d2}:{d2}:{d2}Z ERROR payment declined card={d16} exp {d2}/{d2} cvv2 {d3}",
    "連絡先 0{d1}-{d4}-{d4} 生年月日 {d4}-{d2}-{d2} 会員番号 {d9}",
    "tel: +81-{d2}-{d4}-{d4}; last 4 ****{d4}; track1 %B{d16}^DOE/J^{d7}?",
    "booking JPK{d10} for user{d3}@example.com, born {d2}/{d2}/{d4}, My Number {d4} {d4} {d4}",
    "cc {d4} {d4} {d4} {d4} / {d4}-{d6}-{d5} / JMB {d3}-{d3}-{d3} / 〒{d3}-{d4}",
)


def _random_lines(count: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    digits = "0000123456789"  # zeros over-represented: trunk prefixes and ranges hinge on them

    def fill(n: int) -> str:
        return "".join(rng.choice(digits) for _ in range(n))

    lines = []
    for _ in range(count):
        shape = rng.choice(_LINE_SHAPES)
        lines.append(shape.format_map({f"d{n}": fill(n) for n in range(1, 17)}))
    return lines


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: r.name)
def test_digit_templates_give_the_text_by_text_hits(recognizer: PiiRecognizer) -> None:
    """Texts that share a digit template share one pattern pass, but each keeps the hits
    that its own values earn: random digits (many zeros) in lines every recognizer reads."""
    lines = [normalize(line) for line in _random_lines(3_000, seed=sum(map(ord, recognizer.name)))]
    batch = type(recognizer)(supported_language=recognizer.supported_language).find_many(lines)
    alone = type(recognizer)(supported_language=recognizer.supported_language)
    expected = [alone.find(line) for line in lines]  # one text: the text-by-text path
    assert batch == expected, recognizer.name


def test_which_recognizers_share_pattern_passes() -> None:
    """Every identifier recognizer of the generic pipeline qualifies (patterns parsed, digits
    they tell apart kept); those with a find() of their own, or a match-based acceptance, do not."""
    eligible = {r.name for r in RECOGNIZERS if r._templates is not None}
    assert {"CreditCardRecognizer", "PassportRecognizer", "PhoneRecognizer", "EmailRecognizer",
            "JmbRecognizer", "MyNumberRecognizer", "DateOfBirthRecognizer"} <= eligible
    assert not eligible & {"PersonRecognizer", "MrzRecognizer", "AddressRecognizer", "SpecialCareRecognizer"}


@pytest.mark.parametrize(
    ("patterns", "words", "blocks"),
    [
        ([r"[0-9]{13,19}"], [], ["0123456789"]),
        ([r"0\d{9,10}"], [], ["0", "123456789"]),
        ([r"(?:19|20)\d\d"], [], ["0", "1", "2", "345678", "9"]),
        ([r"[^0-3]x"], ["last 4"], ["0123", "4", "56789"]),
        ([r"(?P<sep>[ -])\d(?P=sep)"], [], ["0123456789"]),  # a back-reference to a digit-free group
        ([r"(\d)\1"], [], None),  # a back-reference that compares digits: not analysed
    ],
)
def test_digit_blocks(patterns, words, blocks) -> None:
    from recognizers.digit_template import digit_translation

    table = digit_translation(patterns, words)
    if blocks is None:
        assert table is None
        return
    found: dict[str, str] = {}
    for digit in "0123456789":
        found[table[ord(digit)]] = found.get(table[ord(digit)], "") + digit
    assert sorted(found.values()) == sorted(blocks)
