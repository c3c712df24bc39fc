"""Magnetic-stripe track data (磁気ストライプ情報): entity ``CARD_TRACK_DATA``.

What it is
    ISO/IEC 7813 track 1 ``%B<PAN>^<NAME>^<YYMM><service code><discretionary>?`` and
    track 2 ``;<PAN>=<YYMM><service code><discretionary>?``. Sensitive authentication
    data: must never be stored (PCI DSS Req. 3.3.1). Text holding track data also
    holds a PAN, and `CreditCardRecognizer` reports it too; track 1 also carries
    the cardholder's name, reported as PERSON.

>>> validate(";4111111111111111=25121010000?")
';4111111111111111=25121010000?'
>>> is_valid(";4111111111111112=25121010000?")
False
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from stdnum import luhn
from stdnum.exceptions import InvalidComponent, InvalidFormat, ValidationError

from recognizers import masks
from recognizers.base import Hit, PatternSpec, PiiRecognizer, normalize
from recognizers.spec import EntitySpec, Redaction

ENTITY = "CARD_TRACK_DATA"
SPEC = EntitySpec(
    label_en="Card track data",
    label_ja="磁気ストライプ情報",
    category="card_security_data",
    mask=masks.track,
    # before the PAN pass (order 20): masking the PAN first would leave the rest of the track
    redaction=Redaction(r"%B[0-9]{12,19}\^[^?\s]*\??|;[0-9]{12,19}=[0-9]*\??", order=10),
)

_TRACK_PAN_RE = re.compile(r"^[%;]?B?(?P<pan>[0-9]{12,19})[=D^]")
_TRACK_EXPIRY_RE = re.compile(r"(?:[=D]|\^[^^]*\^)(?P<yymm>[0-9]{4})")
# Track 1's name field, `SURNAME/GIVEN NAME.TITLE` between the two `^`: the name inside it.
_TRACK1_NAME_RE = re.compile(r"\^[ /]*(?P<name>[^^.]*?[A-Za-z][^^.]*?)[ /]*(?:\.[^^]*)?\^")


def validate(value: str) -> str:
    """Track 1 or 2 (NFKC) whose PAN is Luhn-valid (InvalidChecksum) and whose expiry, if
    present, has a real month (InvalidComponent); InvalidFormat when there is no PAN."""
    text = normalize(value)
    m = _TRACK_PAN_RE.match(text)
    if not m:
        raise InvalidFormat("track data starts with a PAN and a field separator")
    luhn.validate(m.group("pan"))
    expiry = _TRACK_EXPIRY_RE.search(text, m.end("pan"))
    if expiry is not None and not 1 <= int(expiry.group("yymm")[2:]) <= 12:
        raise InvalidComponent("the expiry month is not 01-12")
    return text


def is_valid(value: str) -> bool:
    try:
        return bool(validate(value))
    except ValidationError:
        return False


is_track_data = is_valid  # the name callers used before the split


def track1_name_span(track: str) -> tuple[int, int] | None:
    """(start, end) of the cardholder's name in a track 1 string (``%B…^YAMAMOTO/KENTA^…``),
    without the padding spaces and slashes around it; None for track 2 or an empty name."""
    m = _TRACK1_NAME_RE.search(track)
    if not m or sum(c.isalpha() for c in m.group("name")) < 2:
        return None
    return m.span("name")


_TRACK1 = r"%?B[0-9]{12,19}\^[A-Za-z0-9 /.'\-]{2,26}\^(?:[0-9]{7}|\^)[0-9A-Za-z ]{0,79}\??"
_TRACK2 = r"[0-9]{12,19}[=D][0-9]{7}[0-9]{0,32}\??"


class TrackDataRecognizer(PiiRecognizer):
    """CARD_TRACK_DATA: magnetic-stripe track 1 / track 2 with a Luhn-valid PAN; and PERSON
    for the cardholder's name that track 1 carries (as an MRZ yields its holder)."""

    ENTITY: ClassVar[str] = ENTITY
    SPEC: ClassVar[EntitySpec] = SPEC
    EXTRA_ENTITIES: ClassVar[tuple[str, ...]] = ("PERSON",)
    PREFILTER: ClassVar[str] = r"[0-9]{12,19}[=D][0-9]{7}|B[0-9]{12,19}\^"
    PATTERNS: ClassVar[tuple[PatternSpec, ...]] = (
        PatternSpec("track1", rf"(?<![0-9A-Za-z])(?P<value>{_TRACK1})", 0.85),
        PatternSpec("track2_sentinel", rf"(?P<value>;{_TRACK2})(?![0-9A-Za-z])", 0.85),
        # without the start sentinel it could be any id=number pair: needs a swipe/track word
        PatternSpec("track2", rf"(?<![0-9A-Za-z;])(?P<value>{_TRACK2})(?![0-9A-Za-z])", 0.3),
    )
    VALUE_PATTERN: ClassVar[str | None] = rf"^(?:{_TRACK1}|;?{_TRACK2})$"
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "swipe",
        "swiped",
        "track",
        "track1",
        "track2",
        "track 1",
        "track 2",
        "track data",
        "magstripe",
        "mag stripe",
        "magnetic stripe",
        "msr",
        "磁気",
        "磁気ストライプ",
        "スワイプ",
        "トラック",
    )
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ("tracking", "追跡")
    FIELD_HINTS: ClassVar[tuple[str, ...]] = (
        r"(?:^|_)track_?[12](?:_|$)",
        r"track_?data",
        r"mag_?stripe",
        r"swipe",
        r"磁気",
    )
    FIELD_NEGATIVE_HINTS: ClassVar[tuple[str, ...]] = (r"tracking",)

    def validate(self, candidate: str) -> bool:
        return is_valid(candidate)

    def find_many(self, texts: Sequence[str]) -> list[list[Hit]]:
        """Track hits, plus a PERSON hit on the name inside each track 1."""
        found = super().find_many(texts)
        for text, hits in zip(texts, found, strict=False):
            for hit in list(hits):
                span = track1_name_span(hit.value) if hit.pattern == "track1" else None
                if span is not None:
                    start, end = hit.start + span[0], hit.start + span[1]
                    hits.append(Hit("PERSON", start, end, hit.score, text[start:end], hit.pattern))
        return found
