"""The report-side guard masks raw identifiers and leaves everything else alone."""

from __future__ import annotations

import pytest

from scanner.report.redact import redact, redact_value

CASES = [
    # (input, expected output)
    ("4111111111111111", "411111******1111"),
    ("card: 4111 1111 1111 1111.", "card: 4111 11** **** 1111."),
    ("カード番号4111111111111111です", "カード番号411111******1111です"),
    ("４１１１１１１１１１１１１１１１", "411111******1111"),
    ("TK1234567", "TK*****67"),
    ("旅券 TK1234567 を確認", "旅券 TK*****67 を確認"),
    ("%B4111111111111111^YAMADA/TARO^2512101?", "%B411111******1111…"),
    (";4111111111111111=25121010000?", ";411111******1111…"),
    ("my number 123456789018", "my number ********9018"),
    # left alone: already masked, not check-digit valid, hashes, dates, phones, short ids
    ("411111******1111", "411111******1111"),
    ("4111111111111112", "4111111111111112"),
    ("order 20240101120000", "order 20240101120000"),
    ("9f86d081884c7d659a2feaa0c5411111111111111173bf4f1b2b0b822cd15d6c15b0f00a08",
     "9f86d081884c7d659a2feaa0c5411111111111111173bf4f1b2b0b822cd15d6c15b0f00a08"),
    ("2026-11-25T01:00:00+09:00", "2026-11-25T01:00:00+09:00"),
    ("090-1234-5678", "090-1234-5678"),
    ("TK*****67", "TK*****67"),
    ("bookings_2015", "bookings_2015"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_redact(text, expected):
    assert redact(text) == expected


def test_redact_value_walks_nested_documents():
    doc = {"a": ["4111111111111111", {"b": "TK1234567"}], "n": 3, "none": None}
    assert redact_value(doc) == {"a": ["411111******1111", {"b": "TK*****67"}], "n": 3, "none": None}
