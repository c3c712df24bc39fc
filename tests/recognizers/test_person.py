"""PERSON: word lists, cell validator, free-text evidence, field hints, prefilter, Presidio."""

from __future__ import annotations

import pytest

from recognizers.base import normalize
from recognizers.person import PersonRecognizer, fold_romaji, is_likely_name, lexicon, split_ja_name
from tests.recognizers.conftest import RecognizerContract, prefilter_matches

REC = PersonRecognizer()

CELLS = [
    # (cell, is a name)
    ("木村 陽一", True),
    ("井上　春香", True),  # full-width space
    ("木村陽一", True),  # no space: listed surname + listed given name
    ("佐々木拓真", True),
    ("ワタナベ ナオキ", True),
    ("わたなべ なおき", True),  # hiragana derived from the katakana lists
    ("ｻｻｷ ｱｹﾐ", True),  # half-width katakana
    ("清水 さゆり", True),
    ("前田 美加子", True),
    ("Miki Abe", True),
    ("Nanami Nishimura", True),
    ("YAMADA Taro", True),
    ("Satou Hanako", True),  # long vowel spelt out
    ("Kenji Yamagishi", True),
    ("Yamada, Taro", True),
    ("YAMADA/TARO MR", True),  # airline PNR style
    ("Victor Martinez", True),
    ("Mary Jane Watson", True),
    ("Mr. John Smith", True),
    ("Ｖｉｃｔｏｒ　Ｍａｒｔｉｎｅｚ", True),
    ("木村 陽一 様", True),
    ("Tyler Boone", True),  # listed given name + unlisted surname: enough in a cell
    ("Dominique Carrillo MD", True),
    ("Sapporo snow festival", False),
    ("Sapporo Snow Festival", False),
    ("Rose Garden", False),
    ("ハワイ5日間", False),
    ("沖縄3日間", False),
    ("東京都", False),  # 東 is a surname, 京都 is no given name
    ("山田商店", False),
    ("山田 商店", False),
    ("Tokyo Tower", False),
    ("New York", False),
    ("Grand Hyatt Tokyo", False),
    ("JPN", False),
    ("vegetarian meal", False),
    ("木村", False),  # a surname alone is not a full name cell
    ("", False),
    ("Victor", False),
    ("Victor Martinez Smith Jones", False),
]


@pytest.mark.parametrize("cell, expected", CELLS)
def test_cell_validator(cell: str, expected: bool) -> None:
    assert is_likely_name(cell) is expected
    assert REC.validate(normalize(cell)) is expected


@pytest.mark.parametrize("cell", ["hello world", "12345", "JL555", "ハワイ5日間", "a@b.com"])
def test_value_pattern_rejects_non_name_shapes(cell: str) -> None:
    assert prefilter_matches(REC.VALUE_PATTERN, [normalize(cell)]) == [False]


@pytest.mark.parametrize(
    "token, folded",
    [
        ("Satou", "sato"),
        ("SATOH", "sato"),
        ("Satō", "sato"),
        ("Ohno", "ono"),
        ("Yuuki", "yuki"),
        ("O'Brien", "obrien"),
    ],
)
def test_fold_romaji(token: str, folded: str) -> None:
    assert fold_romaji(token) == folded


@pytest.mark.parametrize(
    "run, span",
    [
        ("木村陽一", (0, 4)),
        ("担当の木村", (3, 5)),
        ("山田太郎です", (0, 4)),
        ("東京都", None),
        ("お客", None),
        ("林健", (0, 2)),
    ],
)
def test_split_ja_name(run: str, span: tuple[int, int] | None) -> None:
    assert split_ja_name(run) == span


def test_word_lists_load_in_all_scripts() -> None:
    lex = lexicon()
    assert {"木村", "キムラ", "きむら"} <= lex.ja_surnames
    assert {"陽一", "ヨウイチ", "よういち"} <= lex.ja_given
    assert (
        "kimura" in lex.romaji_surnames
        and "martinez" in lex.western_surnames
        and "victor" in lex.western_given
    )
    assert len(lex.ja_surnames) > 600 and len(lex.western_surnames) >= 1000


FIND_CASES = [
    # dev corpus
    ("折り返し連絡先: 070-7439-1500 (木村 陽一 様)", ["木村 陽一"]),
    ("折り返し連絡先: 47-4575-6717 (渡辺 晃 様)", ["渡辺 晃"]),
    ("折り返し連絡先: 57-3676-8197 (清水 さゆり 様)", ["清水 さゆり"]),
    ("Please email the e-ticket to kyamazaki@example.net", []),
    ("車椅子利用のため空港での介助を手配 (booking JPK2025000010)", []),
    ("出発日の変更について問い合わせ。特記事項なし。", []),
    ("Tour HKD-715 is sold out on 2023-06-14; offered alternative.", []),
    ("お客様より電話あり。パスポート番号 306202786 に変更希望。", []),
    ("JMB会員番号 495765611 のマイル積算漏れの問い合わせ", []),
    # honorifics, titles, labels
    ("担当の木村様より連絡がありました", ["木村"]),
    ("ご予約の佐藤花子様", ["佐藤花子"]),
    ("東京都の田中さんから", ["田中"]),
    ("柊 一誠 様", ["柊 一誠"]),  # unlisted surname: space + honorific is enough
    ("Dear Mr. Victor Martinez,", ["Victor Martinez"]),
    ("Ms Abe will arrive late", ["Abe"]),
    ("Tanaka-san called", ["Tanaka"]),
    ("氏名：山田太郎です", ["山田太郎"]),
    ("お名前: ワタナベ ナオキ", ["ワタナベ ナオキ"]),
    ("name: YAMADA Taro", ["YAMADA Taro"]),
    ("card holder name=KIMURA YOICHI", ["KIMURA YOICHI"]),
    ("名義：ＫＩＭＵＲＡ　ＹＯＩＣＨＩ", ["KIMURA YOICHI"]),
    # listed full names without an honorific
    ("Customer Miki Abe called about the refund", ["Miki Abe"]),
    ("木村 陽一", ["木村 陽一"]),
    ("木村陽一が来店", ["木村陽一"]),
    # not names
    ("tour name: Sapporo Snow Festival", []),
    ("商品名: ハワイ5日間", []),
    ("皆様へ、お客様各位", []),
    ("お父さんとお母さん", []),
    ("The tour visits Nara Park and Tokyo Tower", []),
    ("Sapporo snow festival", []),
    ("氏名欄は空欄", []),
    ("Tyler Boone", []),  # in text both halves must be listed (strict)
    # a key right before the name: 2-3 capitalised words or a Japanese name, no word list
    ('{"msg": "予約確定", "guest_name": "Minjun Kim"}', ["Minjun Kim"]),
    ('INFO booking confirmed guest="Seoyeon Park" ref=JPK2026883028', ["Seoyeon Park"]),
    ("name=Camille Dubois", ["Camille Dubois"]),
    ("Name: Camille Dubois", ["Camille Dubois"]),
    ("氏名: 金 民俊", ["金 民俊"]),
    ('guest_name="金 民俊"', ["金 民俊"]),
    ("holder: Minjun Kim", ["Minjun Kim"]),
    ("passenger: KIM/MINJUN MR", ["KIM/MINJUN"]),
    # ... but not a place, a tour or a product after the key
    ("name=Sapporo snow festival", []),
    ("name: Tour HKD-715", []),
    ("guest: Tokyo Tower", []),
    ('{"tour_name": "Sapporo Snow Festival"}', []),
    ('{"hotel": {"name": "Grand Hyatt Tokyo"}}', []),
    ("nickname: YAMADA", []),
]



def test_prefilter_admits_every_name_cell() -> None:
    assert all(prefilter_matches(REC.PREFILTER, [normalize(c) for c, ok in CELLS if ok]))


class TestPerson(RecognizerContract):
    recognizers = (REC,)
    find_cases = FIND_CASES
    field_hint_cases = [
        ("full_name", 1), ("name", 1), ("name_kana", 1), ("name_romaji", 1), ("display_name", 1), ("traveler", 1),
        ("traveler.name", 1), ("FirstName", 1), ("last-name", 1), ("passenger", 1), ("guest_name", 1),
        ("氏名", 1), ("お名前", 1), ("フリガナ", 1), ("姓", 1), ("名", 1), ("セイ", 1), ("メイ", 1), ("メイン", 0), ("user.name", 1), ("profile.user.full_name", 1),
        ("hotel.name", -1), ("ローマ字氏名", 1), ("shimei", 1),
        ("product_name", -1), ("tour_name", -1), ("hotel name", -1), ("company_name", -1), ("file_name", -1),
        ("user_name", -1), ("商品名", -1), ("ツアー名", -1), ("booking_id", 0), ("amount_jpy", 0), ("segment", 0),
    ]  # fmt: skip
    # a name column: every listed-name cell counts; a tour or a place does not
    cell_cases = [(cell, "full_name", expected) for cell, expected in CELLS]
    presidio_cases = [
        ("連絡先（ｷﾑﾗ ﾖｳｲﾁ 様）", [("PERSON", "ｷﾑﾗ ﾖｳｲﾁ")]),
        ("Ｍｒ．　Ｖｉｃｔｏｒ　Ｍａｒｔｉｎｅｚ", [("PERSON", "Ｖｉｃｔｏｒ　Ｍａｒｔｉｎｅｚ")]),
        ("ハワイ5日間のツアー", []),
    ]
