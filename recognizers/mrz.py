"""Machine-readable zones (MRZ, 機械読取領域) of passports and other travel documents.

What it is
    The OCR-B lines at the foot of a passport's data page (ICAO Doc 9303). Scanned
    passports, OCR output and check-in logs carry them as text. They hold the
    document number, the holder's name, nationality, birth date, sex and expiry, so
    one MRZ is both a PASSPORT_NUMBER and a PERSON.

How it is built (characters A-Z, 0-9 and the filler ``<``)
    TD3 (passports, 2 x 44)::

        P<JPNYAMADA<<TARO<<<<<<<<<<<<<<<<<<<<<<<<<<<
        TK74391508JPN8001014M3001019<<<<<<<<<<<<<<06

    line 1: type ``P`` + subtype, issuing state (3), name (39): ``SURNAME<<GIVEN<NAMES``;
    line 2: document number (9) + check, nationality (3), birth date YYMMDD + check,
    sex, expiry YYMMDD + check, optional/personal number (14) + check, composite check
    over document number+check, birth date+check and expiry..optional+check.

    TD2 (2 x 36): line 1 type, state, name (31); line 2 as TD3 with 7 optional
    characters and the composite over the same fields.
    TD1 (ID cards, 3 x 30): line 1 type, state, document number (9) + check,
    optional (15); line 2 birth date + check, sex, expiry + check, nationality,
    optional (11), composite over line 1 [5:30] + line 2 [0:7] + [8:15] + [18:29];
    line 3 name (30). A document number longer than nine characters puts ``<`` in the
    check position and continues in the optional data, ending with its check digit.

    Check digit: each character's value (digits as such, A-Z = 10-35, ``<`` = 0) times
    the weights 7, 3, 1 repeating, summed, modulo 10. An optional-data check digit may
    be ``<`` when the optional data is empty. Every check digit must hold: a random
    44-character line passes all five with probability 1e-5, so no context is needed.

Accepted text
    The lines separated by a newline or by spaces (a CSV cell, a log line); a TD3
    line 2 on its own (it carries the number and four check digits; no name); and a
    TD3 line 1 on its own (OCR logs print the lines apart): the holder's name, at a
    lower score (`LINE1_SCORE`) than a zone whose check digits hold. Followed by a
    valid line 2 in the same text it is read as the whole zone (score 1.0).

Sources
    ICAO Doc 9303, 8th ed., Part 3 (check digits, 4.9) and Parts 4-6 (TD3/TD1/TD2);
    the ``mrz`` package on PyPI (checker used as the reference in the tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from recognizers.base import Hit, OwnFindRecognizer, PatternSpec
from recognizers.passport import ENTITY, SPEC
from recognizers.spec import EntitySpec

_WEIGHTS = (7, 3, 1)
_LINE_SEP = r"(?:[ \t]*\r?\n[ \t]*|[ \t]+)"
_C = "[A-Z0-9<]"
_EDGE_BEFORE = r"(?<![A-Za-z0-9<])"
_EDGE_AFTER = r"(?![A-Za-z0-9<])"


def char_value(ch: str) -> int:
    """Numeric value of an MRZ character: digits as such, A-Z 10-35, filler 0."""
    if "0" <= ch <= "9":
        return ord(ch) - ord("0")
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == "<":
        return 0
    raise ValueError(f"not an MRZ character: {ch!r}")


def check_digit(field: str) -> int:
    """ICAO 9303 check digit of `field` (7-3-1 weights, modulo 10)."""
    return sum(char_value(ch) * _WEIGHTS[i % 3] for i, ch in enumerate(field)) % 10


def _check(field: str, digit: str, *, empty_filler_ok: bool = False) -> bool:
    if digit == "<":
        return empty_filler_ok and set(field) <= {"<"}
    return digit.isdigit() and check_digit(field) == int(digit)


def _is_date(yymmdd: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])", yymmdd))


@dataclass(frozen=True)
class MrzFields:
    """What a valid MRZ yields; spans index the text the lines were taken from."""

    kind: str  # "TD1", "TD2", "TD3" or "TD3_LINE2"
    document_number: str
    number_span: tuple[int, int]
    name_span: tuple[int, int] | None  # None when only line 2 was given or the name is empty


def _name_span(field: str, offset: int) -> tuple[int, int] | None:
    """Span of the name in a name field, without leading/trailing fillers."""
    body = field.strip("<")
    if not body:
        return None
    lead = len(field) - len(field.lstrip("<"))
    return offset + lead, offset + lead + len(body)


def _document_number(field: str, digit: str, overflow: str) -> tuple[str, bool]:
    """Number and validity; a `<` check position means the number runs on into `overflow`."""
    if digit == "<" and field[-1] != "<":
        rest = overflow.split("<", 1)[0]
        if len(rest) < 2:
            return field, False
        number = field + rest[:-1]
        return number, _check(number, rest[-1])
    return field.rstrip("<"), _check(field, digit)


def _dates_ok(birth: str, birth_digit: str, sex: str, expiry: str, expiry_digit: str) -> bool:
    return (
        _is_date(birth)
        and _check(birth, birth_digit)
        and sex in "MFX<"
        and _is_date(expiry)
        and _check(expiry, expiry_digit)
    )


def _fields(
    kind: str, number: str, ok: bool, number_start: int, name: tuple[int, int] | None
) -> MrzFields | None:
    if not ok or not number:
        return None
    return MrzFields(kind, number, (number_start, number_start + min(len(number), 9)), name)


def parse_td3(lines: list[str], starts: list[int]) -> MrzFields | None:
    """TD3 (2 x 44), or its line 2 alone; None unless every check digit holds."""
    l2 = lines[-1]
    if len(l2) != 44 or (len(lines) == 2 and (len(lines[0]) != 44 or lines[0][0] != "P")):
        return None
    number, ok = l2[0:9].rstrip("<"), _check(l2[0:9], l2[9])
    ok = (
        ok
        and _dates_ok(l2[13:19], l2[19], l2[20], l2[21:27], l2[27])
        and _check(l2[28:42], l2[42], empty_filler_ok=True)
        and _check(l2[0:10] + l2[13:20] + l2[21:43], l2[43])
    )
    if len(lines) == 1:
        return _fields("TD3_LINE2", number, ok, starts[0], None)
    return _fields("TD3", number, ok, starts[1], _name_span(lines[0][5:], starts[0] + 5))


def parse_td2(lines: list[str], starts: list[int]) -> MrzFields | None:
    """TD2 (2 x 36); None unless every check digit holds."""
    l1, l2 = lines
    if len(l1) != 36 or len(l2) != 36:
        return None
    number, ok = _document_number(l2[0:9], l2[9], l2[28:35])
    ok = (
        ok
        and _dates_ok(l2[13:19], l2[19], l2[20], l2[21:27], l2[27])
        and _check(l2[0:10] + l2[13:20] + l2[21:35], l2[35])
    )
    return _fields("TD2", number, ok, starts[1], _name_span(l1[5:], starts[0] + 5))


def parse_td1(lines: list[str], starts: list[int]) -> MrzFields | None:
    """TD1 (3 x 30); None unless every check digit holds."""
    l1, l2, l3 = lines
    if not len(l1) == len(l2) == len(l3) == 30:
        return None
    number, ok = _document_number(l1[5:14], l1[14], l1[15:30])
    ok = (
        ok
        and _dates_ok(l2[0:6], l2[6], l2[7], l2[8:14], l2[14])
        and _check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])
    )
    return _fields("TD1", number, ok, starts[0] + 5, _name_span(l3, starts[2]))


_LINE_RE = re.compile(f"{_C}+")


def parse(text: str) -> MrzFields | None:
    """The fields of `text` when it is exactly one valid MRZ (lines split by newlines or spaces)."""
    if not re.fullmatch(rf"\s*{_C}+(?:{_LINE_SEP}{_C}+)*\s*", text):
        return None
    matches = list(_LINE_RE.finditer(text))
    lines, starts = [m.group() for m in matches], [m.start() for m in matches]
    lengths = [len(line) for line in lines]
    if lengths in ([44, 44], [44]):
        return parse_td3(lines, starts)
    if lengths == [36, 36]:
        return parse_td2(lines, starts)
    if lengths == [30, 30, 30]:
        return parse_td1(lines, starts)
    return None


def is_valid(text: str) -> bool:
    """True when `text` (NFKC) is one whole valid MRZ: TD1, TD2, TD3 or a TD3 line 2."""
    return parse(text) is not None


# A TD3 line 1 alone has no check digit: its shape (P, a state, a name with `<` fillers,
# 44 characters) is all the evidence, so it scores below a zone whose digits all hold.
LINE1_SCORE = 0.6
_LINE1_RE = re.compile(r"P[A-Z<](?P<state>[A-Z<]{3})(?P<name>[A-Z<]{39})")


def td3_line1_name_span(line: str) -> tuple[int, int] | None:
    """Span of the holder's name in a TD3 line 1 on its own (``P<JPNYAMADA<<TARO<<<…``).

    The state must hold a letter; the name field is ``SURNAME<<GIVEN<NAMES`` padded with
    fillers: at least two letters, no digit, a `<<` (the surname separator, or the
    padding after a name that fills less than the field) and no letter after a run of
    three fillers (padding comes last). None when `line` does not read so.
    """
    m = _LINE1_RE.fullmatch(line)
    if not m or not re.search("[A-Z]", m.group("state")):
        return None
    field = m.group("name")
    body = field.strip("<")
    if sum(c.isalpha() for c in body) < 2 or "<<" not in field or "<<<" in body:
        return None
    return _name_span(field, m.start("name"))


class MrzRecognizer(OwnFindRecognizer):
    """PASSPORT_NUMBER (document number) and PERSON (holder) from a valid MRZ."""

    ENTITY: ClassVar[str] = ENTITY
    SPEC: ClassVar[EntitySpec] = SPEC  # a passport number, whichever recognizer finds it
    EXTRA_ENTITIES: ClassVar[tuple[str, ...]] = ("PERSON",)
    # every accepted form has a run of 30 MRZ characters (full-width forms included)
    PREFILTER: ClassVar[str] = r"[A-Z0-9<Ａ-Ｚ０-９＜]{30}"
    # Longest forms first, so a TD3 is not read as its line 2 alone.
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec("mrz_td3", rf"{_EDGE_BEFORE}P[A-Z<]{{43}}{_LINE_SEP}{_C}{{44}}{_EDGE_AFTER}", 1.0),
        PatternSpec(
            "mrz_td1",
            rf"{_EDGE_BEFORE}[ACI][A-Z<]{{4}}{_C}{{25}}{_LINE_SEP}{_C}{{30}}{_LINE_SEP}[A-Z<]{{30}}{_EDGE_AFTER}",
            1.0,
        ),
        PatternSpec("mrz_td2", rf"{_EDGE_BEFORE}[ACIPV][A-Z<]{{35}}{_LINE_SEP}{_C}{{36}}{_EDGE_AFTER}", 1.0),
        PatternSpec("mrz_td3_line2", rf"{_EDGE_BEFORE}{_C}{{44}}{_EDGE_AFTER}", 0.95),
        # line 1 alone (OCR logs print the two lines apart): the holder's name, no check digit
        PatternSpec("mrz_td3_line1", rf"{_EDGE_BEFORE}P[A-Z<][A-Z<]{{42}}{_EDGE_AFTER}", LINE1_SCORE),
    )
    VALUE_PATTERN: ClassVar[str | None] = r"^(?:P[A-Z<]{43}\s+)?[A-Z0-9<]{44}$"
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (r"mrz", r"machine_readable", r"機械読取")

    def validate(self, candidate: str) -> bool:
        return is_valid(candidate)

    def find(self, text: str) -> list[Hit]:
        """Each MRZ-shaped block whose check digits all hold: its number and its holder."""
        hits: list[Hit] = []
        taken: list[tuple[int, int]] = []
        for spec, regex in self._compiled:
            for m in regex.finditer(text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                if spec.name == "mrz_td3_line1":
                    span = td3_line1_name_span(m.group())
                    if span is not None:
                        taken.append(m.span())
                        start, end = m.start() + span[0], m.start() + span[1]
                        hits.append(Hit("PERSON", start, end, spec.score, text[start:end], spec.name))
                    continue
                fields = parse(m.group())
                if fields is None:
                    continue
                taken.append(m.span())
                start, end = (m.start() + i for i in fields.number_span)
                hits.append(Hit(ENTITY, start, end, spec.score, fields.document_number, spec.name))
                if fields.name_span is not None:
                    start, end = (m.start() + i for i in fields.name_span)
                    hits.append(Hit("PERSON", start, end, spec.score, text[start:end], spec.name))
        return hits
