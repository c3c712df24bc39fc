"""DATE_OF_BIRTH: calendar validation, wareki, required context, field hints, prefilter, Presidio."""

from __future__ import annotations

import datetime as dt

import pytest

from recognizers.base import normalize
from recognizers.date_of_birth import DateOfBirthRecognizer, parse_birth_date
from tests.recognizers.conftest import RecognizerContract, prefilter_matches

REC = DateOfBirthRecognizer()


@pytest.mark.parametrize(
    "value, date",
    [
        ("2006-11-19", dt.date(2006, 11, 19)), ("1973/05/10", dt.date(1973, 5, 10)), ("1973.5.10", dt.date(1973, 5, 10)),
        ("19730510", dt.date(1973, 5, 10)), ("1973年5月10日", dt.date(1973, 5, 10)), ("１９７３年５月１０日", dt.date(1973, 5, 10)),
        ("昭和48年5月10日", dt.date(1973, 5, 10)), ("S48.5.10", dt.date(1973, 5, 10)), ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("令和2年4月1日", dt.date(2020, 4, 1)), ("10 May 1973", dt.date(1973, 5, 10)), ("May 10, 1973", dt.date(1973, 5, 10)),
        ("10/05/1973", dt.date(1973, 5, 10)),  # day first
        ("05/31/1973", dt.date(1973, 5, 31)),  # only month-first is a date
        ("2023-02-30", None), ("1899-12-31", None), ("2999-01-01", None), ("19731310", None), ("May 32, 1973", None),
        ("Foo 10, 1973", None), ("734241624", None), ("", None),
    ],
)  # fmt: skip
def test_parse(value: str, date: dt.date | None) -> None:
    assert parse_birth_date(value) == date


def test_future_is_rejected_relative_to_today() -> None:
    assert parse_birth_date("2020-01-01", today=dt.date(2019, 12, 31)) is None


FIND_CASES = [
    ("生年月日: 2006-11-19", ["2006-11-19"]),
    ("生年月日：１９７３年５月１０日", ["1973年5月10日"]),
    ("誕生日は昭和48年5月10日です", ["昭和48年5月10日"]),
    ("昭和48年5月10日生まれ", ["昭和48年5月10日"]),
    ("DOB 19730510", ["19730510"]),
    ("born on 10 May 1973 in Osaka", ["10 May 1973"]),
    ("Date of birth: May 10, 1973", ["May 10, 1973"]),
    ("birth_date=1973/05/10 passport=TK7439150", ["1973/05/10"]),
    # no context: a date is not a birth date
    ("Tour HKD-715 is sold out on 2023-06-14; offered alternative.", []),
    ("出発日 2024-12-12", []),
    ("2006-11-19", []),
    # context, but not a real or plausible date
    ("生年月日: 2023-02-30", []),
    ("生年月日: 1850-01-01", []),
    # another date's context wins
    ("passport expiry 2027-02-17 (holder born 1973)", []),
    # the nearest context word decides
    ("生年月日:1973/05/10、出発日:2024/12/12", ["1973/05/10"]),
    ("date_of_birth=1973-05-10", ["1973-05-10"]),
]


CELLS = [
    "2006-11-19",
    "1973/05/10",
    "19730510",
    "1973年5月10日",
    "昭和48年5月10日",
    "10/05/1973",
    "10 May 1973",
    "1973-05-10 00:00:00",
]


def test_value_pattern_admits_every_form() -> None:
    assert all(prefilter_matches(REC.VALUE_PATTERN, [normalize(c) for c in CELLS]))
    assert not any(prefilter_matches(REC.VALUE_PATTERN, ["JL555", "734241624", "2026-10-06T03:31:35Z"]))


def test_validate_many_agrees_with_validate() -> None:
    cells = [
        *CELLS,
        "2023-02-30",
        "1899-01-01",
        "2999-01-01",
        "1973-5-10",
        "not a date",
        "2024-01-24 23:15:58",
    ]
    assert REC.validate_many(cells).tolist() == [REC.validate(c) for c in cells]
    assert REC.validate_many(cells).tolist() == [True] * 8 + [False, False, False, True, False, False]


def test_context_is_required() -> None:
    assert REC.CONTEXT_REQUIRED


class TestDateOfBirth(RecognizerContract):
    recognizers = (REC,)
    find_cases = FIND_CASES
    field_hint_cases = [
        ("birth_date", 1), ("date_of_birth", 1), ("dob", 1), ("DOB", 1), ("birthday", 1), ("BirthDate", 1),
        ("dateOfBirth", 1), ("bday", 1), ("生年月日", 1), ("誕生日", 1), ("seinengappi", 1), ("traveler.birth", 1),
        ("birth_place", -1), ("出生地", -1), ("depart_date", 0), ("created_at", 0), ("passport_expiry", 0),
    ]  # fmt: skip
    cell_cases = [
        *((cell, "birth_date", True) for cell in CELLS),
        ("2999-01-01", "dob", False),
        ("JL555", "dob", False),
        ("2026-10-06T03:31:35Z", "dob", False),
    ]
    presidio_cases = [
        ("生年月日：１９７３／０５／１０、出発日：２０２４／１２／１２", [("DATE_OF_BIRTH", "１９７３／０５／１０")]),
    ]
