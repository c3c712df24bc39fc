"""Passport numbers (旅券番号 / パスポート番号).

What it is
    The number printed on the data page of a passport and repeated in its
    machine-readable zone (see `recognizers.mrz`). ICAO Doc 9303 allows up to nine
    characters (A-Z, 0-9); each state chooses its own scheme.

Japanese passports (日本国旅券)
    Two upper-case Latin letters followed by seven digits, e.g. ``TK7439150``.
    The letters are a series code (seen in the wild: TK, TZ, TR, TH, TS, TE, MU, MZ,
    RE, ...); the Ministry of Foreign Affairs publishes no list, so no prefix list is
    used here. No check digit is printed in the number itself: the only check digit
    is the one the MRZ adds after it. This shape is distinctive enough to report
    without context at a moderate score; "passport"/"旅券"/"パスポート" nearby lifts it.

Other states (reported only with context: a passport word nearby or a passport field)
    - United States: 9 digits (e.g. ``306202786``; next-generation books one letter + 8 digits).
    - United Kingdom: 9 digits.
    - Germany: 9 characters from ``CFGHJKLMNPRTVWXYZ0-9`` ending in a check digit (``C01X00T47``).
    - France: 2 digits + 2 letters + 5 digits (``12AB34567``).
    - China (``E12345678``), Korea (``M12345678``), India (``J8369854``), Canada (``AB123456``),
      Australia (``N1234567``): one or two letters + 6 to 8 digits.
    - Philippines (2016 on): a letter, seven digits, a letter (``P1234567A``).
    Context words include the abbreviations people type: ``pp#``, ``PP No``, ``passport nr``.

What it is not
    Booking, order, reservation, voucher, confirmation and ticket codes often share
    the shape. A negative word (hotel, booking, 予約, 注文, ...) closer to the code than
    any passport word drops the hit; JMB words (jmb, マイレージ, お得意様番号) do too, so a
    9-digit JMB number next to a passport number is not read as a second passport.

Sources
    ICAO Doc 9303 Part 4 (TD3 document number field); 外務省「旅券（パスポート）」
    https://www.mofa.go.jp/mofaj/toko/passport/ ; U.S. Department of State passport
    specimen pages; BSI/Bundesdruckerei "Reisepass" specimen (``C01X00T47``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from stdnum.exceptions import InvalidFormat

from recognizers import masks
from recognizers.base import SEP, SEP_RE2, PatternSpec, PiiRecognizer, re2_words
from recognizers.bulk import ONE_DISTINCT_DIGIT, compact, compact_many, fullmatch_many
from recognizers.spec import EntitySpec, Redaction

ENTITY = "PASSPORT_NUMBER"

# A separator a person may type between the two letters and the digits of a Japanese number.
_JP_SEP = f"{SEP}?"
_JP_RE = re.compile(r"[A-Z]{2}[0-9]{7}")
_OTHER_RES = (
    re.compile(r"[0-9]{9}"),  # US, UK and others
    re.compile(r"[A-Z]{1,2}[0-9]{6,8}"),  # CN, KR, IN, CA, AU, US next generation...
    re.compile(r"[0-9]{2}[A-Z]{2}[0-9]{5}"),  # FR
    re.compile(r"[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{7}[0-9]"),  # DE
    re.compile(r"[A-Z][0-9]{7}[A-Z]"),  # PH (since 2016: a letter, seven digits, a letter)
)


def is_valid_japanese(value: str) -> bool:
    """True for a Japanese passport number: two letters + seven digits, not all zero."""
    value = compact(value)
    return bool(_JP_RE.fullmatch(value)) and value[2:] != "0000000"


def is_valid_other(value: str) -> bool:
    """True for a passport number of another state (shapes in the module docstring).

    A Japanese shape is not "other", even when it fails `is_valid_japanese`. These
    shapes are common for other identifiers too, so callers must require context.
    Strings of one repeated digit (``000000000``) are placeholders, not numbers.
    """
    value = compact(value)
    digits = re.sub(r"[^0-9]", "", value)
    if _JP_RE.fullmatch(value) or len(digits) < 5 or len(set(digits)) == 1:
        return False
    return any(r.fullmatch(value) for r in _OTHER_RES)


def is_valid(value: str) -> bool:
    """True when `value` has the shape of any passport number this module knows."""
    return is_valid_japanese(value) or is_valid_other(value)


def validate(value: str) -> str:
    """The compact number; InvalidFormat when it has no passport shape this module knows
    (passports carry no check digit outside the MRZ: see `recognizers.mrz`)."""
    if not is_valid(value):
        raise InvalidFormat("not the shape of a Japanese or another state's passport number")
    return compact(value)


def is_valid_many(values: Sequence[str] | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """`is_valid` for a whole column at once (RE2 passes in Arrow; `is_valid` is the reference)."""
    column = compact_many(values)
    japanese = fullmatch_many(column, _JP_RE.pattern)
    placeholder = fullmatch_many(column, "[A-Z]{2}0{7}")
    other = (
        fullmatch_many(column, "|".join(r.pattern for r in _OTHER_RES))
        & ~japanese
        & fullmatch_many(column, "(?:[A-Z]*[0-9]){5}[A-Z0-9]*")  # at least five digits
        & ~fullmatch_many(column, ONE_DISTINCT_DIGIT)
    )
    return (japanese & ~placeholder) | other


# Distinct values a column must show before one shared prefix says "a code, not passports".
CONSTANT_PREFIX_MIN_VALUES = 8


def constant_prefix(values: Sequence[str] | pa.Array | pa.ChunkedArray) -> bool:
    """True when at least `CONSTANT_PREFIX_MIN_VALUES` distinct values all start with the same
    two characters (after `compact`)."""
    column = pc.unique(compact_many(values))
    column = pc.drop_null(column)
    if len(column) < CONSTANT_PREFIX_MIN_VALUES:
        return False
    return len(pc.unique(pc.utf8_slice_codeunits(column, 0, 2))) == 1


PASSPORT_CONTEXT = (
    "passport",
    "passports",
    "passport no",
    "passport number",
    "pp no",
    "pp-no",
    "ppno",
    "pp#",
    "pp #",
    "pp number",
    "pp nr",
    "passport#",
    "passport nr",
    "passport num",
    "passport id",
    "travel document",
    "旅券",
    "旅券番号",
    "パスポート",
    "パスポート番号",
    "パスポートno",
    "旅券no",
    "護照",  # zh
    "护照",  # zh (simplified)
    "여권",  # ko
    "reisepass",
    "passeport",
    "pasaporte",
)

# Codes of the same shape in these contexts are something else.
NOT_PASSPORT_CONTEXT = (
    "hotel",
    "hotels",
    "booking",
    "bookings",
    "booked",
    "reservation",
    "reservations",
    "order",
    "orders",
    "confirmation",
    "confirmation no",
    "voucher",
    "vouchers",
    "coupon",
    "coupons",
    "ticket",
    "tickets",
    "e-ticket",
    "invoice",
    "tracking",
    "receipt",
    "sku",
    "予約",
    "予約番号",
    "注文",
    "注文番号",
    "確認番号",
    "クーポン",
    "バウチャー",
    "航空券",
    "チケット",
    "伝票",
    "請求",
    "追跡",
    "ホテル",
    "jmb",
    "mileage",
    "マイレージ",
    "お得意様番号",
    "会員番号",
    "member",
    # a nearer label for another number
    "boarding pass",
    "tel",
    "phone",
    "fax",
    "電話",
    "携帯",
    "amount",
    "price",
    "金額",
)


SPEC = EntitySpec(
    label_en="Passport number",
    label_ja="旅券番号",
    category="passport",
    mask=masks.Keep(2, 2),
    # the Japanese shape (two capital letters, seven digits: TK1234567), not inside a longer token
    redaction=Redaction(r"(?<![0-9A-Za-z])[A-Z]{2}[0-9]{7}(?![0-9A-Za-z])", order=30),
)


class PassportRecognizer(PiiRecognizer):
    """PASSPORT_NUMBER: Japanese numbers on their own, other states' numbers with context."""

    BULK_VALIDATION = True  # validate_many is vectorised

    ENTITY: ClassVar[str] = ENTITY
    SPEC: ClassVar[EntitySpec] = SPEC
    # A hit is either a Japanese number standing alone (no context needed) or any
    # state's number with a passport word near it: so the line holds one or the other
    # (full-width forms included, for un-normalised input).
    PREFILTER: ClassVar[str] = (
        r"(?:^|[^A-Za-z0-9Ａ-Ｚａ-ｚ０-９])[A-ZＡ-Ｚ]{2}" + SEP_RE2[:-1] + r"－\x{3000}]?[0-9０-９]{7}"
        r"(?:$|[^A-Za-z0-9Ａ-Ｚａ-ｚ０-９])|"
        + re2_words(PASSPORT_CONTEXT)
    )
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec(
            "jp_passport", rf"(?<![A-Za-z0-9])(?P<value>[A-Z]{{2}}{_JP_SEP}[0-9]{{7}})(?![A-Za-z0-9])", 0.5
        ),
        # any other state's shape; scored below MIN_SCORE so it needs context
        PatternSpec("other_passport", r"(?<![A-Za-z0-9])(?P<value>[A-Z0-9]{7,8}[0-9])(?![A-Za-z0-9])", 0.25),
        PatternSpec("other_passport_letter_end", r"(?<![A-Za-z0-9])(?P<value>[A-Z][0-9]{7}[A-Z])(?![A-Za-z0-9])", 0.25),
    )
    # A whole cell that is a Japanese passport number (needs no field hint).
    VALUE_PATTERN: ClassVar[str | None] = r"^[A-Z]{2}[ \-]?[0-9]{7}$"
    # A whole cell that is a passport number of any state: trust it only with a field hint.
    VALUE_PATTERN_WITH_HINT: ClassVar[str] = r"^(?:[A-Z]{2}[ \-]?[0-9]{7}|[A-Z0-9]{6,8}[0-9]|[A-Z][0-9]{7}[A-Z])$"
    CONTEXT: ClassVar[tuple[str, ...]] = PASSPORT_CONTEXT
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = NOT_PASSPORT_CONTEXT
    CONTEXT_CHARS_BEFORE: ClassVar[int] = 48
    CONTEXT_CHARS_AFTER: ClassVar[int] = 12
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"passport",
        r"(?:^|_)pass_?(?:no|num|number|nr)(?:_|$)",
        r"(?:^|_)pp_?(?:no|num|number|nr)(?:_|$)",
        r"(?:^|_)ppt(?:_|$)",
        r"travel_?doc",
        r"(?:^|_)ryoken",
        r"旅券",
        r"パスポート",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = (
        # a field about a passport that is not its number
        r"(?:expiry|expir|exp_date|valid|issue|issuing|country|nation|type|status|image|photo|scan|"
        r"copy|flag|verified|holder|name|date|place|authority)",
        r"(?:^|_)(?:has|is)_",
        r"有効期限|期限|発行|国籍|氏名|名前|日付|年月日|画像",
        # a code of the same shape that is not a passport
        r"(?:hotel|booking|reservation|order|confirmation|voucher|coupon|ticket|invoice|tracking)",
        r"(?:^|_)(?:ref|reference|conf|code|locator|pnr|promo|sku|serial|product|item)(?:_|$|_?no$|_?num)",
        r"予約|注文|確認番号|クーポン|チケット|伝票",
    )

    def validate(self, candidate: str) -> bool:
        return is_valid(candidate)

    def validate_many(self, candidates: Sequence[str]) -> np.ndarray:
        return is_valid_many(candidates)

    def validate_field(self, candidates: Sequence[str], field_name: str | None,
                       valid: np.ndarray | None = None) -> np.ndarray:
        """`validate_many`, except in a column the name does not call a passport whose values all
        share one two-letter prefix (`KC1234567`, `KC7654321`...): a customer or member code, not
        passports, whose series letters vary (TK, TR, TZ, MU...)."""
        valid = self.validate_many(candidates) if valid is None else valid
        if self.field_hint(field_name) <= 0 and constant_prefix(candidates):
            return np.zeros(len(valid), dtype=bool)
        return valid
