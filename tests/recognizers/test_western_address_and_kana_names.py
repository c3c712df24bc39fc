"""Western street addresses (US, UK, Australia) with their postcodes, and katakana names
before an honorific that no word list holds (issue #15). Shapes, not corpus values."""

from __future__ import annotations

import pytest

from recognizers.address import AddressRecognizer
from recognizers.base import normalize
from recognizers.person import PersonRecognizer

ADDRESS = AddressRecognizer()
PERSON = PersonRecognizer()

ADDRESSES = [
    ("ship to 1600 Amphitheatre Parkway, Mountain View, CA 94043", "1600 Amphitheatre Parkway, Mountain View, CA 94043"),
    ("lives at 221B Baker Street, London NW1 6XE", "221B Baker Street, London NW1 6XE"),
    ("10 Downing Street, London SW1A 2AA", "10 Downing Street, London SW1A 2AA"),
    ("Unit 5, 42 Wallaby Way, Sydney NSW 2000", "Unit 5, 42 Wallaby Way, Sydney NSW 2000"),
    # any street type, when the line ends in a postal code
    ("Shipping address: 9290 Brian Field Apt. 907, Scottborough, NC 31125",
     "9290 Brian Field Apt. 907, Scottborough, NC 31125"),
    ("5 Aimee Walk, Tonyborough, B9S 6RW", "5 Aimee Walk, Tonyborough, B9S 6RW"),
    ("Studio 40, Julie Mountain, Jessicachester, G8C 3AG", "Studio 40, Julie Mountain, Jessicachester, G8C 3AG"),
    ("8/747 Stanley Parkway, Bellside, WA, 2920", "8/747 Stanley Parkway, Bellside, WA, 2920"),
    ("52449 Catherine Prairie, South Danielle, YT Y5T1X1", "52449 Catherine Prairie, South Danielle, YT Y5T1X1"),
    ("350 Fifth Avenue, New York, NY 10118-0110", "350 Fifth Avenue, New York, NY 10118-0110"),
    ("1 Infinite Loop, Cupertino, CA 95014", "1 Infinite Loop, Cupertino, CA 95014"),
    ("12 Acacia Crescent, Leeds LS6 2AB", "12 Acacia Crescent, Leeds LS6 2AB"),
    ("77 Collins Parade, Melbourne VIC 3000", "77 Collins Parade, Melbourne VIC 3000"),
]


@pytest.mark.parametrize(("text", "address"), ADDRESSES, ids=[a for _, a in ADDRESSES])
def test_western_addresses(text, address):
    assert [h.value for h in ADDRESS.find(normalize(text))] == [address]


@pytest.mark.parametrize("text", ["Room 3 Street food", "page 12 Dr Smith", "version 2 Way forward", "top 10 Road trips",
                                  "Version 2 Release, Notes, AB 1234", "Room 5 Meeting, Tokyo, JP 1000"])
def test_not_addresses(text):
    assert ADDRESS.find(normalize(text)) == []


def test_a_western_address_cell_is_an_address_column():
    assert all(ADDRESS.validate(cell) for _, cell in ADDRESSES)


NAMES = [
    ("ツキシマ様", "ツキシマ"), ("ミナミカワ様からお電話", "ミナミカワ"), ("ご担当のオオハシ様", "オオハシ"),
    ("会員ヒラノ様より", "ヒラノ"), ("予約の鈴木様", "鈴木"), ("担当は鈴木様です", "鈴木"),
    ("ヤマダ タロウ様", "ヤマダ タロウ"), ("Customer Eileen Woods called", "Eileen Woods"),
    ("Customer Gail James-Brown called", "Gail James-Brown"),
    ("My name is David Johnson and I live here", "David Johnson"), ("Hi, I'm Aiko Tanaka.", "Aiko Tanaka"),
    ("私の名前は山田太郎です", "山田太郎"), ("タカハシ シュウヘイ様 生年月日", "タカハシ シュウヘイ"), ("旅行者 鈴木様", "鈴木"), ("東京支店鈴木様", "鈴木"), ("木村 陽一様", "木村 陽一"),
]


@pytest.mark.parametrize(("text", "name"), NAMES, ids=[t for t, _ in NAMES])
def test_names_before_an_honorific(text, name):
    assert [h.value for h in PERSON.find(normalize(text))] == [name]


@pytest.mark.parametrize("text", ["ゲスト様", "オーナー様へ", "メンバー様限定", "お客様", "皆様",
                                  "Shipping address: 52595 Jeffery Fields, East Pamelaberg, VA 12054",
                                  "Customer Service Team", "Visit Tokyo Tower today", "I am Happy Today",
                                  "This is Tokyo Tower", "私は学生です"])
def test_katakana_words_before_an_honorific_are_not_names(text):
    assert PERSON.find(normalize(text)) == []
