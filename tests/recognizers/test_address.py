"""ADDRESS: Japanese and romaji addresses, postal codes, context rules, field hints, prefilter, Presidio."""

from __future__ import annotations

from recognizers.address import AddressRecognizer, prefectures
from tests.recognizers.conftest import RecognizerContract

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
    # romaji without -shi/-ku: block numbers, a prefecture, a postal code (two of three)
    (
        'INFO [booking-api] addr="1-4-9 Hirosaka, Kanazawa, Ishikawa 920-1177"',
        ["1-4-9 Hirosaka, Kanazawa, Ishikawa 920-1177"],
    ),
    ("9-11-19 Chuo, Matsumoto, Nagano 390-9353", ["9-11-19 Chuo, Matsumoto, Nagano 390-9353"]),
    ("Maihama, Urayasu, Chiba 279-0031", ["Maihama, Urayasu, Chiba 279-0031"]),
    ("4-2-12 Chuo, Matsumoto, Nagano", ["4-2-12 Chuo, Matsumoto, Nagano"]),
    (
        "9-25-8 Kita 1-jo Nishi, Chuo-ku, Sapporo, Hokkaido 060-9671",
        ["9-25-8 Kita 1-jo Nishi, Chuo-ku, Sapporo, Hokkaido 060-9671"],
    ),
    ("Maihama, Urayasu, Chiba", []),  # a list of places
    ("Tours to Tokyo, Osaka, Kyoto", []),
    ("We visit Nara, Kyoto and Osaka on 2-3 May", []),
    # a memo about an address: the address inside it is found as text
    ("住所変更: 〒231-4769 神奈川県横浜市中区山下町1-28-23", ["〒231-4769", "神奈川県横浜市中区山下町1-28-23"]),
    # a hyphen joins words: `[booking-api]` is not the negative word "booking"
    ("[booking-api] zip: 026-8870", ["026-8870"]),
]


def test_prefectures_list() -> None:
    names = prefectures()
    assert len(names) == 47 and ("東京都", "Tokyo") in names and ("北海道", "Hokkaido") in names


class TestAddress(RecognizerContract):
    recognizers = (REC,)
    find_cases = FIND_CASES
    field_hint_cases = [
        ("address", 1), ("addr", 1), ("home_address", 1), ("street", 1), ("postal_code", 1), ("zip", 1),
        ("zipcode", 1), ("PostCode", 1), ("住所", 1), ("所在地", 1), ("郵便番号", 1), ("jusho", 1), ("yubin_bango", 1),
        ("email_address", -1), ("ip_address", -1), ("メールアドレス", -1), ("hotel", 0), ("tour_code", 0),
    ]  # fmt: skip
    cell_cases = [
        ("026-8870", "zip", True),  # a bare postal code: the column name supplies the context
        ("〒140-8658", "住所", True),
        ("滋賀県西多摩郡瑞穂町下吉羽28丁目24番1号", "address", True),
        ("東京都千代田区", "address", True),  # prefecture + city in an address column
        ("1-2-3 Shibuya, Shibuya-ku, Tokyo", "addr1", True),
        ("Kanazawa, Ishikawa", "address", True),  # romaji city + prefecture in an address column
        # 7 digits without the hyphen: only in a postal-code column
        ("9803660", "zip", True),
        ("600001", "郵便番号", True),  # 060-0001 stored as an integer
        ("600001", "amount", False),
        ("〒9803660", "郵便番号", True),
        ("9803660", "address", False),
        ("9803660", None, False),
        # a memo that mentions an address is free text, not an address cell
        ("住所変更: 〒231-4769 神奈川県横浜市中区山下町1-28-23", "memo", False),
        ("住所変更: 〒231-4769 神奈川県横浜市中区山下町1-28-23", "address", False),
        ("東京都", "address", False),
        ("ハワイ5日間", "address", False),
        ("Sapporo snow festival", "address", False),
        ("2023-06-14", "address", False),
        ("070-7439-1500", "address", False),
        ("98036601", "zip", False),
    ]
    presidio_cases = [
        (
            "住所：〒１５０－０００２　東京都渋谷区渋谷２丁目２１番１号",
            [("ADDRESS", "〒１５０－０００２"), ("ADDRESS", "東京都渋谷区渋谷２丁目２１番１号")],
        ),
    ]
