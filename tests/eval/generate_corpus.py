"""A held-out evaluation corpus: a Japanese travel company's datastores that piiscan was never tuned on.

Why: the dev corpus (/work/shared/eval/dev) scores F1 1.0, which only proves
piiscan fits the data it was built against. This generator writes the same
kind of estate with what real Japanese datastores also hold and dev does not:
other header spellings (お名前, 連絡先TEL, 〒, パスポートNo., cust_nm, pp_no,
dateOfBirth...), other encodings (CP932 with CRLF, UTF-8 with BOM, gzip, a
CP932 batch log), other containers (TSV, xlsx with a title row and two sheets,
a JSON array of nested objects, JSON Lines, Parquet with typed dates and
integers, SQLite with Japanese column names, rotated gzipped logs, JSON log
lines) and other value formats (phones with parentheses, +81, full-width
digits; cards with spaces, hyphens, full-width digits and JCB/Amex/Diners/
UnionPay IINs; masked PANs in several styles; expiries as 2027/03, 03/27,
2027年3月; birth dates in 和暦, compact and abbreviated 和暦 forms; names in
kanji with and without (full-width) spaces, half-width kana, romaji and
airline PNR style; addresses with 〒, buildings, romaji).

It also holds decoys that look like PII and are not: 9-digit order numbers,
hotel confirmation codes shaped like passport numbers, 16-digit ids that fail
Luhn, 12-digit tracking numbers, request ids in logs, SKUs, flight numbers,
card-brand and Y/N columns, ISO timestamps.

The truth file has the dev format (`{"fields": [...], "lines": [...]}`) so
/work/shared/eval/score.py scores it. Every value is synthetic but valid
(Luhn, My Number check digit, calendar dates); the generator is
deterministic for a seed and uses only small lists written here (no Faker),
so the corpus is the same on every machine.

    python -m tests.eval.generate_corpus OUT_DIR [--seed 20261125]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import random
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jaconv
import openpyxl
import phonenumbers
import pyarrow as pa
import pyarrow.parquet as pq
from stdnum import luhn
from stdnum.jp import in_ as my_number

DEFAULT_SEED = 20261125
PEOPLE = 260

# --- small word lists (kanji, katakana, romaji[, gender]) -----------------------------------------
SURNAMES = [
    ("佐藤", "サトウ", "Sato"), ("鈴木", "スズキ", "Suzuki"), ("高橋", "タカハシ", "Takahashi"),
    ("田中", "タナカ", "Tanaka"), ("伊藤", "イトウ", "Ito"), ("渡辺", "ワタナベ", "Watanabe"),
    ("山本", "ヤマモト", "Yamamoto"), ("中村", "ナカムラ", "Nakamura"), ("小林", "コバヤシ", "Kobayashi"),
    ("加藤", "カトウ", "Kato"), ("吉田", "ヨシダ", "Yoshida"), ("山田", "ヤマダ", "Yamada"),
    ("佐々木", "ササキ", "Sasaki"), ("山口", "ヤマグチ", "Yamaguchi"), ("松本", "マツモト", "Matsumoto"),
    ("井上", "イノウエ", "Inoue"), ("木村", "キムラ", "Kimura"), ("林", "ハヤシ", "Hayashi"),
    ("斎藤", "サイトウ", "Saito"), ("清水", "シミズ", "Shimizu"), ("森", "モリ", "Mori"),
    ("池田", "イケダ", "Ikeda"), ("橋本", "ハシモト", "Hashimoto"), ("阿部", "アベ", "Abe"),
    ("石川", "イシカワ", "Ishikawa"), ("長谷川", "ハセガワ", "Hasegawa"), ("小川", "オガワ", "Ogawa"),
    ("岡田", "オカダ", "Okada"), ("後藤", "ゴトウ", "Goto"), ("村上", "ムラカミ", "Murakami"),
    ("太田", "オオタ", "Ohta"), ("藤井", "フジイ", "Fujii"), ("前田", "マエダ", "Maeda"),
    ("五十嵐", "イガラシ", "Igarashi"), ("東海林", "ショウジ", "Shoji"), ("小野寺", "オノデラ", "Onodera"),
    ("比嘉", "ヒガ", "Higa"), ("金城", "キンジョウ", "Kinjo"), ("我妻", "ワガツマ", "Wagatsuma"),
    ("菅原", "スガワラ", "Sugawara"), ("上野", "ウエノ", "Ueno"), ("久保", "クボ", "Kubo"),
]
GIVEN_NAMES = [
    ("太郎", "タロウ", "Taro", "M"), ("翔太", "ショウタ", "Shota", "M"), ("大輔", "ダイスケ", "Daisuke", "M"),
    ("健太", "ケンタ", "Kenta", "M"), ("拓也", "タクヤ", "Takuya", "M"), ("直樹", "ナオキ", "Naoki", "M"),
    ("誠", "マコト", "Makoto", "M"), ("浩", "ヒロシ", "Hiroshi", "M"), ("茂", "シゲル", "Shigeru", "M"),
    ("蓮", "レン", "Ren", "M"), ("悠真", "ユウマ", "Yuma", "M"), ("陽翔", "ハルト", "Haruto", "M"),
    ("隆之介", "リュウノスケ", "Ryunosuke", "M"), ("和夫", "カズオ", "Kazuo", "M"), ("修", "オサム", "Osamu", "M"),
    ("花子", "ハナコ", "Hanako", "F"), ("陽子", "ヨウコ", "Yoko", "F"), ("恵子", "ケイコ", "Keiko", "F"),
    ("美咲", "ミサキ", "Misaki", "F"), ("結衣", "ユイ", "Yui", "F"), ("さくら", "サクラ", "Sakura", "F"),
    ("愛", "アイ", "Ai", "F"), ("由美子", "ユミコ", "Yumiko", "F"), ("真由美", "マユミ", "Mayumi", "F"),
    ("葵", "アオイ", "Aoi", "F"), ("陽菜", "ヒナ", "Hina", "F"), ("千尋", "チヒロ", "Chihiro", "F"),
    ("美穂", "ミホ", "Miho", "F"), ("智子", "トモコ", "Tomoko", "F"), ("順子", "ジュンコ", "Junko", "F"),
]
# Foreign customers: (given, surname, katakana, gender, passport issuer)
FOREIGNERS = [
    ("John", "Smith", "ジョン スミス", "M", "USA"), ("Emily", "Johnson", "エミリー ジョンソン", "F", "USA"),
    ("Oliver", "Brown", "オリバー ブラウン", "M", "GBR"), ("Charlotte", "Taylor", "シャーロット テイラー", "F", "GBR"),
    ("Wei", "Chen", "チェン ウェイ", "M", "CHN"), ("Minjun", "Kim", "キム ミンジュン", "M", "KOR"),
    ("Seoyeon", "Park", "パク ソヨン", "F", "KOR"), ("Jia Hao", "Lin", "リン ジアハオ", "M", "TWN"),
    ("Lukas", "Mueller", "ルーカス ミュラー", "M", "DEU"), ("Camille", "Dubois", "カミーユ デュボワ", "F", "FRA"),
    ("Jack", "Wilson", "ジャック ウィルソン", "M", "AUS"), ("Maria", "Santos", "マリア サントス", "F", "PHL"),
]
# (prefecture, city/ward, town, romaji town+city, postal prefix)
PLACES = [
    ("東京都", "新宿区", "西新宿", "Nishishinjuku, Shinjuku-ku, Tokyo", "160"),
    ("東京都", "世田谷区", "三軒茶屋", "Sangenjaya, Setagaya-ku, Tokyo", "154"),
    ("東京都", "品川区", "東品川", "Higashishinagawa, Shinagawa-ku, Tokyo", "140"),
    ("大阪府", "大阪市北区", "梅田", "Umeda, Kita-ku, Osaka", "530"),
    ("神奈川県", "横浜市中区", "山下町", "Yamashitacho, Naka-ku, Yokohama, Kanagawa", "231"),
    ("愛知県", "名古屋市中村区", "名駅", "Meieki, Nakamura-ku, Nagoya, Aichi", "450"),
    ("北海道", "札幌市中央区", "北一条西", "Kita 1-jo Nishi, Chuo-ku, Sapporo, Hokkaido", "060"),
    ("福岡県", "福岡市博多区", "博多駅前", "Hakataekimae, Hakata-ku, Fukuoka", "812"),
    ("京都府", "京都市左京区", "下鴨", "Shimogamo, Sakyo-ku, Kyoto", "606"),
    ("沖縄県", "那覇市", "久茂地", "Kumoji, Naha, Okinawa", "900"),
    ("宮城県", "仙台市青葉区", "一番町", "Ichibancho, Aoba-ku, Sendai, Miyagi", "980"),
    ("広島県", "広島市中区", "紙屋町", "Kamiyacho, Naka-ku, Hiroshima", "730"),
    ("兵庫県", "神戸市中央区", "三宮町", "Sannomiyacho, Chuo-ku, Kobe, Hyogo", "650"),
    ("埼玉県", "さいたま市大宮区", "桜木町", "Sakuragicho, Omiya-ku, Saitama", "330"),
    ("千葉県", "浦安市", "舞浜", "Maihama, Urayasu, Chiba", "279"),
    ("長野県", "松本市", "中央", "Chuo, Matsumoto, Nagano", "390"),
    ("石川県", "金沢市", "広坂", "Hirosaka, Kanazawa, Ishikawa", "920"),
    ("鹿児島県", "鹿児島市", "東千石町", "Higashisengokucho, Kagoshima", "892"),
]
BUILDINGS = ["パークハイツ", "グランドメゾン", "コーポ", "ライオンズマンション", "シティタワー", "ハイム", "レジデンス"]
MAIL_DOMAINS = ["example.com", "example.co.jp", "example.ne.jp", "example.jp", "mail.example.org"]
CARE_NOTES = [
    "車椅子を利用（空港内介助希望）", "車いす貸出希望", "妊娠中（6ヶ月）", "甲殻類アレルギーあり", "そばアレルギー",
    "人工透析のため現地病院を手配", "視覚障害あり、介助者同行", "聴覚障害のため筆談希望", "酸素ボンベ持ち込み",
    "ペースメーカー使用", "歩行困難、空港送迎時に介助", "wheelchair assistance at airport (WCHR)",
    "pregnant, 28 weeks", "severe peanut allergy - carries EpiPen", "gluten-free meal (celiac disease)",
    "diabetic meal requested",
]
NON_CARE_NOTES = ["窓側席希望", "記念日旅行", "ハネムーン", "なし", "特になし", "早朝便不可", "window seat"]
CARD_BRANDS = ["VISA", "MASTER", "JCB", "AMEX", "DINERS", "UNIONPAY", "DISCOVER"]
TOURS = ["HWI", "OKA", "CTS", "EUR", "TPE", "ICN", "BKK", "SIN", "GUM"]
FULLWIDTH = str.maketrans("0123456789-/ ", "０１２３４５６７８９－／　")

WAREKI = [(dt.date(2019, 5, 1), "令和", "R", 2018), (dt.date(1989, 1, 8), "平成", "H", 1988),
          (dt.date(1926, 12, 25), "昭和", "S", 1925)]


# --- the people ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    brand: str
    pan: str
    exp_year: int
    exp_month: int
    cvv: str


@dataclass(frozen=True)
class Person:
    sur: str  # kanji (or romaji for foreigners)
    given: str
    sur_kana: str
    given_kana: str
    sur_romaji: str
    given_romaji: str
    gender: str
    foreign: bool
    birth: dt.date
    mobile: tuple[str, str, str]
    landline: tuple[str, str, str]
    email: str
    postal: str
    place: tuple[str, str, str, str, str]
    block: tuple[int, int, int]
    building: str | None
    passport: str
    nationality: str
    jmb: str
    card: Card
    my_number: str
    care: str | None


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + _digits(rng, length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def make_card(rng: random.Random) -> Card:
    brand = rng.choice(CARD_BRANDS)
    prefix, length = {
        "VISA": (rng.choice(["4", "4980", "4539"]), 16),
        "MASTER": (rng.choice([str(rng.randint(51, 55)), str(rng.randint(2221, 2720))]), 16),
        "JCB": (str(rng.randint(3528, 3589)), 16),
        "AMEX": (rng.choice(["34", "37"]), 15),
        "DINERS": (rng.choice(["36", "3095"]), 14),
        "UNIONPAY": ("62" + str(rng.randint(2126, 2925))[:2], 16),
        "DISCOVER": ("6011", 16),
    }[brand]
    cvv = _digits(rng, 4 if brand == "AMEX" else 3)
    return Card(brand, _luhn_complete(prefix, length, rng), rng.randint(2026, 2031), rng.randint(1, 12), cvv)


def make_passport(rng: random.Random, issuer: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    if issuer == "JPN":
        return rng.choice(["TK", "TZ", "TR", "TS", "TH", "MZ", "MU", "TT"]) + _digits(rng, 7)
    if issuer in ("USA", "GBR", "TWN"):
        return str(rng.randint(1, 9)) + _digits(rng, 8)
    if issuer == "CHN":
        return rng.choice(["E" + _digits(rng, 8), "EA" + _digits(rng, 7)])
    if issuer == "KOR":
        return "M" + _digits(rng, 8)
    if issuer == "DEU":
        return "C" + "".join(rng.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8))
    if issuer == "FRA":
        return _digits(rng, 2) + rng.choice(letters) + rng.choice(letters) + _digits(rng, 5)
    if issuer == "AUS":
        return rng.choice(["PA", "N"]) + _digits(rng, 7)
    return "P" + rng.choice(letters) + _digits(rng, 7)  # PHL


def make_my_number(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + _digits(rng, 10)
    return body + my_number.calc_check_digit(body)


def _valid_phone(rng: random.Random, areas: Sequence[tuple[str, int]]) -> tuple[str, str, str]:
    """A number the Japanese numbering plan allocates (random digits often are not: 090-0xxx, 011-4xx)."""
    while True:
        area, width = rng.choice(list(areas))
        parts = (area, _digits(rng, width), _digits(rng, 4))
        if phonenumbers.is_valid_number(phonenumbers.parse("".join(parts), "JP")):
            return parts


def make_people(rng: random.Random, n: int = PEOPLE) -> list[Person]:
    people = []
    for i in range(n):
        foreign = i % 9 == 4
        birth = dt.date(1938, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 78))
        landline = _valid_phone(rng, [("03", 4), ("06", 4), ("045", 3), ("011", 3), ("092", 3), ("075", 3), ("0263", 2)])
        mobile = _valid_phone(rng, [("090", 4), ("080", 4), ("070", 4)])
        place = rng.choice(PLACES)
        if foreign:
            given, sur, kana, gender, issuer = rng.choice(FOREIGNERS)
            kana_given, _, kana_sur = kana.partition(" ")
            person_names = (sur, given, kana_sur, kana_given, sur, given)
        else:
            s, g = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
            gender, issuer = g[3], "JPN"
            person_names = (s[0], g[0], s[1], g[1], s[2], g[2])
        local = rng.choice([
            f"{person_names[5]}.{person_names[4]}", f"{person_names[4]}_{person_names[5][0]}",
            f"{person_names[5][0]}{person_names[4]}{birth.year}", f"{person_names[5]}{rng.randint(1, 99)}",
            f"{person_names[4]}.{person_names[5]}+travel",
        ]).lower().replace(" ", "")
        jmb = _digits(rng, 9) if rng.random() < 0.75 else str(rng.randint(1, 9)) + _digits(rng, 6)
        care = rng.choice(CARE_NOTES) if rng.random() < 0.3 else (rng.choice(NON_CARE_NOTES) if rng.random() < 0.4 else None)
        people.append(Person(
            *person_names, gender=gender, foreign=foreign, birth=birth, mobile=mobile, landline=landline,
            email=f"{local}@{rng.choice(MAIL_DOMAINS)}", postal=f"{place[4]}-{_digits(rng, 4)}", place=place,
            block=(rng.randint(1, 9), rng.randint(1, 30), rng.randint(1, 25)),
            building=f"{rng.choice(BUILDINGS)}{rng.randint(1, 12)}{rng.randint(1, 9):02d}" if rng.random() < 0.5 else None,
            passport=make_passport(rng, issuer), nationality=issuer, jmb=jmb, card=make_card(rng),
            my_number=make_my_number(rng), care=care,
        ))
    return people


# --- value formats ---------------------------------------------------------------------------------
def fullwidth(text: str) -> str:
    return text.translate(FULLWIDTH)


def name_kanji(p: Person, style: str = "space") -> str:
    if p.foreign:
        return f"{p.given} {p.sur}" if style != "kana_foreign" else f"{p.given_kana}・{p.sur_kana}"
    sep = {"space": " ", "none": "", "wide": "\u3000"}[style]
    return f"{p.sur}{sep}{p.given}"


def name_kana(p: Person, half: bool = False, hiragana: bool = False) -> str:
    text = f"{p.sur_kana} {p.given_kana}" if not p.foreign else f"{p.given_kana} {p.sur_kana}"
    if hiragana and not p.foreign:  # foreign names are written in katakana, never hiragana
        return jaconv.kata2hira(text)
    return jaconv.z2h(text, kana=True, ascii=False, digit=False) if half else text


def name_romaji(p: Person, style: str) -> str:
    if style == "upper":  # YAMADA TARO (passport order)
        return f"{p.sur_romaji} {p.given_romaji}".upper()
    if style == "western":  # Taro Yamada
        return f"{p.given_romaji} {p.sur_romaji}"
    title = "MR" if p.gender == "M" else "MS"
    return f"{p.sur_romaji}/{p.given_romaji} {title}".upper()  # airline PNR: YAMADA/TARO MR


def phone(parts: tuple[str, str, str], style: str) -> str:
    a, b, c = parts
    return {
        "hyphen": f"{a}-{b}-{c}",
        "plain": f"{a}{b}{c}",
        "intl": f"+81 {a[1:]}-{b}-{c}",
        "intl_compact": f"+81{a[1:]}{b}{c}",
        "paren": f"({a}){b}-{c}",
        "paren_mid": f"{a}({b}){c}",
        "fullwidth": fullwidth(f"{a}-{b}-{c}"),
    }[style]


def wareki(d: dt.date, short: bool = False) -> str:
    for start, era, letter, offset in WAREKI:
        if d >= start:
            year = d.year - offset
            if short:
                return f"{letter}{year:02d}.{d.month:02d}.{d.day:02d}"
            return f"{era}{'元' if year == 1 else year}年{d.month}月{d.day}日"
    return d.strftime("%Y年%m月%d日")


def birth_date(d: dt.date, style: str) -> str:
    return {
        "slash": d.strftime("%Y/%m/%d"),
        "iso": d.isoformat(),
        "compact": d.strftime("%Y%m%d"),
        "wareki": wareki(d),
        "wareki_short": wareki(d, short=True),
        "kanji": f"{d.year}年{d.month}月{d.day}日",
        "slash_unpadded": f"{d.year}/{d.month}/{d.day}",
    }[style]


def card_number(pan: str, style: str) -> str:
    if style == "plain":
        return pan
    if len(pan) == 15:
        groups = [pan[:4], pan[4:10], pan[10:]]
    elif len(pan) == 14:
        groups = [pan[:4], pan[4:10], pan[10:]]
    else:
        groups = [pan[i:i + 4] for i in range(0, len(pan), 4)]
    if style == "space":
        return " ".join(groups)
    if style == "hyphen":
        return "-".join(groups)
    return fullwidth("-".join(groups))  # style == "fullwidth"


def masked_pan(pan: str, style: str) -> str:
    last4, first6, hidden = pan[-4:], pan[:6], len(pan) - 10
    return {
        "stars": "*" * (len(pan) - 4) + last4,
        "first6": first6 + "*" * hidden + last4,
        "x_groups": "XXXX-XXXX-XXXX-" + last4,
        "star_groups": "**** **** **** " + last4,
        "bin_groups": f"{pan[:4]}-****-****-{last4}",
        "lower_x": "x" * (len(pan) - 4) + last4,
        "short": "****" + last4,
    }[style]


def expiry(card: Card, style: str) -> str:
    y, m = card.exp_year, card.exp_month
    return {
        "yyyy/mm": f"{y}/{m:02d}",
        "mm/yy": f"{m:02d}/{y % 100:02d}",
        "kanji": f"{y}年{m}月",
        "mm/yyyy": f"{m:02d}/{y}",
        "yyyy-mm": f"{y}-{m:02d}",
    }[style]


def address(p: Person, style: str) -> str:
    pref, city, town, romaji, _ = p.place
    b1, b2, b3 = p.block
    building = f" {p.building}" if p.building else ""
    if style == "banchi":  # 2丁目8番1号
        return f"{pref}{city}{town}{b1}丁目{b2}番{b3}号{building}"
    if style == "hyphen":
        return f"{pref}{city}{town}{b1}-{b2}-{b3}{building}"
    if style == "postal":
        return f"〒{p.postal} {pref}{city}{town}{b1}-{b2}-{b3}{building}"
    if style == "fullwidth":
        return f"{pref}{city}{town}{fullwidth(f'{b1}-{b2}-{b3}')}{building}"
    if style == "no_pref":  # designated cities are often written without the prefecture
        return f"{city}{town}{b1}-{b2}-{b3}{building}"
    return f"{b1}-{b2}-{b3} {romaji} {p.postal}"  # romaji


def my_number_text(value: str, style: str) -> str:
    groups = [value[:4], value[4:8], value[8:]]
    return {"plain": value, "space": " ".join(groups), "hyphen": "-".join(groups)}[style]


def pick(rng: random.Random, styles: Sequence[str], weights: Sequence[float] | None = None) -> str:
    return rng.choices(list(styles), weights=weights)[0]


def maybe(rng: random.Random, value: str, blank: float) -> str:
    return "" if rng.random() < blank else value


# --- decoys ---------------------------------------------------------------------------------------
def luhn_failing(rng: random.Random, length: int = 16) -> str:
    while True:
        value = str(rng.randint(1, 9)) + _digits(rng, length - 1)
        if not luhn.is_valid(value):
            return value


def order_no(rng: random.Random) -> str:
    return str(rng.randint(100_000_000, 999_999_999))


def tracking_no(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + _digits(rng, 11)  # ~1 in 11 passes the My Number check by chance


def hotel_conf(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + _digits(rng, 7)


def booking_ref(rng: random.Random, year: int = 2026) -> str:
    return f"JPK{year}{rng.randint(0, 999999):06d}"


def flight_no(rng: random.Random) -> str:
    return rng.choice(["JL", "NH", "JL", "NU", "UA"]) + str(rng.randint(1, 999)).zfill(rng.choice([3, 4]))


def sku(rng: random.Random) -> str:
    return f"SKU-{rng.choice(TOURS)}-{rng.randint(1, 9999):04d}-{rng.choice(['JP', 'EN'])}"


def timestamp(rng: random.Random, year: int = 2026) -> str:
    moment = dt.datetime(year, 1, 1) + dt.timedelta(seconds=rng.randint(0, 330 * 86400))
    return moment.isoformat(sep=" ")


# --- truth ---------------------------------------------------------------------------------------
@dataclass
class Truth:
    """Which fields and which text lines hold which entity types (the dev truth.json format)."""

    fields: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    lines: dict[tuple[str, int], set[str]] = field(default_factory=dict)

    def field(self, source: str, container: str, name: str, *entities: str) -> None:
        self.fields.setdefault((source, container, name), set()).update(entities)

    def line(self, source: str, number: int, entities: Iterable[str]) -> None:
        entities = set(entities)
        if entities:
            self.lines.setdefault((source, number), set()).update(entities)

    def to_json(self, seed: int) -> dict:
        return {
            "meta": {"seed": seed, "holdout": True, "people": PEOPLE},
            "fields": [{"source": s, "container": c, "field": f, "entities": sorted(e)}
                       for (s, c, f), e in sorted(self.fields.items())],
            "lines": [{"source": s, "line": n, "entities": sorted(e)} for (s, n), e in sorted(self.lines.items())],
        }


@dataclass
class Corpus:
    root: Path
    truth: Truth
    secrets: set[str] = field(default_factory=set)  # values that must never appear in clear in any output

    def secret(self, value: str) -> str:
        """Remember a full PAN / passport / My Number (letters and ASCII digits only) and return it."""
        self.secrets.add("".join(ch for ch in value if ch.isalnum()).translate(_ASCII_DIGITS))
        return value


_ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass
class Column:
    """One column of a generated table: how to make its value for a person, and what truth it is."""

    name: str
    make: Callable[[Person, random.Random], object]
    entities: tuple[str, ...] = ()


def rows_of(people: Sequence[Person], columns: Sequence[Column], rng: random.Random) -> list[list[object]]:
    return [[c.make(p, rng) for c in columns] for p in people]


def record_truth(corpus: Corpus, source: str, container: str, columns: Sequence[Column],
                 rows: Sequence[Sequence[object]]) -> None:
    """Label a column with its entities only when it actually holds a non-empty value."""
    for index, column in enumerate(columns):
        if column.entities and any(r[index] not in (None, "") for r in rows):
            corpus.truth.field(source, container, column.name, *column.entities)


def write_delimited(path: Path, columns: Sequence[Column], rows: Sequence[Sequence[object]], *,
                    encoding: str, delimiter: str = ",", newline: str = "\n", gz: bool = False) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow([c.name for c in columns])
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)


# --- the files -----------------------------------------------------------------------------------
def customers_cp932(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """A CRM export as Excel in Japan saves it: CP932, CRLF, Japanese headers."""
    source = "exports/顧客リスト_2026-11.csv"
    cols = [
        Column("顧客ID", lambda p, r: f"C{r.randint(0, 999999):06d}"),
        Column("お名前", lambda p, r: name_kanji(p, pick(r, ["space", "none", "wide"])), ("PERSON",)),
        Column("フリガナ", lambda p, r: name_kana(p, half=r.random() < 0.6), ("PERSON",)),
        Column("生年月日", lambda p, r: birth_date(p.birth, pick(r, ["wareki", "slash"], [2, 1])), ("DATE_OF_BIRTH",)),
        Column("連絡先TEL", lambda p, r: maybe(r, phone(p.landline, pick(r, ["hyphen", "paren", "paren_mid"])), 0.3),
               ("PHONE_NUMBER",)),
        Column("携帯電話", lambda p, r: phone(p.mobile, pick(r, ["hyphen", "plain", "fullwidth"], [3, 1, 1])),
               ("PHONE_NUMBER",)),
        Column("メールアドレス", lambda p, r: p.email, ("EMAIL_ADDRESS",)),
        Column("〒", lambda p, r: f"〒{p.postal}" if r.random() < 0.7 else p.postal.replace("-", ""), ("ADDRESS",)),
        Column("住所", lambda p, r: address(p, pick(r, ["banchi", "hyphen", "fullwidth", "no_pref"])), ("ADDRESS",)),
        Column("パスポートNo.", lambda p, r: maybe(r, corpus.secret(p.passport), 0.35), ("PASSPORT_NUMBER",)),
        Column("JMBお得意様番号", lambda p, r: maybe(r, p.jmb, 0.4), ("JMB_NUMBER",)),
        Column("特記事項", lambda p, r: p.care or "", ("SPECIAL_CARE_INFO",)),
        Column("受注番号", lambda p, r: order_no(r)),
        Column("登録日", lambda p, r: timestamp(r)),
        Column("メール配信", lambda p, r: r.choice("YN")),
    ]
    rows = rows_of(people, cols, rng)
    write_delimited(corpus.root / source, cols, rows, encoding="cp932", newline="\r\n")
    record_truth(corpus, source, "", cols, rows)


def members_cp932(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """An old member system's dump: CP932, other header spellings, compact values, My Numbers."""
    source = "exports/会員データ_旧システム.csv"
    cols = [
        Column("会員No", lambda p, r: f"M{r.randint(0, 9999999):07d}"),
        Column("顧客名", lambda p, r: name_kanji(p, "none" if not p.foreign else "kana_foreign"), ("PERSON",)),
        Column("氏名（カナ）", lambda p, r: name_kana(p), ("PERSON",)),
        Column("電話", lambda p, r: phone(r.choice([p.landline, p.mobile]), "plain"), ("PHONE_NUMBER",)),
        Column("Eメール", lambda p, r: maybe(r, p.email, 0.2), ("EMAIL_ADDRESS",)),
        Column("郵便番号", lambda p, r: p.postal, ("ADDRESS",)),
        Column("住所", lambda p, r: address(p, "banchi"), ("ADDRESS",)),
        Column("誕生日", lambda p, r: birth_date(p.birth, "compact"), ("DATE_OF_BIRTH",)),
        Column("旅券番号", lambda p, r: maybe(r, corpus.secret(p.passport), 0.3), ("PASSPORT_NUMBER",)),
        Column("マイレージ番号", lambda p, r: maybe(r, p.jmb, 0.3), ("JMB_NUMBER",)),
        Column("個人番号", lambda p, r: maybe(r, corpus.secret(my_number_text(
            p.my_number, pick(r, ["plain", "space", "hyphen"]))), 0.5), ("JP_MY_NUMBER",)),
        Column("配慮事項", lambda p, r: p.care or "", ("SPECIAL_CARE_INFO",)),
        Column("追跡番号", lambda p, r: tracking_no(r)),
        Column("金額", lambda p, r: str(r.randint(30, 900) * 1000)),
    ]
    rows = rows_of(people, cols, rng)
    write_delimited(corpus.root / source, cols, rows, encoding="cp932", newline="\r\n")
    record_truth(corpus, source, "", cols, rows)


def card_statement_cp932(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """Card settlement detail from a payment back office: full-width digits, 2027年3月 expiries."""
    source = "exports/カード決済明細.csv"
    cols = [
        Column("決済ID", lambda p, r: str(r.randint(1, 99999)).zfill(8)),
        Column("お名前", lambda p, r: name_romaji(p, "upper"), ("PERSON",)),
        Column("カード番号", lambda p, r: corpus.secret(card_number(p.card.pan, pick(
            r, ["fullwidth", "hyphen", "plain"], [2, 2, 1]))), ("CREDIT_CARD",)),
        Column("有効期限", lambda p, r: expiry(p.card, "kanji"), ("CARD_EXPIRATION",)),
        Column("セキュリティコード", lambda p, r: p.card.cvv, ("CARD_SECURITY_CODE",)),
        Column("カード下4桁", lambda p, r: masked_pan(p.card.pan, "short"), ("CREDIT_CARD_MASKED",)),
        Column("カード種別", lambda p, r: p.card.brand),
        Column("決済金額", lambda p, r: f"{r.randint(30, 900) * 1000:,}"),
        Column("取引ID", lambda p, r: luhn_failing(r)),
        Column("決済日時", lambda p, r: timestamp(r)),
    ]
    rows = rows_of(people, cols, rng)
    write_delimited(corpus.root / source, cols, rows, encoding="cp932", newline="\r\n")
    record_truth(corpus, source, "", cols, rows)


def contacts_bom(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """A marketing tool export: UTF-8 with BOM, English abbreviations for headers."""
    source = "exports/crm_contacts.csv"
    cols = [
        Column("cust_id", lambda p, r: str(r.randint(10000, 99999))),
        Column("cust_nm", lambda p, r: name_kanji(p, "space") if r.random() < 0.6 else name_romaji(p, "western"),
               ("PERSON",)),
        Column("tel_no", lambda p, r: maybe(r, phone(p.landline, pick(r, ["hyphen", "intl"])), 0.25), ("PHONE_NUMBER",)),
        Column("mobile", lambda p, r: phone(p.mobile, pick(r, ["hyphen", "intl", "intl_compact"])), ("PHONE_NUMBER",)),
        Column("e_mail", lambda p, r: p.email, ("EMAIL_ADDRESS",)),
        Column("mail_addr", lambda p, r: maybe(r, p.email.replace("@", f"{r.randint(1, 9)}@"), 0.5), ("EMAIL_ADDRESS",)),
        Column("dob", lambda p, r: birth_date(p.birth, "iso"), ("DATE_OF_BIRTH",)),
        Column("zip", lambda p, r: p.postal.replace("-", ""), ("ADDRESS",)),
        Column("addr1", lambda p, r: address(p, pick(r, ["romaji", "hyphen"])), ("ADDRESS",)),
        Column("pp_no", lambda p, r: maybe(r, corpus.secret(p.passport), 0.4), ("PASSPORT_NUMBER",)),
        Column("mileage_no", lambda p, r: maybe(r, p.jmb, 0.4), ("JMB_NUMBER",)),
        Column("email_verified", lambda p, r: r.choice("YN")),
        Column("updated_at", lambda p, r: timestamp(r).replace(" ", "T") + "+09:00"),
    ]
    rows = rows_of(people, cols, rng)
    write_delimited(corpus.root / source, cols, rows, encoding="utf-8-sig")
    record_truth(corpus, source, "", cols, rows)


def gateway_tsv(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """A payment gateway settlement file: TSV, card data with every brand."""
    source = "exports/gateway_settlement_20261101.tsv"
    cols = [
        Column("txn_id", lambda p, r: luhn_failing(r)),
        Column("card_holder", lambda p, r: name_romaji(p, "western").upper(), ("PERSON",)),
        Column("cc_num", lambda p, r: corpus.secret(card_number(p.card.pan, pick(r, ["plain", "space", "hyphen"]))),
               ("CREDIT_CARD",)),
        Column("exp", lambda p, r: expiry(p.card, "mm/yy"), ("CARD_EXPIRATION",)),
        Column("cvc", lambda p, r: p.card.cvv, ("CARD_SECURITY_CODE",)),
        Column("last4", lambda p, r: masked_pan(p.card.pan, pick(r, ["x_groups", "star_groups", "lower_x"])),
               ("CREDIT_CARD_MASKED",)),
        Column("card_brand", lambda p, r: p.card.brand),
        Column("amount", lambda p, r: str(r.randint(30, 900) * 1000)),
        Column("order_no", lambda p, r: order_no(r)),
        Column("created_at", lambda p, r: timestamp(r)),
    ]
    rows = rows_of(people, cols, rng)
    write_delimited(corpus.root / source, cols, rows, encoding="utf-8", delimiter="\t")
    record_truth(corpus, source, "", cols, rows)


def legacy_gz(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """A gzipped CSV from a JavaScript web app: camelCase headers."""
    source = "exports/legacy_members.csv.gz"
    cols = [
        Column("memberId", lambda p, r: str(r.randint(1, 999999))),
        Column("fullName", lambda p, r: name_romaji(p, "western"), ("PERSON",)),
        Column("nameKana", lambda p, r: name_kana(p, hiragana=r.random() < 0.3), ("PERSON",)),
        Column("dateOfBirth", lambda p, r: birth_date(p.birth, pick(r, ["slash", "slash_unpadded", "kanji"])),
               ("DATE_OF_BIRTH",)),
        Column("phoneNumber", lambda p, r: phone(p.mobile, pick(r, ["intl", "hyphen"])), ("PHONE_NUMBER",)),
        Column("emailAddress", lambda p, r: p.email, ("EMAIL_ADDRESS",)),
        Column("postalCode", lambda p, r: p.postal, ("ADDRESS",)),
        Column("address", lambda p, r: address(p, "romaji"), ("ADDRESS",)),
        Column("passportNumber", lambda p, r: maybe(r, corpus.secret(p.passport), 0.3), ("PASSPORT_NUMBER",)),
        Column("jmb", lambda p, r: maybe(r, p.jmb, 0.3), ("JMB_NUMBER",)),
        Column("trackingNo", lambda p, r: tracking_no(r)),
        Column("createdAt", lambda p, r: timestamp(r).replace(" ", "T") + "Z"),
    ]
    rows = rows_of(people, cols, rng)
    write_delimited(corpus.root / source, cols, rows, encoding="utf-8", gz=True)
    record_truth(corpus, source, "", cols, rows)


def hotel_allocations_csv(corpus: Corpus, rng: random.Random) -> None:
    """No PII at all: hotel confirmation codes look exactly like Japanese passport numbers."""
    header = ["alloc_id", "booking_ref", "hotel_code", "hotel_conf_no", "check_in", "nights", "room_type",
              "pax", "rate_jpy", "sku"]
    rows = []
    for i in range(220):
        check_in = dt.date(2026, 12, 1) + dt.timedelta(days=rng.randint(0, 120))
        rows.append([i + 1, booking_ref(rng), f"H{rng.randint(100, 999)}", hotel_conf(rng), check_in.isoformat(),
                     rng.randint(1, 7), rng.choice(["TWN", "DBL", "SGL", "TRP"]), rng.randint(1, 4),
                     rng.randint(8, 60) * 1000, sku(rng)])
    path = corpus.root / "exports/hotel_allocations.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def roster_xlsx(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """A tour roster workbook as staff make it: a title row above the headers, real Excel dates, two sheets."""
    source = "reports/ツアー参加者名簿_HWI-1203.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "参加者名簿"
    sheet.append(["ハワイ5日間 12月3日出発 参加者名簿"])
    sheet.append([])
    roster = [
        Column("No.", lambda p, r: None),
        Column("氏名", lambda p, r: name_kanji(p, pick(r, ["wide", "space"])), ("PERSON",)),
        Column("ローマ字", lambda p, r: name_romaji(p, "upper"), ("PERSON",)),
        Column("性別", lambda p, r: "男" if p.gender == "M" else "女"),
        Column("生年月日", lambda p, r: dt.datetime.combine(p.birth, dt.time()), ("DATE_OF_BIRTH",)),
        Column("旅券番号", lambda p, r: corpus.secret(p.passport), ("PASSPORT_NUMBER",)),
        Column("旅券有効期限", lambda p, r: dt.datetime(2027 + r.randint(0, 8), r.randint(1, 12), r.randint(1, 28))),
        Column("携帯", lambda p, r: phone(p.mobile, "hyphen"), ("PHONE_NUMBER",)),
        Column("備考", lambda p, r: p.care or "", ("SPECIAL_CARE_INFO",)),
    ]
    group = people[:40]
    rows = rows_of(group, roster, rng)
    for i, row in enumerate(rows, start=1):
        row[0] = i
    sheet.append([c.name for c in roster])
    for row in rows:
        sheet.append(row)
    record_truth(corpus, source, "参加者名簿", roster, rows)

    payments = book.create_sheet("決済")
    pay = [
        Column("予約番号", lambda p, r: booking_ref(r)),
        Column("カード番号", lambda p, r: corpus.secret(card_number(p.card.pan, "space")), ("CREDIT_CARD",)),
        Column("有効期限", lambda p, r: expiry(p.card, "yyyy/mm"), ("CARD_EXPIRATION",)),
        Column("セキュリティコード", lambda p, r: int(p.card.cvv), ("CARD_SECURITY_CODE",)),
        Column("カード下4桁", lambda p, r: masked_pan(p.card.pan, "stars"), ("CREDIT_CARD_MASKED",)),
        Column("ブランド", lambda p, r: p.card.brand),
        Column("金額", lambda p, r: r.randint(100, 900) * 1000),
        Column("承認番号", lambda p, r: _digits(r, 6)),
    ]
    rows = rows_of(group, pay, rng)
    payments.append([c.name for c in pay])
    for row in rows:
        payments.append(row)
    record_truth(corpus, source, "決済", pay, rows)
    path = corpus.root / source
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def bookings_json(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """A booking API dump: one JSON array of nested objects with lists inside."""
    source = "api/bookings_2026-11.json"
    records = []
    for p in people:
        record = {
            "bookingId": booking_ref(rng),
            "status": rng.choice(["CONFIRMED", "CANCELLED", "TICKETED"]),
            "customer": {
                "name": {"kanji": name_kanji(p), "kana": name_kana(p), "romaji": name_romaji(p, "upper")},
                "dateOfBirth": p.birth.isoformat(),
                "contact": {"email": p.email,
                            "phones": [{"type": "mobile", "number": phone(p.mobile, "hyphen")}]},
                "address": {"postalCode": p.postal, "prefecture": p.place[0], "city": p.place[1],
                            "line1": f"{p.place[2]}{p.block[0]}-{p.block[1]}-{p.block[2]}"},
            },
            "passengers": [{"passportNumber": corpus.secret(p.passport), "nationality": p.nationality,
                            "jmbNo": p.jmb}],
            "itinerary": [{"flightNo": flight_no(rng), "date": f"2026-12-{rng.randint(1, 28):02d}"}
                          for _ in range(2)],
            "payment": {"brand": p.card.brand, "maskedPan": masked_pan(p.card.pan, "first6"),
                        "amount": rng.randint(50, 900) * 1000},
            "createdAt": timestamp(rng).replace(" ", "T") + "+09:00",
        }
        records.append(record)
    labels = {
        "customer.name.kanji": "PERSON", "customer.name.kana": "PERSON", "customer.name.romaji": "PERSON",
        "customer.dateOfBirth": "DATE_OF_BIRTH", "customer.contact.email": "EMAIL_ADDRESS",
        "customer.contact.phones.number": "PHONE_NUMBER", "customer.address.postalCode": "ADDRESS",
        "customer.address.line1": "ADDRESS", "passengers.passportNumber": "PASSPORT_NUMBER",
        "passengers.jmbNo": "JMB_NUMBER", "payment.maskedPan": "CREDIT_CARD_MASKED",
    }
    for path, entity in labels.items():
        corpus.truth.field(source, "", path, entity)
    out = corpus.root / source
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


def guest_events_jsonl(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """Event stream: guest.contact.tel, payment.card.number (a legacy producer still sends full PANs)."""
    source = "events/guest_events.jsonl"
    lines = []
    full_pan = masked = False
    for p in people:
        event: dict = {"type": rng.choice(["guest.checked_in", "guest.profile_updated", "payment.captured"]),
                       "request_id": luhn_failing(rng),
                       "guest": {"name": name_romaji(p, "western"),
                                 "contact": {"tel": phone(p.mobile, pick(rng, ["intl", "plain", "hyphen"])),
                                             "email": p.email},
                                 "birthday": birth_date(p.birth, "slash")},
                       "sku": sku(rng), "occurred_at": timestamp(rng).replace(" ", "T") + "Z"}
        if event["type"] == "payment.captured":
            legacy = rng.random() < 0.35
            full_pan |= legacy
            masked |= not legacy
            number = corpus.secret(p.card.pan) if legacy else masked_pan(p.card.pan, pick(rng, ["first6", "stars"]))
            event["payment"] = {"card": {"number": number, "expiry": expiry(p.card, "mm/yy"), "cvc": p.card.cvv if legacy else None,
                                         "brand": p.card.brand}, "amount": rng.randint(50, 900) * 1000}
        lines.append(json.dumps(event, ensure_ascii=False))
    truth = corpus.truth
    truth.field(source, "", "guest.name", "PERSON")
    truth.field(source, "", "guest.contact.tel", "PHONE_NUMBER")
    truth.field(source, "", "guest.contact.email", "EMAIL_ADDRESS")
    truth.field(source, "", "guest.birthday", "DATE_OF_BIRTH")
    truth.field(source, "", "payment.card.number", *(["CREDIT_CARD"] if full_pan else []),
                *(["CREDIT_CARD_MASKED"] if masked else []))
    truth.field(source, "", "payment.card.expiry", "CARD_EXPIRATION")
    truth.field(source, "", "payment.card.cvc", "CARD_SECURITY_CODE")
    out = corpus.root / source
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def manifest_parquet(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """A warehouse table with typed columns: dates as date32, member and tracking numbers as int64."""
    source = "warehouse/pax_manifest.parquet"
    group = [p for p in people if p.passport]
    table = pa.table({
        "pax_name": [name_romaji(p, "pnr") for p in group],
        "ppt_num": [corpus.secret(p.passport) for p in group],
        "nationality": [p.nationality for p in group],
        "bday": pa.array([p.birth for p in group], pa.date32()),
        "jmb": pa.array([int(p.jmb) for p in group], pa.int64()),
        "pan": [masked_pan(p.card.pan, pick(rng, ["first6", "bin_groups"])) for p in group],
        "flight_no": [flight_no(rng) for _ in group],
        "dep_date": pa.array([dt.date(2026, 12, 1) + dt.timedelta(days=rng.randint(0, 90)) for _ in group], pa.date32()),
        "fare_amount": pa.array([rng.randint(40, 900) * 1000 for _ in group], pa.int64()),
        "tracking_no": pa.array([int(tracking_no(rng)) for _ in group], pa.int64()),
    })
    for name, entity in [("pax_name", "PERSON"), ("ppt_num", "PASSPORT_NUMBER"), ("bday", "DATE_OF_BIRTH"),
                         ("jmb", "JMB_NUMBER"), ("pan", "CREDIT_CARD_MASKED")]:
        corpus.truth.field(source, "", name, entity)
    out = corpus.root / source
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out)


INQUIRY_TEMPLATES: list[tuple[str, tuple[str, ...]]] = [
    ("{kanji}様より電話あり。折り返し先 {mobile}", ("PERSON", "PHONE_NUMBER")),
    ("Customer {western} asked to update the passport number to {passport}", ("PERSON", "PASSPORT_NUMBER")),
    ("旅券番号を{passport}に変更", ("PASSPORT_NUMBER",)),
    ("カード番号 {card} 有効期限 {exp} で再決済を依頼", ("CREDIT_CARD", "CARD_EXPIRATION")),
    ("eチケットを {email} 宛に再送してほしいとのこと", ("EMAIL_ADDRESS",)),
    ("JMBお得意様番号 {jmb} へのマイル事後登録依頼", ("JMB_NUMBER",)),
    ("生年月日が誤って登録されている。正しくは{dob}", ("DATE_OF_BIRTH",)),
    ("住所変更: {address}", ("ADDRESS",)),
    ("{care}のため、手配をお願いしたい", ("SPECIAL_CARE_INFO",)),
    ("出発日の変更について問い合わせ。", ()),
    ("受注番号 {order} のキャンセル料について", ()),
    ("Tour {tour} on 2026-12-{day} is full; waitlisted.", ()),
]


def reservations_sqlite(corpus: Corpus, people: Sequence[Person], rng: random.Random) -> None:
    """A reservation system's SQLite file: other table/column names, Japanese column names, a card vault."""
    source = "db/reservations.sqlite3"
    path = corpus.root / source
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    truth = corpus.truth

    def table(name: str, columns: Sequence[Column], group: Sequence[Person], types: dict[str, str] | None = None) -> None:
        types = types or {}
        ddl = ", ".join(f'"{c.name}" {types.get(c.name, "TEXT")}' for c in columns)
        con.execute(f'CREATE TABLE "{name}" ({ddl})')
        rows = [[None if v == "" else v for v in row] for row in rows_of(group, columns, rng)]
        con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(columns))})', rows)
        record_truth(corpus, source, name, columns, rows)

    table("guest_master", [
        Column("guest_no", lambda p, r: r.randint(1, 10**6)),
        Column("guest_nm", lambda p, r: name_kanji(p, "wide"), ("PERSON",)),
        Column("guest_nm_kana", lambda p, r: name_kana(p, hiragana=True), ("PERSON",)),
        Column("sex", lambda p, r: p.gender),
        Column("birthday", lambda p, r: birth_date(p.birth, "wareki_short"), ("DATE_OF_BIRTH",)),
        Column("tel", lambda p, r: phone(r.choice([p.landline, p.mobile]), pick(r, ["hyphen", "plain", "paren"])),
               ("PHONE_NUMBER",)),
        Column("mail", lambda p, r: maybe(r, p.email, 0.15), ("EMAIL_ADDRESS",)),
        Column("zip_cd", lambda p, r: p.postal, ("ADDRESS",)),
        Column("addr", lambda p, r: address(p, pick(r, ["postal", "banchi", "hyphen"])), ("ADDRESS",)),
        Column("jmb_member_no", lambda p, r: maybe(r, p.jmb, 0.35), ("JMB_NUMBER",)),
        Column("email_verified", lambda p, r: r.choice("YN")),
        Column("created_at", lambda p, r: timestamp(r, 2024)),
        Column("updated_at", lambda p, r: timestamp(r)),
    ], people, {"guest_no": "INTEGER"})
    table("travel_documents", [
        Column("doc_id", lambda p, r: r.randint(1, 10**6)),
        Column("doc_type", lambda p, r: "PASSPORT"),
        Column("document_no", lambda p, r: corpus.secret(p.passport), ("PASSPORT_NUMBER",)),
        Column("issuing_country", lambda p, r: p.nationality),
        Column("expiry_date", lambda p, r: dt.date(2027 + r.randint(0, 9), r.randint(1, 12), r.randint(1, 28)).isoformat()),
    ], people[::2], {"doc_id": "INTEGER"})
    table("card_vault", [
        Column("card_id", lambda p, r: r.randint(1, 10**6)),
        Column("holder_name", lambda p, r: name_romaji(p, "western").upper(), ("PERSON",)),
        Column("pan", lambda p, r: corpus.secret(card_number(p.card.pan, pick(r, ["plain", "space"], [3, 1]))),
               ("CREDIT_CARD",)),
        Column("exp_date", lambda p, r: expiry(p.card, pick(r, ["yyyy-mm", "mm/yyyy"])), ("CARD_EXPIRATION",)),
        Column("cvv2", lambda p, r: p.card.cvv, ("CARD_SECURITY_CODE",)),
        Column("card_brand", lambda p, r: p.card.brand),
        Column("token", lambda p, r: "tok_" + "".join(r.choice("abcdefghijkmnpqrstuvwxyz0123456789") for _ in range(24))),
    ], people[1::3], {"card_id": "INTEGER"})
    table("staff", [
        Column("社員番号", lambda p, r: f"E{r.randint(1000, 9999)}"),
        Column("氏名", lambda p, r: name_kanji(p, "space"), ("PERSON",)),
        Column("マイナンバー", lambda p, r: corpus.secret(my_number_text(p.my_number, pick(r, ["plain", "space"]))),
               ("JP_MY_NUMBER",)),
        Column("部署", lambda p, r: r.choice(["営業部", "海外旅行部", "経理部", "システム部"])),
        Column("入社日", lambda p, r: dt.date(r.randint(1990, 2025), r.randint(1, 12), 1).isoformat()),
    ], [p for p in people[::7] if not p.foreign])

    inquiries = []
    entities: set[str] = set()
    for i, p in enumerate(people[:200]):
        template, labels = INQUIRY_TEMPLATES[i % len(INQUIRY_TEMPLATES)]
        if "{care}" in template and p.care not in CARE_NOTES:
            template, labels = INQUIRY_TEMPLATES[9]
        text = template.format(
            kanji=name_kanji(p), western=name_romaji(p, "western"), mobile=phone(p.mobile, "hyphen"),
            passport=corpus.secret(p.passport), card=corpus.secret(card_number(p.card.pan, "space")),
            exp=expiry(p.card, "mm/yy"), email=p.email, jmb=p.jmb, dob=birth_date(p.birth, "kanji"),
            address=address(p, "postal"), care=p.care, order=order_no(rng), tour=rng.choice(TOURS),
            day=f"{rng.randint(1, 28):02d}")
        entities.update(labels)
        inquiries.append((i + 1, rng.randint(1, 10**6), rng.choice(["電話", "メール", "web"]), text, timestamp(rng)))
    con.execute('CREATE TABLE inquiries (inquiry_id INTEGER, guest_no INTEGER, channel TEXT, memo TEXT, received_at TEXT)')
    con.executemany("INSERT INTO inquiries VALUES (?, ?, ?, ?, ?)", inquiries)
    truth.field(source, "inquiries", "memo", *entities)

    con.execute("CREATE TABLE hotel_allocations (alloc_id INTEGER, hotel_conf_no TEXT, check_in TEXT, nights INTEGER)")
    con.executemany("INSERT INTO hotel_allocations VALUES (?, ?, ?, ?)",
                    [(i, hotel_conf(rng), f"2026-12-{rng.randint(1, 28):02d}", rng.randint(1, 6)) for i in range(200)])
    con.execute("CREATE TABLE orders (order_no TEXT, sku TEXT, product_code TEXT, qty INTEGER, amount INTEGER, "
                "tracking_no TEXT, session_id TEXT, ordered_at TEXT)")
    con.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        (order_no(rng), sku(rng), f"P{rng.randint(10000, 99999)}", rng.randint(1, 5), rng.randint(1, 500) * 100,
         tracking_no(rng), luhn_failing(rng), timestamp(rng)) for _ in range(250)])
    con.commit()
    con.close()


# --- logs ----------------------------------------------------------------------------------------
def _log_line(p: Person, rng: random.Random, corpus: Corpus, when: str, style: str) -> tuple[str, tuple[str, ...]]:
    """One log line in one of the formats real services write; returns (text, entities in it)."""
    card = p.card
    kinds = [
        ("request", ()), ("order", ()), ("sku", ()), ("phone", ("PHONE_NUMBER",)), ("card", (
            "CREDIT_CARD", "CARD_EXPIRATION", "CARD_SECURITY_CODE")), ("masked", ("CREDIT_CARD_MASKED",)),
        ("email", ("EMAIL_ADDRESS",)), ("passport", ("PASSPORT_NUMBER",)), ("jmb", ("JMB_NUMBER",)),
        ("track", ("CARD_TRACK_DATA", "CREDIT_CARD", "PERSON")), ("mynumber", ("JP_MY_NUMBER",)),
        ("name", ("PERSON",)), ("address", ("ADDRESS",)), ("dob", ("DATE_OF_BIRTH",)), ("flight", ()),
    ]
    kind, entities = rng.choices(kinds, weights=[6, 4, 2, 2, 2, 2, 3, 2, 2, 1, 1, 2, 1, 1, 3])[0]
    rid = luhn_failing(rng)
    if style == "json":
        payload: dict = {"ts": when, "level": "INFO", "svc": "booking-api", "request_id": rid}
        payload.update({
            "request": {"msg": "request completed", "latency_ms": rng.randint(5, 900)},
            "order": {"msg": "order shipped", "order_no": order_no(rng), "tracking_no": tracking_no(rng)},
            "sku": {"msg": "stock low", "sku": sku(rng), "qty": rng.randint(0, 5)},
            "phone": {"msg": "sms sent", "to": phone(p.mobile, "intl_compact")},
            "card": {"level": "WARN", "msg": "authorization declined", "card": {
                "number": corpus.secret(card.pan), "exp": expiry(card, "mm/yy"), "cvv": card.cvv}},
            "masked": {"msg": "payment captured", "card_masked": masked_pan(card.pan, "first6")},
            "email": {"msg": "member login", "email": p.email},
            "passport": {"level": "WARN", "msg": "APIS validation failed", "passport": corpus.secret(p.passport),
                         "nationality": p.nationality},
            "jmb": {"msg": "mileage accrued", "jmb_no": p.jmb, "miles": rng.randint(100, 9000)},
            "track": {"level": "DEBUG", "msg": "card swipe", "raw": (
                f"%B{corpus.secret(card.pan)}^{p.sur_romaji.upper()}/{p.given_romaji.upper()}^"
                f"{card.exp_year % 100:02d}{card.exp_month:02d}101{_digits(rng, 12)}?")},
            "mynumber": {"msg": "本人確認書類を受領", "kojin_bango": corpus.secret(p.my_number)},
            "name": {"msg": "予約確定", "guest_name": name_kanji(p)},
            "address": {"msg": "送付先住所を更新", "address": address(p, "postal")},
            "dob": {"msg": "age check", "date_of_birth": p.birth.isoformat()},
            "flight": {"msg": "schedule change", "flight": flight_no(rng), "gate": str(rng.randint(1, 80))},
        }[kind])
        return json.dumps(payload, ensure_ascii=False), entities
    if style == "ja":  # Japanese message log of a batch / back office
        text = {
            "request": f"処理完了 リクエストID={rid} 所要時間={rng.randint(5, 900)}ms",
            "order": f"受注番号 {order_no(rng)} を出荷しました 追跡番号 {tracking_no(rng)}",
            "sku": f"在庫僅少 商品コード {sku(rng)}",
            "phone": f"お客様へ折り返し連絡 電話番号: {phone(p.landline, 'hyphen')}",
            "card": (f"オーソリ失敗 カード番号: {corpus.secret(card_number(card.pan, 'hyphen'))} "
                     f"有効期限: {expiry(card, 'yyyy/mm')} セキュリティコード: {card.cvv}"),
            "masked": f"決済完了 カード: {masked_pan(card.pan, 'stars')}",
            "email": f"予約確認メールを送信しました 宛先: {p.email}",
            "passport": f"APIS送信エラー 旅券番号 {corpus.secret(p.passport)} の照合に失敗",
            "jmb": f"JMBお得意様番号 {p.jmb} にマイルを積算しました",
            "track": (f"磁気ストライプ読取 データ=;{corpus.secret(card.pan)}={card.exp_year % 100:02d}"
                      f"{card.exp_month:02d}101{_digits(rng, 10)}?"),
            "mynumber": f"マイナンバー {corpus.secret(my_number_text(p.my_number, 'space'))} を登録しました",
            "name": f"{name_kanji(p, 'none')} 様の予約を確定しました",
            "address": f"送付先住所変更 {address(p, 'banchi')}",
            "dob": f"年齢確認 生年月日 {wareki(p.birth)}",
            "flight": f"便名 {flight_no(rng)} の出発時刻が変更されました",
        }[kind]
        entities = ("CREDIT_CARD", "CARD_TRACK_DATA") if kind == "track" else entities
        return f"{when} [INFO] {text}", entities
    text = {  # key=value
        "request": f"request_id={rid} status=200 latency_ms={rng.randint(5, 900)}",
        "order": f"order_no={order_no(rng)} status=shipped tracking={tracking_no(rng)}",
        "sku": f"inventory sku={sku(rng)} qty={rng.randint(0, 5)}",
        "phone": f"sms queued to={phone(p.mobile, 'hyphen')}",
        "card": (f"payment declined card_no={corpus.secret(card.pan)} exp={expiry(card, 'mm/yy')} "
                 f"cvc={card.cvv}"),
        "masked": f"payment ok card={masked_pan(card.pan, 'x_groups')} brand={card.brand}",
        "email": f"login ok user={p.email}",
        "passport": f"apis rejected pp_no={corpus.secret(p.passport)} nat={p.nationality}",
        "jmb": f"mileage credit jmb_no={p.jmb} miles={rng.randint(100, 9000)}",
        "track": (f"swipe track1=%B{corpus.secret(card.pan)}^{p.sur_romaji.upper()}/{p.given_romaji.upper()}^"
                  f"{card.exp_year % 100:02d}{card.exp_month:02d}101{_digits(rng, 12)}?"),
        "mynumber": f"kyc doc=mynumber value={corpus.secret(p.my_number)}",
        "name": f"booking confirmed guest=\"{name_romaji(p, 'western')}\" ref={booking_ref(rng)}",
        "address": f"shipping address updated addr=\"{address(p, 'romaji')}\"",
        "dob": f"age check dob={p.birth.isoformat()} ok=true",
        "flight": f"schedule change flight={flight_no(rng)} gate={rng.randint(1, 80)}",
    }[kind]
    level = "WARN" if kind in ("card", "passport") else "INFO"
    return f"{when} {level} [booking-api] {text}", entities


def write_log(corpus: Corpus, people: Sequence[Person], rng: random.Random, source: str, styles: Sequence[str],
              lines: int, encoding: str = "utf-8", gz: bool = False) -> None:
    out: list[str] = []
    moment = dt.datetime(2026, 11, 1, 0, 0, 0)
    for number in range(1, lines + 1):
        moment += dt.timedelta(seconds=rng.randint(1, 90))
        style = rng.choice(list(styles))
        when = moment.isoformat() + "+09:00" if style == "json" else moment.strftime("%Y-%m-%d %H:%M:%S,") + f"{rng.randint(0, 999):03d}"
        text, entities = _log_line(rng.choice(people), rng, corpus, when, style)
        out.append(text)
        corpus.truth.line(source, number, entities)
    data = ("\n".join(out) + "\n").encode(encoding)
    path = corpus.root / source
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)


# --- entry points --------------------------------------------------------------------------------
def generate(out_dir: str | Path, seed: int = DEFAULT_SEED) -> Corpus:
    """Write the corpus and its truth.json into `out_dir`; returns the truth and the never-leak values."""
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    people = make_people(rng)
    corpus = Corpus(root, Truth())
    customers_cp932(corpus, people[:240], rng)
    members_cp932(corpus, people[20:260], rng)
    card_statement_cp932(corpus, people[::2], rng)
    contacts_bom(corpus, people[::-1][:220], rng)
    gateway_tsv(corpus, people[1::2], rng)
    legacy_gz(corpus, people[30:230], rng)
    hotel_allocations_csv(corpus, rng)
    roster_xlsx(corpus, people[100:], rng)
    bookings_json(corpus, people[:180], rng)
    guest_events_jsonl(corpus, people[40:], rng)
    manifest_parquet(corpus, people, rng)
    reservations_sqlite(corpus, people, rng)
    write_log(corpus, people, rng, "logs/app.log", ["kv", "json"], 400)
    write_log(corpus, people, rng, "logs/app.log.1.gz", ["kv", "json", "ja"], 300, gz=True)
    write_log(corpus, people, rng, "logs/nightly_batch.log", ["ja"], 200, encoding="cp932")
    (root / "truth.json").write_text(json.dumps(corpus.truth.to_json(seed), ensure_ascii=False, indent=1),
                                     encoding="utf-8")
    return corpus


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", help="where to write the corpus (default: a new temp dir)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    out = args.out_dir or tempfile.mkdtemp(prefix="piiscan-holdout-")
    corpus = generate(out, args.seed)
    print(f"{corpus.root}: {len(corpus.truth.fields)} labelled fields, {len(corpus.truth.lines)} labelled lines")


if __name__ == "__main__":
    main()
