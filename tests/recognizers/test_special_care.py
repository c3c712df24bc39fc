"""SPECIAL_CARE_INFO: keyword precision, negation, context, field hints, prefilter, Presidio."""

from __future__ import annotations

import pytest

from recognizers.base import Hit, normalize
from recognizers.special_care import SpecialCareRecognizer
from tests.recognizers.conftest import RecognizerContract, prefilter_matches

REC = SpecialCareRecognizer()

CASES = [
    # dev corpus: special_requests values and tickets
    ("卵アレルギーがあります", ["アレルギー"]),
    ("介助者が同行します", ["介助"]),
    ("wheelchair assistance at arrival", ["wheelchair"]),
    ("車椅子の手配をお願いします", ["車椅子"]),
    ("車椅子利用のため空港での介助を手配 (booking JPK2025000010)", ["車椅子", "介助"]),
    ("vegetarian meal", []),
    ("窓側の席を希望", []),
    ("ベビーカー持ち込み", []),
    ("出発日の変更について問い合わせ。特記事項なし。", []),
    ("Tour HKD-715 is sold out on 2023-06-14; offered alternative.", []),
    # other needs, both languages, full- and half-width
    ("ｸﾙﾏｲｽ不要、ｱﾚﾙｷﾞｰ: そば", ["アレルギー"]),
    ("車いすを空港で借りたい", ["車いす"]),
    ("盲導犬と一緒に搭乗します", ["盲導犬"]),
    ("妊娠30週です", ["妊娠"]),
    ("人工透析が必要", ["透析"]),
    ("持病の薬を持参", ["持病"]),
    ("糖尿病のためインスリンを機内に持ち込み", ["糖尿病", "インスリン"]),
    ("聴覚障害があり筆談希望", ["聴覚障", "筆談"]),
    ("SSR WCHR", ["WCHR"]),
    ("WCHC + OXYG requested", ["WCHC", "OXYG"]),
    ("Passenger is pregnant (28 weeks)", ["pregnant"]),
    ("Severe peanut allergy, carries an EpiPen", ["allergy", "EpiPen"]),
    ("travelling with a guide dog", ["guide dog"]),
    ("needs portable oxygen on board", ["oxygen"]),
    ("reduced mobility, cannot climb stairs", ["reduced mobility"]),
    ("Hard of hearing; please use sign language", ["Hard of hearing", "sign language"]),
    ("Mother is legally blind", ["legally blind"]),
    # negated or not a need
    ("アレルギーなし", []),
    ("介助不要", []),
    ("No known allergies", []),
    ("allergies: none", []),
    ("no wheelchair needed", []),
    ("Mr Walker asked for a blind spot mirror", []),
    ("hearing date moved", []),
    ("wcmp", []),  # IATA codes are capitals only
    ("gluten-free meal, aisle seat", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_cell_validator_agrees_with_find(text: str, expected: list[str]) -> None:
    assert REC.validate(normalize(text)) is bool(expected)


def test_value_pattern_is_a_superset_and_the_prefilter_screens_preferences() -> None:
    texts = [normalize(t) for t, expected in CASES if expected]
    assert all(prefilter_matches(REC.VALUE_PATTERN, texts))
    assert not any(
        prefilter_matches(REC.PREFILTER, ["vegetarian meal", "窓側の席を希望", "ベビーカー持ち込み"])
    )


def test_context_lifts_score() -> None:
    bare = REC.find("アレルギーがあります")[0].score
    with_context = REC.find("特記事項: アレルギーがあります")[0].score
    assert with_context > bare >= REC.MIN_SCORE


def test_column_of_requests() -> None:
    cells = [
        "vegetarian meal",
        "卵アレルギーがあります",
        "窓側の席を希望",
        "介助者が同行します",
        "ベビーカー持ち込み",
    ]
    assert REC.validate_many([normalize(c) for c in cells]).tolist() == [False, True, False, True, False]


class TestSpecialCare(RecognizerContract):
    recognizers = (REC,)
    find_cases = CASES
    field_hint_cases = [
        ("special_requests", 1), ("special_request", 1), ("SpecialNeeds", 1), ("medical", 1), ("特記事項", 1),
        ("配慮事項", 1), ("ssr", 1), ("accessibility", 1), ("meal_preference", -1), ("seat_pref", -1),
        ("remarks", 0), ("tour_code", 0),
    ]  # fmt: skip
    cell_cases = [
        ("卵アレルギーがあります", "special_requests", True), ("介助者が同行します", None, True),
        ("vegetarian meal", "special_requests", False), ("アレルギーなし", "special_requests", False),
        ("窓側の席を希望", "special_requests", False),
    ]  # fmt: skip
    presidio_cases = [
        ("ｸﾙﾏｲｽ をお願いします（ＷＣＨＲ）", [("SPECIAL_CARE_INFO", "ｸﾙﾏｲｽ"), ("SPECIAL_CARE_INFO", "ＷＣＨＲ")]),
    ]

    def check_evidence(self, hit: Hit, evidence: str) -> None:
        """The evidence is the keyword alone (what the need is), never the note around it."""
        assert evidence == hit.value
