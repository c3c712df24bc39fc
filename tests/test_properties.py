"""Property-based tests (hypothesis): recognizers, validators, maskers and the scrubber take any
string without raising, return spans inside the text, and never reveal more than their rule allows."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recognizers import default_recognizers
from recognizers.base import normalize
from scanner.detect.masking import mask
from scanner.scrubbing import digits_kept, scrub, scrub_name

RECOGNIZERS = default_recognizers(ner=False)
ENTITIES = sorted({r.ENTITY for r in RECOGNIZERS} | {e for r in RECOGNIZERS for e in r.EXTRA_ENTITIES})
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like what scanners meet: digits, separators, letters, @, Japanese, full-width forms.
# No lone surrogates: every source hands detection valid UTF-8 (Arrow strings).
ALPHABET = (st.sampled_from(list("0123456789０１２３４５６７８９ -./_,:@%^;=?ABTKabtk|\n\t漢字カナー＠（）"))
            | st.characters(blacklist_categories=("Cs",)))
TEXT = st.text(ALPHABET, max_size=80)


def test_every_recognizer_is_covered():
    assert len(RECOGNIZERS) >= 10 and len(ENTITIES) >= 10


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: type(r).__name__)
@PROPERTY
@given(text=TEXT)
def test_recognizers_take_any_text_and_return_spans_inside_it(recognizer, text):
    normalised = normalize(text)
    for hit in recognizer.find(normalised):
        assert 0 <= hit.start <= hit.end <= len(normalised)
        assert hit.value  # something was found
    for result in recognizer.analyze(text, entities=[]):
        assert 0 <= result.start <= result.end <= len(text)
    assert isinstance(recognizer.validate(text), bool)
    assert len(recognizer.validate_many([text, normalised, ""])) == 3


KEPT_AS_SEPARATORS = set(" -/.:@_()（）　ー－")  # the mask rules keep these as punctuation


def _alnum(text: str) -> int:
    return sum(ch.isalnum() and ch not in KEPT_AS_SEPARATORS for ch in text)


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _revealed_local_part(raw: str, masked: str) -> int:
    return _alnum(masked.partition("@")[0]) if "@" in raw else _alnum(masked)


# What each entity's mask rule allows to be seen: (raw, masked) -> True when within the rule.
ALLOWED = {
    "CREDIT_CARD": lambda raw, out: _digits(out) <= 10,
    "CREDIT_CARD_MASKED": lambda raw, out: _digits(out) <= (10 if _digits(raw) >= 12 else _digits(raw)),
    "CARD_TRACK_DATA": lambda raw, out: _digits(out) <= 10 or not re.search(r"\d{12,19}", raw),
    "CARD_SECURITY_CODE": lambda raw, out: _alnum(out) == 0,
    "CARD_EXPIRATION": lambda raw, out: _digits(out) == 0,
    "JP_MY_NUMBER": lambda raw, out: _alnum(out) <= 4,
    "PASSPORT_NUMBER": lambda raw, out: _alnum(out) <= 4,
    "JMB_NUMBER": lambda raw, out: _alnum(out) <= 4,
    "PHONE_NUMBER": lambda raw, out: _alnum(out) <= 5,
    "DATE_OF_BIRTH": lambda raw, out: _alnum(out) <= 2,
    "EMAIL_ADDRESS": lambda raw, out: _revealed_local_part(raw, out) <= 1,
    "PERSON": lambda raw, out: _alnum(out) <= len(raw.split()),
    "ADDRESS": lambda raw, out: len(out.rstrip("*")) <= 3,
    "SPECIAL_CARE_INFO": lambda raw, out: len(out) <= 41,
}


def test_every_entity_has_a_mask_allowance():
    assert set(ENTITIES) <= set(ALLOWED), set(ENTITIES) - set(ALLOWED)


@pytest.mark.parametrize("entity", sorted(ALLOWED))
@PROPERTY
@given(value=TEXT)
def test_masks_never_reveal_more_than_their_rule(entity, value):
    value = normalize(value)  # evidence is cut from NFKC text (superscript digits are digits there)
    masked = mask(entity, value)
    assert isinstance(masked, str)
    assert ALLOWED[entity](value, masked), (entity, value, masked)


@PROPERTY
@given(value=TEXT)
def test_unknown_entity_keeps_two_and_two(value):
    assert _alnum(mask("NOT_A_KNOWN_ENTITY", normalize(value))) <= 4


@PROPERTY
@given(text=TEXT)
def test_scrubber_takes_any_text_and_is_idempotent(text):
    once = scrub_name(text)
    assert scrub_name(once) == once
    assert len(scrub(text)) <= 300


SEPARATOR = st.sampled_from([" ", "-", ".", "/", "_", ",", "", "－", "ー", "　"])


@PROPERTY
@given(
    digits=st.text("0123456789", min_size=12, max_size=19),
    separators=st.lists(SEPARATOR, min_size=19, max_size=19),
    prefix=st.text(st.sampled_from(list("xyz_./ 漢")), max_size=10),
    suffix=st.text(st.sampled_from(list("xyz_./ 漢")), max_size=10),
    full_width=st.booleans(),
)
def test_scrubber_masks_long_digit_runs_whatever_the_separators(digits, separators, prefix, suffix, full_width):
    written = digits[0] + "".join(s + d for s, d in zip(separators, digits[1:], strict=False))
    if full_width:
        written = written.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    text = f"{prefix}{written}{suffix}"
    out = normalize(scrub_name(text))
    shown = re.sub(r"\D", "", out)
    first, last = digits_kept(len(digits))
    assert len(shown) <= first + last, (text, out)
    assert digits not in re.sub(r"\D", "", out)
