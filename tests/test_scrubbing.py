"""The one scrubber (scanner.scrubbing): names keep their shape, messages and logs lose every value."""

from __future__ import annotations

import io
import logging

import pytest

from scanner.detect import masking
from scanner.logs import scrub_handlers
from scanner.scrubbing import ScrubFilter, scrub, scrub_name
from scanner.sources.base import SourceError

CARD = "4532011475538514"

NAMES = [  # (raw name, scrubbed name)
    ("refund_4532011475538514.csv", "refund_4532********8514.csv"),
    ("4532011475538514.csv", "4532********8514.csv"),
    ("4532.0114.7553.8514", "4532.****.****.8514"),
    ("4532/0114/7553/8514", "4532/****/****/8514"),
    ("4532_0114_7553_8514", "4532_****_****_8514"),
    ("4532,0114,7553,8514", "4532,****,****,8514"),
    ("4532 0114 7553 8514", "4532 **** **** 8514"),
    ("4532-0114-7553-8514", "4532-****-****-8514"),
    ("４５３２０１１４７５５３８５１４.csv", "4532********8514.csv"),
    ("ｒｅｆｕｎｄ＿４５３２０１１４７５５３８５１４.csv", "ｒｅｆｕｎｄ＿4532********8514.csv"),
    ("TK1234567", "TK*****67"),
    ("tk 1234567", "tk *****67"),
    ("passport_TK1234567.xlsx", "passport_TK*****67.xlsx"),
    ("ＴＫ１２３４５６７", "TK*****67"),
    ("kmyers@example.org.csv", "k*****@example.org.csv"),
    ("123456789012", "********9012"),  # 12 digits (My Number): last 4 only
    ("abc4532011475538514def0", "abc4532********8514def0"),  # a valid card inside a hex-looking token
    ("tel_03-1234-5678", "tel_03-****-**78"),
    # left alone: what operators need and what is no identifier
    ("customers.csv", "customers.csv"),
    ("2026-12-05T030250Z-run3", "2026-12-05T030250Z-run3"),
    ("export_123456.csv", "export_123456.csv"),
    ("traveler.passport.number", "traveler.passport.number"),
    ("127.0.0.1:5432", "127.0.0.1:5432"),
    ("fp 3f2a9b1234567890abcdef1234567890abcdef12", "fp 3f2a9b1234567890abcdef1234567890abcdef12"),
    ("postgresql+psycopg://postgres@127.0.0.1:5432/db", "postgresql+psycopg://postgres@127.0.0.1:5432/db"),
    ("参加者名簿", "参加者名簿"),
    ("piiscan_test_5dc58835542c", "piiscan_test_5dc58835542c"),  # a generated id, no card
    ("tenant-3f2a9b12-4c5d-4e6f-8a9b-123456789abc", "tenant-3f2a9b12-4c5d-4e6f-8a9b-123456789abc"),
]


@pytest.mark.parametrize(("raw", "expected"), NAMES)
def test_scrub_name_keeps_the_shape(raw, expected):
    assert scrub_name(raw) == expected
    assert scrub_name(expected) == expected  # idempotent: scrubbing twice changes nothing


MESSAGES = [  # (message, what must not survive)
    ("could not convert '4111111111111111' to int", "4111111111111111"),
    ("bad value 4532.0114.7553.8514 in row 3", "0114.7553"),
    ("bad value 4532/0114/7553/8514", "0114/7553"),
    ("bad value 4532_0114_7553_8514", "0114_7553"),
    ("bad value 4532,0114,7553,8514", "0114,7553"),
    ("bad value ４５３２０１１４７５５３８５１４", "０１１４"),
    ("bad value TK1234567 in row 3", "TK1234567"),
    ("bad value tk 1234567 in row 3", "1234567"),
    ("mail kmyers@example.org rejected", "kmyers@"),
    ("connect to postgresql://app:s3cret@db/crm failed", "s3cret"),
    ("connect to weird+scheme://app:s3cret@db/crm failed", "s3cret"),
    ("dsn host=db password=s3cret user=app", "s3cret"),
    ("dsn host=db db_password=s3cret user=app", "s3cret"),
]


@pytest.mark.parametrize(("message", "secret"), MESSAGES)
def test_scrub_removes_values_from_messages(message, secret):
    assert secret not in scrub(message)
    assert masking.scrub is scrub  # one scrubber: the old import path is the same function


def test_scrub_caps_length_after_masking():
    message = "x" * 295 + CARD
    cleaned = scrub(message)
    assert len(cleaned) == 300
    assert "45320114" not in cleaned and "7553" not in cleaned


def test_source_error_and_dataset_names_are_scrubbed():
    error = SourceError(f"in/{CARD}.csv", f"Row 3: '{CARD}'", table="TK1234567")
    assert CARD not in str(error) and "TK1234567" not in str(error)
    assert error.source == "in/4532********8514.csv"


def test_log_filter_scrubs_message_args_and_traceback():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ScrubFilter())
    logger = logging.getLogger("piiscan.test.scrub")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        logger.debug("table %s column %s", CARD, "TK1234567")
        try:
            raise ValueError("cannot parse 4532.0114.7553.8514 for kmyers@example.org")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "4532********8514" in text
    for secret in (CARD, "TK1234567", "0114.7553", "kmyers@"):
        assert secret not in text


def test_setup_installs_the_filter_on_every_handler():
    handler = logging.StreamHandler(io.StringIO())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        scrub_handlers()
        assert any(isinstance(f, ScrubFilter) for f in handler.filters)
        assert any(isinstance(f, ScrubFilter) for f in logging.lastResort.filters)
        scrub_handlers()
        assert sum(isinstance(f, ScrubFilter) for f in handler.filters) == 1
    finally:
        root.removeHandler(handler)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("gateway_settlement_20261101.tsv", "gateway_settlement_20261101.tsv"),  # a date names the export
        ("export_20261101_0300.csv", "export_20261101_0300.csv"),
        ("app_2026.11.01.log", "app_2026.11.01.log"),
        ("refund_20261399.csv", "refund_20****99.csv"),  # no 13th month: not a date, masked
        ("export_20261101_9999.csv", "export_********_9999.csv"),  # 9999 is no time: 12 digits, last 4 kept
    ],
)
def test_dates_in_names_stay_readable(name, shown):
    assert scrub_name(name) == shown
