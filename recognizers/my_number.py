"""Individual Numbers (個人番号, "My Number" / マイナンバー).

What it is
    The 12-digit number the Japanese government assigns to every resident for
    tax, social security and disaster response (行政手続における特定の個人を識別する
    ための番号の利用等に関する法律, the "My Number Act"). Collecting or keeping it
    outside those purposes is forbidden, so a travel company should hold none;
    finding one is always a violation.

How it is built
    11 digits plus a check digit: with Pn the n-th digit from the right (check
    digit excluded) and Qn = n + 1 for n <= 6, n - 5 for n >= 7, the check digit is
    0 when sum(Pn * Qn) mod 11 <= 1, else 11 - (sum mod 11). Printed 4-4-4
    (``6214 9832 0257``) on the My Number card. Nothing else is encoded in it.

Telling it from other 12-digit numbers
    The check digit catches one random 12-digit number in ten, so the digits alone
    are weak evidence: in free text a My Number word (マイナンバー, 個人番号, my
    number...) must be near, and a tracking/order/phone word nearer drops it. For a
    column, the share that passes the check is the tell: a column of 12-digit
    tracking or order numbers passes at about 10 % (chance), a column of My Numbers
    at about 100 %. The column classifier therefore needs a field hint
    (`FIELD_HINTS`, since `CONTEXT_REQUIRED`) and a high valid ratio; a 10 % ratio
    means random digits, never "10 % of the rows hold My Numbers".

Sources
    行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 and
    総務省令第八十五号 第五条 (check digit); デジタル庁「マイナンバー制度」
    https://www.digital.go.jp/policies/mynumber ; python-stdnum ``stdnum.jp.in_``
    (the reference implementation; the bulk path in `recognizers.checksums` is tested
    equal to it); https://digitalforensic.jp/2016/03/14/column404/ .
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from stdnum.exceptions import InvalidFormat, InvalidLength, ValidationError
from stdnum.jp import in_

from recognizers import masks
from recognizers.base import SEP, SEP_RE2, PatternSpec, PiiRecognizer, normalize
from recognizers.checksums import my_number_many
from recognizers.spec import EntitySpec, Redaction

ENTITY = "JP_MY_NUMBER"

_COMPACT_RE = re.compile(SEP)
_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9][.\-])"
_AFTER = r"(?![0-9A-Za-z])(?![.\-][0-9])"


def compact(value: str) -> str:
    """NFKC, then strip separators: ``６２１４ ９８３２ ０２５７`` -> ``621498320257``."""
    return _COMPACT_RE.sub("", normalize(value))


def validate(value: str) -> str:
    """The 12 digits of `value`; raises InvalidFormat / InvalidLength / InvalidChecksum
    (the official check digit, by `stdnum.jp.in_`) saying why it is not a My Number."""
    digits = compact(value)
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidFormat("a My Number is digits only")
    if len(digits) != 12:
        raise InvalidLength("a My Number has 12 digits")
    return in_.validate(digits)


def is_valid(value: str) -> bool:
    """12 ASCII digits (after `compact`) with the official check digit (`stdnum.jp.in_`)."""
    try:
        return bool(validate(value))
    except ValidationError:
        return False


def is_valid_many(values: Sequence[str]) -> np.ndarray:
    """`is_valid` for a whole column at once (NumPy; `is_valid` is the reference)."""
    return my_number_many(values)


SPEC = EntitySpec(
    label_en="My Number",
    label_ja="マイナンバー",
    category="national_id",
    mask=masks.Keep(0, 4),
    # 12 digits (single spaces/hyphens between them) not glued to other digits, with the check digit
    redaction=Redaction(r"(?<![0-9])[0-9](?:[ \-]?[0-9]){11}(?![0-9])", lambda text: is_valid(text), order=21),
)


class MyNumberRecognizer(PiiRecognizer):
    """JP_MY_NUMBER: 12 digits (4-4-4 allowed) with the check digit, only with My Number context."""

    BULK_VALIDATION = True  # validate_many is vectorised

    ENTITY: ClassVar[str] = ENTITY
    SPEC: ClassVar[EntitySpec] = SPEC
    PREFILTER: ClassVar[str] = f"[0-9]{{12}}|[0-9]{{4}}{SEP_RE2}[0-9]{{4}}{SEP_RE2}[0-9]{{4}}"
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec(
            "my_number",
            rf"{_BEFORE}(?P<value>[0-9]{{12}}|[0-9]{{4}}(?P<sep>{SEP})[0-9]{{4}}(?P=sep)[0-9]{{4}}){_AFTER}",
            0.5,
        ),
    )
    VALUE_PATTERN: ClassVar[str | None] = (
        f"^(?:[0-9]{{12}}|[0-9]{{4}}{SEP_RE2}[0-9]{{4}}{SEP_RE2}[0-9]{{4}})$"
    )
    CONTEXT_REQUIRED: ClassVar[bool] = True
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "individual number card",
        "個人番号カード",
        "individual number",
        "マイナンバーカード",
        "kojin bangou",
        "kojin bango",
        # `kojin_bango` reads as "kojin bango" here, but the engine's RE2 context
        # prefilter compares the words literally: keep the key spellings
        "kojin_bango",
        "my number",
        "my_number",
        "my-number",
        "マイナンバー",
        "mynumber",
        "個人番号",
        "マイナ",
    )
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = (
        "tracking number",
        "お問い合わせ番号",
        "問い合わせ番号",
        "corporate number",
        "order no",
        "伝票番号",
        "追跡番号",
        "注文番号",
        "tracking",
        "法人番号",
        "invoice",
        "order",
        "phone",
        "伝票",
        "追跡",
        "注文",
        "電話",
        "tel",
    )
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"my_?number",
        r"kojin_?bang[ou]u?",
        r"individual_?number",
        r"個人番号",
        r"マイナンバー",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = (
        r"corporate",
        r"houjin",
        r"hojin",
        r"法人",
        r"tracking",
    )

    def validate(self, candidate: str) -> bool:
        return is_valid(candidate)

    def validate_many(self, candidates: Sequence[str]) -> np.ndarray:
        return is_valid_many(candidates)
