"""Card security codes (セキュリティコード): entity ``CARD_SECURITY_CODE``.

What it is
    CVV2 (Visa), CVC2 (Mastercard), CAV2 (JCB), CID (American Express, 4 digits):
    3-4 digits printed on the card. Sensitive authentication data: PCI DSS forbids
    keeping it after authorisation (Req. 3.3.1), so any stored one is a violation.
    Three digits alone are nothing: only right after a CVV word or in such a field.

>>> validate("894")
'894'
>>> is_valid("89")
False
"""

from __future__ import annotations

from typing import ClassVar

from stdnum.exceptions import InvalidFormat, InvalidLength, ValidationError

from recognizers import masks
from recognizers.base import PatternSpec, PiiRecognizer, normalize
from recognizers.card_iin import CARD_WORDS
from recognizers.spec import EntitySpec

ENTITY = "CARD_SECURITY_CODE"
SPEC = EntitySpec(label_en="Card security code", label_ja="セキュリティコード", category="card_security_data",
                  mask=masks.all_hidden)


def validate(value: str) -> str:
    """The code: 3 or 4 ASCII digits (InvalidFormat / InvalidLength otherwise)."""
    code = normalize(value).strip()
    if not (code.isascii() and code.isdigit()):
        raise InvalidFormat("a security code is digits only")
    if len(code) not in (3, 4):
        raise InvalidLength("a security code has 3 or 4 digits")
    return code


def is_valid(value: str) -> bool:
    try:
        return bool(validate(value))
    except ValidationError:
        return False


_CVV_KEYWORDS = (
    r"cvv2?|cvc2?|cav2|csc|cvn|security ?code|card ?verification ?(?:code|value|number)|"
    r"セキュリティー?コード|セキュリティ番号"
)
_CVV_GAP = r"[ :=#'\"()\[\]_\-]{0,4}(?:is ?|は ?)?"
_CVV_KEYWORDS_RE2 = r"cvv2?|cvc2?|cav2|csc|cvn|cid|security ?code|verification|セキュリティ"


class CardSecurityCodeRecognizer(PiiRecognizer):
    """CARD_SECURITY_CODE: 3-4 digits right after CVV/CVC/CAV2/CID/セキュリティコード."""

    ENTITY: ClassVar[str] = ENTITY
    SPEC: ClassVar[EntitySpec] = SPEC
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
        r"(?:^|_)(?:card_?)?sec(?:urity)?_?(?:cd|no|num)(?:_|$)",
        r"(?:^|_)(?:cvv|cvc|cv)_?(?:cd|no|code)(?:_|$)",
        r"verification_?(?:code|value)",
        r"セキュリティ",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = ()

    def validate(self, candidate: str) -> bool:
        return is_valid(candidate)
