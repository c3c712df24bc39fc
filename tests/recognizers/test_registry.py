"""The registry: every identifier declares its mask rule, labels and category in one place,
validators share python-stdnum's verbs, and there is one default policy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from recognizers import (
    card_expiration,
    card_security_code,
    credit_card,
    date_of_birth,
    email,
    jmb,
    masked_card,
    my_number,
    passport,
    phone,
    registry,
    track_data,
)
from recognizers.base import PiiRecognizer
from recognizers.spec import EntitySpec
from scanner.policy.config import load_policy

ROOT = Path(__file__).resolve().parents[2]
PACKAGED_POLICY = ROOT / "scanner" / "defaults" / "policy.yaml"


def test_there_is_one_default_policy():
    """configs/policy.yaml is the packaged copy itself (a link), never a second file to keep in step."""
    config_copy = ROOT / "configs" / "policy.yaml"
    assert PACKAGED_POLICY.is_file() and not PACKAGED_POLICY.is_symlink()
    assert not config_copy.exists() or config_copy.resolve() == PACKAGED_POLICY.resolve()
    others = [p for p in ROOT.glob("*/**/policy.yaml") if "tests" not in p.parts and p.resolve() != PACKAGED_POLICY]
    assert [p for p in others if p != config_copy] == []


@pytest.mark.parametrize("cls", registry.RECOGNIZERS, ids=lambda c: c.__name__)
def test_every_recognizer_declares_labels_mask_and_a_known_category(cls):
    spec = cls.SPEC
    assert isinstance(spec, EntitySpec)
    assert spec.label_en and spec.label_ja and spec.label_en != spec.label_ja
    assert spec.category in load_policy(PACKAGED_POLICY).categories
    long_value = "AB" + "1234567890" * 5
    assert spec.mask(long_value) != long_value  # a rule that hides something


def test_the_policy_file_agrees_with_the_recognizers_where_it_lists_an_entity():
    policy = load_policy(PACKAGED_POLICY)
    for entity, category in registry.default_categories().items():
        listed = [name for name, cat in policy.categories.items() if entity in cat.entities]
        assert listed in ([], [category]), entity


def test_register_refuses_a_class_without_a_spec_or_a_conflicting_one():
    class NoSpec(PiiRecognizer):
        ENTITY = "TEST_NO_SPEC"
        PREFILTER = "x"
        PATTERNS = ()

    with pytest.raises(TypeError, match="SPEC"):
        registry.register(NoSpec)

    class Conflicting(NoSpec):
        ENTITY = "CREDIT_CARD"  # already registered with another spec
        SPEC = EntitySpec("Other", "その他", "identity")

    with pytest.raises(ValueError, match="CREDIT_CARD"):
        registry.register(Conflicting)
    assert NoSpec not in registry.RECOGNIZERS and Conflicting not in registry.RECOGNIZERS


# (module, value, the stdnum error `validate` raises, or the compact value it returns)
VALIDATOR_VECTORS = [
    (credit_card, "4111 1111 1111 1111", "4111111111111111"),
    (credit_card, "4111-1111-1111-1112", InvalidChecksum),
    (credit_card, "4111 1111 1111", InvalidLength),
    (credit_card, "4111 1111 1111 111A", InvalidFormat),
    (credit_card, "9111111111111110", InvalidComponent),  # Luhn-valid, no scheme's IIN
    (masked_card, "410704******4127", "410704******4127"),
    (masked_card, "4127", InvalidFormat),
    (masked_card, "999999******4127", InvalidComponent),
    (masked_card, "**1234", InvalidLength),
    (card_expiration, "07/31", (2031, 7)),
    (card_expiration, "2027年3月", (2027, 3)),
    (card_expiration, "13/31", InvalidComponent),
    (card_expiration, "0731", InvalidFormat),
    (card_security_code, "894", "894"),
    (card_security_code, "89", InvalidLength),
    (card_security_code, "8a4", InvalidFormat),
    (track_data, ";4111111111111111=25121010000?", ";4111111111111111=25121010000?"),
    (track_data, ";4111111111111112=25121010000?", InvalidChecksum),
    (track_data, ";4111111111111111=25131010000?", InvalidComponent),
    (track_data, "4111111111111111", InvalidFormat),
    (my_number, "6214 9832 0257", "621498320257"),
    (my_number, "６２１４９８３２０２５７", "621498320257"),
    (my_number, "621498320258", InvalidChecksum),
    (my_number, "62149832025", InvalidLength),
    (my_number, "6214-9832-025X", InvalidFormat),
    (jmb, "417 532 270", "417532270"),
    (jmb, "41753227", InvalidLength),
    (jmb, "000000000", InvalidFormat),
    (passport, "TK1234567", "TK1234567"),
    (passport, "TK12345", InvalidFormat),
    (email, "kmyers@example.org", "kmyers@example.org"),
    (email, "kmyers@example..org", InvalidFormat),
    (phone, "090-1234-5678", "090-1234-5678"),
    (phone, "090-1234", InvalidLength),
    (phone, "099-9999-9999", InvalidComponent),
    (date_of_birth, "1980-01-02", dt.date(1980, 1, 2)),
    (date_of_birth, "2199-01-02", InvalidFormat),
]


@pytest.mark.parametrize(("module", "value", "expected"), VALIDATOR_VECTORS,
                         ids=[f"{m.__name__.rsplit('.', 1)[-1]}:{v}" for m, v, _ in VALIDATOR_VECTORS])
def test_validators_share_stdnums_verbs(module, value, expected):
    if isinstance(expected, type) and issubclass(expected, Exception):
        with pytest.raises(expected) as raised:
            module.validate(value)
        assert str(raised.value)  # says why
        assert module.is_valid(value) is False
    else:
        assert module.validate(value) == expected
        assert module.is_valid(value) is True
