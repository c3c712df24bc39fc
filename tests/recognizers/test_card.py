"""Card data: PAN, masked PAN, expiry, security code, track data (recognizers.card)."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from stdnum import luhn

from recognizers.base import Hit, normalize
from recognizers.card import (
    IIN_RANGES,
    CardExpirationRecognizer,
    CardSecurityCodeRecognizer,
    CreditCardRecognizer,
    MaskedCardRecognizer,
    TrackDataRecognizer,
    card_brand,
    card_recognizers,
    is_masked_pan,
    is_track_data,
    is_valid_pan,
    is_valid_pan_many,
    parse_expiration,
    track1_name_span,
)
from tests.recognizers.conftest import RecognizerContract, cell_accepted, prefilter_matches

RECOGNIZERS = card_recognizers()
PAN = CreditCardRecognizer()
MASKED = MaskedCardRecognizer()
EXPIRY = CardExpirationRecognizer()
CVV = CardSecurityCodeRecognizer()
TRACK = TrackDataRecognizer()


def with_check_digit(body: str) -> str:
    """A Luhn-valid number from its first digits (stdnum is the reference)."""
    return body + luhn.calc_check_digit(body)


def hits(text: str) -> set[tuple[str, str]]:
    """(entity, value) for every hit of every card recognizer in `text`."""
    normalised = normalize(text)
    return {(h.entity_type, h.value) for r in RECOGNIZERS for h in r.find(normalised)}


# --- PAN validator -------------------------------------------------------------------------
# (number, brand or None when invalid)
PAN_CASES = [
    ("4111111111111111", "visa"),
    ("4012888888881881", "visa"),
    ("4222222222222", "visa"),  # 13 digits
    (with_check_digit("411111111111111111"), "visa"),  # 19 digits
    ("5555555555554444", "mastercard"),
    ("5410510304185029", "mastercard"),  # dev corpus log
    ("2221000000000009", "mastercard"),
    ("2720990000000007", "mastercard"),
    ("378282246310005", "amex"),
    ("349544862487086", "amex"),
    ("3530111333300000", "jcb"),
    ("3589656717697678", "jcb"),  # dev corpus log
    ("30569309025904", "diners"),
    ("36844778273655", "diners"),  # 14 digits, dev corpus log
    (with_check_digit("309500000000000"), "diners"),
    ("38520000023237", "diners"),
    ("6011111111111117", "discover"),
    ("6599016269666509", "discover"),
    (with_check_digit("644000000000000"), "discover"),
    ("6285253059892172", "unionpay"),  # dev corpus log
    ("4111 1111 1111 1111", "visa"),
    ("4111-1111-1111-1111", "visa"),
    ("3495 448624 87086", "amex"),
    ("3690 330920 3191", "diners"),
    ("４１１１１１１１１１１１１１１１", "visa"),  # full-width: NFKC in compact
    # invalid
    ("4111111111111112", None),  # Luhn
    ("2878527467960767", None),  # a request id from the logs (Luhn)
    ("1234567812345670", None),  # Luhn-valid, no scheme starts with 1
    (with_check_digit("222000000000000"), None),  # just below Mastercard 2-series
    (with_check_digit("272100000000000"), None),  # just above
    (with_check_digit("347993702053813"), None),  # Amex prefix, 16 digits (15 wanted)
    (with_check_digit("3479937020538"), None),  # Amex prefix, 14 digits
    (with_check_digit("41111111111111"), None),  # Visa, 15 digits
    (with_check_digit("6347501139834"), None),  # 6347: not Discover/UnionPay
    (with_check_digit("823456789012345"), None),
    ("411111111111", None),  # 12 digits
    (with_check_digit("41111111111111111111"), None),  # 21 digits
    ("4111x11111111111", None),
    ("", None),
]


@pytest.mark.parametrize("number, brand", PAN_CASES)
def test_pan_validator(number: str, brand: str | None) -> None:
    assert is_valid_pan(number) is (brand is not None)
    if brand is not None:
        assert card_brand(number) == brand


def test_validate_many_equals_validate_on_the_table() -> None:
    values = [normalize(n) for n, _ in PAN_CASES]
    assert PAN.validate_many(values).tolist() == [brand is not None for _, brand in PAN_CASES]


def test_validate_many_equals_stdnum_on_random_numbers() -> None:
    rng = random.Random(20261125)
    prefixes = (
        [str(r.low) for r in IIN_RANGES] + [str(r.high) for r in IIN_RANGES] + ["1", "7", "8", "9", "60"]
    )
    values = []
    for _ in range(30_000):
        body = rng.choice(prefixes) + "".join(rng.choices("0123456789", k=rng.randint(8, 18)))
        number = with_check_digit(body) if rng.random() < 0.5 else body
        if rng.random() < 0.2:
            number = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        values.append(number)
    reference = [
        bool(re.fullmatch("[0-9]{13,19}", v.replace(" ", "")))
        and luhn.is_valid(v.replace(" ", ""))
        and any(r.admits(v.replace(" ", ""), len(v.replace(" ", ""))) for r in IIN_RANGES)
        for v in values
    ]
    assert is_valid_pan_many(values).tolist() == reference
    assert 1000 < sum(reference) < len(values) - 1000  # both outcomes exercised


# --- masked PAN, expiry, track validators ------------------------------------------------------
@pytest.mark.parametrize(
    "value, valid",
    [
        ("410704******4127", True),
        ("346083*****3374", True),  # Amex first 6 / last 4
        ("364999****3034", True),  # Diners 14
        ("****-****-****-3374", True),
        ("XXXX-XXXX-XXXX-2301", True),
        ("xxxx xxxx xxxx 2301", True),
        ("•••• •••• •••• 4242", True),
        ("●●●●-●●●●-●●●●-1234", True),
        ("############1234", True),
        ("**** 1234", True),
        ("4107-04**-****-4127", True),
        ("＊＊＊＊－＊＊＊＊－＊＊＊＊－１２３４", True),  # full-width
        ("1234", False),  # a bare last four: only in a last-four field
        ("**1234", False),  # too few hidden digits to be a PAN
        ("999999******4127", False),  # no scheme starts with 99
        ("410704******41", False),
        ("4107041925******", False),  # last four hidden: not a masked PAN shape
        ("410704**19254127", False),  # more than four digits after the mask
    ],
)
def test_masked_validator(value: str, valid: bool) -> None:
    assert is_masked_pan(value) is valid
    assert MASKED.validate_many([normalize(value)]).tolist() == [valid]


@pytest.mark.parametrize(
    "value, parsed",
    [
        ("07/31", (2031, 7)),
        ("07/2031", (2031, 7)),
        ("7/31", (2031, 7)),
        ("12-26", (2026, 12)),
        ("2027/03", (2027, 3)),
        ("2027年3月", (2027, 3)),
        ("27年3月", (2027, 3)),
        ("03月/27年", (2027, 3)),
        ("13/27", None),
        ("00/27", None),
        ("2027/13", None),
        ("2027/03/15", None),
    ],
)
def test_parse_expiration(value: str, parsed: tuple[int, int] | None) -> None:
    assert parse_expiration(value) == parsed


@pytest.mark.parametrize(
    "value, valid",
    [
        (";4852994907589134=31011013444315796162?", True),
        ("4852994907589134=31011013444315796162", True),
        ("%B4111111111111111^DOE/JOHN^2512101000000000?", True),
        (";4852994907589135=31011013444315796162?", False),  # PAN fails Luhn
        (";4852994907589134=31131013444315796162?", False),  # month 13
        ("%B4111111111111112^DOE/JOHN^2512101?", False),
    ],
)
def test_track_validator(value: str, valid: bool) -> None:
    assert is_track_data(value) is valid


@pytest.mark.parametrize(
    "track, name",
    [
        ("%B4111111111111111^DOE/JOHN^2512101000000000?", "DOE/JOHN"),
        ("%B4176067385426498^YAMAMOTO/KENTA^3105101390228239270?", "YAMAMOTO/KENTA"),
        ("%B4111111111111111^DOE/JOHN.MR ^2512101000000000?", "DOE/JOHN"),  # title and padding dropped
        ("%B4111111111111111^ /^2512101000000000?", None),  # no name on the card
        (";4852994907589134=31011013444315796162?", None),  # track 2 has no name
    ],
)
def test_track1_name_span(track: str, name: str | None) -> None:
    span = track1_name_span(track)
    assert (track[slice(*span)] if span else None) == name


# --- find(): free text ---------------------------------------------------------------------
V = "4111111111111111"
A = "CREDIT_CARD"
M = "CREDIT_CARD_MASKED"
E = "CARD_EXPIRATION"
S = "CARD_SECURITY_CODE"
T = "CARD_TRACK_DATA"
P = "PERSON"
FIND_CASES = [
    # real lines from the dev corpus
    (
        "DEBUG gateway request pan=6285253059892172 exp=07/31 cvv=894",
        {(A, "6285253059892172"), (E, "07/31"), (S, "894")},
    ),
    (
        "DEBUG swipe raw=;4852994907589134=31011013444315796162?",
        {(T, ";4852994907589134=31011013444315796162?"), (A, "4852994907589134")},
    ),
    ("INFO request_id=2878527467960767 latency_ms=118", set()),
    (
        "Customer asked to update card on file, new card 3495 448624 87086 exp 03/31",
        {(A, "3495 448624 87086"), (E, "03/31")},
    ),
    ("new card 3690 330920 3191 exp 04/30", {(A, "3690 330920 3191"), (E, "04/30")}),
    (
        "gateway request pan=36844778273655 exp=02/32 cvv=653",
        {(A, "36844778273655"), (E, "02/32"), (S, "653")},
    ),
    # separators, full width, Japanese
    ("カード番号：４１１１－１１１１－１１１１－１１１１", {(A, "4111-1111-1111-1111")}),
    (
        "カード番号 4111 1111 1111 1111 有効期限 2027年3月 セキュリティコード：123",
        {(A, "4111 1111 1111 1111"), (E, "2027年3月"), (S, "123")},
    ),
    ("お支払いはクレジットカード（4111111111111111）でお願いします", {(A, V)}),
    ("Card number is 4111 1111 1111 1111, expires 12/2027.", {(A, "4111 1111 1111 1111"), (E, "12/2027")}),
    (f"{V}", {(A, V)}),  # no context: still a PAN (Luhn + IIN), lower score
    ("1,4111111111111111,12/27", {(A, V)}),  # a CSV line (no expiry word: the date is not an expiry)
    # negative context
    (f"request_id={V}", set()),
    (f"session={V}", set()),
    (f"order {V} shipped", set()),
    (f"tracking number {V}", set()),
    (f"sku: {V}", set()),
    (f"id={V}", set()),
    (f"user_id=12 pan={V}", {(A, V)}),  # the nearest word is a card word
    (f"注文番号 {V}", set()),
    # inside longer digit runs / other tokens
    (f"9{V}", set()),
    (f"{V}0123", set()),
    (f"1-{V}", set()),
    (f"{V}.5", set()),
    (f"ABC{V}", set()),
    ("4111-1111-1111-1111-2222", set()),
    ("4111111111111112", set()),  # Luhn fails
    ("1234567812345670", set()),  # Luhn-valid, not a scheme
    # masked
    ("card ****-****-****-3374 on file", {(M, "****-****-****-3374")}),
    ("card_masked=410704******4127", {(M, "410704******4127")}),
    ("カード XXXX-XXXX-XXXX-2301 で決済", {(M, "XXXX-XXXX-XXXX-2301")}),
    ("paid with **** 1234", {(M, "**** 1234")}),
    ("card ending in 1234", set()),  # a bare last four is never read from free text
    ("password: ******** 1234", set()),
    ("0x12345678", set()),
    # expiry needs its context
    ("depart 07/31 return 08/05", set()),
    ("有効期限 2027年3月", {(E, "2027年3月")}),
    ("有効期限：03月/27年", {(E, "03月/27年")}),
    ("valid thru 2027-03", {(E, "2027-03")}),
    ("passport expiry 2027/03", set()),
    ("パスポートの有効期限 2027年3月", set()),
    ("exp 2027/03/15", set()),  # a full date
    # security code needs its keyword
    ("CVC: 1234", {(S, "1234")}),
    ("CVV2 (123)", {(S, "123")}),
    ("security code is 456", {(S, "456")}),
    ("amount=894", set()),
    ("cvv=894 amount=1234", {(S, "894")}),
    ("cid=1234", set()),  # a customer id
    ("Amex card CID 1234", {(S, "1234")}),
    # track data
    # track 1 carries the cardholder's name: PERSON too
    (
        "%B4111111111111111^DOE/JOHN^2512101000000000?",
        {(T, "%B4111111111111111^DOE/JOHN^2512101000000000?"), (A, V), (P, "DOE/JOHN")},
    ),
    (
        "INFO [booking-api] swipe track1=%B4176067385426498^HASHIMOTO/SHOTA^3105101390228239270?",
        {(T, "%B4176067385426498^HASHIMOTO/SHOTA^3105101390228239270?"), (A, "4176067385426498"), (P, "HASHIMOTO/SHOTA")},
    ),
    (
        "swipe 4852994907589134=31011013444315796162",
        {(T, "4852994907589134=31011013444315796162"), (A, "4852994907589134")},
    ),
    ("ref 4852994907589134=31011013444315796162", {(A, "4852994907589134")}),  # no sentinel, no track word
    # keys: `_` reads as a space; a hyphen joins words
    (f"card_no={V}", {(A, V)}),
    (f"request_id={V}", set()),
    (f"[order-api] card {V}", {(A, V)}),
    ("card_cvv=123", {(S, "123")}),
    ("cvv_code: 123", {(S, "123")}),
]


@pytest.mark.parametrize(
    "text, entity, low, high",
    [
        (V, A, 0.5, 0.5),
        (f"card {V}", A, 0.85, 0.85),
        ("4111 1111 1111 1111", A, 0.6, 0.6),
        ("pan=6285253059892172", A, 0.85, 0.85),
        ("DEBUG swipe raw=;4852994907589134=31011013444315796162?", T, 1.0, 1.0),
    ],
)
def test_scores(text: str, entity: str, low: float, high: float) -> None:
    scores = [h.score for r in RECOGNIZERS for h in r.find(normalize(text)) if h.entity_type == entity]
    assert scores and low <= max(scores) <= high


def test_spans_point_at_the_value() -> None:
    text = normalize("DEBUG gateway request pan=6285253059892172 exp=07/31 cvv=894")
    hits = [hit for recognizer in RECOGNIZERS for hit in recognizer.find(text)]
    assert len(hits) >= 3  # the card, its expiry and its security code
    for hit in hits:
        assert text[hit.start : hit.end] == hit.value


def test_prefilter_screens_out_plain_text() -> None:
    texts = [
        "INFO booking JPK2026000001 confirmed flight=JL555 amount=786531",
        "出発日の変更について問い合わせ。",
    ]
    for recognizer in RECOGNIZERS:
        assert prefilter_matches(recognizer.PREFILTER, texts) == [False, False]


def test_random_valid_pans_are_found_and_prefiltered() -> None:
    rng = random.Random(7)
    for _ in range(300):
        iin = rng.choice(IIN_RANGES)
        length = rng.choice(iin.lengths)
        prefix = str(rng.randint(iin.low, iin.high))
        number = with_check_digit(prefix + "".join(rng.choices("0123456789", k=length - len(prefix) - 1)))
        text = f"pan={number} ok"
        assert (A, number) in hits(text)
        assert prefilter_matches(PAN.PREFILTER, [text]) == [True]


# --- whole cells and field names -------------------------------------------------------------------
CELL_CASES = [
    ("4107-0434-1925-4127", PAN, "card_number"),
    ("36806956042301", PAN, "card_number"),
    ("346083*****3374", MASKED, "card_number"),
    ("****-****-****-3374", MASKED, "card_last4"),
    ("364999****3034", MASKED, "card_masked"),
    ("11/27", EXPIRY, "card_expiry"),
    ("2027-03", EXPIRY, "有効期限"),
    ("2415", CVV, "cvv"),
    ("957", CVV, "CVC2"),
    (";4852994907589134=31011013444315796162?", TRACK, "track2"),
]


@pytest.mark.parametrize("cell, recognizer, field", CELL_CASES)
def test_value_patterns_and_hints(cell: str, recognizer, field: str) -> None:
    assert cell_accepted(recognizer, cell, field)
    assert recognizer.field_hint(field) == 1


def test_value_patterns_reject_other_cells() -> None:
    cells = ["JPK2026000001", "2026-06-25", "786531", "TK7439150", "sasakiyasuhiro@example.com"]
    for recognizer in (PAN, MASKED, EXPIRY, TRACK):
        assert not any(prefilter_matches(recognizer.VALUE_PATTERN, cells))


@pytest.mark.parametrize(
    "field, valid",
    [
        ("card_last4", True),
        ("CardLast4", True),
        ("カード下4桁", True),
        ("last_four", True),
        ("card_number", False),
        ("year", False),
        ("amount", False),
        (None, False),
    ],
)
def test_bare_last_four_only_in_a_last_four_field(field: str | None, valid: bool) -> None:
    cells = ["1234", "410704******4127", "2026"]
    assert prefilter_matches(MASKED.VALUE_PATTERN, cells) == [True] * 3
    assert MASKED.validate_many(cells).tolist() == [False, True, False]
    assert MASKED.validate_field(cells, field).tolist() == [valid, True, valid]


@pytest.mark.parametrize(
    "recognizer, field, expected",
    [
        (PAN, "card_number", 1),
        (PAN, "CardNo", 1),
        (PAN, "pan", 1),
        (PAN, "カード番号", 1),
        (PAN, "session_id", -1),
        (PAN, "sku", -1),
        (PAN, "card_masked", -1),
        (PAN, "card_last4", -1),
        (PAN, "tracking_no", -1),
        (PAN, "company", 0),
        (PAN, "japan_region", 0),
        (EXPIRY, "card_expiry", 1),
        (EXPIRY, "exp_date", 1),
        (EXPIRY, "passport_expiry", -1),
        (EXPIRY, "export_date", 0),
        (CVV, "cvv", 1),
        (CVV, "card_cvc", 1),
        (CVV, "customer_id", 0),
        (TRACK, "track2_data", 1),
        (TRACK, "tracking_no", -1),
        (MASKED, "card_last4", 1),
        (MASKED, "card_exp_year", -1),
    ],
)
def test_field_hints(recognizer, field: str, expected: int) -> None:
    assert recognizer.field_hint(field) == expected


# --- the shared contract: text, evidence, field names, cells, Presidio -----------------------
class TestCardData(RecognizerContract):
    recognizers = tuple(RECOGNIZERS)
    find_cases = FIND_CASES
    field_hint_cases = [
        ("card_number", 1), ("CardNo", 1), ("card_no", 1), ("pan", 1), ("カード番号", 1), ("session_id", -1),
        ("sku", -1), ("card_masked", -1), ("card_last4", -1), ("tracking_no", -1), ("company", 0),
        ("japan_region", 0),
    ]  # fmt: skip
    cell_cases = [
        ("4107-0434-1925-4127", "card_number", True), ("36806956042301", "card_no", True),
        ("３５３０－１１１３－３３３０－００００", "カード番号", True), ("4111111111111112", "card_number", False),
        ("4111111111111111", "session_id", False), ("JPK2026000001", "card_number", False),
    ]  # fmt: skip
    presidio_cases = [
        (
            "カード番号：４１１１　１１１１　１１１１　１１１１、有効期限：０３／２７、ＣＶＶ：１２３",
            [
                (A, "４１１１　１１１１　１１１１　１１１１"),
                (E, "０３／２７"),
                (S, "１２３"),
            ],
        ),
        (
            "DEBUG swipe raw=;4852994907589134=31011013444315796162?",
            [(T, ";4852994907589134=31011013444315796162?"), (A, "4852994907589134")],
        ),
        (
            "swipe %B4111111111111111^DOE/JOHN^2512101000000000?",
            [(T, "%B4111111111111111^DOE/JOHN^2512101000000000?"), (A, V), (P, "DOE/JOHN")],
        ),
        (f"INFO request_id={V} latency_ms=118", []),
    ]

    def found(self, text: str) -> set[tuple[str, str]]:
        return hits(text)

    def check_evidence(self, hit: Hit, evidence: str) -> None:
        """PCI DSS: a PAN shows at most its first six and last four digits, track data and
        security codes nothing past the PAN, a masked PAN no more than it already showed."""
        digits = re.sub(r"[^0-9]", "", evidence)
        if hit.entity_type in (A, T):
            pan = re.search(r"[0-9]{12,19}", re.sub(r"[ \-]", "", hit.value)).group(0)
            assert pan not in digits and len(digits) <= 10
        if hit.entity_type == T:
            assert hit.value.split("=")[-1].split("^")[-1].rstrip("?") not in evidence
        if hit.entity_type == S:
            assert digits == ""
        if hit.entity_type == M:
            assert len(digits) <= len(re.sub(r"[^0-9]", "", hit.value))
        if hit.entity_type in (E, P):
            super().check_evidence(hit, evidence)


def test_bulk_validation_on_a_large_column() -> None:
    """1M random 16-digit values in one call (the full-scan path): the share that passes is
    Luhn's one in ten times the share of known IINs, and a sample agrees with `is_valid_pan`.
    (Speed is measured by benchmarks/, not asserted here: timing asserts fail on a busy box.)"""
    rng = np.random.default_rng(3)
    values = (
        rng.integers(48, 58, size=(1_000_000, 16), dtype=np.uint8).view("S16").ravel().astype(str).tolist()
    )
    valid = is_valid_pan_many(values)
    assert 0.01 < valid.mean() < 0.1
    sample = range(0, len(values), 997)
    assert [bool(valid[i]) for i in sample] == [is_valid_pan(values[i]) for i in sample]
