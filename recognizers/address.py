"""ADDRESS: postal addresses (住所) and postal codes (郵便番号).

A Japanese address runs from large to small: prefecture (都道府県, one of 47),
city / ward / county / town / village (市区郡町村), district, then the block
numbers `N丁目N番N号` (or `N-N-N`), then a building and room:
`滋賀県西多摩郡瑞穂町下吉羽28丁目24番1号 シティ大中851`. In romaji the order is
reversed: `1-2-3 Shibuya, Shibuya-ku, Tokyo`. A postal code is three digits,
a hyphen and four digits, usually after the mark `〒` (`〒140-8658`).

How it is found: a prefecture from the list (recognizers/data/ja_prefectures.tsv)
followed by a municipality and block numbers is an address on its own; without
a prefecture, a municipality with block numbers is; a prefecture and city alone
(`東京都渋谷区`) need a context word such as 住所. `〒` + code is a postal code
on its own; a bare `140-8658` only near 郵便番号 / postal / zip, or in a column
whose name says so (postal_code, zip, 郵便番号, yubin). Western street
addresses (`350 Fifth Avenue`) are found by their street suffix.

Sources: 日本郵便「郵便番号・住所の書き方」; 国土地理院 都道府県一覧.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from typing import ClassVar

import numpy as np

from recognizers import masks
from recognizers.base import PatternSpec, PiiRecognizer, normalize_field_name
from recognizers.spec import EntitySpec


@cache
def prefectures() -> tuple[tuple[str, str], ...]:
    """(kanji, romaji) for the 47 prefectures, from package data."""
    text = files("recognizers").joinpath("data", "ja_prefectures.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple((kanji.strip(), roman.strip()) for kanji, roman in rows)


_PREF = "|".join(k for k, _ in prefectures())
_PREF_ROMAJI = "|".join(r for _, r in prefectures())
# Characters of a Japanese place name: kanji, kana, 々, ヶ/ケ.
_JAC = r"[々ヶ\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff]"
_MUNI = r"(?:市|区|郡|町|村)"
_BLOCK = r"\d{1,4}(?:丁目|番地?|号|-|‐|−|ー|の)(?:\d{1,4}(?:丁目|番地?|号|-|‐|−|ー|の)?){0,3}"
_BUILDING = rf"(?: ?(?:{_JAC}|[A-Za-z]){{1,15}} ?\d{{1,4}}(?:号室)?)?"
_ROMAJI_MUNI = r"[A-Z][a-z]+-(?:ku|shi|gun|cho|machi|mura|son)\b"
_STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|Parkway|Pkwy"
    r"|Loop|Crescent|Cres|Close|Highway|Hwy|Square|Sq|Circle|Cir|Row|Mews|Grove|Parade|Esplanade|Trail|Plaza)"
)
# A Western address line ending in a postal code, whatever its street type: `9290 Brian Field
# Apt. 907, Scottborough, NC 31125`, `5 Aimee Walk, Tonyborough, B9S 6RW`, `Studio 40, Julie
# Mountain, Jessicachester, G8C 3AG`, `8/747 Stanley Parkway, Bellside, WA, 2920`, `…, YT Y5T1X1`.
_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|"
    "OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR|VI|GU|AS|MP|AA|AE|AP|MH|FM|PW"
)
_CA_PROVINCES = "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT"
_AU_STATES = "NSW|VIC|QLD|WA|SA|TAS|ACT|NT"
_POSTAL_ANY = (
    rf"(?:(?:{_US_STATES}),? \d{{5}}(?:-\d{{4}})?|(?:{_AU_STATES}),? \d{{4}}"
    rf"|(?:(?:{_CA_PROVINCES}) )?[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{{1,2}}\d[A-Z\d]? ?\d[A-Z]{{2}})"
)
_WORD = r"[A-Z][A-Za-z'’\-]+\.?"
_WESTERN_LINE = (
    rf"(?:(?:Flat|Studio|Unit|Apt\.?|Apartment|Suite) \w+, (?:\d{{1,6}}[A-Z]? )?|\d{{1,6}}[A-Z]?(?:/\d{{1,6}})? )"
    rf"(?:{_WORD} ){{0,3}}{_WORD}(?:,? (?:Apt\.?|Suite|Unit|Flat) \w+)?, (?:{_WORD} ){{0,2}}{_WORD},? {_POSTAL_ANY}"
)
# After a Western street: a US state and ZIP, an Australian state and postcode, a UK postcode.
_WESTERN_POSTAL = (
    r"(?:,? (?:[A-Z]{2}|NSW|VIC|QLD|TAS|ACT) \d{4,5}(?:-\d{4})?(?![\w-])"
    r"|,? [A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}(?![\w-]))"
)
_PREF_ROMAJI_FULL = rf"(?:{_PREF_ROMAJI})(?:-(?:to|fu|ken))?(?![A-Za-z])"
_PREF_ROMAJI_RE = re.compile(_PREF_ROMAJI_FULL)
# One romaji place name: `Chuo`, `Chuo-ku`, `Nishi-Shinjuku`, `Kita 1-jo Nishi`.
_PLACE = r"[A-Z][a-z]+(?:-[A-Za-z]+)?(?: (?:[A-Z][a-z]+|\d{1,2}-jo)(?:-[A-Za-z]+)?){0,2}"
_BLOCK_ROMAJI = r"\d{1,4}(?:-\d{1,4}){1,3}"
# Patterns that are an address only next to a context word (or in an address column).
_NEEDS_CONTEXT = frozenset({"jp_pref_city", "postal_code"})
# Characters that make a cell a note about an address rather than an address: a label
# (`住所変更: 〒231-…`) or a sentence (`…に引っ越しました。`). Such cells are read as free text.
_NOT_A_CELL = ":：。!?！？"
# A cell that starts with prefecture + municipality is an address in an address column;
# so is a romaji `Town, City, Prefecture`.
_PREF_CITY_CELL = re.compile(rf"(?:〒 ?\d{{3}}-?\d{{4}} ?)?(?:{_PREF}){_JAC}{{1,10}}?{_MUNI}.*")
_ROMAJI_PREF_CELL = re.compile(rf"{_PLACE}(?:, {_PLACE}){{0,3}},? {_PREF_ROMAJI_FULL}")
# A column of 7-digit postal codes written without the hyphen (`9803660`): only with a
# field name that says postal code, since seven digits alone are any number.
_POSTAL_FIELD = re.compile(r"zip|post|yubin|郵便|〒")
# Address line 2 (building, floor, room), a cell of its own in `address_line2`, `addr2`,
# `building`, 建物名 columns: `Apt 4B`, `Suite 210`, `青葉ビル3F`, `101号室`, `グランドメゾン502`.
_LINE2_FIELD = re.compile(
    r"(?:address|addr|adr|jusho)_?(?:line)?_?[2-4](?:$|_)|building|bldg|apartment|"
    r"建物|マンション|ビル名|部屋番号|番地以降|住所[2-4２-４]"
)
_LINE2_WORDS = r"(?:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|bldg|building|block|blk)"
_LINE2_JA = r"(?:ビル|マンション|ハイツ|コーポ|荘|レジデンス|タワー|ハウス|アパート|コート|パレス|ヒルズ|メゾン|棟|号室|号棟|階)"
_LINE2_CELL = re.compile(
    rf"(?i:{_LINE2_WORDS})\.? ?#? ?[0-9A-Za-z][0-9A-Za-z\-]{{0,6}}(?:,.*)?"  # Apt 4B, Suite 210, Flat 3, Unit 12-A
    r"|# ?[0-9][0-9A-Za-z\-]{0,5}"  # #302
    rf"|.{{0,30}}?(?:{_LINE2_JA}|[0-9]F\b).{{0,12}}"  # 青葉ビル3F, 101号室, サンシャイン60 12階
    r"|[^\s0-9]{2,20} ?[0-9]{2,4}(?:号室?)?"  # グランドメゾン502
)
_LINE2_CELL_RE2 = (
    rf"(?i:{_LINE2_WORDS})\.? ?#? ?[0-9A-Za-z][0-9A-Za-z\-]{{0,6}}(?:,[^\n]*)?|# ?[0-9][0-9A-Za-z\-]{{0,5}}"
    rf"|[^\n]{{0,30}}?(?:{_LINE2_JA}|[0-9]F)[^\n]{{0,12}}|[^ 0-9\n]{{2,20}} ?[0-9]{{2,4}}(?:号室?)?"
)
_BARE_POSTAL_CELL = re.compile(
    r"〒? ?\d{7}|[1-9]\d{5}"  # 6 digits: an integer that lost its leading 0
    r"|\d{5}(?:-\d{4})?|\d{4}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"  # US ZIP, AU postcode, UK postcode
)
# A Western street line in a street-address column, whatever the street type is called
# (`62129 Martinez Alley Apt. 332`, `Flat 3, 12 Acacia Causeway`): a house number, then
# capitalised words, maybe a unit.
_STREET_FIELD = re.compile(r"street|(?:^|_)(?:address|addr|adr)(?:_?(?:line)?_?1)?(?:$|_)|住所1?$")
_WESTERN_STREET_CELL = re.compile(
    r"(?:(?:Flat|Unit|Apt\.?|Suite) \w+,? )?\d{1,6}[A-Z]?,? (?:[A-Z][A-Za-z'’\-]+\.? ?){1,5}"
    r"(?:,? ?(?:Apt\.?|Suite|Unit|Flat|#) ?\w+)?"
)


def _evidence(m: re.Match[str]) -> int:
    """How many of block numbers (3 parts), a prefecture and a postal code a romaji
    `Town, City, Prefecture` match holds: two make an address, one is a list of places
    (`Tokyo, Osaka, Kyoto`)."""
    block = m.group("block") or ""
    prefecture = any(_PREF_ROMAJI_RE.fullmatch(place) for place in m.group("places").split(", "))
    return (block.count("-") >= 2) + prefecture + bool(m.group("postal"))


SPEC = EntitySpec(label_en="Address", label_ja="住所", category="contact", mask=masks.address)


class AddressRecognizer(PiiRecognizer):
    """Japanese (kanji and romaji) and Western street addresses, and postal codes."""

    ENTITY = "ADDRESS"
    SPEC: ClassVar[EntitySpec] = SPEC
    PREFILTER = (
        # a postal code stands alone: not the middle of a phone number such as 090-1234-5678
        r"〒|(?:^|[^0-9\-‐−ー])\d{3}[-‐−ー]\d{4}(?:$|[^0-9\-‐−ー])|[都道府県市区郡町村]|丁目"
        r"|-(?:ku|shi|gun|cho|machi|mura|son)\b"
        rf"|\d[A-Z]? [A-Z].*\b{_STREET}\b|, (?:{_PREF_ROMAJI})\b"
        r"|, [A-Z]{2,3},? \d{4,5}|[A-Z]\d[A-Z] ?\d[A-Z]\d|, [A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"
    )
    PATTERNS = (
        # `9-11-19 Chuo, Matsumoto, Nagano 390-9353`, `Maihama, Urayasu, Chiba 279-0031`:
        # romaji places without a -shi/-ku, confirmed by block numbers, a prefecture and a
        # postal code (two of the three, see `_evidence`)
        PatternSpec(
            "romaji_town",
            rf"(?<![\w\-])(?P<value>(?P<block>{_BLOCK_ROMAJI},? )?(?P<places>{_PLACE}(?:, {_PLACE}){{1,4}})"
            rf"(?P<postal>,? \d{{3}}-\d{{4}}(?!\d))?)",
            0.8,
        ),
        PatternSpec(
            "jp_full",
            rf"(?P<value>(?:{_PREF}){_JAC}{{1,20}}?{_MUNI}(?:{_JAC}|\d){{0,20}}?{_BLOCK}{_BUILDING})",
            0.9,
        ),
        PatternSpec(
            "jp_city_block",
            rf"(?P<value>{_JAC}{{1,8}}{_MUNI}{_JAC}{{0,15}}?\d{{1,4}}(?:丁目|[-‐−]){_BLOCK}{_BUILDING})",
            0.7,
        ),
        PatternSpec(
            "jp_chome",
            rf"(?P<value>{_JAC}{{1,10}}\d{{1,3}}丁目\d{{1,3}}番地?(?:\d{{1,4}}号?)?{_BUILDING})",
            0.7,
        ),
        PatternSpec("postal_mark", r"(?P<value>〒 ?\d{3}[-‐−ー]?\d{4})(?!\d)", 0.9),
        PatternSpec(
            "romaji",
            rf"(?P<value>\d{{1,4}}(?:-\d{{1,4}}){{1,2}},? [A-Z][a-z]+(?:[ \-][A-Za-z]+)?,? {_ROMAJI_MUNI}"
            rf"(?:,? (?:{_PREF_ROMAJI})(?:-(?:to|fu|ken))?)?(?:,? \d{{3}}-\d{{4}})?)",
            0.8,
        ),
        PatternSpec(
            "romaji_muni_pref", rf"(?P<value>{_ROMAJI_MUNI},? (?:{_PREF_ROMAJI})(?:-(?:to|fu|ken))?)", 0.6
        ),
        PatternSpec("western_postal_line", rf"(?<![\w/])(?P<value>{_WESTERN_LINE})(?![\w\-])", 0.7),
        PatternSpec(
            "street",
            rf"(?P<value>\b\d{{1,5}}[A-Z]? (?:[A-Z][a-z]+ ){{1,3}}{_STREET}\b\.?(?:,? (?:Apt|Suite|Unit|#) ?\w+)?"
            rf"(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)?)?{_WESTERN_POSTAL}?)",
            0.6,
        ),
        PatternSpec("jp_pref_city", rf"(?P<value>(?:{_PREF}){_JAC}{{1,10}}?{_MUNI})", 0.3),
        PatternSpec("postal_code", r"(?<![\d\-‐−ー])(?P<value>\d{3}[-‐−ー]\d{4})(?![\d\-‐−ー])", 0.3),
    )
    # A whole cell that is an address: postal code, kanji address, romaji or street address.
    # No label or sentence punctuation (`_NOT_A_CELL`): a memo about an address is free text.
    VALUE_PATTERN = (
        r"^(?:〒 ?\d{3}[-‐−ー]?\d{4}|\d{3}[-‐−ー]\d{4}"
        rf"|(?:〒 ?\d{{3}}-?\d{{4}} ?)?[^\n{_NOT_A_CELL}]{{0,20}}(?:都|道|府|県|市|区|郡|町|村)[^\n{_NOT_A_CELL}]*"
        rf"|[^\n{_NOT_A_CELL}]*-(?:ku|shi|gun|cho|machi|mura|son)\b[^\n{_NOT_A_CELL}]*"
        rf"|[^\n{_NOT_A_CELL}]*, (?:{_PREF_ROMAJI})\b[^\n{_NOT_A_CELL}]*"
        rf"|\d{{1,5}}[A-Z]? [A-Z][^\n{_NOT_A_CELL}]*\b{_STREET}\b[^\n{_NOT_A_CELL}]*)$"
    )
    # In a postal-code column the hyphen may be missing (`9803660`); see `validate_field`.
    # 7 digits without a hyphen, or 6 when a spreadsheet stored 0600001 as the integer 600001
    # ... and an address line 2 in a line-2 column (see `validate_field`)
    VALUE_PATTERN_WITH_HINT = (
        VALUE_PATTERN[:-2] + r"|〒? ?\d{4,7}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|" + _LINE2_CELL_RE2
        + r"|(?:(?:Flat|Unit|Apt\.?|Suite) [0-9A-Za-z]+,? )?\d{1,6}[A-Z]?,? [A-Z][^\n:：。]*" + ")$"
    )
    CONTEXT = (
        "住所", "所在地", "郵便番号", "〒", "address", "addr", "postal", "postcode", "zip", "zipcode", "送付先",
        "お届け先", "居住地", "現住所", "自宅", "jusho", "yubin", "連絡先住所",
    )  # fmt: skip
    NEGATIVE_CONTEXT = ("tel", "phone", "電話", "fax", "order", "注文", "id", "booking", "予約番号", "card")
    CONTEXT_CHARS_BEFORE = 30
    FIELD_HINTS = (
        r"address|(?:^|_)(?:addr\d?|adr\d?|street|street_?\d|city_?address|residence|home_?address|mailing|"
        r"jusho\d?|postal(?:_?(?:code|no|cd))?|post_?(?:code|no|num|number|cd)|zip(?:_?(?:code|no|cd))?|"
        r"yubin(?:_?(?:bango|no|cd))?|building|bldg|banchi)(?:$|_)",
        r"住所|所在地|郵便番号|〒|番地|送付先|お届け先|現住所|建物名|部屋番号",
    )
    FIELD_NEGATIVE_HINTS = (
        r"(?:^|_)(?:e_?mail_?address|mail_?address|ip_?address|ip_?addr|mac_?address|url|web_?address|"
        r"wallet_?address|address_?(?:type|id|verified|count))(?:$|_)",
        r"メールアドレス|IPアドレス",
        # a company's or hotel's address (head office, supplier): not personal data
        r"(?:^|_)(?:supplier|vendor|hotel|company|corporate|corp|office|head_?office|hq|branch|store|shop|agency|airline|partner|facility|venue|property|main)_?(?:phone|tel|fax|address|addr|email|mail|contact)",
        r"本社|支社|支店|営業所|事務所|会社|ホテル|施設|店舗|取引先|仕入先|代表(?!者)",
    )

    def validate(self, candidate: str) -> bool:
        """A whole address cell: something find() reports, a bare postal code (the column
        name supplies the context a bare code lacks in text), or a prefecture + city. Not a
        note that mentions an address (a label or a sentence: `_NOT_A_CELL`)."""
        cell = candidate.strip()
        if any(c in _NOT_A_CELL for c in cell):
            return False
        if re.fullmatch(r"〒? ?\d{3}[-‐−ー]\d{4}", cell):
            return True
        return bool(self.find(cell) or _PREF_CITY_CELL.fullmatch(cell) or _ROMAJI_PREF_CELL.fullmatch(cell))

    def validate_field(self, candidates: Sequence[str], field_name: str | None,
                       valid: np.ndarray | None = None) -> np.ndarray:
        """`validate_many`, plus 7-digit postal codes without a hyphen in a postal-code column,
        building / floor / room cells in an address-line-2 column, Western postcodes in a
        postcode column and Western street lines in a street-address column."""
        valid = self.validate_many(candidates) if valid is None else valid.copy()
        name = normalize_field_name(field_name or "")
        if self.field_hint(field_name) > 0 and _POSTAL_FIELD.search(name):
            valid |= np.fromiter(
                (bool(_BARE_POSTAL_CELL.fullmatch(c.strip())) for c in candidates), dtype=bool, count=len(candidates)
            )
        if self.field_hint(field_name) > 0 and _STREET_FIELD.search(name):
            valid |= np.fromiter(
                (bool(_WESTERN_STREET_CELL.fullmatch(str(c).strip())) for c in candidates), dtype=bool,
                count=len(candidates),
            )
        if self.field_hint(field_name) > 0 and _LINE2_FIELD.search(name):
            valid |= np.fromiter(
                (bool(_LINE2_CELL.fullmatch(str(c).strip())) and not any(ch in _NOT_A_CELL for ch in str(c))
                 for c in candidates), dtype=bool, count=len(candidates)
            )
        return valid

    def accept_match(self, spec: PatternSpec, match: re.Match[str], candidate: str) -> bool:
        """The patterns are the check; a romaji `Town, City, Prefecture` needs two kinds of evidence."""
        return spec.name != "romaji_town" or _evidence(match) >= 2

    def accept_context(self, spec: PatternSpec, context: int) -> bool:
        """A bare postal code or prefecture + city needs a context word; a street address
        none, but no negative word either; the other forms are addresses whatever is near."""
        if spec.name in _NEEDS_CONTEXT:
            return context > 0
        return context >= 0 or spec.name != "street"
