"""EMAIL_ADDRESS: offline validation, text and column detection, field hints, prefilter, Presidio."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from recognizers.email import EmailRecognizer, is_valid_email, is_valid_email_many
from tests.recognizers.conftest import RecognizerContract

REC = EmailRecognizer()


@pytest.mark.parametrize(
    "value, valid",
    [
        ("kyamazaki@example.net", True), ("sasakiyasuhiro@example.com", True), ("first.last+tag@mail.co.jp", True),
        ("o'neil@example.org", True), ("user@xn--eckwd4c7c.xn--zckzah", True), ("a@b.io", True),
        ("user@localhost", False), (".user@example.com", False), ("user.@example.com", False), ("us..er@example.com", False),
        ("user@-example.com", False), ("user@example", False), ("icon@2x.png", False), ("@example.com", False),
        ("a" * 65 + "@example.com", False), ("user@example.c0m", False),
    ],
)  # fmt: skip
def test_validator(value: str, valid: bool) -> None:
    assert is_valid_email(value) is valid


def test_validate_many_matches_validate_on_random_strings() -> None:
    """The Arrow validator gives the scalar one's answers, on shapes near every rule (dots,
    hyphens, label and local-part lengths, file extensions, IDN, non-ASCII letters)."""
    rng = random.Random(20261125)
    values = ["".join(rng.choices("abAB09._-+@'%xn-ｊé", k=rng.randint(0, 20))) for _ in range(20_000)]
    locals_ = ["", ".", "a.", "a..b", "x" * 64, "x" * 65, "user", "o'neil", "a@b"]
    domains = ["", "ex", "-ex.com", "ex-.com", "a.b", "example.com", "x.png", "x.JP", "x.xn--p1ai", "a..b",
               "b." + "c" * 63, "b." + "c" * 64, "é.jp", "x.ｊｐ", "x.c0m", "x." + "y" * 250]
    values += [f"{rng.choice(locals_)}@{rng.choice(domains)}" for _ in range(20_000)]
    expected = [is_valid_email(v) for v in values]
    assert is_valid_email_many(values).tolist() == expected
    assert is_valid_email_many(pa.chunked_array([values[:5], values[5:]])).tolist() == expected
    assert 0 < sum(expected) < len(values)  # both outcomes exercised
    cells = [" mailto:User@Example.com ", "MAILTO:a@b.jp", "a@b.png", "", "x@y.com"]
    assert REC.validate_many(cells).tolist() == [REC.validate(c) for c in cells]


FIND_CASES = [
    ("Please email the e-ticket to kyamazaki@example.net", ["kyamazaki@example.net"]),
    ("Please email the e-ticket to haruka47@example.net.", ["haruka47@example.net"]),
    ("2026-10-24T21:42:25Z INFO user login email=kmyers@example.org", ["kmyers@example.org"]),
    ("メール：ｔａｎａｋａ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ までご連絡ください", ["tanaka@example.co.jp"]),
    ("連絡先はsuzuki.hanako@example.jpです", ["suzuki.hanako@example.jp"]),
    ("<a href='mailto:info@example.com'>", ["info@example.com"]),
    ("two: a@example.com, b@example.org", ["a@example.com", "b@example.org"]),
    ("icon@2x.png and logo@3x.jpg", []),
    ("ssh git@localhost", []),
    ("Tour HKD-715 is sold out on 2023-06-14; offered alternative.", []),
    ("@mention on twitter", []),
]


def test_column_values_alone_decide() -> None:
    cells = ["sasakiyasuhiro@example.com", "tanakamomoko@example.com", "icon@2x.png", "mailto:x@example.org"]
    assert REC.validate_many(cells).tolist() == [True, True, False, True]
    assert not REC.CONTEXT_REQUIRED


class TestEmail(RecognizerContract):
    recognizers = (REC,)
    find_cases = FIND_CASES
    field_hint_cases = [
        ("email", 1), ("e_mail", 1), ("EmailAddress", 1), ("traveler.contact.email", 1), ("mail", 1),
        ("メールアドレス", 1), ("メアド", 1), ("mail送信先", 1), ("email_verified", -1), ("mail_server", -1),
        ("hotel", 0), ("mailbox", 0),
    ]  # fmt: skip
    # an address is specific enough on its own: any column, no hint needed
    cell_cases = [
        ("millerjohn@example.net", None, True), ("mailto:millerjohn@example.net", "contact", True),
        ("not an email", "email", False), ("a@b", "email", False), ("user@example.com extra", "email", False),
        ("icon@2x.png", "email", False),
    ]  # fmt: skip
    presidio_cases = [
        (
            "メール：ｔａｎａｋａ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ まで",
            [("EMAIL_ADDRESS", "ｔａｎａｋａ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ")],
        ),
    ]
