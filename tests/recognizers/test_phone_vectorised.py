"""PHONE_NUMBER's Arrow validation gives exactly the answers of the Python validator.

`PhoneRecognizer.validate_many` / `validate_field` decide most cells with RE2 passes in
Arrow and send the rest to `validate` (libphonenumber); `validate` and the lost-leading-zero
rule below are the reference. In free text, `PhoneRecognizer.accept_matches` answers for
all the matches of one pattern in the same way, with `accept_match` as its reference. The
Arrow path is forced (`phone_arrow.ARROW_MIN_CELLS = 0`) wherever a test means to check it: short
columns go to Python anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from unittest import mock

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recognizers import phone_arrow, phone_numbers
from recognizers.base import PatternSpec
from recognizers.phone import PhoneRecognizer, is_valid_phone

REC = PhoneRecognizer()


@contextmanager
def arrow_always() -> Iterator[None]:
    """Every column, however short, through the Arrow passes."""
    with mock.patch.object(phone_arrow, "ARROW_MIN_CELLS", 0):
        yield


def reference_field(value: str, hinted: bool) -> bool:
    """`validate_field` for one cell as it was written before the Arrow path."""
    if REC.validate(value):
        return True
    cell = value.strip()
    return hinted and bool(phone_numbers.LOST_ZERO.fullmatch(cell)) and is_valid_phone("0" + cell)


def test_the_re2_twins_were_written_from_these_python_patterns() -> None:
    """The RE2 patterns in recognizers.phone restate these; change both together."""
    assert phone_numbers.EXTENSION.pattern == r",? ?(?:x|ext\.?|extension|内線) ?\d{1,6}$"
    assert phone_numbers.EXTENSION.flags & re.IGNORECASE
    assert phone_numbers.JP_MOBILE.pattern == r"(?:0|81)[789]0[1-9]\d{7}"
    assert phone_numbers.LOOSE_CELL.pattern == r"\(?\d{2,5}\)?[-‐‑−ー ]?\d{1,4}[-‐‑−ー]\d{3,4}"
    assert phone_numbers.LOST_ZERO.pattern == r"[1-9][0-9]{8,9}"
    assert REC.BULK_VALIDATION


# (cell, validate / validate_field of an unrelated column, validate_field of a phone column)
KNOWN = [
    ("080-5413-8558", True, True),
    ("03-1234-5678", True, True),
    ("+81-90-1234-5678", True, True),
    ("09012345678", True, True),
    ("832911596", False, True),  # 0832911596 is a landline: only a phone column restores the 0
    ("2023-06-14", False, False),
    ("47-4575-6717", True, True),  # the loose dashed shape
    ("+1-212-555-0100", True, True),
    ("(03)1234-5678", True, True),
    ("(090)1234-5678", True, True),
    ("0120-123-456", True, True),
    ("0465-12-3456", True, True),
    ("090 1234 5678", True, True),
    ("+81 3 1234 5678", True, True),
    ("+44 20 7946 0958", True, True),
    ("+86 138 0013 8000", True, True),
    ("090-1234-5678 x123", True, True),
    ("090-1234-5678 ext. 12", True, True),
    ("090-1234-5678 EXT 7", True, True),
    ("+81-90-1234-5678x99", True, True),
    ("090-1234-5678内線12", True, True),
    ("０９０-１２３４-５６７８", True, True),  # full-width digits: Python's \d, not RE2's
    ("\t09012345678\n", True, True),
    ("090-1234-5678 x1234567", False, False),  # 7 digits: not an extension, 18 digits in all
    ("0901234567x1234567", False, False),  # not 0901234567 + 7 once an extension is (wrongly) cut
    ("090-1234-5678X123456", True, True),
    ("(+81)90-1234-5678", True, True),
    ("000777051", True, True),  # 9 digits that libphonenumber accepts
    ("123456-1-345", False, False),  # not the loose shape: 2-5 digits first
    ("06002345678", False, False),
    ("09002345678", False, False),
    ("9002345678", False, False),
    ("6012345678", False, True),
    ("9012345678", False, True),  # Excel dropped the 0 of 090-1234-5678
    ("312345678", False, True),
    ("0901234567", False, False),
    ("+81901234567", False, False),
    ("12345678", False, False),
    ("20230614", False, False),
    ("1-2-3", False, False),
    ("x123", False, False),
    ("", False, False),
]


@pytest.mark.parametrize("forced", [True, False], ids=["arrow", "default"])
def test_known_vectors(forced: bool) -> None:
    cells = [cell for cell, _, _ in KNOWN]
    plain = [valid for _, valid, _ in KNOWN]
    hinted = [valid for _, _, valid in KNOWN]
    assert [REC.validate(c) for c in cells] == plain
    with arrow_always() if forced else nullcontext():
        column = pa.array(cells, type=pa.string())
        assert REC.validate_many(column).tolist() == plain
        assert REC.validate_many(cells).tolist() == plain
        assert REC.validate_field(column, "booking_id").tolist() == plain
        assert REC.validate_field(column, "phone").tolist() == hinted
        assert REC.validate_field(cells, "phone").tolist() == hinted
        chunked = pa.chunked_array([cells[:5], cells[5:]], type=pa.string())
        assert REC.validate_field(chunked, "phone").tolist() == hinted


def test_a_long_column_takes_the_arrow_path_by_default() -> None:
    cells = [cell for cell, _, _ in KNOWN] * 4
    assert len(cells) >= phone_arrow.ARROW_MIN_CELLS
    assert REC.validate_field(pa.array(cells), "phone").tolist() == [v for _, _, v in KNOWN] * 4
    assert REC.validate_many(pa.array(cells)).tolist() == [v for _, v, _ in KNOWN] * 4


def test_nulls_are_not_phone_numbers() -> None:
    with arrow_always():
        column = pa.array(["090-1234-5678", None, "03-1234-5678", None], type=pa.string())
        assert REC.validate_field(column, "phone").tolist() == [True, False, True, False]


# --- generated cells -------------------------------------------------------------------

def digits(low: int, high: int | None = None) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=low, max_size=low if high is None else high)


SEPARATORS = st.sampled_from(["-", "-", " ", "", ".", "‐", "ー", "−", "  "])
EXTENSIONS = st.one_of(
    st.just(""),
    st.just(""),
    st.builds(
        lambda comma, space, word, gap, number: comma + space + word + gap + number,
        st.sampled_from(["", "", ","]),
        st.sampled_from(["", " ", "  "]),
        st.sampled_from(["x", "X", "ext", "ext.", "Ext.", "EXT", "extension", "EXTENSION", "内線", "e", "ex", "x."]),
        st.sampled_from(["", "", " "]),
        st.one_of(digits(1, 7), st.just("12a")),
    ),
)


@st.composite
def jp_mobile(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["070", "080", "090", "060", "050", "020", "0X0"]))
    prefix = prefix.replace("X", draw(digits(1)))
    head, tail = draw(digits(4)), draw(digits(4))
    sep1, sep2 = draw(SEPARATORS), draw(SEPARATORS)
    form = draw(st.sampled_from(["plain", "plus81", "paren", "plus81zero", "plus81paren", "paren81", "lostzero"]))
    if form == "lostzero":  # as Excel stores 09012345678: 9012345678
        return f"{prefix[1:]}{head}{tail}"
    if form == "paren81":
        return f"(+81){prefix[1:]}{sep1}{head}{sep2}{tail}"
    if form == "plus81":
        return f"+81{sep1}{prefix[1:]}{sep1}{head}{sep2}{tail}"
    if form == "plus81zero":
        return f"+81{sep1}{prefix}{sep1}{head}{sep2}{tail}"
    if form == "plus81paren":
        return f"+81 (0){prefix[1:]}{sep1}{head}{sep2}{tail}"
    if form == "paren":
        return f"({prefix}){sep1.strip()}{head}{sep2}{tail}"
    return f"{prefix}{sep1}{head}{sep2}{tail}"


@st.composite
def jp_landline(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(["3", "6", "45", "465", "11", "52", "120", "1267", "99"]))
    rest = 9 - len(area)
    split = draw(st.integers(1, rest - 1))
    local = draw(digits(rest))
    sep1, sep2 = draw(SEPARATORS), draw(SEPARATORS)
    form = draw(st.sampled_from(["plain", "paren", "plus81", "lostzero"]))
    if form == "paren":
        return f"(0{area}){local[:split]}{sep2}{local[split:]}"
    if form == "plus81":
        return f"+81{sep1}{area}{sep1}{local[:split]}{sep2}{local[split:]}"
    if form == "lostzero":
        return f"{area}{local}"
    return f"0{area}{sep1}{local[:split]}{sep2}{local[split:]}"


@st.composite
def foreign(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(["1", "44", "33", "86", "82", "49", "61", "852", "7", "998", "81"]))
    groups = draw(st.lists(digits(1, 5), min_size=1, max_size=5))
    sep = draw(SEPARATORS)
    lead = draw(st.sampled_from(["+", "+", "(+", "00", "011 "]))
    return lead + country + (")" if lead == "(+" else sep) + sep.join(groups)


@st.composite
def ids_and_dates(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["id9", "id", "date", "compact_date", "dashed", "time"]))
    if kind == "id9":
        return draw(digits(9))
    if kind == "id":
        return draw(digits(1, 16))
    if kind == "date":
        return f"{draw(digits(4))}{draw(st.sampled_from('-./'))}{draw(digits(1, 2))}-{draw(digits(1, 2))}"
    if kind == "compact_date":
        return draw(digits(8))
    if kind == "time":
        return f"{draw(digits(4))}-{draw(digits(2))}-{draw(digits(2))} {draw(digits(2))}:{draw(digits(2))}"
    dashed = "-".join(draw(st.lists(digits(1, 6), min_size=2, max_size=4)))
    return f"({dashed[:3]}){dashed[3:]}" if draw(st.booleans()) else dashed


FULL_WIDTH = str.maketrans("0123456789-+() ", "０１２３４５６７８９－＋（）　")


@st.composite
def cell(draw: st.DrawFn) -> str:
    value = draw(st.one_of(jp_mobile(), jp_landline(), foreign(), ids_and_dates()))
    value += draw(EXTENSIONS)
    if draw(st.integers(0, 9)) == 0:  # full-width (the engine NFKC-normalises; validate_many need not care)
        value = value.translate(FULL_WIDTH)
    pad = st.sampled_from(["", "", "", "", " ", "  ", "\t", "\n", "\u3000", "\x1f", "\xa0"])
    return draw(pad) + value + draw(pad)


SHORT = st.text(alphabet="0123456789+-() .,xXeEtnsio内線０１９ー\t", max_size=14)
CELLS = st.lists(st.one_of(cell(), cell(), cell(), SHORT), min_size=1, max_size=60)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(CELLS)
def test_validate_many_and_validate_field_equal_the_python_validator(values: list[str]) -> None:
    values = values + values[:3]  # repeated cells: answered once per distinct value
    plain = [REC.validate(v) for v in values]
    hinted = [reference_field(v, True) for v in values]
    column = pa.array(values, type=pa.string())
    with arrow_always():
        assert REC.validate_many(column).tolist() == plain
        assert REC.validate_many(values).tolist() == plain
        assert REC.validate_field(column, "booking_id").tolist() == plain
        assert REC.validate_field(column, "phone").tolist() == hinted
        assert REC.validate_field(values, "電話番号").tolist() == hinted
    assert REC.validate_field(column, "phone").tolist() == hinted  # the default (short: Python) path


@pytest.mark.parametrize("prefix", [f"0{d}" for d in "23456789"] + [f"01{d}" for d in "123456789"])
def test_nine_digits_with_a_trunk_zero_are_no_number_arrow_and_libphonenumber_agree(prefix: str) -> None:
    """Ids that start with 0 (`095146960`): decided False in Arrow. libphonenumber's JP plan has
    8-digit national numbers only under toll-free `00777…`; `00` and `010` (the international
    prefix) are left to it. Every tail of each prefix that differs in its first three digits."""
    cells = [f"{prefix}{n:03d}".ljust(9, "7")[:9] for n in range(0, 1000, 7)]
    assert all(len(c) == 9 for c in cells)
    with arrow_always():
        assert not REC.validate_many(pa.array(cells)).any()
    assert not any(REC.validate(c) for c in cells)
    decided, _valid = phone_arrow.fast_verdicts(pa.array(cells))
    assert decided.all()  # no libphonenumber call for them


def test_the_toll_free_nine_digit_numbers_still_reach_libphonenumber() -> None:
    with arrow_always():
        assert REC.validate_many(pa.array(["000777051", "007775626"] * 40)).all()


# --- free text: accept_matches ----------------------------------------------------------

SPEC_NAMES = [spec.name for spec in PhoneRecognizer.PATTERNS] + ["made_up"]


def spec_named(name: str) -> PatternSpec:
    return next((s for s in PhoneRecognizer.PATTERNS if s.name == name), PatternSpec(name, r"\d+", 0.5))


def reference_accepts(name: str, values: list[str]) -> list[bool]:
    spec = spec_named(name)
    return [REC.accept_match(spec, None, v) for v in values]


# Matched values as the patterns cut them from free text: national formats of other
# countries, JP mobiles and landlines, 050 IP phones, extensions, placeholders, dates.
MATCHED = [
    "212-555-0100", "(425) 882-9090", "425.882.9090", "1 (370) 478-9046", "020 7946 0958", "07400 123456",
    "1234-5678", "8123 4567", "010-1234-5678", "131 2345 6789", "13800138000", "06 12 34 56 78",
    "001-309-366-9091", "011 44 20 7946 0958", "+1-374-682-1237", "+44(0)115 4960673", "+44 20 7946 0958",
    "090-1234-5678", "080-5413-8558", "070 1234 5678", "09012345678", "(090)1234-5678", "+81-90-1234-5678",
    "+81 90 1234 5678", "03-1234-5678", "(03)1234-5678", "0465-12-3456", "0120-123-456", "050-1234-5678",
    "05012345678", "0312345678", "090-1234-5678 x123", "03-1234-5678 ext. 12", "+1 212 555 0100, ext 7",
    "090-1234-5678内線12", "090-1234-5678 x1234567", "000-0000-0000", "0000000000", "1212121212",
    "111-111-1111", "47-4575-6717", "12-3456-7890", "2023-06-14", "123-456-789", "0901234567",
    "+81901234567", "０９０-１２３４-５６７８", "090‐1234‐5678", "090ー1234ー5678", "090-1234-5678 ",
    " 03-1234-5678", "", "x123",
    # is_valid_phone cuts the extension before it strips: with a space after it, none is cut
    "090-1234-5678 x123456 ", "090-1234-5678 x12 ", " 03-1234-5678 ext 1234567",
]  # fmt: skip


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_accept_matches_known_vectors(name: str) -> None:
    expected = reference_accepts(name, MATCHED)
    spec = spec_named(name)
    with arrow_always():
        assert REC.accept_matches(spec, [None] * len(MATCHED), MATCHED).tolist() == expected
    long = MATCHED * 3  # the default path: long enough for Arrow
    assert len(long) >= phone_arrow.ARROW_MIN_CELLS
    assert REC.accept_matches(spec, [None] * len(long), long).tolist() == expected * 3
    short = MATCHED[:10]  # below the threshold: one by one, as the base does
    assert REC.accept_matches(spec, [None] * len(short), short).tolist() == expected[:10]


def test_accept_matches_answers_as_in_a_few_known_cases() -> None:
    """What the vectors above mean (the reference could be wrong too)."""
    national, dashed, jp = spec_named("national_abroad"), spec_named("dashed_with_context"), spec_named("jp_delimited")
    with arrow_always():
        assert REC.accept_matches(national, [None] * 4, ["212-555-0100", "020 7946 0958", "090-1234-5678",
                                                        "000-0000-0000"]).tolist() == [True, True, True, False]
        assert REC.accept_matches(jp, [None] * 4, ["090-1234-5678", "03-1234-5678", "212-555-0100",
                                                  "050-1234-5678"]).tolist() == [True, True, False, True]
        assert REC.accept_matches(dashed, [None] * 3, ["47-4575-6717", "2023-06-14", "123-4567-89012"]).tolist() == [
            True, False, False]


@st.composite
def national(draw: st.DrawFn) -> str:
    """A national format of another country, or one of its near misses."""
    groups = draw(st.sampled_from([(3, 3, 4), (2, 4, 4), (4, 4), (3, 4, 4), (4, 3, 3), (5, 6), (3, 3, 3), (4, 4, 4)]))
    parts = [draw(digits(n)) for n in groups]
    sep = draw(st.sampled_from(["-", " ", ".", "-"]))
    if draw(st.integers(0, 4)) == 0:
        return f"({parts[0]}) {sep.join(parts[1:])}"
    if draw(st.integers(0, 6)) == 0:
        return draw(st.sampled_from(["1 ", "00", "011 ", "0"])) + sep.join(parts)
    return sep.join(parts)


MATCH = st.one_of(cell(), national(), national(), SHORT, st.sampled_from(MATCHED))


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.lists(MATCH, min_size=1, max_size=40))
def test_accept_matches_equal_accept_match_for_every_pattern(values: list[str]) -> None:
    values = values + values[:3]  # repeated values: answered once per distinct value
    with arrow_always():
        for name in SPEC_NAMES:
            got = REC.accept_matches(spec_named(name), [None] * len(values), values)
            assert got.tolist() == reference_accepts(name, values), name


def test_find_many_keeps_the_digit_template_path() -> None:
    assert REC._templates is not None


def test_find_many_in_free_text_equals_the_text_by_text_path() -> None:
    forms = [
        "please call back on 0{a}0-{b:04d}-{c:04d} after 9pm",
        "tel 03-{b:04d}-{c:04d}",
        "call me on 212-555-{c:04d}",
        "連絡先: 47-{b:04d}-{c:04d}",
        "call me on 020 7946 {c:04d} or +81-90-{b:04d}-{c:04d}",
        "order 03-{b:04d}-{c:04d} shipped",
        "phone: 000-0000-0000",
    ]
    texts = [forms[i % len(forms)].format(a="789"[i % 3], b=1000 + 37 * i, c=(7919 * i) % 10_000) for i in range(210)]
    got = PhoneRecognizer().find_many(texts)  # digit templates; three patterns match 64+ values: Arrow
    with mock.patch.object(phone_arrow, "ARROW_MIN_CELLS", 10**9):  # every match through accept_match
        expected = PhoneRecognizer()._find_text_by_text(texts)
    assert got == expected
    assert sum(map(len, got)) > 100


def _jp_national_numbers() -> list[str]:
    """Every trunk-0 prefix of three digits (0[1-9]X), each at 9, 10 and 11 digits with a few
    tails, in the layouts people write: plain, 3-4-4, 2-4-4, 4-2-4, spaced."""
    import random

    rng = random.Random(20261205)
    out = []
    for prefix in range(10, 100):
        for length in (9, 10, 11):
            for _ in range(4):
                d = f"0{prefix}" + "".join(rng.choice("0123456789") for _ in range(length - 3))
                out += [d, f"{d[:3]}-{d[3:7]}-{d[7:]}", f"{d[:2]}-{d[2:6]}-{d[6:]}", f"{d[:4]}-{d[4:6]}-{d[6:]}",
                        f"{d[:4]} {d[4:6]} {d[6:]}"]
    return out


def test_jp_national_numbers_are_decided_in_arrow_as_libphonenumber_decides() -> None:
    """The JP plan read from phonenumbers' own metadata (general description, then each type with
    its possible lengths) over the national number: libphonenumber's answer, landlines, 0120,
    0800, 050, 0570 and the rest, without one parse per number."""
    cells = _jp_national_numbers()
    decided, valid = phone_arrow.jp_plan_verdicts(pa.array(cells))
    # all but Japan's international prefix 010 (`010 98 …` is +98 to libphonenumber): left open
    assert decided.tolist() == [not re.sub(r"\D", "", c).startswith("010") for c in cells]
    expected = [is_valid_phone(c) and not re.sub(r"\D", "", c).startswith("010") for c in cells]
    assert 0 < sum(expected) < len(cells)  # both answers occur: the comparison can fail
    assert valid.tolist() == expected
    with arrow_always():  # and through the recognizer's chains
        assert REC.validate_many(pa.array(cells)).tolist() == [REC.validate(c) for c in cells]


def test_the_jp_plan_leaves_other_layouts_open() -> None:
    cells = ["+81-3-1234-5678", "010-1-212-555-0100", "(03) 1234-5678", "03-1234-5678 x12", "０３-１２３４-５６７８",
             "00-1234-5678", "03--1234-5678", "01098839883", "010-9883-9883", "01-0988-39883"]
    decided, _valid = phone_arrow.jp_plan_verdicts(pa.array(cells))
    assert not decided.any()
