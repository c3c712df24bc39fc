"""JP_MY_NUMBER: validator, bulk validator, required context, field hints, prefilter, Presidio."""

from __future__ import annotations

import random
import re

import pytest
from stdnum.jp import in_

from recognizers.base import normalize
from recognizers.my_number import MyNumberRecognizer, is_valid, is_valid_many
from scanner.detect.masking import mask
from tests.recognizers.conftest import RecognizerContract

REC = MyNumberRecognizer()
N = "621498320257"  # python-stdnum's own example


def with_check_digit(body: str) -> str:
    """A valid number from its first 11 digits (stdnum is the reference)."""
    return body + in_.calc_check_digit(body)


VALIDATOR_CASES = [
    (N, True),
    ("6214 9832 0257", True),
    ("6214-9832-0257", True),
    ("６２１４　９８３２　０２５７", True),  # full width: NFKC in compact
    (with_check_digit("12345678901"), True),
    (with_check_digit("00000000001"), True),
    ("621498320258", False),  # check digit
    ("62149832025", False),  # 11 digits
    ("6214983202570", False),  # 13 digits (法人番号 length)
    ("6214 9832 025X", False),
    ("", False),
]


@pytest.mark.parametrize("value, valid", VALIDATOR_CASES)
def test_validator(value: str, valid: bool) -> None:
    assert is_valid(value) is valid
    assert REC.validate(value) is valid


def test_validate_many_equals_validate_on_the_table() -> None:
    values = [normalize(v) for v, _ in VALIDATOR_CASES]
    assert REC.validate_many(values).tolist() == [valid for _, valid in VALIDATOR_CASES]


def test_validate_many_equals_validate_on_random_values() -> None:
    rng = random.Random(12)
    values = []
    for _ in range(20_000):
        body = "".join(rng.choices("0123456789", k=11))
        value = with_check_digit(body) if rng.random() < 0.5 else body + rng.choice("0123456789")
        if rng.random() < 0.2:
            value = " ".join(value[i : i + 4] for i in range(0, 12, 4))
        values.append(value)
    assert is_valid_many(values).tolist() == [is_valid(v) for v in values]


# (text, numbers found). Positive rows are also the prefilter's vectors.
FIND_CASES = [
    (f"マイナンバー: {N}", [N]),
    ("個人番号 6214 9832 0257 を確認しました", ["6214 9832 0257"]),
    ("お客様の個人番号は６２１４－９８３２－０２５７です。", ["6214-9832-0257"]),
    (f"My Number {N} received by post", [N]),
    (f"mynumber={N}", [N]),
    (f"kojin bango: {N}", [N]),
    (f"マイナンバーカード（{N}）のコピー", [N]),
    # context absent
    (N, []),
    (f"Customer {N} called", []),
    # context negative, nearer than the My Number word
    (f"マイナンバー確認済み、追跡番号 {N}", []),
    (f"my number on file; tracking {N}", []),
    (f"個人番号のお問い合わせ 電話 {N}", []),
    # wrong check digit, inside longer runs
    ("マイナンバー 621498320258", []),
    (f"マイナンバー 9{N}", []),
    (f"マイナンバー {N}5", []),
    (f"マイナンバー 1-{N}", []),
    (f"マイナンバー {N[:4]} {N[4:8]}-{N[8:]}", []),  # mixed separators
    # keys: `_` reads as a space
    (f"my_number={N}", [N]),
    (f"kojin_bango: {N}", [N]),
    (f"my_number ok; tracking_no={N}", []),
    (f"my-number {N}", [N]),
]


class TestMyNumber(RecognizerContract):
    recognizers = (REC,)
    find_cases = FIND_CASES
    field_hint_cases = [
        ("my_number", 1), ("MyNumber", 1), ("mynumber", 1), ("kojin_bango", 1), ("個人番号", 1), ("マイナンバー", 1),
        ("corporate_number", -1), ("法人番号", -1), ("tracking_no", -1), ("customer_id", 0),
    ]  # fmt: skip
    cell_cases = [
        (N, "my_number", True), ("6214 9832 0257", "個人番号", True), ("6214-9832-0257", "my_number", True),
        ("621498320258", "my_number", False), ("62149832025", "my_number", False),
        ("6214983202570", "my_number", False),
    ]  # fmt: skip
    presidio_cases = [
        ("お客様の個人番号は６２１４　９８３２　０２５７です。", [("JP_MY_NUMBER", "６２１４　９８３２　０２５７")]),
        (f"tracking_no {N}", []),
    ]


def test_evidence_shows_at_most_four_digits() -> None:
    hits = [hit for text, _ in FIND_CASES for hit in REC.find(normalize(text))]
    assert hits, "the find cases must hold My Numbers for this test to mean anything"
    for hit in hits:
        assert len(re.sub(r"[^0-9]", "", mask(hit.entity_type, hit.value))) <= 4
