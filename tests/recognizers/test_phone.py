"""PHONE_NUMBER: libphonenumber validation, context rules, field hints, prefilter, Presidio."""

from __future__ import annotations

import pytest

from recognizers.phone import PhoneRecognizer, is_valid_phone
from tests.recognizers.conftest import RecognizerContract

REC = PhoneRecognizer()


@pytest.mark.parametrize(
    "value, valid",
    [
        ("03-1234-5678", True), ("090-1234-5678", True), ("070-7439-1500", True), ("0120-123-456", True),
        ("(03)1234-5678", True), ("0465-12-3456", True), ("+81-90-1234-5678", True), ("+81 3 1234 5678", True),
        ("+1 212 555 0100", True), ("+44 20 7946 0958", True), ("09012345678", True),
        ("47-4575-6717", False),  # no trunk 0: only a phone in context
        ("734241624", False), ("2884873992805754", False), ("086879676167", False), ("2023-06-14", False),
        ("03-1234", False), ("+81-90-1234", False), ("", False),
    ],
)  # fmt: skip
def test_validator(value: str, valid: bool) -> None:
    assert is_valid_phone(value) is valid


FIND_CASES = [
    ("折り返し連絡先: 070-7439-1500 (木村 陽一 様)", ["070-7439-1500"]),
    ("折り返し連絡先: 47-4575-6717 (渡辺 晃 様)", ["47-4575-6717"]),
    ("TEL ０３－１２３４－５６７８", ["03-1234-5678"]),
    ("電話：(03)1234-5678", ["(03)1234-5678"]),
    ("携帯 090 1234 5678 までお願いします", ["090 1234 5678"]),
    ("携帯 09012345678", ["09012345678"]),
    ("Mobile: +81-90-1234-5678", ["+81-90-1234-5678"]),
    ("call our New York office on +1 212 555 0100", ["+1 212 555 0100"]),
    ("London +44 20 7946 0958", ["+44 20 7946 0958"]),
    ("フリーダイヤル 0120-123-456", ["0120-123-456"]),
    ("Phone no.: 03-1234-5678", ["03-1234-5678"]),
    # no context: delimited valid numbers still count, bare digit runs do not
    ("03-1234-5678", ["03-1234-5678"]),
    ("09012345678", []),
    ("47-4575-6717", []),
    # dates, amounts and ids
    ("Tour HKD-715 is sold out on 2023-06-14; offered alternative.", []),
    ("2026-10-06T03:31:35Z INFO booking JPK2026000001 confirmed flight=JL555 amount=786531", []),
    ("2026-10-04T15:47:14Z INFO request_id=2878527467960767 latency_ms=118", []),
    ("order 0901234567 shipped", []),
    ("tracking 086879676167", []),
    ("new card 6297 2275 9296 2888 exp 02/33", []),
    ("JMB会員番号 495765611 のマイル積算漏れの問い合わせ", []),
    ("予約番号 03-1234-5678", []),  # negative context wins
    ("連絡先: 2023-06-14", []),
    # a hyphen joins words: `[booking-api]` is a service name, not the negative word "booking"
    ("2026-11-01 00:23:13,386 INFO [booking-api] sms queued to=080-4647-2444", ["080-4647-2444"]),
    ("[order-svc] tel=03-1234-5678", ["03-1234-5678"]),
    ("booking 03-1234-5678", []),
    # keys: `_` reads as a space
    ("request_id=0312345678", []),
    ("contact_tel=09012345678", ["09012345678"]),
    # the nearest keyword decides
    ("order 12 shipped; phone 03-1234-5678", ["03-1234-5678"]),
]


def test_context_lifts_score() -> None:
    plain = REC.find("03-1234-5678")[0].score
    with_context = REC.find("電話 03-1234-5678")[0].score
    assert with_context > plain >= REC.MIN_SCORE


def test_validate_many_matches_validate() -> None:
    cells = ["070-7439-1500", "080-0388-3685", "734241624", "2884873992805754", "+1 212 555 0100", "47-4575-6717",
             "2023-06-14", "JPK2026000001"]  # fmt: skip
    assert REC.validate_many(cells).tolist() == [True, True, False, False, True, True, False, False]


class TestPhone(RecognizerContract):
    recognizers = (REC,)
    find_cases = FIND_CASES
    field_hint_cases = [
        ("phone", 1), ("tel", 1), ("mobile", 1), ("cell_phone", 1), ("fax", 1), ("電話番号", 1), ("連絡先", 1),
        ("携帯番号", 1), ("denwa", 1), ("PhoneNumber", 1), ("contact.tel", 1), ("tel_no", 1), ("連絡先TEL", 1),
        ("TEL番号", 1), ("FAX番号", 1), ("phone_type", -1), ("hotel", 0), ("telop", 0), ("order_id", 0),
    ]  # fmt: skip
    cell_cases = [
        ("070-7439-1500", "phone", True), ("+81-90-1234-5678", "mobile", True), ("(03)1234-5678", "tel", True),
        ("47-4575-6717", "連絡先", True), ("+81 92-179-7238", "tel_no", True), ("abc", "phone", False),
        ("JL555", "phone", False), ("2023-06-14", "phone", False), ("734241624", "amount", False),
        # Excel drops the trunk 0 of a number stored as an integer: only a phone column restores it
        ("9012345678", "電話番号", True), ("312345678", "tel", True), ("734241624", "phone", True),
        ("9012345678", "amount", False),
        ("1234567890", "phone", False),
    ]  # fmt: skip
    presidio_cases = [
        ("お電話は　０９０－１２３４－５６７８　まで", [("PHONE_NUMBER", "０９０－１２３４－５６７８")]),
    ]
