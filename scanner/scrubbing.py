"""One scrubber for everything that leaves the process except masked evidence.

Findings carry evidence masked by `scanner.detect.masking.mask`. But values
also leak *around* the evidence: a file named `4532011475538514.csv`, a column
named `TK1234567`, a driver error quoting the row it choked on, a log record.
Every such string passes `scrub_name` (names: kept whole, shape kept so a
person can still find the file) or `scrub` (messages: also length-capped);
`ScrubFilter` applies `scrub` to every log record on every handler.

What is masked (after folding full-width forms with NFKC, so `４５３２…` is
seen as `4532…`; text outside a masked span keeps its original characters):

- digit runs of 7 or more digits, whatever single separator sits between two
  digits (space, `-`, `.`, `/`, `_`, `,`, dashes, `・`): 14+ digits keep their
  first 4 and last 4 digits, 12-13 digits their last 4, 7-11 digits their
  first 2 and last 2 (`4532.0114.7553.8514` -> `4532.****.****.8514`).
  Not masked: dates with an optional time (`2026-12-05`, `20261205`,
  `20261205_0300`), IPv4 addresses and digits inside hex
  tokens (hashes, fingerprints, generated ids), which operators need to read,
  unless the digits pass a card's Luhn or a My Number's check digit;
- passport-like codes, any case, with or without a space: one or two letters
  then 7-8 digits (`TK1234567`, `tk 1234567`): 2 first + 2 last characters;
- e-mail addresses: the first character of the local part and the domain;
- credentials in URLs of any scheme (`://user:secret@` -> `://user:***@`) and
  `password=`, `pwd=`, `secret=`, `token=`, `api_key=` values.
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata

MESSAGE_LIMIT = 300
MASK = "*"

# Separators that may sit between the digits of one number (after NFKC).
_SEPARATORS = " .,/_\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\u30fb"
_SEP = f"[{re.escape(_SEPARATORS)}]"
_DIGIT_RUN = re.compile(rf"(?<![0-9])[0-9](?:{_SEP}?[0-9])+(?![0-9])")
_PASSPORT = re.compile(rf"(?<![A-Za-z])[A-Za-z]{{1,2}}[ \-]?[0-9]{{7,8}}(?![0-9]|{_SEP}[0-9])")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}(?![\w\-])")
_URL_CREDENTIALS = re.compile(r"(://[^:/@\s]*):[^@/\s]+@")
_SECRET_KEYS = re.compile(r"(?i)(?<![A-Za-z])(password|passwd|pwd|secret|token|api[_-]?key)(\s*[=:]\s*)([^\s&;,'\"]+)")
_HEX = frozenset("0123456789abcdefABCDEF")
_ISO_DATE = re.compile(r"(?:19|20)[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])")
_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})\.){3}(?:25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})")
_COMPACT_DATE = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
_CLOCK = re.compile(r"(?:[01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]")
MIN_DIGITS = 7


def digits_kept(count: int) -> tuple[int, int]:
    """(first, last) digits a run of `count` digits keeps: the rule every test checks against."""
    if count >= 14:
        return 4, 4
    if count >= 12:
        return 0, 4
    return 2, 2


def _keep_digits(text: str, first: int, last: int) -> str:
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    keep = set(positions[:first]) | set(positions[len(positions) - last:] if last else ())
    return "".join(MASK if (ch.isdigit() and i not in keep) else ch for i, ch in enumerate(text))


def _mask_run(match: re.Match[str]) -> str | None:
    """The masked form of a digit run, or None when it is left as it is."""
    text = match.group(0)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < MIN_DIGITS or _ISO_DATE.fullmatch(text) or _IPV4.fullmatch(text) or _is_time_stamp(text):
        return None
    if _inside_hex(match) and not _checks_out(digits):
        return None
    return _keep_digits(text, *digits_kept(len(digits)))


def _is_time_stamp(text: str) -> bool:
    """A date as file names and logs write it, with an optional time: `20261101`, `2026/11/01`,
    `20261101_0300`, `2026.11.01-03:00:00`. Operators need these to find an export; a birth
    date alone in a name is rare, and its digits do not identify a person without the name."""
    groups = re.split(_SEP + "|:", text)
    date = "".join(groups[:3]) if len(groups) >= 3 and [len(g) for g in groups[:3]] == [4, 2, 2] else groups[0]
    rest = groups[3:] if date != groups[0] else groups[1:]
    if not _COMPACT_DATE.fullmatch(date):
        return False
    clock = "".join(rest)
    return not clock or (len(clock) in (2, 4, 6) and bool(_CLOCK.fullmatch(clock.ljust(6, "0"))))


def _checks_out(digits: str) -> bool:
    """True for digits that pass a card's or a My Number's check digit (masked even inside a hash)."""
    from stdnum import luhn
    from stdnum.jp import in_ as my_number

    return (13 <= len(digits) <= 19 and luhn.is_valid(digits)) or (len(digits) == 12 and my_number.is_valid(digits))


def _inside_hex(match: re.Match[str]) -> bool:
    """True when the match sits inside a hex token (a hash, a generated id such as `5dc58835542c`):
    at least 12 hex characters, one of them a letter, not glued to other letters."""
    source, start, end = match.string, match.start(), match.end()
    while start > 0 and source[start - 1] in _HEX:
        start -= 1
    while end < len(source) and source[end] in _HEX:
        end += 1
    token = source[start:end]
    glued = (start > 0 and source[start - 1].isalnum()) or (end < len(source) and source[end].isalnum())
    return len(token) >= 12 and not glued and any(ch in "abcdefABCDEF" for ch in token)


def _mask_passport(match: re.Match[str]) -> str:
    text = match.group(0)
    positions = [i for i, ch in enumerate(text) if ch.isalnum()]
    keep = set(positions[:2]) | set(positions[-2:])
    return "".join(ch if (i in keep or not ch.isalnum()) else MASK for i, ch in enumerate(text))


def _mask_email(match: re.Match[str]) -> str:
    local, _, domain = match.group(0).partition("@")
    return f"{local[:1]}{MASK * max(len(local) - 1, 1)}@{domain}"


def _fold(text: str) -> tuple[str, list[int]]:
    """NFKC per character, and for each original character where its folded form starts."""
    parts = [unicodedata.normalize("NFKC", ch) for ch in text]
    starts: list[int] = []
    at = 0
    for part in parts:
        starts.append(at)
        at += len(part)
    starts.append(at)
    return "".join(parts), starts


def _spans(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) in the folded text, non-overlapping, left to right."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, replacement: str) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append((start, end, replacement))

    for match in _URL_CREDENTIALS.finditer(folded):
        add(match.start(), match.end(), f"{match.group(1)}:***@")
    for match in _SECRET_KEYS.finditer(folded):
        add(match.start(3), match.end(3), "***")
    for match in _EMAIL.finditer(folded):
        if folded[max(0, match.start() - 3):match.start()] != "://":  # the user of a URL, not an address
            add(match.start(), match.end(), _mask_email(match))
    for match in _PASSPORT.finditer(folded):
        if not _inside_hex(match):
            add(match.start(), match.end(), _mask_passport(match))
    for match in _DIGIT_RUN.finditer(folded):
        masked = _mask_run(match)
        if masked is not None:
            add(match.start(), match.end(), masked)
    return sorted(found)


def scrub_name(name: str) -> str:
    """A name (file, sheet, table, column, JSON path) safe to show, its shape kept.

    Characters outside a masked span are the original ones (a full-width file
    name stays full-width), so the place can still be found.
    """
    if not name:
        return name
    name = str(name)
    if name.isascii():
        folded, starts = name, None
    else:
        folded, starts = _fold(name)
    spans = _spans(folded)
    if not spans:
        return name
    if starts is None:
        pieces, at = [], 0
        for start, end, replacement in spans:
            pieces += [name[at:start], replacement]
            at = end
        return "".join(pieces) + name[at:]
    return _splice_folded(name, starts, spans, folded)


def _splice_folded(name: str, starts: list[int], spans: list[tuple[int, int, str]], folded: str) -> str:
    """Rebuild a non-ASCII name: original characters outside the spans, masked folded text inside."""
    pieces: list[str] = []
    at = 0  # original index
    for start, end, replacement in spans:
        first = min(bisect.bisect_right(starts, start) - 1, len(name) - 1)  # original char holding `start`
        last = bisect.bisect_left(starts, end)  # one past the original char holding `end - 1`
        if first < at:
            continue
        pieces.append(name[at:first])
        lead = folded[starts[first]:start]
        tail = folded[end:starts[last]]
        pieces.append(lead + replacement + tail)
        at = last
    return "".join(pieces) + name[at:]


def scrub(message: str, limit: int | None = MESSAGE_LIMIT) -> str:
    """An error or log message safe to print: library exceptions can quote the data they choked on.

    Scrubbed first, then cut to `limit` characters (None: no cap), so a cut can
    never leave the unmasked half of a value behind.
    """
    message = str(message)
    if limit is not None and len(message) > 4 * limit:
        message = message[: 4 * limit]
    cleaned = scrub_name(message)
    return cleaned if limit is None else cleaned[:limit]


class ScrubFilter(logging.Filter):
    """Scrubs every record a handler emits: message, arguments, traceback and stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string still gets logged, scrubbed
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = scrub(message, limit=None), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, limit=None)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, limit=None)
        return True


def install_filter(handler: logging.Handler) -> None:
    """Add the scrub filter to `handler` once."""
    if not any(isinstance(f, ScrubFilter) for f in handler.filters):
        handler.addFilter(ScrubFilter())
