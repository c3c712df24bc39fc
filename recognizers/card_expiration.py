"""Card expiry dates (カード有効期限): entity ``CARD_EXPIRATION``.

What it is
    The month a card expires, as embossed ``07/31`` (MM/YY), or MM/YYYY, YYYY/MM,
    ``2027年3月``, ``03月/27年``. PCI DSS counts it as cardholder data next to a PAN.
    A bare date is not an expiry, so a context word (exp, 有効期限...) or a field
    name is required.

>>> validate("07/31")
(2031, 7)
>>> is_valid("13/31")
False
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from stdnum.exceptions import InvalidComponent, InvalidFormat, ValidationError

from recognizers import masks
from recognizers.base import PatternSpec, PiiRecognizer, normalize, normalize_field_name
from recognizers.spec import EntitySpec

ENTITY = "CARD_EXPIRATION"
SPEC = EntitySpec(label_en="Card expiry", label_ja="カード有効期限", category="payment_card",
                  mask=masks.digits_hidden)


def validate(value: str) -> tuple[int, int]:
    """(year, month) of an expiry written MM/YY, MM/YYYY, YYYY/MM, 2027年3月 or 3月/27年;
    InvalidFormat when it is not two numbers, InvalidComponent for a month or year out of range."""
    text = normalize(value)
    numbers = re.findall(r"[0-9]+", text)
    if len(numbers) != 2:
        raise InvalidFormat("an expiry is a month and a year")
    if "年" in text and "月" in text:
        year_first = text.index("年") < text.index("月")
    else:
        year_first = len(numbers[0]) == 4
    year, month = (int(numbers[0]), int(numbers[1])) if year_first else (int(numbers[1]), int(numbers[0]))
    if year < 100:
        year += 2000
    if not (1 <= month <= 12 and 2000 <= year <= 2099):
        raise InvalidComponent("month 1-12 and year 2000-2099")
    return year, month


# An expiry split over two columns (`exp_month` 1-12, `exp_year` 2027 or 27): each cell alone.
_MONTH_FIELD = re.compile(r"month|(?:^|_)(?:mm|mon|mo)(?:$|_)|月")
_YEAR_FIELD = re.compile(r"year|(?:^|_)(?:yy|yyyy|yr)(?:$|_)|年")


def is_expiry_part(value: str, field: str) -> bool:
    """A month (1-12) in a month column, or a year (2000-2099, or 00-99) in a year column."""
    text = normalize(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        return False
    number = int(text)
    if _MONTH_FIELD.search(field) and not _YEAR_FIELD.search(field):
        return len(text) <= 2 and 1 <= number <= 12
    if _YEAR_FIELD.search(field) and not _MONTH_FIELD.search(field):
        return len(text) == 2 or (len(text) == 4 and 2000 <= number <= 2099)
    return False


def parse_expiration(value: str) -> tuple[int, int] | None:
    """(year, month), or None when `validate` refuses `value`."""
    try:
        return validate(value)
    except ValidationError:
        return None


def is_valid(value: str) -> bool:
    return parse_expiration(value) is not None


_MONTH = "(?:0?[1-9]|1[0-2])"
_EXPIRY_SHAPES: tuple[tuple[str, str], ...] = (
    ("mm_yy", rf"{_MONTH} ?[/\-] ?(?:20)?[0-9]{{2}}"),
    ("yyyy_mm", rf"20[0-9]{{2}} ?[/\-] ?{_MONTH}"),
    ("ja_year_month", rf"(?:20)?[0-9]{{2}}年 ?{_MONTH}月"),
    ("ja_month_year", rf"{_MONTH} ?月 ?/? ?(?:20)?[0-9]{{2}} ?年"),
)
_DATE_BEFORE = r"(?<![0-9/.\-])"
_DATE_AFTER = r"(?![0-9])(?![/.\-][0-9])(?! ?[0-9]{1,2}日)"


class CardExpirationRecognizer(PiiRecognizer):
    """CARD_EXPIRATION: MM/YY-like dates, only next to an expiry word or in an expiry field."""

    ENTITY: ClassVar[str] = ENTITY
    SPEC: ClassVar[EntitySpec] = SPEC
    PREFILTER: ClassVar[str] = "|".join(shape for _, shape in _EXPIRY_SHAPES)
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = tuple(
        PatternSpec(name, rf"{_DATE_BEFORE}(?P<value>{shape}){_DATE_AFTER}", 0.5)
        for name, shape in _EXPIRY_SHAPES
    )
    VALUE_PATTERN: ClassVar[str | None] = "^(?:" + "|".join(shape for _, shape in _EXPIRY_SHAPES) + ")$"
    # with an expiry hint, a month or a year alone (see `validate_field`)
    VALUE_PATTERN_WITH_HINT: ClassVar[str | None] = VALUE_PATTERN[:-2] + "|[0-9]{1,4})$"
    CONTEXT_REQUIRED: ClassVar[bool] = True
    CONTEXT_CHARS_BEFORE: ClassVar[int] = 30
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "exp",
        "expiry",
        "expires",
        "expire",
        "expiration",
        "exp date",
        "expdate",
        "expiry date",
        "valid thru",
        "valid through",
        "good thru",
        "valid until",
        "mm/yy",
        "有効期限",
        "有効期間",
        "カード期限",
        "カードの有効期限",
    )
    # an expiry of something else: with a tie in distance the longer phrase wins
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = (
        "passport",
        "passport exp",
        "passport expiry",
        "passport expiration",
        "旅券",
        "旅券の有効期限",
        "旅券有効期限",
        "パスポート",
        "パスポートの有効期限",
        "パスポート有効期限",
        "visa expiry",
        "ビザ",
        "ビザの有効期限",
        "points",
        "ポイント",
        "ポイント有効期限",
        "マイル",
        "マイル有効期限",
        "coupon",
        "クーポン",
        "membership",
        "会員資格",
    )
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"(?:^|_)exp(?:iry|iration|ires|ire)?(?:_?date|_?month|_?ym|_?my)?(?:_|$)",
        r"(?:^|_)(?:cc|card)_?exp",
        r"(?:^|_)(?:yuko_?)?kigen(?:_|$)",
        r"card_?exp",
        r"valid_?(?:thru|through|until)",
        r"有効期限",
        r"有効期間",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = (
        r"passport",
        r"旅券",
        r"パスポート",
        r"visa",
        r"ビザ",
        r"point",
        r"mile",
        r"coupon",
        r"member",
        r"会員",
    )

    def validate(self, candidate: str) -> bool:
        return is_valid(candidate)

    def validate_field(self, candidates: Sequence[str], field_name: str | None,
                       valid: np.ndarray | None = None) -> np.ndarray:
        """`validate_many`, plus a month or a year alone in `exp_month` / `exp_year` columns."""
        valid = self.validate_many(candidates) if valid is None else valid.copy()
        if self.field_hint(field_name) > 0:
            field = normalize_field_name(field_name or "")
            values = candidates.to_pylist() if hasattr(candidates, "to_pylist") else list(candidates)
            valid = valid | np.fromiter((is_expiry_part(str(v), field) for v in values), dtype=bool, count=len(values))
        return valid
