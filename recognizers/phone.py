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

import functools
import re
from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from stdnum.exceptions import InvalidComponent, InvalidLength

from recognizers import masks
from recognizers.base import _TEMPLATE_SAFE, PatternSpec, PiiRecognizer, context_text
from recognizers.bulk import as_arrow, fullmatch_many
from recognizers.digit_template import digit_translation
from recognizers.spec import EntitySpec

# Not inside a longer token: no ASCII letter, digit or joiner next to it (a Japanese particle
# may touch a number: `電話番号は03-1234-5678です`).
_NOT_BEFORE = r"(?<![A-Za-z0-9_+\-/.])"
# An extension after a number: `x123`, `ext. 123`, `extension 12`, `内線123`.
_EXT = r"(?:,? ?(?:x|ext\.?|extension|内線) ?\d{1,6})?"
_EXTENSION = re.compile(r",? ?(?:x|ext\.?|extension|内線) ?\d{1,6}$", re.IGNORECASE)
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


# Japanese mobile numbers (070/080/090, then a non-zero digit and seven more) are valid
# by their shape alone, as libphonenumber's JP metadata says; checking them here saves
# its ~100 µs parse on the most common numbers in Japanese data.
_JP_MOBILE = re.compile(r"(?:0|81)[789]0[1-9]\d{7}")


def is_valid_phone(candidate: str) -> bool:
    """True when libphonenumber accepts `candidate` (JP when it has no `+country` prefix);
    an extension (`x123`, `ext. 123`, `内線123`) after the number is not part of the check."""
    candidate = _EXTENSION.sub("", candidate)
    digits = re.sub(r"\D", "", candidate)
    if not 9 <= len(digits) <= 15:
        return False
    stripped = candidate.strip()
    if not (stripped.startswith(("+", "0", "(0")) or stripped.startswith("(+")):
        return False
    if _JP_MOBILE.fullmatch(digits) and (stripped.startswith("+81") or not stripped.startswith("+")):
        return True
    return _libphonenumber_accepts(stripped)


@functools.lru_cache(maxsize=65_536)
def _libphonenumber_accepts(stripped: str) -> bool:
    try:
        number = phonenumbers.parse(stripped, "JP")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def validate(value: str) -> str:
    """The number; InvalidLength outside 9-15 digits, InvalidComponent when no numbering plan
    (JP for a number without `+country`) has it."""
    digits = re.sub(r"\D", "", _EXTENSION.sub("", value))
    if not 9 <= len(digits) <= 15:
        raise InvalidLength("a phone number has 9 to 15 digits")
    if not is_valid_phone(value):
        raise InvalidComponent("no numbering plan has this number (JP unless it starts with +country)")
    return value


def is_valid(value: str) -> bool:
    return is_valid_phone(value)


# Where a number written in its national format (no `+country`) may be from, tried in this
# order after JP: the countries whose travellers and suppliers a Japanese agency sees most.
FOREIGN_REGIONS = ("US", "CN", "KR", "TW", "HK", "GB", "AU", "FR", "DE", "IT", "ES", "SG", "TH", "IL", "IN", "PH",
                   "VN", "ID", "MY", "NZ")


def is_possible_abroad(candidate: str) -> bool:
    """True when `candidate` has a possible length for its country (`+country`, an `00` / `011`
    prefix) or for one of `FOREIGN_REGIONS`: libphonenumber's length check, without the
    number-range check that test data (`+1-374-…`, Ofcom's drama numbers) fails. Only ever
    asked right after a phone word."""
    number = _EXTENSION.sub("", candidate).strip()
    digits = re.sub(r"\D", "", number)
    if not 9 <= len(digits) <= 15 or len(set(digits)) <= 2:  # 0000000000, 1212121212: placeholders
        return False
    regions = ("GB",) if number.startswith("00") else ("US",) if number.startswith(("+", "011")) else FOREIGN_REGIONS
    return any(_possible_in(number, region) for region in regions)


@functools.lru_cache(maxsize=65_536)
def _possible_in(number: str, region: str) -> bool:
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(number, region))
    except phonenumbers.NumberParseException:
        return False


def is_valid_national_abroad(candidate: str) -> bool:
    """True when `candidate`, a number without `+country`, is valid in one of `FOREIGN_REGIONS`
    (only ever asked next to a phone word: alone, 9-11 digits are too common)."""
    number = _EXTENSION.sub("", candidate).strip()
    if not 8 <= sum(ch.isdigit() for ch in number) <= 12:
        return False
    return any(_valid_in(number, region) for region in FOREIGN_REGIONS)


@functools.lru_cache(maxsize=65_536)
def _valid_in(number: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, region))
    except phonenumbers.NumberParseException:
        return False


def _loose_dashed(candidate: str) -> bool:
    """The context-only shape: three dash-separated groups with 10-11 digits in all."""
    return 10 <= sum(ch.isdigit() for ch in candidate) <= 11


_LOST_ZERO = re.compile(r"[1-9][0-9]{8,9}")  # 9-10 digits: a Japanese number without its trunk 0
_LOOSE_CELL = re.compile(r"\(?\d{2,5}\)?[-‐‑−ー ]?\d{1,4}[-‐‑−ー]\d{3,4}")


# RE2 twins of the patterns above, for the cells a column pass decides in Arrow: printable
# ASCII only. There Python's `\d` / `\D` are RE2's `[0-9]` / `[^0-9]`, `str.strip()` strips
# spaces alone, `$` is the end of the cell (no trailing newline) and IGNORECASE folds ASCII
# letters alone; any other cell (full-width digits, 内線, tabs, U+3000) goes to `validate`.
# tests/recognizers/test_phone_vectorised.py pins the Python patterns these were written from.
_PRINTABLE_ASCII_RE2 = "[ -~]*"
_EXTENSION_RE2 = r",? ?(?:[xX]|[eE][xX][tT]\.?|[eE][xX][tT][eE][nN][sS][iI][oO][nN]) ?[0-9]{1,6}$"
_PLAN_START_RE2 = r"^(?:[+0]|\([+0])"  # is_valid_phone's startswith(("+", "0", "(0")) or "(+"
_JP_MOBILE_RE2 = "(?:0|81)[789]0[1-9][0-9]{7}"
_LOOSE_CELL_RE2 = r"\(?[0-9]{2,5}\)?[- ]?[0-9]{1,4}-[0-9]{3,4}"
_LOST_ZERO_RE2 = "[1-9][0-9]{8,9}"
_LOST_ZERO_MOBILE_RE2 = "[789]0[1-9][0-9]{7}"  # "0" + this is a _JP_MOBILE number


# One pass for the shapes most cells of a phone column (and of an id column) have; each is
# provably decided by the general rule in `_cell_verdicts` (which the cells it leaves go on to):
# True: 11-digit JP mobiles (`090-1234-5678`, `09012345678`, `(090)1234-5678`) and their
# `+81` form, as is_valid_phone's fast path accepts them (no extension, no `+` but `+81`).
_FAST_TRUE_RE2 = (
    r"0[789]0[- ]?[1-9][0-9]{3}[- ]?[0-9]{4}"
    r"|\(0[789]0\)[- ]?[1-9][0-9]{3}[- ]?[0-9]{4}"
    r"|\+81[- ]?[789]0[- ]?[1-9][0-9]{3}[- ]?[0-9]{4}"
)
# False: digits alone that do not start with 0 (no plan-like start) or are fewer than 9, and
# dates (8 digits at most); none has the `-` + 3-4 digits ending of the loose dashed shape.
# Also nine digits with a trunk 0 but neither `00` nor Japan's international prefix `010`
# (an id column's ids that start with 0): the JP plan's only numbers with an 8-digit
# national part are toll-free `00777…`, and no JP type starts with 0 (JP metadata).
_FAST_FALSE_RE2 = r"[1-9][0-9]*|[0-9]{1,8}|[0-9]{4}[-.][0-9]{1,2}[-.][0-9]{1,2}|0[2-9][0-9]{7}|01[1-9][0-9]{6}"
# Fewer cells than this are validated in Python: compiling the RE2 patterns costs more.
_ARROW_MIN_CELLS = 64


def _fast_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) for the common shapes above; the rest is left to `_cell_verdicts`.

    They are `is_valid_phone`'s answers too (a match in free text): no shape has a space at
    either end (is_valid_phone answers as for the stripped cell), the True ones are its JP
    mobile fast path and the False ones are not the loose dashed shape."""
    valid = fullmatch_many(column, _FAST_TRUE_RE2)
    if valid.all():
        return valid, valid
    return valid | fullmatch_many(column, _FAST_FALSE_RE2), valid


def _digit_counts(column: pa.Array) -> np.ndarray:
    return pc.utf8_length(pc.replace_substring_regex(column, pattern="[^0-9]", replacement="")).to_numpy(
        zero_copy_only=False
    )


def _phone_shape(column: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What `is_valid_phone` looks at before libphonenumber, for each cell as it is passed to it
    (meaningful for printable-ASCII cells only): (digit count, 9-15 digits, a plan-like start,
    the JP mobile fast path). Its order: the extension off, the digits counted, then .strip()."""
    number = pc.utf8_trim(pc.replace_substring_regex(column, pattern=_EXTENSION_RE2, replacement=""), characters=" ")
    digits = pc.replace_substring_regex(number, pattern="[^0-9]", replacement="")
    count = pc.utf8_length(digits).to_numpy(zero_copy_only=False)
    in_range = (count >= 9) & (count <= 15)
    plan_start = pc.fill_null(pc.match_substring_regex(number, pattern=_PLAN_START_RE2), False).to_numpy(
        zero_copy_only=False
    )
    plus = pc.fill_null(pc.starts_with(number, "+"), False).to_numpy(zero_copy_only=False)
    plus81 = pc.fill_null(pc.starts_with(number, "+81"), False).to_numpy(zero_copy_only=False)
    mobile = in_range & plan_start & fullmatch_many(digits, _JP_MOBILE_RE2) & (plus81 | ~plus)
    return count, in_range, plan_start, mobile


def _cell_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid): which cells `PhoneRecognizer.validate` answers in Arrow, and the answer.

    Printable-ASCII cells only. Decided True: the JP mobile fast path of `is_valid_phone`, or
    the loose dashed shape. Decided False: 9-15 digits (extension removed) or a plan-like start
    missing, and not the loose shape. What is left needs libphonenumber."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    cell = pc.utf8_trim(column, characters=" ")  # validate: candidate.strip()
    _count, in_range, plan_start, mobile = _phone_shape(cell)
    cell_digits = _digit_counts(cell)
    loose = fullmatch_many(cell, _LOOSE_CELL_RE2) & (cell_digits >= 10) & (cell_digits <= 11)
    valid = printable & (mobile | loose)
    decided = printable & (mobile | loose | ~in_range | ~plan_start)
    return decided, valid


def _valid_phone_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) of `is_valid_phone` on each cell as it is (not stripped first): printable
    ASCII only; True by the JP mobile fast path, False outside 9-15 digits or without a plan-like
    start. What is left needs libphonenumber."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    _count, in_range, plan_start, mobile = _phone_shape(column)
    return printable & (mobile | ~in_range | ~plan_start), printable & mobile


def _abroad_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) of `_possible_or_valid_abroad`: False for a printable-ASCII cell with
    fewer than 8 or more than 15 digits once the extension is off (is_possible_abroad wants 9-15,
    is_valid_national_abroad 8-12, both counted as is_valid_phone counts); the rest needs
    libphonenumber."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    count, _in_range, _plan_start, _mobile = _phone_shape(column)
    decided = printable & ((count < 8) | (count > 15))
    return decided, np.zeros(len(column), dtype=bool)


def _loose_dashed_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) of `_loose_dashed`: every printable-ASCII cell, by its digit count."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    count = _digit_counts(column)
    return printable, printable & (count >= 10) & (count <= 11)


def _possible_or_valid_abroad(candidate: str) -> bool:
    """`national_abroad`'s answer for a number `is_valid_phone` declines."""
    return is_possible_abroad(candidate) or is_valid_national_abroad(candidate)


def _accepts_national_abroad(candidate: str) -> bool:
    """`PhoneRecognizer.accept_match` for the `national_abroad` pattern: the length check before
    the validity check abroad, ~6x cheaper and (pure functions, or-ed) the same answer."""
    return is_valid_phone(candidate) or _possible_or_valid_abroad(candidate)


def _lost_zero_valid(cell: str) -> bool:
    """The lost-leading-zero rule of `PhoneRecognizer.validate_field` for one cell."""
    cell = cell.strip()
    return bool(_LOST_ZERO.fullmatch(cell)) and is_valid_phone("0" + cell)


def _lost_zero_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) of `_lost_zero_valid` in Arrow: a printable-ASCII cell that is not 9-10
    digits is False, one whose "0" makes a JP mobile is True; the rest needs libphonenumber."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    cell = pc.utf8_trim(column, characters=" ")
    lost = fullmatch_many(cell, _LOST_ZERO_RE2)
    mobile = lost & fullmatch_many(cell, _LOST_ZERO_MOBILE_RE2)
    return printable & (mobile | ~lost), printable & mobile


def _distinct_answers(column: pa.Array, positions: np.ndarray, check: Callable[[str], bool]) -> np.ndarray:
    """`check` on the cells at `positions`, each distinct value once (a null: False)."""
    if not len(positions):
        return np.zeros(0, dtype=bool)
    encoded = pc.dictionary_encode(pc.take(column, pa.array(positions)))
    values = encoded.dictionary.to_pylist()
    answers = np.fromiter((check(v) for v in values), dtype=bool, count=len(values))
    indices = encoded.indices
    valid = np.zeros(len(positions), dtype=bool)
    present = pc.is_valid(indices).to_numpy(zero_copy_only=False)
    valid[present] = answers[pc.drop_null(indices).to_numpy(zero_copy_only=False)]
    return valid


def _bulk(
    candidates: Sequence[str] | pa.Array | pa.ChunkedArray,
    deciders: tuple[Callable[[pa.Array], tuple[np.ndarray, np.ndarray]], ...],
    check: Callable[[str], bool],
) -> np.ndarray:
    """`check` over a column: each decider in turn answers what it can in Arrow for the cells
    still open; `check` runs on the distinct values none decided (on every distinct value of a
    short column)."""
    if isinstance(candidates, pa.ChunkedArray):
        candidates = candidates.combine_chunks()
    if len(candidates) < _ARROW_MIN_CELLS:
        values = candidates.to_pylist() if isinstance(candidates, pa.Array) else candidates
        answers: dict[str, bool] = {}
        return np.fromiter(
            (v is not None and (answers[v] if v in answers else answers.setdefault(v, check(v))) for v in values),
            dtype=bool,
            count=len(values),
        )
    column = as_arrow(candidates)
    decided, valid = _arrow_verdicts(column, deciders)
    still_open = np.flatnonzero(~decided)
    valid[still_open] = _distinct_answers(column, still_open, check)
    return valid


def _arrow_verdicts(
    column: pa.Array, deciders: tuple[Callable[[pa.Array], tuple[np.ndarray, np.ndarray]], ...]
) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) over a column: each decider in turn answers what it can for the cells
    still open."""
    decided = np.zeros(len(column), dtype=bool)
    valid = np.zeros(len(column), dtype=bool)
    still_open = np.arange(len(column))
    for decide in deciders:
        cells = column if len(still_open) == len(column) else pc.take(column, pa.array(still_open))
        now, answers = decide(cells)
        decided[still_open[now]] = True
        valid[still_open[now]] = answers[now]
        still_open = still_open[~now]
        if not len(still_open):
            break
    return decided, valid


def _national_abroad_many(column: pa.Array) -> np.ndarray:
    """`_accepts_national_abroad` over a column: `is_valid_phone` in Arrow where it can be (True:
    accepted); the numbers it declines in Arrow go on to the checks abroad alone, the numbers it
    leaves open to the whole check, each distinct value once."""
    decided, valid = _arrow_verdicts(column, (_fast_verdicts, _valid_phone_verdicts))
    still_open = np.flatnonzero(~decided)
    valid[still_open] = _distinct_answers(column, still_open, _accepts_national_abroad)
    declined = np.flatnonzero(decided & ~valid)
    if len(declined):
        valid[declined] = _bulk(pc.take(column, pa.array(declined)), (_abroad_verdicts,), _possible_or_valid_abroad)
    return valid


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

    def __init__(self, supported_language: str = "en", name: str | None = None):
        super().__init__(supported_language, name)
        # The base keeps a recognizer with its own accept_matches off the digit-template path
        # (the matches it passes there are None); this one reads the values alone
        # (ACCEPT_BY_VALUE), so the path stays open to it as long as nothing else is its own.
        if self._digit_table is None and self.ACCEPT_BY_VALUE and all(
            getattr(type(self), method) is getattr(PhoneRecognizer, method) for method in _TEMPLATE_SAFE
        ):
            self._digit_table = digit_translation(
                [p.regex for p in self.PATTERNS], (*self.CONTEXT, *self.NEGATIVE_CONTEXT)
            )

    def validate(self, candidate: str) -> bool:
        """A whole cell: a valid number, or the dashed 10-11 digit shape (`47-4575-6717`) that a
        phone column holds when a leading 0 was lost; dates (8 digits) and ids do not fit it."""
        cell = candidate.strip()
        return is_valid_phone(cell) or bool(_LOOSE_CELL.fullmatch(cell) and _loose_dashed(cell))

    def validate_many(self, candidates: Sequence[str] | pa.Array | pa.ChunkedArray) -> np.ndarray:
        """`validate` for a whole column: common shapes, lengths, starts, JP mobiles and the loose
        dashed shape in Arrow; landlines, foreign numbers and non-ASCII cells through `validate`,
        once per distinct value (libphonenumber's lru cache as before). A null is not valid."""
        return _bulk(candidates, (_fast_verdicts, _cell_verdicts), self.validate)

    def validate_field(self, candidates: Sequence[str] | pa.Array | pa.ChunkedArray, field_name: str | None):
        """In a column named for phones, a number that lost its leading 0 (Excel stores
        `09012345678` as the integer 9012345678) is a phone number when the 0 makes it valid."""
        if isinstance(candidates, pa.ChunkedArray):
            candidates = candidates.combine_chunks()
        valid = self.validate_many(candidates)
        if self.field_hint(field_name) > 0 and not valid.all():
            rest = np.flatnonzero(~valid)
            if isinstance(candidates, pa.Array):
                cells = pc.take(candidates, pa.array(rest))
            else:
                cells = [candidates[int(i)] for i in rest]
            valid[rest] = _bulk(cells, (_lost_zero_verdicts,), _lost_zero_valid)
        return valid

    def accept_matches(
        self, spec: PatternSpec, matches: Sequence[re.Match[str] | None], candidates: Sequence[str]
    ) -> np.ndarray:
        """`accept_match` for the matches of one pattern in many texts, with its answers: a short
        batch one by one as the base does; a longer one in Arrow (the digit count of the dashed
        shape; is_valid_phone's lengths, starts and JP mobiles), the rest through the Python
        checks once per distinct value. The matches are not read (ACCEPT_BY_VALUE)."""
        if len(candidates) < _ARROW_MIN_CELLS:
            return super().accept_matches(spec, matches, candidates)
        if spec.name == "dashed_with_context":
            return _bulk(candidates, (_loose_dashed_verdicts,), _loose_dashed)
        if spec.name == "national_abroad":
            return _national_abroad_many(as_arrow(candidates))
        return _bulk(candidates, (_fast_verdicts, _valid_phone_verdicts), is_valid_phone)

    def accept_match(self, spec: PatternSpec, match: re.Match[str], candidate: str) -> bool:
        """libphonenumber decides, except for the dashed shape that only context makes a phone;
        after a phone word, a national format valid in another country counts too."""
        if spec.name == "dashed_with_context":
            return _loose_dashed(candidate)
        if spec.name == "national_abroad":
            # the length check first: it is ~6x cheaper than the validity check and, for the
            # same answer (pure functions, or-ed), decides most numbers on its own
            return is_valid_phone(candidate) or is_possible_abroad(candidate) or is_valid_national_abroad(candidate)
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
