"""JAL Mileage Bank membership numbers (JMBお得意様番号 / JMB会員番号).

What it is
    The member number of JAL Mileage Bank (JALマイレージバンク, JMB), Japan Airlines'
    frequent-flyer programme. JAL calls it お得意様番号 ("customer number"); it is
    printed on the JMB card and on JAL Card / JMB WAON cards, and is the login ID of
    the JAL website. The privacy policy lists it among the data shared between JAL
    Group companies.

How it is built (what is publicly known)
    - 9 digits for members today (e.g. ``417532270``).
    - 7 digits for members who joined long ago; JAL's login forms ask for "7桁または9桁",
      and systems that store a fixed width write the old numbers with a leading
      ``00`` (9 digits starting ``00``).
    - Usually written without separators; 3-3-3 groups (``417 532 270``) also occur.
    - No check digit, issuing scheme or range is documented publicly: JAL publishes
      none, and no reverse-engineered algorithm is known. So the digits alone are
      never evidence; this recognizer reports a number only next to a JMB word or in
      a JMB field, and never in an order / invoice / tracking / phone context. The
      validator only rejects what cannot be a member number (wrong length, one
      repeated digit, an all-zero old number).

Sources
    JAL「JALマイレージバンク（JMB）」会員サービス and login pages
    (https://www.jal.co.jp/jp/ja/jmb/) for "お得意様番号（7桁または9桁）"; JALPAK
    privacy policy (seed/privacy_policy.txt, "JMB membership number").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import pyarrow as pa
from stdnum.exceptions import InvalidFormat, InvalidLength, ValidationError

from recognizers import masks
from recognizers.base import SEP, PatternSpec, PiiRecognizer
from recognizers.bulk import ONE_DISTINCT_DIGIT, compact, compact_many, fullmatch_many
from recognizers.spec import EntitySpec

ENTITY = "JMB_NUMBER"

_NUMBER_RE = re.compile("[0-9]{9}|[0-9]{7}")
# No digit, letter or decimal/phone continuation on either side: not part of a longer number.
_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9][.,\-])"
_AFTER = r"(?![0-9A-Za-z])(?![.,\-][0-9])"


def validate(value: str) -> str:
    """The compact number; raises InvalidFormat (not digits, or one repeated digit) or
    InvalidLength (not 9 or 7 digits). There is no public check digit to test.

    (A padded old number ``00`` + 7 digits is covered: its 7 digits being all zero
    makes the whole a repeated digit.)
    """
    value = compact(value)
    if not (value.isascii() and value.isdigit()):
        raise InvalidFormat("a JMB number is digits only")
    if len(value) not in (7, 9):
        raise InvalidLength("a JMB number has 9 (or, for old members, 7) digits")
    if len(set(value)) == 1:
        raise InvalidFormat("one repeated digit is a placeholder, not a member number")
    return value


def is_valid(value: str) -> bool:
    """True when `value` can be a JMB number: 9 or 7 digits, not one repeated digit."""
    try:
        return bool(validate(value))
    except ValidationError:
        return False


def is_valid_many(values: Sequence[str] | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """`is_valid` for a whole column at once (RE2 passes in Arrow; `is_valid` is the reference)."""
    column = compact_many(values)
    return fullmatch_many(column, _NUMBER_RE.pattern) & ~fullmatch_many(column, ONE_DISTINCT_DIGIT)


def to_nine_digits(value: str) -> str:
    """The 9-digit form systems store: an old 7-digit number gets its leading ``00``."""
    value = compact(value)
    return value.zfill(9) if len(value) == 7 else value


SPEC = EntitySpec(label_en="JMB number", label_ja="JMB会員番号", category="membership", mask=masks.Keep(2, 2))


class JmbRecognizer(PiiRecognizer):
    """JMB_NUMBER: 9- or 7-digit numbers, only next to a JMB word or in a JMB field."""

    BULK_VALIDATION = True  # validate_many is vectorised

    ENTITY: ClassVar[str] = ENTITY
    SPEC: ClassVar[EntitySpec] = SPEC
    # any hit holds seven consecutive digits, or a 3-3-3 grouping (full-width forms included)
    PREFILTER: ClassVar[str] = (
        r"[0-9０-９]{7}|[0-9０-９]{3}[ \-‐‑‒–—―−ー－　][0-9０-９]{3}[ \-‐‑‒–—―−ー－　][0-9０-９]{3}"
    )
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec(
            "jmb_9", rf"{_BEFORE}(?P<value>[0-9]{{9}}|[0-9]{{3}}{SEP}[0-9]{{3}}{SEP}[0-9]{{3}}){_AFTER}", 0.5
        ),
        PatternSpec("jmb_7", rf"{_BEFORE}(?P<value>[0-9]{{7}}){_AFTER}", 0.45),
    )
    # A whole cell of a column that FIELD_HINTS name; digits alone never classify a column.
    VALUE_PATTERN: ClassVar[str | None] = r"^(?:[0-9]{9}|[0-9]{7}|[0-9]{3}[ \-][0-9]{3}[ \-][0-9]{3})$"
    CONTEXT_REQUIRED: ClassVar[bool] = True
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "jmb",
        "jmb no",
        "jmb number",
        "jal mileage bank",
        "jal mileage",
        "mileage bank",
        "mileage no",
        "mileage number",
        "mileage",
        "jalマイレージバンク",
        "マイレージバンク",
        "マイレージ",
        "マイレージ番号",
        "お得意様番号",
        "jmb会員番号",
        "jmbお得意様番号",
    )
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = (
        "order",
        "orders",
        "order no",
        "invoice",
        "tracking",
        "shipment",
        "booking",
        "reservation",
        "confirmation",
        "amount",
        "price",
        "miles",
        "points",
        "phone",
        "tel",
        "fax",
        "passport",
        "注文",
        "注文番号",
        "請求",
        "伝票",
        "追跡",
        "お問い合わせ番号",
        "予約番号",
        "確認番号",
        "金額",
        "電話",
        "携帯",
        "マイル数",
        "残高",
        "円",
        "パスポート",
        "旅券",
    )
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"jmb",
        r"mileage_?(?:no|num|number|id|member|card)",
        r"jal_?(?:mileage|member)",
        r"お得意様番号",
        r"マイレージ",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = (
        r"(?:order|invoice|tracking|shipment|booking|reservation|confirmation)",
        r"(?:miles|balance|points|status|tier|rank|date|expir|joined|flag|opt_in)",
        r"注文|伝票|追跡|予約|残高|マイル数|ステータス|日付|年月日",
    )

    def validate(self, candidate: str) -> bool:
        return is_valid(candidate)

    def validate_many(self, candidates: Sequence[str]) -> np.ndarray:
        return is_valid_many(candidates)
