"""PHONE_NUMBER: libphonenumber validation, context rules, field hints, prefilter, Presidio."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from recognizers.base import normalize
from recognizers.phone import PhoneRecognizer, is_valid_phone
from scanner.detect.masking import mask
from tests.recognizers.test_passport import build_offline_analyzer, found, prefilter_matches

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
]


@pytest.mark.parametrize("text, expected", FIND_CASES)
def test_find(text: str, expected: list[str]) -> None:
    assert found(REC, text) == expected


def test_context_lifts_score() -> None:
    plain = REC.find("03-1234-5678")[0].score
    with_context = REC.find("電話 03-1234-5678")[0].score
    assert with_context > plain >= REC.MIN_SCORE


def test_prefilter_is_a_superset_of_find() -> None:
    texts = [normalize(t) for t, expected in FIND_CASES if expected]
    assert all(prefilter_matches(REC.PREFILTER, texts))


@pytest.mark.parametrize(
    "cell, shape",
    [("070-7439-1500", True), ("+81-90-1234-5678", True), ("(03)1234-5678", True), ("47-4575-6717", True),
     ("abc", False), ("JL555", False)],
)  # fmt: skip
def test_value_pattern(cell: str, shape: bool) -> None:
    assert prefilter_matches(REC.VALUE_PATTERN, [cell]) == [shape]


def test_validate_many_matches_validate() -> None:
    cells = ["070-7439-1500", "080-0388-3685", "734241624", "2884873992805754", "+1 212 555 0100", "47-4575-6717",
             "2023-06-14", "JPK2026000001"]  # fmt: skip
    assert REC.validate_many(cells).tolist() == [True, True, False, False, True, True, False, False]


@pytest.mark.parametrize(
    "field, hint",
    [("phone", 1), ("tel", 1), ("mobile", 1), ("cell_phone", 1), ("fax", 1), ("電話番号", 1), ("連絡先", 1),
     ("携帯番号", 1), ("denwa", 1), ("PhoneNumber", 1), ("contact.tel", 1), ("phone_type", -1), ("hotel", 0),
     ("order_id", 0)],
)  # fmt: skip
def test_field_hints(field: str, hint: int) -> None:
    assert REC.field_hint(field) == hint


def test_evidence_is_masked() -> None:
    for text, _ in FIND_CASES:
        for hit in REC.find(normalize(text)):
            assert hit.value not in mask(hit.entity_type, hit.value)


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> AnalyzerEngine:
    return build_offline_analyzer(tmp_path_factory.mktemp("spacy_blank_en"), PhoneRecognizer())


def test_presidio_returns_original_offsets_for_fullwidth(analyzer: AnalyzerEngine) -> None:
    text = "お電話は　０９０－１２３４－５６７８　まで"
    results = analyzer.analyze(text=text, language="en")
    assert [(r.entity_type, text[r.start : r.end]) for r in results] == [
        ("PHONE_NUMBER", "０９０－１２３４－５６７８")
    ]
