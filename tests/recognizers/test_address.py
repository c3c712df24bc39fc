"""ADDRESS: Japanese and romaji addresses, postal codes, context rules, field hints, prefilter, Presidio."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from recognizers.address import AddressRecognizer, prefectures
from recognizers.base import normalize
from scanner.detect.masking import mask
from tests.recognizers.test_passport import build_offline_analyzer, found, prefilter_matches

REC = AddressRecognizer()

FIND_CASES = [
    # dev corpus
    ("滋賀県西多摩郡瑞穂町下吉羽28丁目24番1号", ["滋賀県西多摩郡瑞穂町下吉羽28丁目24番1号"]),
    ("京都府国立市土呂部31丁目8番13号 シティ大中851", ["京都府国立市土呂部31丁目8番13号 シティ大中851"]),
    (
        "和歌山県横浜市青葉区太田ヶ谷36丁目20番1号 芝公園コート883",
        ["和歌山県横浜市青葉区太田ヶ谷36丁目20番1号 芝公園コート883"],
    ),
    ("Tour HKD-715 is sold out on 2023-06-14; offered alternative.", []),
    ("折り返し連絡先: 070-7439-1500 (木村 陽一 様)", []),
    ("車椅子利用のため空港での介助を手配 (booking JPK2025000010)", []),
    # other Japanese forms, full-width digits
    ("北海道札幌市中央区北1条西2丁目", ["北海道札幌市中央区北1条西2丁目"]),
    ("お届け先：〒１５０－０００２ 東京都渋谷区渋谷２－２１－１", ["〒150-0002", "東京都渋谷区渋谷2-21-1"]),
    ("渋谷区道玄坂1-2-3に移転しました", ["渋谷区道玄坂1-2-3"]),
    ("大阪府大阪市北区梅田3丁目1番1号", ["大阪府大阪市北区梅田3丁目1番1号"]),
    ("〒140-8658", ["〒140-8658"]),
    ("〒1408658", ["〒1408658"]),
    # romaji and Western
    ("1-2-3 Shibuya, Shibuya-ku, Tokyo", ["1-2-3 Shibuya, Shibuya-ku, Tokyo"]),
    ("Office: Minato-ku, Tokyo", ["Minato-ku, Tokyo"]),
    ("Ship to 350 Fifth Avenue, New York", ["350 Fifth Avenue, New York"]),
    # context decides
    ("郵便番号 140-8658", ["140-8658"]),
    ("zip: 026-8870", ["026-8870"]),
    ("140-8658", []),
    ("住所: 東京都渋谷区", ["東京都渋谷区"]),
    ("東京都渋谷区のホテルに宿泊", []),
    ("電話 03-123-4567", []),
    ("ハワイ5日間", []),
]


@pytest.mark.parametrize("text, expected", FIND_CASES)
def test_find(text: str, expected: list[str]) -> None:
    assert found(REC, text) == expected


def test_prefilter_is_a_superset_of_find() -> None:
    texts = [normalize(t) for t, expected in FIND_CASES if expected]
    assert all(prefilter_matches(REC.PREFILTER, texts))


CELLS = [
    ("026-8870", True),  # a bare postal code: the column name supplies the context
    ("〒140-8658", True),
    ("滋賀県西多摩郡瑞穂町下吉羽28丁目24番1号", True),
    ("東京都千代田区", True),  # a prefecture + city cell in an address column
    ("1-2-3 Shibuya, Shibuya-ku, Tokyo", True),
    ("東京都", False),
    ("ハワイ5日間", False),
    ("Sapporo snow festival", False),
    ("2023-06-14", False),
    ("070-7439-1500", False),
]


@pytest.mark.parametrize("cell, expected", CELLS)
def test_cell_validator_and_value_pattern(cell: str, expected: bool) -> None:
    assert REC.validate(normalize(cell)) is expected
    if expected:
        assert prefilter_matches(REC.VALUE_PATTERN, [normalize(cell)]) == [True]


def test_prefectures_list() -> None:
    names = prefectures()
    assert len(names) == 47 and ("東京都", "Tokyo") in names and ("北海道", "Hokkaido") in names


@pytest.mark.parametrize(
    "field, hint",
    [("address", 1), ("addr", 1), ("home_address", 1), ("street", 1), ("postal_code", 1), ("zip", 1),
     ("zipcode", 1), ("PostCode", 1), ("住所", 1), ("所在地", 1), ("郵便番号", 1), ("jusho", 1), ("yubin_bango", 1),
     ("email_address", -1), ("ip_address", -1), ("メールアドレス", -1), ("hotel", 0), ("tour_code", 0)],
)  # fmt: skip
def test_field_hints(field: str, hint: int) -> None:
    assert REC.field_hint(field) == hint


def test_evidence_is_masked() -> None:
    for text, _ in FIND_CASES:
        for hit in REC.find(normalize(text)):
            if len(hit.value) > 8:
                assert hit.value not in mask(hit.entity_type, hit.value)


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> AnalyzerEngine:
    return build_offline_analyzer(tmp_path_factory.mktemp("spacy_blank_en"), AddressRecognizer())


def test_presidio_returns_original_offsets_for_fullwidth(analyzer: AnalyzerEngine) -> None:
    text = "住所：〒１５０－０００２　東京都渋谷区渋谷２丁目２１番１号"
    results = sorted(analyzer.analyze(text=text, language="en"), key=lambda r: r.start)
    assert [(r.entity_type, text[r.start : r.end]) for r in results] == [
        ("ADDRESS", "〒１５０－０００２"),
        ("ADDRESS", "東京都渋谷区渋谷２丁目２１番１号"),
    ]
