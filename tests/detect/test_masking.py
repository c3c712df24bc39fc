"""Masking rules: evidence keeps the shape of a value and nothing that identifies a person."""

import pytest

from scanner.detect.masking import Masked, mask, scrub
from scanner.model import Finding, Location

CASES = [
    ("CREDIT_CARD", "4111 1111 1111 1111", "4111 11** **** 1111"),
    ("CREDIT_CARD", "4111-1111-1111-1111", "4111-11**-****-1111"),
    ("CREDIT_CARD", "378282246310005", "378282*****0005"),
    ("PASSPORT_NUMBER", "TK1234567", "TK*****67"),
    ("JMB_NUMBER", "417532270", "41*****70"),
    ("JP_MY_NUMBER", "1234 5678 9012", "**** **** 9012"),
    ("CARD_SECURITY_CODE", "894", "***"),
    ("CARD_EXPIRATION", "07/31", "**/**"),
    ("EMAIL_ADDRESS", "kmyers@example.org", "k*****@example.org"),
    ("PERSON", "木村 陽一", "木* 陽*"),
    ("PHONE_NUMBER", "070-7439-1500", "070-****-**00"),
    ("CREDIT_CARD_MASKED", "410704******4127", "410704******4127"),
]


@pytest.mark.parametrize(("entity", "raw", "expected"), CASES)
def test_mask_rules(entity, raw, expected):
    masked = mask(entity, raw)
    assert isinstance(masked, Masked)
    assert masked == expected


def test_track_data_keeps_only_first6_last4_of_the_pan():
    masked = mask("CARD_TRACK_DATA", ";4241015604426188=29051017238395356177?")
    assert "4241015604426188" not in masked
    assert "29051017238395356177" not in masked
    assert masked.startswith(";424101")


def test_finding_refuses_unmasked_examples():
    with pytest.raises(TypeError):
        Finding("CREDIT_CARD", Location("x.csv"), 1, 1, 0.9, examples=("4111111111111111",))


@pytest.mark.parametrize(
    "message",
    [
        "could not convert '4111111111111111' to int",
        "bad value TK1234567 in row 3",
        "mail kmyers@example.org rejected",
        "connect to postgresql://app:s3cret@db/crm failed",
    ],
)
def test_scrub_removes_values_from_error_messages(message):
    cleaned = scrub(message)
    for secret in ("4111111111111111", "TK1234567", "kmyers@example.org", "s3cret"):
        assert secret not in cleaned
