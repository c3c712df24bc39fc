"""Columns, round 2 (issue #15): name parts, address line 2, split card expiry, abbreviations,
and look-alikes (constant-prefix codes, company numbers and addresses, places in address
columns). Values are made here from the formats, never taken from an evaluation corpus."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from recognizers import default_recognizers
from scanner.detect.config import DetectionConfig
from scanner.detect.engine import ColumnStats, Detector
from scanner.model import Location

RNG = random.Random(15)


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(default_recognizers(ner=False), DetectionConfig())


def entities(detector: Detector, name: str, values) -> set[str]:
    stats = ColumnStats(name=name)
    detector.observe(stats, pa.array(values), structured=True)
    return {f.entity_type for f in detector.findings(stats, Location("t.csv", None, name), len(values))}


def _codes(prefixes: list[str], n: int = 20) -> list[str]:
    return [f"{prefixes[i % len(prefixes)]}{RNG.randrange(10**7):07d}" for i in range(n)]


CASES = [
    # (column, values, entities expected)
    # first-name-only / last-name-only columns
    ("first_name", ["Emily", "James", "Olivia", "Noah", "Sophia"], {"PERSON"}),
    ("First Name", ["Emily", "James", "Olivia", "Noah", "Sophia"], {"PERSON"}),
    ("last_name", ["Smith", "Johnson", "Williams", "Brown", "Jones"], {"PERSON"}),
    ("given_name", ["Taro", "Hanako", "Yoichi", "Naoki", "Misaki"], {"PERSON"}),
    ("名", ["陽一", "花子", "太郎", "直樹", "美咲"], {"PERSON"}),
    ("姓", ["木村", "山田", "佐藤", "鈴木", "高橋"], {"PERSON"}),
    ("セイ", ["キムラ", "ヤマダ", "サトウ", "スズキ", "タカハシ"], {"PERSON"}),
    ("cust_nm", ["木村 陽一", "山田 太郎", "佐藤 花子"], {"PERSON"}),
    ("名", ["ワイン", "ビール", "日本酒", "焼酎", "ウイスキー"], set()),  # a 名 column of products
    ("product_name", ["Emily", "James", "Olivia"], set()),
    # address line 2
    ("address2", ["Apt 4B", "Suite 210", "Flat 3", "Unit 12", "Apt 7"], {"ADDRESS"}),
    ("address_line2", ["青葉ビル3F", "サンシャイン60 12階", "101号室", "グランドメゾン502", "第2ビル"], {"ADDRESS"}),
    ("建物名", ["青葉ビル3F", "ハイツ山田 201", "コーポ緑 105号室"], {"ADDRESS"}),
    ("mrz_line2", ["TK74391508JPN8001014M3001019<<<<<<<<<<<<<<06"] * 2, {"PASSPORT_NUMBER"}),  # not an address
    # card expiry split over two integer columns
    ("exp_month", pa.array([1, 12, 7, 3, 11]), {"CARD_EXPIRATION"}),
    ("exp_year", pa.array([2027, 2029, 2031, 2026, 2028]), {"CARD_EXPIRATION"}),
    ("exp_year", ["27", "29", "31", "26", "28"], {"CARD_EXPIRATION"}),
    ("card_exp_mm", ["01", "12", "07"], {"CARD_EXPIRATION"}),
    ("exp_month", ["13", "14", "0"], set()),
    ("birth_month", ["1", "12", "7"], set()),
    # abbreviations
    ("post_no", ["1000001", "1500002", "5300001", "0600001"], {"ADDRESS"}),
    ("zip_cd", ["100-0001", "150-0002", "530-0001"], {"ADDRESS"}),
    ("sec_cd", ["123", "456", "789", "012"], {"CARD_SECURITY_CODE"}),
    ("cvv_cd", ["123", "456", "789"], {"CARD_SECURITY_CODE"}),
    ("tel_no", ["03-1234-5678", "090-1234-5678"], {"PHONE_NUMBER"}),
    ("ph_no", ["03-1234-5678", "090-1234-5678"], {"PHONE_NUMBER"}),
    # look-alikes: one constant prefix is a code; varied series letters are passports
    ("customer_no", _codes(["KC"]), set()),
    ("member_code", _codes(["ZX"]), set()),
    ("documents", _codes(["TK", "TR", "MU", "TZ"]), {"PASSPORT_NUMBER"}),
    ("passport_no", _codes(["TK"]), {"PASSPORT_NUMBER"}),  # the name says passport: a series can repeat
    # a company's main number or head-office address is not personal data
    ("hotel_phone", ["03-1234-5678", "06-1234-5678"], set()),
    ("supplier_tel", ["03-1234-5678", "06-1234-5678"], set()),
    ("代表電話", ["03-1234-5678", "06-1234-5678"], set()),
    ("本社住所", ["東京都千代田区丸の内1-1-1", "大阪府大阪市北区梅田1-1"], set()),
    ("company_address", ["東京都千代田区丸の内1-1-1", "大阪府大阪市北区梅田1-1"], set()),
    ("代表者", ["木村 陽一", "山田 太郎"], {"PERSON"}),  # the representative is a person
    ("phone", ["03-1234-5678", "06-1234-5678"], {"PHONE_NUMBER"}),
    # Western street lines and postcodes, whatever the street type is called
    ("street_address", ["62129 Martinez Alley Apt. 332", "2124 Martin Causeway", "8 Oak Crossing Suite 12",
                        "Flat 3, 12 Acacia Gardens"], {"ADDRESS"}),
    ("Street Address", ["17 Kingfisher Knoll", "440 Harbor Heights", "9 Elm Ferry"], {"ADDRESS"}),
    ("postcode", ["91024", "19588-1234", "30301"], {"ADDRESS"}),
    ("Postcode", ["SW1A 2AA", "NW1 6XE", "LS6 2AB"], {"ADDRESS"}),
    ("zip", ["2000", "3000", "4101"], {"ADDRESS"}),
    ("order_total", ["91024", "19588", "30301"], set()),
    # what a person does for a living is not their special-care need
    ("job", ["Learning disability nurse", "Hearing aid dispenser", "Care assistant"], set()),
    ("職業", ["介護ヘルパー", "看護師", "薬剤師"], set()),
    ("special_requests", ["wheelchair to the gate", "deaf: sign language", "oxygen on board"], {"SPECIAL_CARE_INFO"}),
    # a place that splits like surname + given name is not a person in a place column
    ("destination", ["中村橋", "石川町", "松本", "高田馬場"], set()),
    ("市区町村", ["中村橋", "石川町", "松本", "高田馬場"], set()),
]


@pytest.mark.parametrize(("column", "values", "expected"), CASES, ids=[f"{c[0]}:{i}" for i, c in enumerate(CASES)])
def test_columns(detector, column, values, expected):
    assert entities(detector, column, values) == expected
