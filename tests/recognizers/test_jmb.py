"""JMB_NUMBER: validator, required context, negative context, field hints, prefilter, Presidio."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recognizers.jmb import JmbRecognizer, is_valid, is_valid_many, to_nine_digits
from recognizers.passport import PassportRecognizer
from tests.recognizers.conftest import RecognizerContract, found, prefilter_matches

REC = JmbRecognizer()


VALIDATOR_CASES = [
    ("417532270", True, "417532270"),
    ("495765611", True, "495765611"),
    ("1234567", True, "001234567"),  # an old 7-digit member
    ("001234567", True, "001234567"),  # the same, padded
    ("417 532 270", True, "417532270"),
    ("417-532-270", True, "417532270"),
    ("000000000", False, None),
    ("9999999", False, None),
    ("1111111", False, None),
    ("12345678", False, None),  # 8 digits
    ("1234567890", False, None),  # 10 digits (ANA, phone numbers)
    ("12345", False, None),
    ("41753227A", False, None),
    ("４１７５３２２７０", False, None),  # callers normalise first
    ("", False, None),
]


@pytest.mark.parametrize("value, valid, nine", VALIDATOR_CASES)
def test_validator(value: str, valid: bool, nine: str | None) -> None:
    assert is_valid(value) is valid
    assert REC.validate(value) is valid
    if nine is not None:
        assert to_nine_digits(value) == nine


def test_validate_many_matches_validate_on_the_table() -> None:
    values = [row[0] for row in VALIDATOR_CASES]
    assert REC.validate_many(values).tolist() == [valid for _, valid, _ in VALIDATOR_CASES]


def test_validate_many_matches_validate_on_random_strings() -> None:
    rng = random.Random(20261125)
    values = ["".join(rng.choices("0123456789A -ー", k=rng.randint(0, 12))) for _ in range(20_000)]
    assert is_valid_many(values).tolist() == [is_valid(v) for v in values]
    assert 0 < sum(is_valid(v) for v in values) < len(values)  # the sample exercises both outcomes


# (text, numbers found). Positive rows are also the prefilter's vectors.
FIND_CASES = [
    ("INFO mileage accrual jmb=417532270 miles=4644", ["417532270"]),
    ("2026-10-04T17:28:23Z INFO mileage accrual jmb=417532270 miles=4644", ["417532270"]),
    ("JMB会員番号 495765611 のマイル積算漏れの問い合わせ", ["495765611"]),
    ("ＪＭＢ会員番号　４９５７６５６１１　のマイル積算漏れ", ["495765611"]),
    ("お得意様番号：１２３４５６７", ["1234567"]),
    ("JALマイレージバンクのお得意様番号は001234567です", ["001234567"]),
    ("JAL Mileage Bank member 417 532 270", ["417 532 270"]),
    ("JMB No. 417-532-270", ["417-532-270"]),
    ("mileage number: 417532270", ["417532270"]),
    ("JMB会員番号 495765611、パスポート番号 306202786", ["495765611"]),
    ("passport TK7439150, JMB 417532270", ["417532270"]),
    # no JMB word: digits alone are never enough
    ("417532270", []),
    ("1234567", []),
    ("会員番号 417532270", []),
    ("INFO order 787022444 shipped", []),
    ("お客様より電話あり。パスポート番号 306202786 に変更希望", []),
    # a nearer label says it is something else
    ("JMB会員様の注文番号 787022444", []),
    ("jmb=417532270 order=787022444", ["417532270"]),
    ("JMB member, invoice 787022444", []),
    ("JMB tracking 123456789", []),
    ("JMB 残高 1234567", []),
    ("jmb miles=1234567", []),
    ("JMB会員 電話 031234567", []),
    # inside longer numbers, phone numbers, decimals
    ("JMB 4175322701", []),
    ("JMB 03-1234567", []),
    ("JMB 1234567-89", []),
    ("JMB 0.1234567", []),
    ("JMB A417532270", []),
    ("JMB 12345678", []),
    # keys and compounds: `_` reads as a space, a hyphen before digits is no word joint
    ("mileage_no=417532270", ["417532270"]),
    ("jmb_no: 1234567", ["1234567"]),
    ("JMB-417532270", ["417532270"]),
    ("[jmb-sync] order_no=787022444", []),
]


class TestJmb(RecognizerContract):
    recognizers = (REC,)
    find_cases = FIND_CASES
    prefilter_sees_raw_text = True
    field_hint_cases = [
        ("jmb_no", 1), ("JMB会員番号", 1), ("ＪＭＢ番号", 1), ("jmbNumber", 1), ("mileage_no", 1), ("MileageNumber", 1),
        ("member.jmb.number", 1), ("お得意様番号", 1), ("マイレージ番号", 1), ("jal_mileage_id", 1), ("order_id", -1),
        ("order_ref", -1), ("tracking_no", -1), ("jmb_miles", -1), ("jmb_status", -1), ("マイレージ残高", -1),
        ("注文番号", -1), ("customer_id", 0), ("passport_no", 0), ("", 0),
    ]  # fmt: skip
    cell_cases = [
        ("417532270", "jmb_no", True), ("1234567", "mileage_no", True), ("417 532 270", "お得意様番号", True),
        ("000000000", "jmb_no", False), ("12345678", "jmb_no", False), ("JPK2026000001", "jmb_no", False),
    ]  # fmt: skip
    presidio_cases = [
        ("ＪＭＢ会員番号　４９５７６５６１１　のマイル積算漏れ", [("JMB_NUMBER", "４９５７６５６１１")]),
        (
            "ＪＭＢ：４１７５３２２７０、パスポート：ＴＫ７４３９１５０",
            [("JMB_NUMBER", "４１７５３２２７０"), ("PASSPORT_NUMBER", "ＴＫ７４３９１５０")],
        ),
        ("INFO order 787022444 shipped", []),
    ]

    @property
    def entities(self) -> tuple[str, ...]:
        return ("JMB_NUMBER", "PASSPORT_NUMBER")


def test_hits_score_high_with_context() -> None:
    (hit,) = REC.find("jmb=417532270")
    assert hit.entity_type == "JMB_NUMBER" and hit.score >= 0.8


@pytest.mark.parametrize(
    "text, jmb, passport",
    [
        ("JMB会員番号 495765611、パスポート番号 306202786", ["495765611"], ["306202786"]),
        ("パスポート番号 306202786、JMB 417532270", ["417532270"], ["306202786"]),
        ("INFO order 787022444 shipped", [], []),
    ],
)
def test_jmb_and_passport_do_not_claim_each_other(text: str, jmb: list[str], passport: list[str]) -> None:
    assert found(REC, text) == jmb
    assert found(PassportRecognizer(), text) == passport


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.from_regex(r"\A(?:[0-9]{9}|[0-9]{7})\Z").filter(is_valid))
def test_any_number_with_context_is_found_and_prefiltered(number: str) -> None:
    text = f"JMBお得意様番号 {number} です"
    assert found(REC, text) == [number]
    assert prefilter_matches(JmbRecognizer.PREFILTER, [text]) == [True]
