"""Foreign phone numbers in their national format next to a phone word, extensions, and
numbers that an unrelated nearby word must not drop (issue #15)."""

from __future__ import annotations

import phonenumbers
import pytest

from recognizers.base import normalize
from recognizers.phone import FOREIGN_REGIONS, PhoneRecognizer, is_valid_national_abroad

REC = PhoneRecognizer()


def found(text: str) -> list[str]:
    return [h.value for h in REC.find(normalize(text))]


def _national(region: str, kind=phonenumbers.PhoneNumberType.MOBILE) -> str:
    example = phonenumbers.example_number_for_type(region, kind)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)


@pytest.mark.parametrize("region", ["US", "CN", "KR", "TW", "IL", "GB", "AU", "FR", "DE", "SG", "TH", "HK"])
@pytest.mark.parametrize("template", ["tel={}", "phone: {}", "call back on {} please", "電話番号 {}", "mobile {}"])
def test_national_format_abroad_next_to_a_phone_word(region, template):
    number = _national(region)
    assert region in FOREIGN_REGIONS
    assert found(template.format(number)) == [number]


CASES = [
    # (text, numbers found)
    ("tel=(425) 882-9090", ["(425) 882-9090"]),
    ("tel: 425.882.9090", ["425.882.9090"]),
    ("call back on 010-1234-5678", ["010-1234-5678"]),
    ("連絡先 138 0013 8000", ["138 0013 8000"]),
    ("mobile 13800138000", ["13800138000"]),
    ("phone (425) 882-9090 x123", ["(425) 882-9090 x123"]),
    ("phone 425-882-9090 ext. 45", ["425-882-9090 ext. 45"]),
    ("+1 425 882 9090 x123", ["+1 425 882 9090 x123"]),
    # after a phone word, a number of a possible length even where the plan has no such range
    ("called from 678.493.2879x217 about", ["678.493.2879x217"]),
    ("called from +1-374-682-1237x899", ["+1-374-682-1237x899"]),
    ("tel: 001-309-366-9091", ["001-309-366-9091"]),
    ("called from (0113) 496 0955", ["(0113) 496 0955"]),
    ("called from +44(0)115 4960673", ["+44(0)115 4960673"]),
    ("tel: (03).2275.0142", ["(03).2275.0142"]),
    ("phone 1 (370) 478-9046", ["1 (370) 478-9046"]),
    ("call 0000000000", []),
    # words that are not about a phone in logs
    ("contact sync batch 25612396 rows=12", []),
    ("ring buffer size 123456789 bytes", []),
    ("call_id=4258829090 duration_ms=12", []),
    ("retry call to service v2.10.35 took 5123 ms", []),
    ("代表 03-1234-5678 内線123", ["03-1234-5678 内線123"]),
    # a Japanese particle may touch the number
    ("電話番号は03-1234-5678です", ["03-1234-5678"]),
    ("連絡先090-1234-5678まで", ["090-1234-5678"]),
    ("予約番号ABC03-1234-5678", []),
    # without a phone word a national format abroad is just digits
    ("ref (425) 882-9090", []),
    ("amount 425.882.9090", []),
    ("build 2023-06-14 ok", []),
    # an unrelated word nearby does not drop a number valid on its own
    ("パスポート TK1234567 090-1234-5678", ["090-1234-5678"]),
    ("member since 2019, 090-1234-5678", ["090-1234-5678"]),
    ("passport checked; +81 90-1234-5678", ["+81 90-1234-5678"]),
    # a negative word that labels the number itself still does
    ("予約番号 03-1234-5678", []),
    ("booking no. 03-1234-5678", []),
    ("order: 090-1234-5678", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_cases(text, expected):
    assert found(text) == expected


def test_a_number_invalid_everywhere_is_refused():
    assert not is_valid_national_abroad("000-000-0000")
    assert all(h.score < 0.5 for h in REC.find("tel 000-000-0000"))  # below the engine's free-text bar
