"""JP_MY_NUMBER: validator, bulk validator, required context, field hints, prefilter, Presidio."""

from __future__ import annotations

import random
import re

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from presidio_analyzer import AnalyzerEngine
from stdnum.jp import in_

from recognizers.base import normalize
from recognizers.my_number import MyNumberRecognizer, compact, is_valid, is_valid_many
from scanner.detect.masking import mask
from tests.recognizers.test_passport import build_offline_analyzer

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
]


@pytest.mark.parametrize("text, expected", FIND_CASES)
def test_find(text: str, expected: list[str]) -> None:
    assert [h.value for h in REC.find(normalize(text))] == expected


@pytest.mark.parametrize("text", [t for t, expected in FIND_CASES if expected])
def test_prefilter_is_a_superset(text: str) -> None:
    matched = pc.match_substring_regex(pa.array([normalize(text)]), pattern=REC.PREFILTER)
    assert matched.to_pylist() == [True]


@pytest.mark.parametrize(
    "cell, matches",
    [
        (N, True),
        ("6214 9832 0257", True),
        ("6214-9832-0257", True),
        ("62149832025", False),
        ("6214983202570", False),
    ],
)
def test_value_pattern(cell: str, matches: bool) -> None:
    assert pc.match_substring_regex(pa.array([cell]), pattern=REC.VALUE_PATTERN).to_pylist() == [matches]


@pytest.mark.parametrize(
    "field, expected",
    [
        ("my_number", 1),
        ("MyNumber", 1),
        ("mynumber", 1),
        ("kojin_bango", 1),
        ("個人番号", 1),
        ("マイナンバー", 1),
        ("corporate_number", -1),
        ("法人番号", -1),
        ("tracking_no", -1),
        ("customer_id", 0),
    ],
)
def test_field_hints(field: str, expected: int) -> None:
    assert REC.field_hint(field) == expected


def test_evidence_is_masked() -> None:
    for text, _ in FIND_CASES:
        for hit in REC.find(normalize(text)):
            evidence = mask(hit.entity_type, hit.value)
            assert compact(hit.value) not in re.sub(r"[^0-9]", "", evidence)
            assert len(re.sub(r"[^0-9]", "", evidence)) <= 4


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> AnalyzerEngine:
    return build_offline_analyzer(tmp_path_factory.mktemp("spacy_blank_en"), MyNumberRecognizer())


def test_presidio_returns_original_offsets_for_full_width_digits(analyzer: AnalyzerEngine) -> None:
    text = "お客様の個人番号は６２１４　９８３２　０２５７です。"
    results = analyzer.analyze(text=text, language="en")
    assert [(r.entity_type, text[r.start : r.end]) for r in results] == [
        ("JP_MY_NUMBER", "６２１４　９８３２　０２５７")
    ]


def test_presidio_needs_context(analyzer: AnalyzerEngine) -> None:
    assert analyzer.analyze(text=f"tracking_no {N}", language="en") == []
