"""Payment-card data (クレジットカード情報): PAN, masked PAN, expiry, security code, track data.

What it is
    The data PCI DSS calls cardholder data and sensitive authentication data:

    - PAN, primary account number (カード番号): 13-19 digits (ISO/IEC 7812-1). The
      first digits are the issuer identification number (IIN/BIN) that names the
      scheme; the last digit is a Luhn check digit. Written contiguous or grouped
      4-4-4-4 (most), 4-6-5 (American Express) or 4-6-4 (Diners Club 14 digits).
      Entity ``CREDIT_CARD``: a full PAN in clear.
    - Truncated / masked PAN: at most the first six (or eight) and the last four
      digits shown (PCI DSS 3.4), e.g. ``410704******4127``, ``XXXX-XXXX-XXXX-2301``,
      ``**** 1234``. PCI DSS allows storing and showing it, so it is reported apart:
      entity ``CREDIT_CARD_MASKED``. A bare last four (``1234``) is only evidence in
      a field named for it (``card_last4``, ``下4桁``); see `MaskedCardRecognizer`.
    - Expiry date (有効期限): MM/YY as embossed (``07/31``), MM/YYYY, YYYY/MM,
      ``2027年3月``, ``03月/27年``. Entity ``CARD_EXPIRATION``; a bare date is not an
      expiry, so a context word (exp, 有効期限...) or field name is required.
    - Card security code (セキュリティコード): CVV2 (Visa), CVC2 (Mastercard), CAV2
      (JCB), CID (American Express, 4 digits), 3-4 digits. Entity
      ``CARD_SECURITY_CODE``; must never be stored after authorisation.
    - Magnetic-stripe track data (磁気ストライプ情報), ISO/IEC 7813: track 1
      ``%B<PAN>^<NAME>^<YYMM><service code><discretionary>?`` and track 2
      ``;<PAN>=<YYMM><service code><discretionary>?``. Entity ``CARD_TRACK_DATA``;
      must never be stored. Text holding track data also holds a PAN, and
      `CreditCardRecognizer` reports it too.

How a PAN is checked (`is_valid_pan`)
    Luhn (python-stdnum ``stdnum.luhn`` is the reference; the bulk path in
    `recognizers.checksums` is tested equal to it) plus the scheme's IIN range and
    length from `IIN_RANGES`. Schemes without a documented range here (Maestro,
    private-label cards) are not reported: the Luhn check alone passes one random
    number in ten, too many for 16-digit ids in logs.

Sources
    ISO/IEC 7812-1 (numbering, Luhn, annex B); ISO/IEC 7813 (track formats);
    PCI DSS v4.0 requirements 3.3-3.5 (what may be kept and shown);
    https://en.wikipedia.org/wiki/Payment_card_number (IIN table, cross-checked
    with the schemes: Visa, Mastercard 2-series announcement 2016, JCB
    https://www.global.jcb/en/ , Discover/Diners "IIN ranges" bulletin, UnionPay);
    python-stdnum ``stdnum.luhn``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from stdnum import luhn

from recognizers.base import SEP, SEP_RE2, Hit, PatternSpec, PiiRecognizer, normalize, normalize_field_name
from recognizers.checksums import digit_matrix, luhn_matrix, prefix_ranges_matrix


@dataclass(frozen=True)
class IinRange:
    """Leading digits `low`..`high` (same digit count) of one scheme, and its PAN lengths."""

    brand: str
    low: int
    high: int
    lengths: tuple[int, ...]

    def admits(self, digits: str, total_length: int) -> bool:
        """True when `digits` (a PAN, or its first few digits) can start a PAN of this range."""
        if total_length not in self.lengths or not digits:
            return False
        n = len(str(self.low))
        if len(digits) >= n:
            return self.low <= int(digits[:n]) <= self.high
        scale = 10 ** (n - len(digits))
        return self.low // scale <= int(digits) <= self.high // scale


_16_TO_19 = (16, 17, 18, 19)
IIN_RANGES: tuple[IinRange, ...] = (
    IinRange("visa", 4, 4, (13, 16, 19)),
    IinRange("mastercard", 51, 55, (16,)),
    IinRange("mastercard", 2221, 2720, (16,)),
    IinRange("amex", 34, 34, (15,)),
    IinRange("amex", 37, 37, (15,)),
    IinRange("jcb", 3528, 3589, _16_TO_19),
    IinRange("diners", 300, 305, (14, 15, 16, 17, 18, 19)),
    IinRange("diners", 3095, 3095, (14, 15, 16, 17, 18, 19)),
    IinRange("diners", 36, 36, (14, 15, 16, 17, 18, 19)),
    IinRange("diners", 38, 39, (14, 15, 16, 17, 18, 19)),
    IinRange("discover", 6011, 6011, _16_TO_19),
    IinRange("discover", 644, 649, _16_TO_19),
    IinRange("discover", 65, 65, _16_TO_19),
    IinRange("unionpay", 62, 62, _16_TO_19),
    # Maestro's published prefixes (not the whole 5x/6x space), Mir, UATP, Dankort, Troy
    *(IinRange("maestro", p, p, _16_TO_19)
      for p in (5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763)),
    IinRange("mir", 2200, 2204, _16_TO_19),
    IinRange("uatp", 1, 1, (15,)),
    IinRange("dankort", 5019, 5019, (16,)),
    IinRange("troy", 9792, 9792, (16,)),
)
_IIN_TABLE = tuple((r.low, r.high, r.lengths) for r in IIN_RANGES)

# Characters that stand for a hidden digit in a masked PAN (after NFKC: ＊ -> *, Ｘ -> X).
MASK_CHARS = "*Xx•●#"
_M = "[*Xx•●#]"

_COMPACT_RE = re.compile(SEP)
_DIGITS_RE = re.compile(r"[0-9]{13,19}")
_MASKED_RE = re.compile(rf"(?P<lead>[0-9]{{0,8}})(?P<mask>{_M}+)(?P<last>[0-9]{{4}})")
_TRACK_PAN_RE = re.compile(r"^[%;]?B?(?P<pan>[0-9]{12,19})[=D^]")
_TRACK_EXPIRY_RE = re.compile(r"(?:[=D]|\^[^^]*\^)(?P<yymm>[0-9]{4})")
# Track 1's name field, `SURNAME/GIVEN NAME.TITLE` between the two `^`: the name inside it.
_TRACK1_NAME_RE = re.compile(r"\^[ /]*(?P<name>[^^.]*?[A-Za-z][^^.]*?)[ /]*(?:\.[^^]*)?\^")

# Not part of a longer number or word: no digit/letter next to it, and no decimal point
# or hyphen joining it to more digits (a comma is allowed: CSV lines).
_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9][.\-])"
_AFTER = r"(?![0-9A-Za-z])(?![.\-][0-9])"
_MASK_BEFORE = r"(?<![0-9A-Za-z*•●#])(?<![0-9][.\-])"
_MASK_AFTER = r"(?![0-9A-Za-z*•●#])(?![.\-][0-9])"


# --- pure validators -------------------------------------------------------------------
def compact(number: str) -> str:
    """NFKC, then strip separators: ``４１１１ １１１１…`` -> ``41111111…``."""
    return _COMPACT_RE.sub("", normalize(number))


def card_brand(number: str) -> str | None:
    """The scheme whose IIN range and length fit the PAN `number` (no Luhn check), or None."""
    digits = compact(number)
    if not digits.isascii() or not digits.isdigit():
        return None
    for iin in IIN_RANGES:
        if iin.admits(digits, len(digits)):
            return iin.brand
    return None


def is_valid_pan(number: str) -> bool:
    """A full PAN: 13-19 digits (separators allowed), Luhn-valid, in a known IIN range."""
    digits = compact(number)
    return bool(_DIGITS_RE.fullmatch(digits)) and luhn.is_valid(digits) and card_brand(digits) is not None


def is_valid_pan_many(values: Sequence[str]) -> np.ndarray:
    """`is_valid_pan` for a whole column at once (NumPy Luhn + IIN; `is_valid_pan` is the reference)."""
    matrix = digit_matrix(values, 19)
    return luhn_matrix(matrix) & prefix_ranges_matrix(matrix, _IIN_TABLE) & (matrix.lengths >= 13)


def is_masked_pan(value: str) -> bool:
    """A truncated/masked PAN: optional first 1-8 digits, hidden digits, the last four.

    With leading digits shown, they must start a known scheme's PAN of the total
    length; with none shown, at least four hidden digits (``****1234``). A bare last
    four is not accepted here (see `MaskedCardRecognizer.validate_field`).
    """
    m = _MASKED_RE.fullmatch(compact(value))
    if not m:
        return False
    lead, total = m.group("lead"), len(m.group(0))
    if not lead:
        return len(m.group("mask")) >= 4 and total <= 19
    return 12 <= total <= 19 and any(iin.admits(lead, total) for iin in IIN_RANGES)


def is_last_four(value: str) -> bool:
    """Exactly four digits: a last four, when the field says so."""
    return bool(re.fullmatch(r"[0-9]{4}", normalize(value).strip()))


def parse_expiration(value: str) -> tuple[int, int] | None:
    """(year, month) of a card expiry written MM/YY, MM/YYYY, YYYY/MM, 2027年3月 or 3月/27年."""
    text = normalize(value)
    numbers = re.findall(r"[0-9]+", text)
    if len(numbers) != 2:
        return None
    if "年" in text and "月" in text:
        year_first = text.index("年") < text.index("月")
    else:
        year_first = len(numbers[0]) == 4
    year, month = (int(numbers[0]), int(numbers[1])) if year_first else (int(numbers[1]), int(numbers[0]))
    if year < 100:
        year += 2000
    if not (1 <= month <= 12 and 2000 <= year <= 2099):
        return None
    return year, month


def is_track_data(value: str) -> bool:
    """Track 1 or 2 whose PAN is Luhn-valid and whose expiry (if present) has a real month."""
    text = normalize(value)
    m = _TRACK_PAN_RE.match(text)
    if not m or not luhn.is_valid(m.group("pan")):
        return False
    expiry = _TRACK_EXPIRY_RE.search(text, m.end("pan"))
    return expiry is None or 1 <= int(expiry.group("yymm")[2:]) <= 12


def track1_name_span(track: str) -> tuple[int, int] | None:
    """(start, end) of the cardholder's name in a track 1 string (``%B…^YAMAMOTO/KENTA^…``),
    without the padding spaces and slashes around it; None for track 2 or an empty name."""
    m = _TRACK1_NAME_RE.search(track)
    if not m or sum(c.isalpha() for c in m.group("name")) < 2:
        return None
    return m.span("name")


# --- shared context words ----------------------------------------------------------------
CARD_WORDS = (
    "card",
    "cards",
    "card no",
    "card number",
    "cardholder",
    "credit",
    "credit card",
    "debit",
    "pan",
    "cc",
    "ccn",
    "visa",
    "mastercard",
    "master",
    "amex",
    "american express",
    "jcb",
    "diners",
    "discover",
    "unionpay",
    "payment",
    "swipe",
    "カード",
    "カード番号",
    "クレジット",
    "クレジットカード",
    "デビット",
    "決済",
    "お支払い",
    "支払",
    "銀聯",
)
# Identifiers of the same shape: a negative word nearer than any card word drops a hit.
NOT_CARD_WORDS = (
    "request id",  # also request_id: context words read `_` as a space
    "requestid",
    "req id",
    "id=",
    "session",
    "session id",
    "sessionid",
    "order",
    "order id",
    "order no",
    "tracking",
    "tracking no",
    "tracking number",
    "sku",
    "trace",
    "trace id",
    "uuid",
    "imei",
    "invoice",
    "serial",
    "注文",
    "注文番号",
    "追跡",
    "追跡番号",
    "伝票番号",
    "お問い合わせ番号",
    "問い合わせ番号",
    "受付番号",
)
_NOT_CARD_FIELDS = (
    r"last_?4",
    r"last_?four",
    r"mask",
    r"token",
    r"hash",
    r"(?:^|_)id$",
    r"session",
    r"order",
    r"sku",
    r"tracking",
    r"exp",
    r"cvv",
    r"cvc",
    r"brand",
    r"type",
    r"holder",
)


def _grouped(groups: Sequence[str], python: bool) -> str:
    """Digit groups joined by a separator: for Python `re` the same one throughout (a
    backreference); for RE2, which has none, any separator (a superset)."""
    if not python:
        return SEP_RE2.join(groups)
    head, *rest = groups
    return head + "".join(("(?P<sep>" + SEP + ")" if i == 0 else "(?P=sep)") + g for i, g in enumerate(rest))


# PAN shapes (groups of digits); the same table makes the Python patterns, the RE2
# prefilter and the RE2 whole-cell pattern, so the three cannot drift apart.
_PAN_SHAPES: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("pan_4444_3", ("[0-9]{4}", "[0-9]{4}", "[0-9]{4}", "[0-9]{4}", "[0-9]{3}"), 0.6),
    ("pan_4444", ("[0-9]{4}", "[0-9]{4}", "[0-9]{4}", "[0-9]{4}"), 0.6),
    ("pan_465", ("[0-9]{4}", "[0-9]{6}", "[0-9]{5}"), 0.6),
    ("pan_464", ("[0-9]{4}", "[0-9]{6}", "[0-9]{4}"), 0.6),
)
# Track 1 puts the PAN right after the format code B; a track 2 reader may write D for =.
_PAN_BEFORE = rf"(?:(?<![0-9A-Za-z])B(?=[0-9]{{12,19}}\^)|{_BEFORE})"
_PAN_AFTER = rf"(?:{_AFTER}|(?=D[0-9]{{7}}))"


class CreditCardRecognizer(PiiRecognizer):
    """CREDIT_CARD: a full PAN in clear (Luhn + IIN range + length)."""

    BULK_VALIDATION = True  # validate_many is vectorised

    ENTITY: ClassVar[str] = "CREDIT_CARD"
    PREFILTER: ClassVar[str] = "|".join(
        ["[0-9]{13,19}"] + [_grouped(groups, python=False) for _, groups, _ in _PAN_SHAPES[1:]]
    )
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec("pan", rf"{_PAN_BEFORE}(?P<value>[0-9]{{13,19}}){_PAN_AFTER}", 0.5),
        *(
            PatternSpec(name, rf"{_BEFORE}(?P<value>{_grouped(groups, python=True)}){_AFTER}", score)
            for name, groups, score in _PAN_SHAPES
        ),
    )
    VALUE_PATTERN: ClassVar[str | None] = (
        "^(?:" + "|".join(["[0-9]{13,19}"] + [_grouped(g, python=False) for _, g, _ in _PAN_SHAPES]) + ")$"
    )
    CONTEXT: ClassVar[tuple[str, ...]] = CARD_WORDS
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = NOT_CARD_WORDS
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"card_?(?:number|no|num|nbr)",
        r"(?:^|_)card$",
        r"(?:^|_)pan(?:_|$)",
        r"(?:^|_)cc_?(?:number|no|num)?(?:_|$)",
        r"ccn",
        r"credit_?card",
        r"カード番号",
        r"クレジット",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = _NOT_CARD_FIELDS

    def validate(self, candidate: str) -> bool:
        return is_valid_pan(candidate)

    def validate_many(self, candidates: Sequence[str]) -> np.ndarray:
        return is_valid_pan_many(candidates)


_G = f"[0-9{MASK_CHARS}]"
_MASKED_SHAPES: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("masked_4444", (f"{_G}{{4}}", f"{_G}{{4}}", f"{_G}{{4}}", "[0-9]{4}"), 0.6),
    ("masked_465", (f"{_G}{{4}}", f"{_G}{{6}}", f"{_G}?[0-9]{{4}}"), 0.6),
    ("masked_short", (f"{_M}{{4}}", "[0-9]{4}"), 0.55),
)
_MASKED_CONTIGUOUS = rf"[0-9]{{0,8}}{_M}{{2,15}}[0-9]{{4}}"


class MaskedCardRecognizer(PiiRecognizer):
    """CREDIT_CARD_MASKED: a truncated or masked PAN (first 6-8 / last 4 at most).

    Columns: `VALUE_PATTERN` also accepts a bare four digits, because a
    ``card_last4`` / ``カード下4桁`` column holds nothing else. Four digits alone are
    not evidence (years, prices, PINs), so `validate`/`validate_many` reject them and
    `validate_field(values, field_name)` accepts them only when the field name
    matches `LAST4_FIELD_HINTS`. The column classifier should call `validate_field`
    when a recognizer has it (cells matching `HINTED_ONLY_VALUE_PATTERN` then count
    only in such fields). Free text never yields a bare four digits.
    """

    ENTITY: ClassVar[str] = "CREDIT_CARD_MASKED"
    # every accepted form ends with a mask character, maybe a separator, then the last four
    PREFILTER: ClassVar[str] = f"{_M}{SEP_RE2}?[0-9]{{4}}"
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec("masked_contiguous", rf"{_MASK_BEFORE}(?P<value>{_MASKED_CONTIGUOUS}){_MASK_AFTER}", 0.6),
        *(
            PatternSpec(
                name, rf"{_MASK_BEFORE}(?P<value>{_grouped(groups, python=True)}){_MASK_AFTER}", score
            )
            for name, groups, score in _MASKED_SHAPES
        ),
    )
    HINTED_ONLY_VALUE_PATTERN: ClassVar[str] = "^[0-9]{4}$"
    VALUE_PATTERN: ClassVar[str | None] = (
        "^(?:"
        + "|".join(
            [_MASKED_CONTIGUOUS] + [_grouped(g, python=False) for _, g, _ in _MASKED_SHAPES] + ["[0-9]{4}"]
        )
        + ")$"
    )
    CONTEXT: ClassVar[tuple[str, ...]] = CARD_WORDS + ("ending in", "ending with", "last 4", "下4桁", "末尾")
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ("password", "パスワード", "pin", "暗証番号")
    FIELD_HINTS: ClassVar[tuple[str, ...]] = CreditCardRecognizer.FIELD_HINTS + (
        r"mask",
        r"truncat",
        r"last_?4",
        r"last_?four",
        r"下4桁",
        r"下四桁",
        r"末尾",
    )
    LAST4_FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"last_?4",
        r"last_?four",
        r"下4桁",
        r"下四桁",
        r"末尾4桁",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = (
        r"exp",
        r"cvv",
        r"cvc",
        r"year",
        r"yyyy",
        r"pin",
        r"password",
        r"amount",
        r"price",
        r"postal",
        r"zip",
    )

    def __init__(self, supported_language: str = "en", name: str | None = None):
        super().__init__(supported_language=supported_language, name=name)
        self._last4_re = re.compile("|".join(f"(?:{h})" for h in self.LAST4_FIELD_HINTS))

    def validate(self, candidate: str) -> bool:
        return is_masked_pan(candidate)

    def validate_field(self, candidates: Sequence[str], field_name: str | None) -> np.ndarray:
        """`validate_many`, plus bare last fours when `field_name` is a last-four field."""
        valid = self.validate_many(candidates)
        if self.field_hint(field_name) > 0 and self._last4_re.search(normalize_field_name(field_name or "")):
            valid |= np.fromiter((is_last_four(c) for c in candidates), dtype=bool, count=len(candidates))
        return valid


# --- expiry ----------------------------------------------------------------------------
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

    ENTITY: ClassVar[str] = "CARD_EXPIRATION"
    PREFILTER: ClassVar[str] = "|".join(shape for _, shape in _EXPIRY_SHAPES)
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = tuple(
        PatternSpec(name, rf"{_DATE_BEFORE}(?P<value>{shape}){_DATE_AFTER}", 0.5)
        for name, shape in _EXPIRY_SHAPES
    )
    VALUE_PATTERN: ClassVar[str | None] = "^(?:" + "|".join(shape for _, shape in _EXPIRY_SHAPES) + ")$"
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
        return parse_expiration(candidate) is not None


# --- security code -------------------------------------------------------------------------
_CVV_KEYWORDS = (
    r"cvv2?|cvc2?|cav2|csc|cvn|security ?code|card ?verification ?(?:code|value|number)|"
    r"セキュリティー?コード|セキュリティ番号"
)
_CVV_GAP = r"[ :=#'\"()\[\]_\-]{0,4}(?:is ?|は ?)?"
_CVV_KEYWORDS_RE2 = r"cvv2?|cvc2?|cav2|csc|cvn|cid|security ?code|verification|セキュリティ"


class CardSecurityCodeRecognizer(PiiRecognizer):
    """CARD_SECURITY_CODE: 3-4 digits right after CVV/CVC/CAV2/CID/セキュリティコード."""

    ENTITY: ClassVar[str] = "CARD_SECURITY_CODE"
    PREFILTER: ClassVar[str] = rf"(?i)(?:{_CVV_KEYWORDS_RE2})[^0-9]{{0,24}}[0-9]{{3,4}}"
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec(
            "keyword_code",
            rf"(?i)(?<![a-z0-9])(?:{_CVV_KEYWORDS})(?:[ _]?(?:code|no|number|番号))?{_CVV_GAP}"
            rf"(?P<value>[0-9]{{3,4}})(?![0-9a-z])",
            0.6,
        ),
        # "cid" is more often a customer/client id: only with a card word nearby
        PatternSpec(
            "amex_cid", rf"(?<![A-Za-z0-9_])(?:cid|CID){_CVV_GAP}(?P<value>[0-9]{{4}})(?![0-9A-Za-z])", 0.3
        ),
    )
    VALUE_PATTERN: ClassVar[str | None] = "^[0-9]{3,4}$"
    CONTEXT_REQUIRED: ClassVar[bool] = True
    CONTEXT_CHARS_BEFORE: ClassVar[int] = 30
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "cvv",
        "cvv2",
        "cvc",
        "cvc2",
        "cav2",
        "csc",
        "cvn",
        "security code",
        "securitycode",
        "card verification",
        "セキュリティコード",
        "セキュリティーコード",
        "セキュリティ番号",
        *CARD_WORDS,
    )
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ("customer", "client", "顧客")
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"(?:^|_)(?:cvv2?|cvc2?|csc|cav2|cvn)(?:_|$)",
        r"card_?cid",
        r"security_?code",
        r"verification_?(?:code|value)",
        r"セキュリティ",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = ()

    def validate(self, candidate: str) -> bool:
        return bool(re.fullmatch(r"[0-9]{3,4}", candidate))


# --- track data ----------------------------------------------------------------------------
_TRACK1 = r"%?B[0-9]{12,19}\^[A-Za-z0-9 /.'\-]{2,26}\^(?:[0-9]{7}|\^)[0-9A-Za-z ]{0,79}\??"
_TRACK2 = r"[0-9]{12,19}[=D][0-9]{7}[0-9]{0,32}\??"


class TrackDataRecognizer(PiiRecognizer):
    """CARD_TRACK_DATA: magnetic-stripe track 1 / track 2 with a Luhn-valid PAN; and PERSON
    for the cardholder's name that track 1 carries (as an MRZ yields its holder)."""

    ENTITY: ClassVar[str] = "CARD_TRACK_DATA"
    EXTRA_ENTITIES: ClassVar[tuple[str, ...]] = ("PERSON",)
    PREFILTER: ClassVar[str] = r"[0-9]{12,19}[=D][0-9]{7}|B[0-9]{12,19}\^"
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec("track1", rf"(?<![0-9A-Za-z])(?P<value>{_TRACK1})", 0.85),
        PatternSpec("track2_sentinel", rf"(?P<value>;{_TRACK2})(?![0-9A-Za-z])", 0.85),
        # without the start sentinel it could be any id=number pair: needs a swipe/track word
        PatternSpec("track2", rf"(?<![0-9A-Za-z;])(?P<value>{_TRACK2})(?![0-9A-Za-z])", 0.3),
    )
    VALUE_PATTERN: ClassVar[str | None] = rf"^(?:{_TRACK1}|;?{_TRACK2})$"
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "swipe",
        "swiped",
        "track",
        "track1",
        "track2",
        "track 1",
        "track 2",
        "track data",
        "magstripe",
        "mag stripe",
        "magnetic stripe",
        "msr",
        "磁気",
        "磁気ストライプ",
        "スワイプ",
        "トラック",
    )
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ("tracking", "追跡")
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"(?:^|_)track_?[12](?:_|$)",
        r"track_?data",
        r"mag_?stripe",
        r"swipe",
        r"磁気",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = (r"tracking",)

    def validate(self, candidate: str) -> bool:
        return is_track_data(candidate)

    def find_many(self, texts: Sequence[str]) -> list[list[Hit]]:
        """Track hits, plus a PERSON hit on the name inside each track 1."""
        found = super().find_many(texts)
        for text, hits in zip(texts, found, strict=False):
            for hit in list(hits):
                span = track1_name_span(hit.value) if hit.pattern == "track1" else None
                if span is not None:
                    start, end = hit.start + span[0], hit.start + span[1]
                    hits.append(Hit("PERSON", start, end, hit.score, text[start:end], hit.pattern))
        return found


def card_recognizers(supported_language: str = "en") -> list[PiiRecognizer]:
    """One instance of every card-data recognizer, for a registry or the detector."""
    return [
        cls(supported_language=supported_language)
        for cls in (
            CreditCardRecognizer,
            MaskedCardRecognizer,
            CardExpirationRecognizer,
            CardSecurityCodeRecognizer,
            TrackDataRecognizer,
        )
    ]
