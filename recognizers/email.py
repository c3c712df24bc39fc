"""EMAIL_ADDRESS: e-mail addresses (メールアドレス).

`local@domain` as RFC 5321/5322 allow in practice: a dot-atom local part of at
most 64 characters, a domain of LDH labels (at most 63 characters each, no
leading or trailing hyphen) ending in an alphabetic top-level domain of 2-63
letters (or an IDN `xn--` label), 254 characters in all.

Checked offline: Presidio's EmailRecognizer validates through `tldextract`,
which fetches the public suffix list at first use (a network call, and a hang
behind a firewall), so it is not used. Instead a short list of file extensions
that look like TLDs (`icon@2x.png`) and reserved example hosts with no dot are
refused. An address is specific enough to be classified by its values alone,
with no context or field hint.

Sources: RFC 5321 §4.5.3.1 (size limits), RFC 5322 §3.4.1 (addr-spec),
RFC 1035 §2.3.1 (labels).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from stdnum.exceptions import InvalidFormat

from recognizers import masks
from recognizers.base import PatternSpec, PiiRecognizer
from recognizers.bulk import as_arrow
from recognizers.spec import EntitySpec

# Local-part characters seen in practice (RFC 5322 allows more, e.g. `=` `/` `{`, but in
# free text those glue the address to `email=` or a path).
_ATOM = r"[A-Za-z0-9_%+'\-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_TLD = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9\-]{1,59})"
EMAIL_REGEX = rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+{_TLD}"
_FILE_EXTENSIONS = frozenset(
    "png jpg jpeg gif svg webp bmp ico tif tiff pdf txt csv tsv json xml yaml yml html htm css js ts py rb "
    "java go rs zip gz tar log md doc docx xls xlsx ppt pptx mp3 mp4 mov avi wav".split()
)


def is_valid_email(candidate: str) -> bool:
    """Length limits and label rules a regex cannot express cheaply; no DNS, no network."""
    local, sep, domain = candidate.rpartition("@")
    if not sep or not local or len(local) > 64 or len(candidate) > 254:
        return False
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or any(not label or len(label) > 63 for label in labels):
        return False
    if any(label.startswith("-") or label.endswith("-") for label in labels):
        return False
    tld = labels[-1].lower()
    return tld not in _FILE_EXTENSIONS and (tld.isalpha() or tld.startswith("xn--"))


def validate(value: str) -> str:
    """The address; InvalidFormat (with why) when `is_valid_email` refuses it."""
    if not is_valid_email(value):
        raise InvalidFormat("not an e-mail address (local part, labels or top-level domain)")
    return value


def is_valid(value: str) -> bool:
    return is_valid_email(value)


# The rules of `is_valid_email` as one RE2 pattern, for whole ASCII columns. Local part (up to
# the last `@`): no leading or trailing dot and no two dots in a row. Domain: at least two
# labels, each 1-63 characters with no leading or trailing hyphen; the last one (the
# top-level domain) letters only, or `xn--` and more. Lengths (whole value, local part) and
# file extensions are separate passes.
_DOMAIN_LABEL_RE2 = r"[^.\-@](?:[^.@]{0,61}[^.\-@])?"
_TLD_RE2 = r"(?:[A-Za-z]{1,63}|[Xx][Nn]--[^.@]{0,58}[^.\-@])"
_EMAIL_RE2 = rf"(?s)^[^.](?:\.?[^.])*@(?:{_DOMAIN_LABEL_RE2}\.)+{_TLD_RE2}$"
_LAST_AT_RE2 = r"@[^@]*$"
_EXTENSION_RE2 = rf"(?i)\.(?:{'|'.join(sorted(_FILE_EXTENSIONS))})$"


def is_valid_email_many(values: Sequence[str] | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """`is_valid_email` over a whole column in Arrow (the same answers: tested on the
    table and on random strings), in four passes over the column. Non-ASCII values, rare
    in a column that matched an address shape, go through the scalar check (`str.isalpha`
    knows every script; byte offsets are character offsets only in ASCII)."""
    column = pc.fill_null(as_arrow(values), "")
    if len(column) == 0:
        return np.zeros(0, dtype=bool)
    ok = pc.and_(pc.match_substring_regex(column, _EMAIL_RE2), pc.less_equal(pc.binary_length(column), 254))
    ok = pc.and_(ok, pc.less_equal(pc.find_substring_regex(column, _LAST_AT_RE2), 64))  # the local part
    ok = pc.and_not(ok, pc.match_substring_regex(column, _EXTENSION_RE2))
    valid = pc.fill_null(ok, False).to_numpy(zero_copy_only=False).copy()
    other = np.flatnonzero(~pc.string_is_ascii(column).to_numpy(zero_copy_only=False))
    for i in other:
        valid[i] = is_valid_email(column[int(i)].as_py())
    return valid


SPEC = EntitySpec(label_en="E-mail address", label_ja="メールアドレス", category="contact", mask=masks.email)


class EmailRecognizer(PiiRecognizer):
    """E-mail addresses in text and columns, validated offline."""

    ENTITY = "EMAIL_ADDRESS"
    SPEC: ClassVar[EntitySpec] = SPEC
    PREFILTER = r"[^\s@]@[A-Za-z0-9]"
    PATTERNS = (
        PatternSpec(
            "email",
            rf"(?<![A-Za-z0-9_.+%'\-@])(?P<value>{EMAIL_REGEX})(?![A-Za-z0-9_\-@]|\.[A-Za-z0-9])",
            0.9,
        ),
    )
    VALUE_PATTERN = (
        r"^(?:mailto:)?[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,63}$"
    )
    CONTEXT = ("email", "e-mail", "mail", "メール", "メアド", "連絡先", "contact")
    FIELD_HINTS = (r"e_?mail|(?:^|_)mail(?:_?addr(?:ess)?)?(?:$|_|[^\x00-\x7f])|メール|ﾒｰﾙ|メアド|mēru|meru_?adoresu",)
    FIELD_NEGATIVE_HINTS = (
        r"(?:^|_)(?:email_?(?:verified|opt_?in|status|count|sent|bounced|hash|domain)|mail_?(?:server|host|port))(?:$|_)",
    )

    # validate_many is vectorised (find_many's batches and the distinct values of a
    # column use it), but a full scan still checks a budget of distinct values and
    # extrapolates: measured, validating every address of a 10M-row column in Arrow
    # cost 10 s more than the budget, for the same column decision.
    BULK_VALIDATION = False

    def validate(self, candidate: str) -> bool:
        value = candidate.strip()
        return is_valid_email(value[7:] if value.lower().startswith("mailto:") else value)

    def validate_many(self, candidates: Sequence[str]) -> np.ndarray:
        column = pc.utf8_trim_whitespace(as_arrow(candidates))
        return is_valid_email_many(pc.replace_substring_regex(column, r"^(?i)mailto:", "", max_replacements=1))
