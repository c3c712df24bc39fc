"""PASSPORT_NUMBER: validators, context rules, field hints, prefilter and Presidio path."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recognizers.base import normalize
from recognizers.passport import (
    PassportRecognizer,
    is_valid,
    is_valid_japanese,
    is_valid_many,
    is_valid_other,
)
from tests.recognizers.conftest import RecognizerContract, found, prefilter_matches

REC = PassportRecognizer()


VALIDATOR_CASES = [
    ("TK7439150", True, False),
    ("TZ5851781", True, False),
    ("MU8790093", True, False),
    ("RE1234567", True, False),
    ("tk7439150", True, False),  # compact upper-cases
    ("TK 7439150", True, False),
    ("TK-7439150", True, False),
    ("TK0000000", False, False),  # placeholder
    ("T17439150", False, True),  # one letter + 8 digits: another state's shape
    ("TK743915", False, True),  # 2 letters + 6 digits (e.g. Canada)
    ("TKA439150", False, False),  # "A" is outside the German alphabet
    ("TKX439150", False, True),  # a German shape
    ("306202786", False, True),  # US
    ("799474878", False, True),
    ("000000000", False, False),
    ("M83650324", False, True),  # 1 letter + 8 digits
    ("C01X00T47", False, True),  # Germany
    ("12AB34567", False, True),  # France
    ("J8369854", False, True),  # India
    ("12345678", False, False),  # 8 digits: a date or an id, not a passport
    ("JPK2026000001", False, False),  # booking id
    ("JL555", False, False),
    ("ABCDEFGHI", False, False),
    ("", False, False),
]


@pytest.mark.parametrize("value, japanese, other", VALIDATOR_CASES)
def test_validators(value: str, japanese: bool, other: bool) -> None:
    assert is_valid_japanese(value) is japanese
    assert is_valid_other(value) is other
    assert is_valid(value) is (japanese or other)
    assert REC.validate(value) is (japanese or other)


def test_validate_many_matches_validate_on_the_table() -> None:
    values = [row[0] for row in VALIDATOR_CASES]
    assert REC.validate_many(values).tolist() == [japanese or other for _, japanese, other in VALIDATOR_CASES]


def test_validate_many_matches_validate_on_random_strings() -> None:
    rng = random.Random(20261125)
    values = ["".join(rng.choices("ABCTKXZM0123456789 -ー<", k=rng.randint(0, 12))) for _ in range(10_000)]
    # near-valid shapes: a prefix that some state uses, then 5 to 9 digits (some repeated)
    values += [
        rng.choice(["", "M", "TK", "12AB", "C0", "XX"])
        + "".join(rng.choices(rng.choice(["0123456789", "1"]), k=rng.randint(5, 9)))
        for _ in range(10_000)
    ]
    expected = [is_valid(v) for v in values]
    assert is_valid_many(values).tolist() == expected
    assert is_valid_many(pa.chunked_array([values[:7], values[7:]])).tolist() == expected
    assert 0 < sum(is_valid(v) for v in values) < len(values)  # the sample exercises both outcomes


# (text, numbers found). Positive rows are also the prefilter's vectors.
FIND_CASES = [
    # Japanese numbers need no context
    ("TK7439150", ["TK7439150"]),
    ("ＴＫ７４３９１５０", ["TK7439150"]),
    ("TK 7439150", ["TK 7439150"]),
    ("ＴＫ－７４３９１５０", ["TK-7439150"]),
    ("Customer TZ5851781 called", ["TZ5851781"]),
    ("お客様の番号はRE1234567です", ["RE1234567"]),
    ("お客様より電話あり。パスポート番号 MU8790093 に変更希望。", ["MU8790093"]),
    ("WARN passport check failed number=TZ5851781", ["TZ5851781"]),
    ("2026-10-27T00:25:42Z WARN passport check failed number=TZ5851781", ["TZ5851781"]),
    ("file_TK7439150.pdf", ["TK7439150"]),
    # other states: only with context
    ("2026-10-27T00:25:42Z WARN passport check failed number=799474878", ["799474878"]),
    ("2026-10-27T00:25:42Z WARN passport check failed number=M83650324", ["M83650324"]),
    ("パスポート番号 306202786 に変更希望", ["306202786"]),
    ("旅券番号：Ｃ０１Ｘ００Ｔ４７", ["C01X00T47"]),
    ("Passport No. 12AB34567 (France)", ["12AB34567"]),
    ("passport no: J8369854", ["J8369854"]),
    ("US passport 306202786, expires 2030", ["306202786"]),
    # the nearest label decides
    ("予約番号 JPK2026000001、パスポート番号 TK7439150", ["TK7439150"]),
    ("passport=TK7439150 booking=JPK2026000001", ["TK7439150"]),
    # keys: `_` reads as a space, so `pp_no=` is the context words "pp no"
    ("2026-11-01 WARN [booking-api] apis rejected pp_no=86AR83596 nat=FRA", ["86AR83596"]),
    ("WARN [booking-api] apis rejected pp_no=TK9846815 nat=JPN", ["TK9846815"]),
    ("passport_no=306202786", ["306202786"]),
    ("travel_document: 306202786", ["306202786"]),
    # a hyphen joins words: `[booking-api]` is a service name, not the word "booking"
    ("[booking-api] passport check 306202786", ["306202786"]),
    ("[booking-api] TK7439150", ["TK7439150"]),
    ("booking TK7439150", []),
    ("booking_id=TK7439150", []),
    ("pp_no=TK7439150 booking_ref=AB1234567", ["TK7439150"]),
    # nothing
    ("306202786", []),
    ("M83650324", []),
    ("C01X00T47", []),
    ("INFO order 787022444 shipped", []),
    ("INFO booking JPK2026000001 confirmed flight=JL555 amount=786531", []),
    ("INFO mileage accrual jmb=417532270 miles=4644", []),
    ("JMB会員番号 495765611 のマイル積算漏れの問い合わせ", []),
    ("hotel confirmation TK7439150", []),
    ("Hotel booking code: AB1234567", []),
    ("予約番号 TK7439150", []),
    ("注文番号：ＡＢ１２３４５６７", []),
    ("voucher AB1234567 issued", []),
    ("e-ticket TK7439150", []),
    ("passport check ok, order 787022444", []),  # the order label is nearer
    ("boarding pass no 306202786", []),
    ("passport on file; tel 031234567", []),
    ("パスポート確認済み、電話 031234567", []),
    ("passport fee amount=123456789", []),
    ("TK7439150 の予約", []),  # a label after the code counts when none comes before
    ("306202786 (passport)", ["306202786"]),
    ("JMB会員番号 495765611、パスポート番号 306202786", ["306202786"]),
    # inside longer alphanumeric runs
    ("XTK7439150", []),
    ("TK74391501", []),
    ("passport ATK7439150Z", []),
    ("passport 3062027861", []),
    ("ｘＴＫ７４３９１５０", []),
    ("tk7439150", []),
]


class TestPassport(RecognizerContract):
    recognizers = (REC,)
    find_cases = FIND_CASES
    prefilter_sees_raw_text = True
    field_hint_cases = [
        ("passport_no", 1), ("passport", 1), ("PassportNumber", 1), ("traveler.passport.number", 1), ("pass_no", 1),
        ("PP-No", 1), ("pp_no", 1), ("ppt", 1), ("旅券番号", 1), ("パスポート番号", 1), ("パスポートNo.", 1),
        ("ＰＡＳＳＰＯＲＴ　ＮＯ", 1), ("passport_expiry", -1), ("traveler.passport.expiry", -1),
        ("passport_issue_date", -1), ("passport_country", -1), ("has_passport", -1), ("旅券有効期限", -1),
        ("booking_id", -1), ("hotel_confirmation_no", -1), ("reservation_code", -1), ("order_id", -1),
        ("voucher_no", -1), ("予約番号", -1), ("bypass_no", 0), ("customer_id", 0), ("jmb_no", 0), ("", 0),
    ]  # fmt: skip
    # a Japanese number is one on its own; another state's shape only in a passport column
    cell_cases = [
        ("TK7439150", None, True), ("TK 7439150", None, True), ("306202786", None, False), ("M83650324", None, False),
        ("TK7439150", "passport_no", True), ("TK 7439150", "pp_no", True), ("306202786", "passport_no", True),
        ("M83650324", "旅券番号", True), ("C01X00T47", "passport", True), ("000000000", "passport_no", False),
        ("JPK2026000001", "passport_no", False), ("HWI-765", "passport_no", False), ("2027-02-17", "passport_no", False),
    ]  # fmt: skip
    presidio_cases = [
        ("パスポート番号 ＴＫ７４３９１５０ に変更希望", [("PASSPORT_NUMBER", "ＴＫ７４３９１５０")]),
        ("ｐａｓｓｐｏｒｔ：３０６２０２７８６", [("PASSPORT_NUMBER", "３０６２０２７８６")]),
        ("WARN passport check failed number=M83650324", [("PASSPORT_NUMBER", "M83650324")]),
        ("Hotel booking confirmation ＡＢ１２３４５６７", []),
    ]


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("TK7439150", 0.4, 0.6),  # moderate without context
        ("パスポート TK7439150", 0.8, 1.0),
        ("passport 306202786", 0.5, 0.7),
    ],
)
def test_scores(text: str, low: float, high: float) -> None:
    (hit,) = REC.find(normalize(text))
    assert low <= hit.score <= high
    assert hit.entity_type == "PASSPORT_NUMBER"


def test_spans_point_at_the_number() -> None:
    text = normalize("お客様より電話あり。パスポート番号 MU8790093 に変更希望。")
    (hit,) = REC.find(text)
    assert text[hit.start : hit.end] == "MU8790093"


def test_prefilter_screens_out_plain_text() -> None:
    texts = ["no numbers here", "JL555", "2026-10-27", "amount=786531"]
    assert prefilter_matches(PassportRecognizer.PREFILTER, texts) == [False] * len(texts)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    letters=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
    digits=st.text(alphabet="0123456789", min_size=7, max_size=7).filter(lambda d: d != "0000000"),
)
def test_any_japanese_number_is_found_and_prefiltered(letters: str, digits: str) -> None:
    text = f"ご旅行者 {letters}{digits} 様"
    assert found(REC, text) == [letters + digits]
    assert prefilter_matches(PassportRecognizer.PREFILTER, [text]) == [True]
