"""MRZ: ICAO 9303 check digits, TD3/TD2/TD1 parsing, hits in text, Presidio path.

The `mrz` package (PyPI) is the reference: its generator builds valid zones and its
checker must agree with ours on every mutated check digit.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mrz.base.functions import hash_string
from mrz.checker.td3 import TD3CodeChecker
from mrz.generator.td3 import TD3CodeGenerator

from recognizers.base import normalize
from recognizers.mrz import MrzRecognizer, check_digit, is_valid, parse
from tests.recognizers.conftest import RecognizerContract, prefilter_matches

REC = MrzRecognizer()

JP_TD3 = "P<JPNYAMADA<<TARO<<<<<<<<<<<<<<<<<<<<<<<<<<<\nTK74391508JPN8001014M3001019<<<<<<<<<<<<<<06"
JP_TD3_OPTIONAL = "P<JPNSUZUKI<<HANAKO<<<<<<<<<<<<<<<<<<<<<<<<<\nMU87900938JPN9203158F3106305ABC123<<<<<<<<16"
ICAO_TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
ICAO_TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
ICAO_TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
# TD1 with a 12-character document number: '<' in the check position, overflow + check in optional data
LONG_TD1 = "I<UTOD23145890<AB33<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<8\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"


@pytest.mark.parametrize(
    "field, digit",
    [
        ("L898902C3", 6),
        ("740812", 2),
        ("120415", 9),
        ("ZE184226B<<<<<", 1),
        ("D23145890", 7),
        ("<<<<<<<<<", 0),
        ("TK7439150", 8),
        ("520727", 3),
    ],
)
def test_check_digit(field: str, digit: int) -> None:
    assert check_digit(field) == digit == int(hash_string(field))


@pytest.mark.parametrize("field", ["tk7439150", "TK-7439150", "ＴＫ"])
def test_check_digit_rejects_non_mrz_characters(field: str) -> None:
    with pytest.raises(ValueError, match="not an MRZ character"):
        check_digit(field)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<", min_size=1, max_size=30))
def test_check_digit_agrees_with_reference(field: str) -> None:
    assert check_digit(field) == int(hash_string(field))


@pytest.mark.parametrize(
    "text, kind, number, name",
    [
        (JP_TD3, "TD3", "TK7439150", "YAMADA<<TARO"),
        (JP_TD3.replace("\n", " "), "TD3", "TK7439150", "YAMADA<<TARO"),
        (JP_TD3.replace("\n", "\r\n"), "TD3", "TK7439150", "YAMADA<<TARO"),
        (JP_TD3_OPTIONAL, "TD3", "MU8790093", "SUZUKI<<HANAKO"),
        (ICAO_TD3, "TD3", "L898902C3", "ERIKSSON<<ANNA<MARIA"),
        (ICAO_TD2, "TD2", "D23145890", "ERIKSSON<<ANNA<MARIA"),
        (ICAO_TD1, "TD1", "D23145890", "ERIKSSON<<ANNA<MARIA"),
        (ICAO_TD1.replace("\n", "  "), "TD1", "D23145890", "ERIKSSON<<ANNA<MARIA"),
        (LONG_TD1, "TD1", "D23145890AB3", "ERIKSSON<<ANNA<MARIA"),
        (JP_TD3.split("\n")[1], "TD3_LINE2", "TK7439150", None),
    ],
)
def test_parse_valid(text: str, kind: str, number: str, name: str | None) -> None:
    fields = parse(text)
    assert fields is not None and is_valid(text)
    assert (fields.kind, fields.document_number) == (kind, number)
    assert (text[slice(*fields.name_span)] if fields.name_span else None) == name
    assert text[slice(*fields.number_span)] == number[:9]


def _replace(text: str, line: int, pos: int, new: str) -> str:
    lines = text.split("\n")
    lines[line] = lines[line][:pos] + new + lines[line][pos + 1 :]
    return "\n".join(lines)


def _bump(text: str, line: int, pos: int) -> str:
    ch = text.split("\n")[line][pos]
    return _replace(text, line, pos, str((int(ch) + 1) % 10) if ch.isdigit() else "1")


@pytest.mark.parametrize(
    "text",
    [
        _bump(JP_TD3, 1, 9),  # document number check
        _bump(JP_TD3, 1, 19),  # birth date check
        _bump(JP_TD3, 1, 27),  # expiry check
        _bump(JP_TD3_OPTIONAL, 1, 42),  # optional data check
        _bump(JP_TD3, 1, 43),  # composite check
        _replace(JP_TD3, 1, 2, "8"),  # number changed, check digits kept
        _replace(JP_TD3, 1, 15, "3"),  # birth month 13
        _bump(ICAO_TD2, 1, 9),
        _bump(ICAO_TD2, 1, 35),
        _bump(ICAO_TD1, 0, 14),
        _bump(ICAO_TD1, 1, 29),
        _bump(LONG_TD1, 0, 18),  # overflow check digit
        JP_TD3[:-1],  # one character short
        "",
    ],
)
def test_parse_invalid(text: str) -> None:
    assert parse(text) is None and not is_valid(text)
    # no number without its check digits; a TD3 line 1 still names the holder (at a lower score)
    assert all(h.entity_type == "PERSON" and h.pattern == "mrz_td3_line1" for h in REC.find(text))


@pytest.mark.parametrize("position", [9, 19, 27, 43])
def test_reference_checker_agrees_on_bad_check_digits(position: int) -> None:
    bad = _bump(JP_TD3, 1, position)
    assert bool(TD3CodeChecker(JP_TD3)) and is_valid(JP_TD3)
    assert not bool(TD3CodeChecker(bad)) and not is_valid(bad)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    surname=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=12),
    given_name=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=12),
    number=st.from_regex(r"\A[A-Z]{2}[0-9]{7}\Z"),
    birth=st.dates().map(lambda d: d.strftime("%y%m%d")),
    expiry=st.dates().map(lambda d: d.strftime("%y%m%d")),
    sex=st.sampled_from("MF"),
)
def test_generated_zones_are_found(
    surname: str, given_name: str, number: str, birth: str, expiry: str, sex: str
) -> None:
    zone = str(TD3CodeGenerator("P", "JPN", surname, given_name, number, "JPN", birth, sex, expiry, ""))
    text = f"scan result:\n{zone}\nend"
    hits = {(h.entity_type, text[h.start : h.end]) for h in REC.find(text)}
    assert hits == {("PASSPORT_NUMBER", number), ("PERSON", f"{surname}<<{given_name}")}
    assert prefilter_matches(MrzRecognizer.PREFILTER, [text]) == [True]


# (text, expected (entity, covered text) pairs). Positive rows are also prefilter vectors.
FIND_CASES = [
    (
        f"Scanned passport:\n{JP_TD3}\n(OCR ok)",
        {("PASSPORT_NUMBER", "TK7439150"), ("PERSON", "YAMADA<<TARO")},
    ),
    (
        f"旅券のMRZ: {JP_TD3.replace(chr(10), ' ')} を受領",
        {("PASSPORT_NUMBER", "TK7439150"), ("PERSON", "YAMADA<<TARO")},
    ),
    (f"mrz_line2={JP_TD3.split(chr(10))[1]}", {("PASSPORT_NUMBER", "TK7439150")}),
    (ICAO_TD1, {("PASSPORT_NUMBER", "D23145890"), ("PERSON", "ERIKSSON<<ANNA<MARIA")}),
    (ICAO_TD2, {("PASSPORT_NUMBER", "D23145890"), ("PERSON", "ERIKSSON<<ANNA<MARIA")}),
    (
        f"{JP_TD3}\n{ICAO_TD3}",
        {
            ("PASSPORT_NUMBER", "TK7439150"),
            ("PERSON", "YAMADA<<TARO"),
            ("PASSPORT_NUMBER", "L898902C3"),
            ("PERSON", "ERIKSSON<<ANNA<MARIA"),
        },
    ),
    # line 1 inside a longer run or not a passport: line 2 alone still proves the number
    (f"X{JP_TD3}", {("PASSPORT_NUMBER", "TK7439150")}),
    (JP_TD3.replace("P<JPN", "X<JPN"), {("PASSPORT_NUMBER", "TK7439150")}),
    (f"{JP_TD3}9", {("PERSON", "YAMADA<<TARO")}),  # line 2 broken: line 1 alone
    (f"{JP_TD3.split(chr(10))[1]}<", set()),
    ("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH", set()),
    ("<" * 44, set()),
    # line 1 alone: the holder's name (no check digit to trust: a lower score)
    (f"ocr: {JP_TD3.split(chr(10))[0]}", {("PERSON", "YAMADA<<TARO")}),
    (JP_TD3.split(chr(10))[0].replace("P<JPN", "P<<<<"), set()),  # no issuing state
    ("P<GBR" + "<" * 39, set()),  # no name
    ("P<JPNYAMADA<<TARO<<<<<<<<<<<<<<<<<<<<<X<<<<<", set()),  # a letter after the padding
]

LINE1_CASES = [
    # (line 1, name or None)
    ("P<JPNYAMADA<<TARO<<<<<<<<<<<<<<<<<<<<<<<<<<<", "YAMADA<<TARO"),
    ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "ERIKSSON<<ANNA<MARIA"),
    ("PDD<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "MUSTERMANN<<ERIKA"),
    ("P<IDNSUKARNO<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "SUKARNO"),
    ("P<JPNYAMADA<TARO<JIRO<SABURO<SHIRO<GORO<ROK", None),  # no filler run at all
    ("P<JPN1AMADA<<TARO<<<<<<<<<<<<<<<<<<<<<<<<<<<", None),  # a digit in the name
]


@pytest.mark.parametrize(("line", "name"), LINE1_CASES, ids=[c[0][:20] for c in LINE1_CASES])
def test_td3_line1_alone(line: str, name: str | None) -> None:
    hits = REC.find(line)
    assert [(h.entity_type, line[h.start : h.end]) for h in hits] == ([("PERSON", name)] if name else [])
    if name:
        assert hits[0].score < 1.0


def test_line1_with_a_valid_line2_is_the_whole_zone_at_full_score() -> None:
    hits = REC.find(JP_TD3)
    assert {(h.entity_type, h.score) for h in hits} == {("PASSPORT_NUMBER", 1.0), ("PERSON", 1.0)}
    broken = _bump(JP_TD3, 1, 43)  # line 2 fails its composite check: line 1 still names the holder
    assert [(h.entity_type, h.score) for h in REC.find(broken)] == [("PERSON", 0.6)]



def _fullwidth(text: str) -> str:
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


class TestMrz(RecognizerContract):
    recognizers = (REC,)
    find_cases = FIND_CASES
    prefilter_sees_raw_text = True
    field_hint_cases = [("mrz", 1), ("passport_mrz", 1), ("mrz_line2", 1), ("機械読取領域", 1), ("memo", 0)]
    cell_cases = [
        (JP_TD3, "mrz", True), (JP_TD3.replace("\n", " "), None, True), (JP_TD3.split("\n")[1], "mrz", True),
        ("TK7439150", "mrz", False), (ICAO_TD2, "mrz", False), (JP_TD3[:-1] + "7", "mrz", False),
    ]  # fmt: skip
    presidio_cases = [
        (
            f"パスポート読取結果：\n{_fullwidth(JP_TD3)}",
            [("PERSON", _fullwidth("YAMADA<<TARO")), ("PASSPORT_NUMBER", _fullwidth("TK7439150"))],
        ),
    ]

    def found(self, text: str) -> set[tuple[str, str]]:
        """(entity, covered text): an MRZ yields its number and its holder."""
        return {(h.entity_type, text[h.start : h.end]) for h in REC.find(text)}


def test_prefilter_sees_full_width_zones() -> None:
    texts = [t for t, expected in FIND_CASES if expected]
    assert all(normalize(_fullwidth(t)) == t for t in texts)
    assert all(prefilter_matches(MrzRecognizer.PREFILTER, [_fullwidth(t) for t in texts]))
