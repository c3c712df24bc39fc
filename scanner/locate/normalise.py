"""One canonical key per identifier kind, and the spellings a datastore may hold.

A data-subject request gives an identifier once (`090-1234-5678`, `山田 太郎`);
the estate holds it in many spellings (`０９０１２３４５６７８`, `+81 90 1234 5678`,
`ﾔﾏﾀﾞ ﾀﾛｳ`, `YAMADA/TAROU`, `髙田`, `昭和60年4月12日`). Two tools cover that:

- `key(kind, value)`: the canonical form of a value of one kind (NFKC, no
  separators, case folded, the phone's trunk 0 for +81, 旧字体 as 新字体, kana as
  hiragana, romaji with Hepburn/kunrei and long-vowel spellings folded). The
  identifier and every cell it is compared with go through the same function,
  so the comparison is one equality (or one hash lookup, see matching.py).
- `spellings(...)` (in identifiers.py, from the helpers here): the concrete
  strings a database column may hold, so a lookup can use bound `IN (...)`
  parameters and an index instead of reading the table.

Why a fold and not a transliterator: a name's romaji is lossy (大野 Ōno and
小野 Ono fold together), so matching is deliberately a little loose here and the
row-level rules (matching.py) decide whether a row is the person.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata

import jaconv

from recognizers.date_of_birth import parse_birth_date

# 旧字体 (and common itaiji) -> 新字体, the forms names are registered in and typed as.
KYUJITAI = str.maketrans({
    "髙": "高", "﨑": "崎", "崎": "崎", "邊": "辺", "邉": "辺", "澤": "沢", "齋": "斎", "齊": "斉", "廣": "広",
    "濱": "浜", "國": "国", "櫻": "桜", "眞": "真", "惠": "恵", "德": "徳", "藏": "蔵", "實": "実", "榮": "栄",
    "嶋": "島", "嶌": "島", "冨": "富", "壽": "寿", "與": "与", "來": "来", "學": "学", "會": "会", "龍": "竜",
    "瀨": "瀬", "淺": "浅", "曾": "曽", "增": "増", "圓": "円", "豐": "豊", "禮": "礼", "靜": "静", "條": "条",
    "彌": "弥", "顯": "顕", "巖": "巌", "隆": "隆", "晴": "晴", "戶": "戸", "黑": "黒", "團": "団", "萬": "万",
    "縣": "県", "驛": "駅", "峯": "峰", "舘": "館", "籠": "篭", "槇": "槙", "祐": "祐", "琢": "琢", "敎": "教",
})
_NAME_DROP = re.compile(r"[\s・･/,.'’\-‐‑–—=＝_]+")
_DIGITS = re.compile(r"\D+")
_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")

# Applied in this order to lower-case ASCII romaji: kunrei/nihon-shiki to Hepburn, then
# long vowels and syllabic n folded. Both sides go through the same steps, so what
# matters is consistency, not linguistic accuracy.
_ROMAJI_STEPS = (
    ("sya", "sha"), ("syu", "shu"), ("syo", "sho"), ("tya", "cha"), ("tyu", "chu"), ("tyo", "cho"),
    ("zya", "ja"), ("zyu", "ju"), ("zyo", "jo"), ("jya", "ja"), ("jyu", "ju"), ("jyo", "jo"),
    ("si", "shi"), ("ti", "chi"), ("tu", "tsu"), ("hu", "fu"), ("zi", "ji"), ("di", "ji"), ("du", "zu"),
    ("ou", "o"), ("oo", "o"), ("oh", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e"),
    ("mb", "nb"), ("mp", "np"), ("mm", "nm"), ("nn", "n"),
)


def nfkc(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def fold_romaji(text: str) -> str:
    """`Satō`, `SATOU`, `Satoh`, `Sato` -> `sato`; `Syuiti` and `Shuichi` fold alike."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    plain = re.sub(r"[^a-z]", "", plain)
    for old, new in _ROMAJI_STEPS:
        plain = plain.replace(old, new)
    return plain


def fold_name(value: object) -> str:
    """The key of a name or name part, whatever script: 新字体 kanji, hiragana, or folded romaji."""
    text = nfkc(value).translate(KYUJITAI)
    text = _NAME_DROP.sub("", text)
    if not text:
        return ""
    if is_latin(text):
        return fold_romaji(text)
    return jaconv.kata2hira(text).lower()


def is_latin(text: str) -> bool:
    """Romaji or another Latin-script name (macrons and accents allowed)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).isascii()


def phone_key(value: object) -> str | None:
    """National digits with the trunk 0: `+81 90-1234-5678`, `81901234567 8`, `090(1234)5678` -> `09012345678`."""
    text = nfkc(value)
    digits = _DIGITS.sub("", text)
    if text.startswith("+81") or (digits.startswith("81") and len(digits) in (11, 12)):
        digits = "0" + digits[2:]
    elif text.startswith("+"):
        return "+" + digits if len(digits) >= 8 else None  # another country: kept with its code
    return digits if 9 <= len(digits) <= 12 else None


def email_key(value: object) -> str | None:
    text = re.sub(r"\s+", "", nfkc(value)).lower()
    if text.startswith("mailto:"):
        text = text[len("mailto:"):]
    return text if "@" in text and not text.startswith("@") and not text.endswith("@") else None


def passport_key(value: object) -> str | None:
    text = re.sub(r"[\s\-]", "", nfkc(value)).upper()
    return text if 6 <= len(text) <= 12 and text.isalnum() else None


def jmb_key(value: object) -> str | None:
    """7 or 9 digits; an older member's 7 digits also appear as `00` + 7."""
    digits = _DIGITS.sub("", nfkc(value))
    if len(digits) == 9 and digits.startswith("00"):
        digits = digits[2:]
    return digits if len(digits) in (7, 9) else None


def my_number_key(value: object) -> str | None:
    digits = _DIGITS.sub("", nfkc(value))
    return digits if len(digits) == 12 else None


def last4_key(value: object) -> str | None:
    """The last four digits of a card number, masked PAN or a bare last-4 field."""
    digits = _DIGITS.sub("", nfkc(value))
    return digits[-4:] if len(digits) >= 4 else None


def birth_date_key(value: object) -> str | None:
    text = nfkc(value)
    text = re.sub(r"[ T]00:00(:00(\.0+)?)?([+-]00(:?00)?|Z)?$", "", text)  # DATETIME columns
    date = parse_birth_date(text)
    return date.isoformat() if date else None


def name_key(value: object) -> str | None:
    return fold_name(value) or None


KEYS = {
    "email": email_key,
    "phone": phone_key,
    "name": name_key,
    "birth_date": birth_date_key,
    "passport": passport_key,
    "jmb": jmb_key,
    "my_number": my_number_key,
    "card_last4": last4_key,
}


def key(kind: str, value: object) -> str | None:
    """The canonical form of `value` as an identifier of `kind` (None: not a value of that kind)."""
    if value is None:
        return None
    try:
        return KEYS[kind](value)
    except (ValueError, TypeError):
        return None


# --- spellings (what a lookup binds) --------------------------------------------------

ERAS = (("令和", "R", 2018, dt.date(2019, 5, 1)), ("平成", "H", 1988, dt.date(1989, 1, 8)),
        ("昭和", "S", 1925, dt.date(1926, 12, 25)), ("大正", "T", 1911, dt.date(1912, 7, 30)))


def date_spellings(date: dt.date) -> set[str]:
    """How a birth date is written in the estate: ISO, slashes, compact, 年月日, 和暦, day/month first."""
    y, m, d = date.year, date.month, date.day
    out = {f"{y}{sep}{m:02d}{sep}{d:02d}" for sep in "-/."} | {f"{y}{sep}{m}{sep}{d}" for sep in "-/."}
    out |= {f"{y}{m:02d}{d:02d}", f"{y}年{m}月{d}日", f"{y}年{m:02d}月{d:02d}日",
            f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{y}-{m:02d}-{d:02d} 00:00:00"}
    if d > 12:  # month first only where it cannot be read day first (parse_birth_date reads day first)
        out |= {f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y}"}
    for era, letter, offset, start in ERAS:
        if date >= start:
            year = date.year - offset
            ys = "元" if year == 1 else str(year)
            out |= {f"{era}{ys}年{m}月{d}日", f"{era}{year}年{m:02d}月{d:02d}日",
                    f"{letter}{year}.{m}.{d}", f"{letter}{year}/{m}/{d}", f"{letter}{year:02d}.{m:02d}.{d:02d}"}
            break
    return out | {s.translate(_FULLWIDTH_DIGITS) for s in out}


def phone_spellings(national: str) -> set[str]:
    """Formatted forms of a national number (libphonenumber's hyphen places), +81 forms, full width."""
    import phonenumbers

    out = {national, "81" + national[1:], "+81" + national[1:]}
    try:
        number = phonenumbers.parse(national, "JP")
        for fmt in (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                    phonenumbers.PhoneNumberFormat.E164):
            out.add(phonenumbers.format_number(number, fmt))
    except phonenumbers.NumberParseException:
        pass
    for form in list(out):
        out |= {form.replace("-", " "), form.replace(" ", "-"), form.replace(" ", "")}
        if form.count("-") == 2 and form.startswith("0"):
            area, rest = form.split("-", 1)
            out.add(f"({area}){rest}")
    return out | {s.translate(_FULLWIDTH_DIGITS).replace("-", "－") for s in out}


def digit_spellings(digits: str) -> set[str]:
    return {digits, digits.translate(_FULLWIDTH_DIGITS)}


_LONG_VOWELS = (("ou", ("ou", "o", "oh", "oo", "ō")), ("uu", ("uu", "u", "ū")), ("oo", ("oo", "o", "ō")))


def romaji_variants(kana: str, limit: int = 24) -> set[str]:
    """Hepburn spellings of a kana reading with the usual long-vowel variants (`たろう` -> taro, tarou, taroh, tarō)."""
    base = jaconv.kana2alphabet(jaconv.kata2hira(kana)).replace("'", "")
    parts = re.split(r"(ou|uu|oo)", base)
    choices = [dict(_LONG_VOWELS)[p] if p in dict(_LONG_VOWELS) else (p,) for p in parts]
    out: set[str] = set()
    for combo in itertools.product(*choices):
        out.add("".join(combo))
        if len(out) >= limit:
            break
    out |= {re.sub(r"n(?=[bmp])", "m", v) for v in list(out)}
    return out


def kana_forms(kana: str) -> set[str]:
    """Katakana, hiragana and half-width katakana of a reading."""
    kata = jaconv.hira2kata(kana)
    return {kata, jaconv.kata2hira(kata), jaconv.z2h(kata, kana=True, ascii=False, digit=False)}


def kyujitai_variants(text: str, limit: int = 16) -> set[str]:
    """`高田` -> {高田, 髙田}: the old forms a name may be registered in."""
    old_of: dict[str, list[str]] = {}
    for old, new in ((chr(k), v) for k, v in KYUJITAI.items()):
        if old != new:
            old_of.setdefault(new, []).append(old)
    new_text = text.translate(KYUJITAI)
    choices = [[c, *old_of.get(c, [])] for c in new_text]
    out: set[str] = set()
    for combo in itertools.product(*choices):
        out.add("".join(combo))
        if len(out) >= limit:
            break
    return out | {text}
