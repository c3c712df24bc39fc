"""DATE_OF_BIRTH: birth dates (生年月日).

A date is only personal data when it is someone's birth date, and a travel
company's data is full of other dates (departure, return, passport expiry,
created_at). So a date is reported only next to a context word (生年月日,
誕生日, 生まれ, birth, born, DOB) in text, and only in a field whose name says
so (birth_date, dob, 生年月日, seinengappi, ...) in a column
(`CONTEXT_REQUIRED`).

Forms: ISO and slashed (`2006-11-19`, `1973/05/10`, `1973.5.10`), compact
(`19730510`), Japanese (`1973年5月10日`), Japanese era (wareki: `昭和48年5月10日`,
`S48.5.10`, `平成元年1月8日`), day-month-name-year (`10 May 1973`,
`May 10, 1973`) and day-first / month-first numeric (`10/05/1973`). The
validator turns each into a real calendar date and accepts 1900-01-01..today.

Era start dates: 明治 1868, 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08,
令和 2019-05-01 (元号法; https://www.cao.go.jp/).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from stdnum.exceptions import InvalidFormat

from recognizers import masks
from recognizers.base import PatternSpec, PiiRecognizer, normalize
from recognizers.bulk import as_arrow, fullmatch_many
from recognizers.spec import EntitySpec

_ERAS = {
    "明治": 1867,
    "M": 1867,
    "大正": 1911,
    "T": 1911,
    "昭和": 1925,
    "S": 1925,
    "平成": 1988,
    "H": 1988,
    "令和": 2018,
    "R": 2018,
}
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ],
        start=1,
    )  # fmt: skip
    for m in names.split()
}
_MONTH_RE = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_D = r"(?<![\d.])"
_E = r"(?![\d])"

_PARSERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), order)
    for p, order in (
        (
            r"^(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T]00:00(?::00)?(?:\.0+)?)?$",
            "ymd",
        ),
        (r"^(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)$", "ymd"),
        (r"^(?P<y>\d{4}) ?年 ?(?P<m>\d{1,2}) ?月 ?(?P<d>\d{1,2}) ?日?$", "ymd"),
        (
            r"^(?P<era>明治|大正|昭和|平成|令和|[MTSHR]) ?(?P<y>\d{1,2}|元) ?(?:年|[-/.]) ?(?P<m>\d{1,2}) ?(?:月|[-/.]) ?(?P<d>\d{1,2}) ?日?$",
            "era",
        ),
        (r"^(?P<d>\d{1,2})(?:st|nd|rd|th)? (?P<mon>[A-Za-z]+)\.?,? (?P<y>\d{4})$", "dmy"),
        (r"^(?P<mon>[A-Za-z]+)\.? (?P<d>\d{1,2})(?:st|nd|rd|th)?,? (?P<y>\d{4})$", "dmy"),
        (r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>(?:19|20)\d\d)$", "ab"),
    )
)


def parse_birth_date(candidate: str, today: dt.date | None = None) -> dt.date | None:
    """The calendar date `candidate` denotes, if it is a plausible birth date (1900..today).

    `10/05/1973` is read day-first, then month-first if that is the only valid reading.
    """
    text = normalize(candidate).strip()
    today = today or dt.date.today()
    for regex, order in _PARSERS:
        m = regex.match(text)
        if not m:
            continue
        g = m.groupdict()
        if order == "era":
            year = 1 if g["y"] == "元" else int(g["y"])
            options = [
                (_ERAS[g["era"].upper() if len(g["era"]) == 1 else g["era"]] + year, int(g["m"]), int(g["d"]))
            ]
        elif order == "dmy":
            month = _MONTHS.get(g["mon"].lower().rstrip("."))
            if month is None:
                return None
            options = [(int(g["y"]), month, int(g["d"]))]
        elif order == "ab":
            options = [(int(g["y"]), int(g["b"]), int(g["a"])), (int(g["y"]), int(g["a"]), int(g["b"]))]
        else:
            options = [(int(g["y"]), int(g["m"]), int(g["d"]))]
        for y, mo, d in options:
            try:
                date = dt.date(y, mo, d)
            except ValueError:
                continue
            if dt.date(1900, 1, 1) <= date <= today:
                return date
        return None
    return None


def is_valid_birth_date(candidate: str) -> bool:
    return parse_birth_date(candidate) is not None


def validate(value: str) -> dt.date:
    """The date; InvalidFormat when `value` is no date written in a known way, or not a
    plausible birth date (1900 to today)."""
    date = parse_birth_date(value)
    if date is None:
        raise InvalidFormat("not a date of birth (a known format, 1900 to today)")
    return date


is_valid = is_valid_birth_date


SPEC = EntitySpec(label_en="Date of birth", label_ja="生年月日", category="identity", mask=masks.Keep(2, 0))


class DateOfBirthRecognizer(PiiRecognizer):
    """Dates that are birth dates: by a context word in text, by the field name in a column."""

    ENTITY = "DATE_OF_BIRTH"
    SPEC: ClassVar[EntitySpec] = SPEC
    # Every accepted form has a run of 1-4 digits followed by a date separator, or 8 digits.
    PREFILTER = r"\d(?:[-/.年月]| ?[A-Za-z])|\d{8}|[A-Za-z]\.? \d{1,2}"
    PATTERNS = (
        PatternSpec("iso", rf"{_D}(?P<value>(?:19|20)\d\d[-/.]\d{{1,2}}[-/.]\d{{1,2}}){_E}", 0.3),
        PatternSpec("kanji", rf"{_D}(?P<value>\d{{4}} ?年 ?\d{{1,2}} ?月 ?\d{{1,2}} ?日){_E}", 0.35),
        PatternSpec(
            "wareki",
            r"(?P<value>(?:明治|大正|昭和|平成|令和) ?(?:\d{1,2}|元) ?年 ?\d{1,2} ?月 ?\d{1,2} ?日"
            r"|(?<![A-Za-z])[MTSHR] ?\d{1,2}[-/.]\d{1,2}[-/.]\d{1,2}(?![\d/.]))",
            0.35,
        ),
        PatternSpec(
            "day_month_name", rf"(?<!\w)(?P<value>\d{{1,2}}(?:st|nd|rd|th)? {_MONTH_RE},? \d{{4}}){_E}", 0.3
        ),
        PatternSpec(
            "month_name_day", rf"(?<!\w)(?P<value>{_MONTH_RE} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}){_E}", 0.3
        ),
        PatternSpec("numeric_dmy", rf"{_D}(?P<value>\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)\d\d){_E}", 0.25),
        PatternSpec("compact", rf"{_D}(?P<value>(?:19|20)\d{{6}}){_E}", 0.2),
    )
    VALUE_PATTERN = (
        r"^(?:(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]00:00(?::00)?(?:\.0+)?)?|(?:19|20)\d{6}"
        r"|\d{4} ?年 ?\d{1,2} ?月 ?\d{1,2} ?日?|(?:明治|大正|昭和|平成|令和|[MTSHR]) ?(?:\d{1,2}|元) ?(?:年|[-/.]) ?\d{1,2} ?(?:月|[-/.]) ?\d{1,2} ?日?"
        r"|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d|\d{1,2} [A-Za-z]{3,9}\.?,? \d{4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})$"
    )
    CONTEXT = (
        "birth", "born", "dob", "d.o.b", "birthday", "birthdate", "生年月日", "誕生日", "生まれ", "生誕", "出生",
        "seinengappi", "tanjobi", "date of birth", "b-day", "bday",
    )  # fmt: skip
    NEGATIVE_CONTEXT = ("expiry", "expires", "有効期限", "発行日", "出発", "帰国", "depart", "return")
    CONTEXT_REQUIRED = True
    CONTEXT_CHARS_BEFORE = 30
    MIN_SCORE = 0.5
    FIELD_HINTS = (
        r"birth|(?:^|_)(?:dob|d_o_b|bday|b_day|birthday|seinengappi|tanjobi|tanjoubi|born(?:_on|_at)?)(?:$|_)",
        r"生年月日|誕生日|生まれ|出生",
    )
    FIELD_NEGATIVE_HINTS = (
        r"(?:^|_)(?:birth_?place|place_of_birth|birth_?country|country_of_birth|birth_?city)(?:$|_)",
        r"出生地",
    )

    def validate(self, candidate: str) -> bool:
        return is_valid_birth_date(candidate)

    def validate_many(self, candidates):
        """Whole-column check: ISO cells parsed in Arrow in one pass, the other forms one by one."""
        column = pc.utf8_trim_whitespace(as_arrow(candidates))
        iso = fullmatch_many(column, r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T]00:00(?::00)?(?:\.0+)?)?")
        head = pc.utf8_slice_codeunits(column, 0, 10)
        parsed = pc.strptime(head, format="%Y-%m-%d", unit="s", error_is_null=True)
        # Arrow rolls 2023-02-30 over to March 2nd: a real date prints back as it was written
        real = pc.fill_null(pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), head), False)
        today = dt.datetime.combine(dt.date.today(), dt.time())
        in_range = pc.and_(pc.greater_equal(parsed, pa.scalar(dt.datetime(1900, 1, 1), pa.timestamp("s"))),
                           pc.less_equal(parsed, pa.scalar(today, pa.timestamp("s"))))
        result = iso & pc.and_(pc.fill_null(in_range, False), real).to_numpy(zero_copy_only=False)
        other = ~fullmatch_many(column, r"[0-9]{4}-[0-9]{2}-[0-9]{2}.*")
        for i in np.flatnonzero(other):
            value = column[int(i)].as_py()
            result[i] = value is not None and is_valid_birth_date(value)
        return result
