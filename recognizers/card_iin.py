"""What every payment-card recognizer shares: the IIN table, `compact`, context words.

The IIN (issuer identification number, the leading digits of a PAN) names the
card scheme and fixes the PAN's length. The table is data, with its sources and
review date: `recognizers/data/iin_ranges.tsv`; the scalar check
(`IinRange.admits`) and the bulk one (`recognizers.checksums.prefix_ranges_matrix`)
both read it. Update the file, not this module, when a scheme publishes a range.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files

from recognizers.base import SEP, SEP_RE2, normalize


@dataclass(frozen=True)
class IinRange:
    """Leading digits `low`..`high` (same digit count) of one scheme, and its PAN lengths."""

    brand: str
    low: int
    high: int
    lengths: tuple[int, ...]

    def admits(self, digits: str, total_length: int) -> bool:
        """True when `digits` (a PAN, or its first few digits) can start a PAN of this range."""
        if total_length not in self.lengths or not digits:
            return False
        n = len(str(self.low))
        if len(digits) >= n:
            return self.low <= int(digits[:n]) <= self.high
        scale = 10 ** (n - len(digits))
        return self.low // scale <= int(digits) <= self.high // scale


IIN_DATA = "iin_ranges.tsv"  # in recognizers/data: brand, ranges, lengths, sources and review date


def load_iin_ranges(text: str | None = None) -> tuple[IinRange, ...]:
    """The IIN table from `recognizers/data/iin_ranges.tsv` (or `text` in its format)."""
    if text is None:
        text = files("recognizers").joinpath("data", IIN_DATA).read_text(encoding="utf-8")
    ranges = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        brand, low, high, lengths, _source = line.split("\t")
        if len(low) != len(high) or int(low) > int(high) or len(low) > 4:
            raise ValueError(f"{IIN_DATA}:{number}: low and high must be prefixes of one width (1-4 digits)")
        ranges.append(IinRange(brand, int(low), int(high), tuple(int(n) for n in lengths.split(","))))
    return tuple(ranges)


IIN_RANGES: tuple[IinRange, ...] = load_iin_ranges()
IIN_TABLE = tuple((r.low, r.high, r.lengths) for r in IIN_RANGES)

# Characters that stand for a hidden digit in a masked PAN (after NFKC: ＊ -> *, Ｘ -> X).
MASK_CHARS = "*Xx•●#"
M = "[*Xx•●#]"

_COMPACT_RE = re.compile(SEP)

# Not part of a longer number or word: no digit/letter next to it, and no decimal point
# or hyphen joining it to more digits (a comma is allowed: CSV lines).
BEFORE = r"(?<![0-9A-Za-z])(?<![0-9][.\-])"
AFTER = r"(?![0-9A-Za-z])(?![.\-][0-9])"


def compact(number: str) -> str:
    """NFKC, then strip separators: ``４１１１ １１１１…`` -> ``41111111…``."""
    return _COMPACT_RE.sub("", normalize(number))


def card_brand(number: str) -> str | None:
    """The scheme whose IIN range and length fit the PAN `number` (no Luhn check), or None."""
    digits = compact(number)
    if not digits.isascii() or not digits.isdigit():
        return None
    for iin in IIN_RANGES:
        if iin.admits(digits, len(digits)):
            return iin.brand
    return None


def grouped(groups: Sequence[str], python: bool) -> str:
    """Digit groups joined by a separator: for Python `re` the same one throughout (a
    backreference); for RE2, which has none, any separator (a superset)."""
    if not python:
        return SEP_RE2.join(groups)
    head, *rest = groups
    return head + "".join(("(?P<sep>" + SEP + ")" if i == 0 else "(?P=sep)") + g for i, g in enumerate(rest))


# --- shared context words ----------------------------------------------------------------
CARD_WORDS = (
    "card", "cards", "card no", "card number", "cardholder", "credit", "credit card", "debit",
    "pan", "cc", "ccn", "visa", "mastercard", "master", "amex", "american express", "jcb",
    "diners", "discover", "unionpay", "payment", "swipe",
    "カード", "カード番号", "クレジット", "クレジットカード", "デビット", "決済", "お支払い", "支払", "銀聯",
)
# Identifiers of the same shape: a negative word nearer than any card word drops a hit.
NOT_CARD_WORDS = (
    "request id",  # also request_id: context words read `_` as a space
    "requestid", "req id", "id=", "session", "session id", "sessionid", "order", "order id",
    "order no", "tracking", "tracking no", "tracking number", "sku", "trace", "trace id", "uuid",
    "imei", "invoice", "serial",
    "注文", "注文番号", "追跡", "追跡番号", "伝票番号", "お問い合わせ番号", "問い合わせ番号", "受付番号",
)
NOT_CARD_FIELDS = (
    r"last_?4", r"last_?four", r"mask", r"token", r"hash", r"(?:^|_)id$", r"session", r"order",
    r"sku", r"tracking", r"exp", r"cvv", r"cvc", r"brand", r"type", r"holder",
)
