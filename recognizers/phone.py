"""PHONE_NUMBER: telephone numbers (電話番号), Japanese and international.

Japanese numbers have ten digits with a leading trunk `0` (fixed lines:
area code + local number, `03-1234-5678`, `(03)1234-5678`, `0465-12-3456`;
toll-free `0120-123-456`) or eleven (mobiles and IP phones: `090-1234-5678`,
`070-…`, `080-…`, `050-…`); written internationally they lose the `0`:
`+81-90-1234-5678`. Foreign numbers are written with `+` and a country code.

How it is decided: a loose pattern, then Google's libphonenumber (the
`phonenumbers` package, region `JP`) says whether the number is valid for its
plan. Hyphenless runs of digits (`09012345678`) are only reported near a
context word (電話, 連絡先, tel, mobile, ...), and in a `連絡先:`-style context a
dashed 10-11 digit group (`47-4575-6717`, seen in real tickets with a lost
leading 0) is enough. Dates (`2023-06-14`), amounts and ids have other digit
counts or fail the plan check, and words like `order`, `予約番号`, `card` near a
number veto it.

Sources: 総務省「電気通信番号計画」(the Japanese numbering plan);
https://github.com/daviddrysdale/python-phonenumbers
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recognizers import masks, phone_arrow
from recognizers.base import PatternSpec, PiiRecognizer, context_text
from recognizers.bulk import as_arrow
from recognizers.phone_arrow import (
    VALID_PHONE_DECIDERS,
    bulk,
    cell_verdicts,
    fast_verdicts,
    jp_plan_verdicts,
    loose_dashed_verdicts,
    lost_zero_verdicts,
    national_abroad_many,
)
from recognizers.phone_numbers import (  # noqa: F401 - python-stdnum's verbs, exported here
    FOREIGN_REGIONS,
    LOOSE_CELL,
    accepts_national_abroad,
    is_possible_abroad,
    is_valid,
    is_valid_national_abroad,
    is_valid_phone,
    loose_dashed,
    lost_zero_valid,
    validate,
)
from recognizers.spec import EntitySpec

# Not inside a longer token: no ASCII letter, digit or joiner next to it (a Japanese particle
# may touch a number: `電話番号は03-1234-5678です`).
_NOT_BEFORE = r"(?<![A-Za-z0-9_+\-/.])"
# An extension after a number: `x123`, `ext. 123`, `extension 12`, `内線123`.
_EXT = r"(?:,? ?(?:x|ext\.?|extension|内線) ?\d{1,6})?"
# Phone words that may introduce a number in its national format (`tel=`, `call back on`).
_PHONE_WORDS = (
    r"tel|phone|telephone|mobile|cell|cellphone|fax|sms|call(?:ed|ing)? (?:me |back |us )?(?:on|at|from)|"
    r"reach me (?:at|on)|contact (?:no|number|tel|phone)|電話|連絡先|携帯|denwa|keitai"
)
# A national-format number (libphonenumber then says where it is valid):
_NATIONAL = (
    r"(?:\+\d{1,3}[ \-.]?(?:\(0?\d{1,4}\)|\d{1,4})(?:[ \-.]?\d{1,5}){1,4}"  # +1-374-682-1237, +44(0)115 4960673
    r"|(?:00|011)\d{1,3}[ \-.]\d{1,4}(?:[ \-.]\d{2,5}){1,3}"  # 001-309-366-9091 (an international prefix)
    r"|(?:1 ?)?\(\d{2,5}\)[ \-.]?\d{3,4}[ \-.]?\d{3,5}"  # (425) 882-9090, 1 (370) 478-9046, (07)-4058-1075
    r"|\d{2,4}[ \-.]\d{3,4}[ \-.]\d{3,5}"  # 425.882.9090, 010-1234-5678, 131 2345 6789
    r"|0\d(?:[ .]\d{2}){4}"  # 06 12 34 56 78
    r"|\d{3,5}[ \-.]\d{4,7}"  # 07400 123456, 8123 4567
    r"|\d{8,11})"  # 13800138000
)
_NOT_AFTER = r"(?![A-Za-z0-9_\-/]|\.\d)"


_SELF_EVIDENT = 0.6  # patterns scoring this much are valid phone numbers without any context
LABELLED_OTHERWISE = -2  # context: a negative word is the number's own label (`予約番号 03-…`)
# What may stand between a label and its value: punctuation, and "no." / 番号 / id.
_LABEL_GAP = re.compile(r"[\s:=#：＝\-()（）\[\]「」]*(?:(?:no|number|番号|id)\.?[\s:=#：＝\-]*)?")
SPEC = EntitySpec(label_en="Phone number", label_ja="電話番号", category="contact", mask=masks.Keep(3, 2))


class PhoneRecognizer(PiiRecognizer):
    """Japanese and international phone numbers, validated with `phonenumbers`."""

    ENTITY = "PHONE_NUMBER"
    SPEC: ClassVar[EntitySpec] = SPEC
    # Every hit has at least 9 digits, possibly split by separators or parentheses.
    # A hit starts with "+", a trunk "0" (also after "(") or is a dashed 2-4/2-4/3-4 group
    # (malformed numbers in a 連絡先 context): ids, amounts and timestamps are not candidates.
    PREFILTER = (
        r"\+\d|\(0\d|(?:^|[^0-9])0\d[\d \-‐‑‒–—―−ー().]{6,}\d"
        r"|\d{2,4}[\-‐‑‒–—―−ー]\d{2,4}[\-‐‑‒–—―−ー]\d{3,4}"
        rf"|(?i:{_PHONE_WORDS})[^0-9+\n]{{0,12}}[0-9(+]"
    )
    PATTERNS = (
        # +81-90-1234-5678, +1 212 555 0100, +44 20 7946 0958
        PatternSpec(
            "international",
            rf"{_NOT_BEFORE}(?P<value>\+\d{{1,3}}[ \-.]?(?:\(0?\d{{1,4}}\)|\d{{1,4}})(?:[ \-.]?\d{{1,5}}){{1,4}}{_EXT}){_NOT_AFTER}",
            0.7,
        ),
        # 03-1234-5678, (03)1234-5678, 090 1234 5678, 0120-123-456
        PatternSpec(
            "jp_delimited",
            rf"{_NOT_BEFORE}(?P<value>(?:\(0\d{{1,4}}\) ?|0\d{{1,4}}[ \-‐‑−ー])\d{{1,4}}[ \-‐‑−ー]\d{{3,4}}{_EXT}){_NOT_AFTER}",
            0.65,
        ),
        # 09012345678: any 10-11 digit run is a candidate, so context is needed
        PatternSpec("jp_undelimited", rf"{_NOT_BEFORE}(?P<value>0\d{{9,10}}){_NOT_AFTER}", 0.2),
        # after a phone word, a national format valid abroad: `tel=(425) 882-9090`, `call back on 010-…`
        PatternSpec(
            "national_abroad",
            rf"(?i:{_PHONE_WORDS})[^0-9+\n]{{0,12}}?{_NOT_BEFORE}(?P<value>{_NATIONAL}{_EXT}){_NOT_AFTER}",
            0.3,
            starts_with=rf"(?i:{_PHONE_WORDS})",  # every match begins with a phone word
        ),
        # 47-4575-6717 next to 連絡先: malformed, but a phone by its context
        PatternSpec(
            "dashed_with_context", rf"{_NOT_BEFORE}(?P<value>\d{{2,4}}-\d{{2,4}}-\d{{3,4}}){_NOT_AFTER}", 0.1
        ),
    )
    VALUE_PATTERN = r"^(?:\+|\(?\d)[\d \-‐‑−ー().]{7,20}\d$"
    CONTEXT = (
        "tel", "phone", "telephone", "mobile", "cell", "fax", "call", "called", "calling", "dial", "reach me",
        "contact", "sms", "電話", "連絡先", "携帯",
        "ファックス", "ファクス", "緊急連絡", "denwa", "keitai", "☎", "📞",
    )  # fmt: skip
    NEGATIVE_CONTEXT = (
        "order", "invoice", "booking", "reservation", "card", "passport", "jmb", "account", "amount", "price",
        "id", "注文", "予約番号", "会員番号", "カード", "旅券", "パスポート", "金額", "口座", "伝票", "追跡",
        "tracking", "sku", "serial", "session", "request id",
    )  # fmt: skip
    FIELD_HINTS = (
        r"(?:^|_)(?:phone|telephone|tel|mobile|cell|cellphone|fax|contact_?(?:no|number|tel|phone)|denwa|keitai|"
        r"phone_?(?:no|number|num)|tel_?(?:no|number))(?:$|_|\d|[^\x00-\x7f])",  # also `TEL番号`, `FAX番号`
        r"電話|連絡先|携帯|ファックス|ファクス",
        r"(?:^|_)(?:ph|phn|tel|mob|cell|keitai|denwa)_?(?:no|num|nbr|cd)(?:$|_)",
    )
    FIELD_NEGATIVE_HINTS = (
        r"(?:^|_)(?:phone_?(?:type|verified|country|model|os)|tel_?type)(?:$|_)",
        # a company's or hotel's number (main line, head office): not personal data
        r"(?:^|_)(?:supplier|vendor|hotel|company|corporate|corp|office|head_?office|hq|branch|store|shop|agency|airline|partner|facility|venue|property|main)_?(?:phone|tel|fax|address|addr|email|mail|contact)",
        r"本社|支社|支店|営業所|事務所|会社|ホテル|施設|店舗|取引先|仕入先|代表(?!者)",
    )
    CONTEXT_CHARS_BEFORE = 30
    ACCEPT_BY_VALUE = True  # accept_match looks at the pattern's name and the value only
    CONTEXT_BY_WINDOW = True  # _decide_context reads the windows only

    BULK_VALIDATION = True  # validate_many decides most cells in Arrow, the rest once per distinct value

    def validate(self, candidate: str) -> bool:
        """A whole cell: a valid number, or the dashed 10-11 digit shape (`47-4575-6717`) that a
        phone column holds when a leading 0 was lost; dates (8 digits) and ids do not fit it."""
        cell = candidate.strip()
        return is_valid_phone(cell) or bool(LOOSE_CELL.fullmatch(cell) and loose_dashed(cell))

    def validate_many(self, candidates: Sequence[str] | pa.Array | pa.ChunkedArray) -> np.ndarray:
        """`validate` for a whole column: common shapes, lengths, starts, JP mobiles and the loose
        dashed shape in Arrow; landlines, foreign numbers and non-ASCII cells through `validate`,
        once per distinct value (libphonenumber's lru cache as before). A null is not valid."""
        return bulk(candidates, (fast_verdicts, cell_verdicts, jp_plan_verdicts), self.validate)

    def validate_field(self, candidates: Sequence[str] | pa.Array | pa.ChunkedArray, field_name: str | None,
                       valid: np.ndarray | None = None) -> np.ndarray:
        """In a column named for phones, a number that lost its leading 0 (Excel stores
        `09012345678` as the integer 9012345678) is a phone number when the 0 makes it valid."""
        if isinstance(candidates, pa.ChunkedArray):
            candidates = candidates.combine_chunks()
        valid = self.validate_many(candidates) if valid is None else valid.copy()
        if self.field_hint(field_name) > 0 and not valid.all():
            rest = np.flatnonzero(~valid)
            if isinstance(candidates, pa.Array):
                cells = pc.take(candidates, pa.array(rest))
            else:
                cells = [candidates[int(i)] for i in rest]
            valid[rest] = bulk(cells, (lost_zero_verdicts,), lost_zero_valid)
        return valid

    def accept_matches(
        self, spec: PatternSpec, matches: Sequence[re.Match[str] | None], candidates: Sequence[str]
    ) -> np.ndarray:
        """`accept_match` for the matches of one pattern in many texts, with its answers: a short
        batch one by one as the base does; a longer one in Arrow (the digit count of the dashed
        shape; is_valid_phone's lengths, starts and JP mobiles), the rest through the Python
        checks once per distinct value. The matches are not read (ACCEPT_BY_VALUE)."""
        if len(candidates) < phone_arrow.ARROW_MIN_CELLS:
            return super().accept_matches(spec, matches, candidates)
        if spec.name == "dashed_with_context":
            return bulk(candidates, (loose_dashed_verdicts,), loose_dashed)
        if spec.name == "national_abroad":
            return national_abroad_many(as_arrow(candidates))
        return bulk(candidates, VALID_PHONE_DECIDERS, is_valid_phone)

    def accept_match(self, spec: PatternSpec, match: re.Match[str], candidate: str) -> bool:
        """libphonenumber decides, except for the dashed shape that only context makes a phone;
        after a phone word, a national format valid in another country counts too."""
        if spec.name == "dashed_with_context":
            return loose_dashed(candidate)
        if spec.name == "national_abroad":
            return accepts_national_abroad(candidate)
        return is_valid_phone(candidate)

    def _decide_context(self, before: str, after: str) -> int:
        """As the base decides, but -2 when the nearest keyword is a negative one that labels
        the number itself (`予約番号 03-…`, `booking: 03-…`), not a word further back."""
        decided = super()._decide_context(before, after)
        if decided < 0:
            found = self._keyword_matches(before)
            if found:
                _, end, sign = max(found, key=lambda k: (k[1], -k[0]))
                if sign < 0 and _LABEL_GAP.fullmatch(context_text(before)[end:]):
                    return LABELLED_OTHERWISE
        return decided

    def accept_context(self, spec: PatternSpec, context: int) -> bool:
        """A number valid on its own (`+country`, a delimited JP number) is not dropped because
        an unrelated word (パスポート, member, a booking further back) is the nearest keyword;
        only a negative word that labels the number itself drops it. Shapes that need context
        keep the base rule."""
        if spec.score >= _SELF_EVIDENT:
            return context != LABELLED_OTHERWISE
        return super().accept_context(spec, context)
