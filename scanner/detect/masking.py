"""Masking of evidence: the one place where a raw value becomes printable.

Everything downstream of detection (findings, violations, reports, the state
store, logs) only ever holds `Masked` strings. The rules keep just enough for a
reviewer to recognise the kind of value (a card's first six and last four
digits, as PCI DSS allows for display; a passport's first two and last two
characters) and nothing that identifies a person.
"""

from __future__ import annotations

import re

_SEPARATORS = set(" -/.:@_()（）　ー－")


class Masked(str):
    """A string that has been through `mask`; the only kind a Finding accepts."""

    __slots__ = ()


def _mask_keep(value: str, keep_start: int, keep_end: int, maskable=str.isalnum) -> str:
    """Replace maskable characters with '*' except the first/last few maskable ones."""
    positions = [i for i, ch in enumerate(value) if maskable(ch) and ch not in _SEPARATORS]
    keep = set(positions[:keep_start]) | set(positions[len(positions) - keep_end :] if keep_end else [])
    return "".join(ch if (i in keep or i not in set(positions)) else "*" for i, ch in enumerate(value))


def _mask_card(value: str) -> str:
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    if len(digits) < 12:
        return _mask_keep(value, 0, 4)
    keep = set(digits[:6]) | set(digits[-4:])
    return "".join("*" if (ch.isdigit() and i not in keep) else ch for i, ch in enumerate(value))


def _mask_track(value: str) -> str:
    # keep the sentinels and the PAN's first 6 / last 4; everything after the separator is secret
    match = re.search(r"\d{12,19}", value)
    if not match:
        return "*" * min(len(value), 12)
    pan = match.group(0)
    start = value[: match.start()]
    return f"{start}{pan[:6]}{'*' * (len(pan) - 10)}{pan[-4:]}…"  # expiry, name, discretionary data: gone


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    if not domain:
        return _mask_keep(value, 1, 0)
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"


def _mask_name(value: str) -> str:
    parts = re.split(r"(\s+)", value)
    return "".join(p if p.isspace() else ("*" if len(p) == 1 else p[:1] + "*" * (len(p) - 1)) for p in parts)


def _mask_address(value: str) -> str:
    # keep the prefecture / first few characters (coarse region), hide the rest
    head = value[:3]
    return head + "*" * max(len(value) - 3, 1) if len(value) > 3 else "*" * len(value)


_RULES = {
    "CREDIT_CARD": _mask_card,
    "CREDIT_CARD_MASKED": lambda v: _mask_card(v) if sum(c.isdigit() for c in v) >= 12 else v,
    "CARD_TRACK_DATA": _mask_track,
    "CARD_SECURITY_CODE": lambda v: "*" * len(v.strip()),
    "CARD_EXPIRATION": lambda v: re.sub(r"\d", "*", v),
    "JP_MY_NUMBER": lambda v: _mask_keep(v, 0, 4),
    "PASSPORT_NUMBER": lambda v: _mask_keep(v, 2, 2),
    "JMB_NUMBER": lambda v: _mask_keep(v, 2, 2),
    "EMAIL_ADDRESS": _mask_email,
    "PHONE_NUMBER": lambda v: _mask_keep(v, 3, 2),
    "PERSON": _mask_name,
    "ADDRESS": _mask_address,
    "DATE_OF_BIRTH": lambda v: _mask_keep(v, 2, 0),
    "SPECIAL_CARE_INFO": lambda v: v if len(v) <= 40 else v[:40] + "…",
}


def mask(entity_type: str, value: str) -> Masked:
    """Mask `value` as evidence of `entity_type` (unknown types keep 2+2 characters)."""
    value = str(value)
    rule = _RULES.get(entity_type)
    masked = rule(value) if rule else _mask_keep(value, 2, 2)
    return Masked(masked)


_SCRUB_PATTERNS = [
    re.compile(r"\d[\d \-]{5,}\d"),  # digit runs: card, My Number, JMB, phone
    re.compile(r"[A-Za-z]{1,2}\d{6,8}"),  # passport-like codes
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),  # e-mail addresses
    re.compile(r"(?i)(password|passwd|pwd)=\S+"),
    re.compile(r"://([^:/@\s]+):[^@/\s]+@"),  # credentials in URLs
]


def scrub(message: str, limit: int = 300) -> str:
    """Make an error message safe to print: library exceptions can quote the data they choked on."""
    message = str(message)[:limit]
    for pattern in _SCRUB_PATTERNS:
        message = pattern.sub(lambda m: "://***@" if m.group(0).startswith("://") else "[redacted]", message)
    return message
