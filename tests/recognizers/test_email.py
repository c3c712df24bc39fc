"""EMAIL_ADDRESS: offline validation, text and column detection, field hints, prefilter, Presidio."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from recognizers.base import normalize
from recognizers.email import EmailRecognizer, is_valid_email
from scanner.detect.masking import mask
from tests.recognizers.test_passport import build_offline_analyzer, found, prefilter_matches

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


@pytest.mark.parametrize("text, expected", FIND_CASES)
def test_find(text: str, expected: list[str]) -> None:
    assert found(REC, text) == expected


def test_prefilter_is_a_superset_of_find() -> None:
    texts = [normalize(t) for t, expected in FIND_CASES if expected] + ["a_@example.com", "x+y@example.com"]
    assert all(prefilter_matches(REC.PREFILTER, texts))


@pytest.mark.parametrize(
    "cell, shape",
    [("millerjohn@example.net", True), ("mailto:millerjohn@example.net", True), ("not an email", False),
     ("a@b", False), ("user@example.com extra", False)],
)  # fmt: skip
def test_value_pattern(cell: str, shape: bool) -> None:
    assert prefilter_matches(REC.VALUE_PATTERN, [cell]) == [shape]


def test_column_values_alone_decide() -> None:
    cells = ["sasakiyasuhiro@example.com", "tanakamomoko@example.com", "icon@2x.png", "mailto:x@example.org"]
    assert REC.validate_many(cells).tolist() == [True, True, False, True]
    assert not REC.CONTEXT_REQUIRED


@pytest.mark.parametrize(
    "field, hint",
    [("email", 1), ("e_mail", 1), ("EmailAddress", 1), ("traveler.contact.email", 1), ("mail", 1),
     ("メールアドレス", 1), ("email_verified", -1), ("mail_server", -1), ("hotel", 0)],
)  # fmt: skip
def test_field_hints(field: str, hint: int) -> None:
    assert REC.field_hint(field) == hint


def test_evidence_is_masked() -> None:
    for text, _ in FIND_CASES:
        for hit in REC.find(normalize(text)):
            assert hit.value not in mask(hit.entity_type, hit.value)


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> AnalyzerEngine:
    return build_offline_analyzer(tmp_path_factory.mktemp("spacy_blank_en"), EmailRecognizer())


def test_presidio_returns_original_offsets_for_fullwidth(analyzer: AnalyzerEngine) -> None:
    text = "メール：ｔａｎａｋａ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ まで"
    results = analyzer.analyze(text=text, language="en")
    assert [(r.entity_type, text[r.start : r.end]) for r in results] == [
        ("EMAIL_ADDRESS", "ｔａｎａｋａ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ")
    ]
