"""PHONE_NUMBER's checks over an Arrow column: most cells decided by RE2 passes, the rest by
`recognizers.phone_numbers` once per distinct value, with the same answers.

Why: a phone column (and every 9-digit id column, which the loose phone shape
matches) sent each cell through Python regexes and libphonenumber, the largest
Python cost of a scan of many small tables. Only printable-ASCII cells are decided
here (there RE2 and Python agree on digits, spaces and case); any other goes to
the reference.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recognizers.bulk import as_arrow, fullmatch_many
from recognizers.phone_numbers import accepts_national_abroad, possible_or_valid_abroad

# RE2 twins of the patterns above, for the cells a column pass decides in Arrow: printable
# ASCII only. There Python's `\d` / `\D` are RE2's `[0-9]` / `[^0-9]`, `str.strip()` strips
# spaces alone, `$` is the end of the cell (no trailing newline) and IGNORECASE folds ASCII
# letters alone; any other cell (full-width digits, 内線, tabs, U+3000) goes to `validate`.
# tests/recognizers/test_phone_vectorised.py pins the Python patterns these were written from.
_PRINTABLE_ASCII_RE2 = "[ -~]*"
_EXTENSION_RE2 = r",? ?(?:[xX]|[eE][xX][tT]\.?|[eE][xX][tT][eE][nN][sS][iI][oO][nN]) ?[0-9]{1,6}$"
_PLAN_START_RE2 = r"^(?:[+0]|\([+0])"  # is_valid_phone's startswith(("+", "0", "(0")) or "(+"
_JP_MOBILE_RE2 = "(?:0|81)[789]0[1-9][0-9]{7}"
_LOOSE_CELL_RE2 = r"\(?[0-9]{2,5}\)?[- ]?[0-9]{1,4}-[0-9]{3,4}"
_LOST_ZERO_RE2 = "[1-9][0-9]{8,9}"
_LOST_ZERO_MOBILE_RE2 = "[789]0[1-9][0-9]{7}"  # "0" + this is a JP_MOBILE number


# One pass for the shapes most cells of a phone column (and of an id column) have; each is
# provably decided by the general rule in `cell_verdicts` (which the cells it leaves go on to):
# True: 11-digit JP mobiles (`090-1234-5678`, `09012345678`, `(090)1234-5678`) and their
# `+81` form, as is_valid_phone's fast path accepts them (no extension, no `+` but `+81`).
_FAST_TRUE_RE2 = (
    r"0[789]0[- ]?[1-9][0-9]{3}[- ]?[0-9]{4}"
    r"|\(0[789]0\)[- ]?[1-9][0-9]{3}[- ]?[0-9]{4}"
    r"|\+81[- ]?[789]0[- ]?[1-9][0-9]{3}[- ]?[0-9]{4}"
)
# False: digits alone that do not start with 0 (no plan-like start) or are fewer than 9, and
# dates (8 digits at most); none has the `-` + 3-4 digits ending of the loose dashed shape.
# Also nine digits with a trunk 0 but neither `00` nor Japan's international prefix `010`
# (an id column's ids that start with 0): the JP plan's only numbers with an 8-digit
# national part are toll-free `00777…`, and no JP type starts with 0 (JP metadata).
_FAST_FALSE_RE2 = r"[1-9][0-9]*|[0-9]{1,8}|[0-9]{4}[-.][0-9]{1,2}[-.][0-9]{1,2}|0[2-9][0-9]{7}|01[1-9][0-9]{6}"
# Fewer cells than this are validated in Python: compiling the RE2 patterns costs more.
ARROW_MIN_CELLS = 64


def fast_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) for the common shapes above; the rest is left to `cell_verdicts`.

    They are `is_valid_phone`'s answers too (a match in free text): no shape has a space at
    either end (is_valid_phone answers as for the stripped cell), the True ones are its JP
    mobile fast path and the False ones are not the loose dashed shape."""
    valid = fullmatch_many(column, _FAST_TRUE_RE2)
    if valid.all():
        return valid, valid
    return valid | fullmatch_many(column, _FAST_FALSE_RE2), valid


def _digit_counts(column: pa.Array) -> np.ndarray:
    return pc.utf8_length(pc.replace_substring_regex(column, pattern="[^0-9]", replacement="")).to_numpy(
        zero_copy_only=False
    )


def _phone_shape(column: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What `is_valid_phone` looks at before libphonenumber, for each cell as it is passed to it
    (meaningful for printable-ASCII cells only): (digit count, 9-15 digits, a plan-like start,
    the JP mobile fast path). Its order: the extension off, the digits counted, then .strip()."""
    number = pc.utf8_trim(pc.replace_substring_regex(column, pattern=_EXTENSION_RE2, replacement=""), characters=" ")
    digits = pc.replace_substring_regex(number, pattern="[^0-9]", replacement="")
    count = pc.utf8_length(digits).to_numpy(zero_copy_only=False)
    in_range = (count >= 9) & (count <= 15)
    plan_start = pc.fill_null(pc.match_substring_regex(number, pattern=_PLAN_START_RE2), False).to_numpy(
        zero_copy_only=False
    )
    plus = pc.fill_null(pc.starts_with(number, "+"), False).to_numpy(zero_copy_only=False)
    plus81 = pc.fill_null(pc.starts_with(number, "+81"), False).to_numpy(zero_copy_only=False)
    mobile = in_range & plan_start & fullmatch_many(digits, _JP_MOBILE_RE2) & (plus81 | ~plus)
    return count, in_range, plan_start, mobile


def cell_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid): which cells `PhoneRecognizer.validate` answers in Arrow, and the answer.

    Printable-ASCII cells only. Decided True: the JP mobile fast path of `is_valid_phone`, or
    the loose dashed shape. Decided False: 9-15 digits (extension removed) or a plan-like start
    missing, and not the loose shape. What is left needs libphonenumber."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    cell = pc.utf8_trim(column, characters=" ")  # validate: candidate.strip()
    _count, in_range, plan_start, mobile = _phone_shape(cell)
    cell_digits = _digit_counts(cell)
    loose = fullmatch_many(cell, _LOOSE_CELL_RE2) & (cell_digits >= 10) & (cell_digits <= 11)
    valid = printable & (mobile | loose)
    decided = printable & (mobile | loose | ~in_range | ~plan_start)
    return decided, valid


def valid_phone_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) of `is_valid_phone` on each cell as it is (not stripped first): printable
    ASCII only; True by the JP mobile fast path, False outside 9-15 digits or without a plan-like
    start. What is left needs libphonenumber."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    _count, in_range, plan_start, mobile = _phone_shape(column)
    return printable & (mobile | ~in_range | ~plan_start), printable & mobile


# A Japanese number in its national layout: the trunk 0 and a non-zero digit (not 00...),
# digit groups joined by single hyphens or spaces. Digits that begin 010 (Japan's
# international prefix: `010 98 …` is parsed as +98) are left to libphonenumber too.
_JP_NATIONAL_RE2 = "0[1-9][0-9]*(?:[- ][0-9]+)*"
# The number types libphonenumber checks, in its order (`_number_type_helper`); any one makes
# a number valid. Read from the installed package's JP metadata, so the answers are its own.
_JP_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
             "fixed_line", "mobile")


@functools.cache
def _jp_plan() -> list[tuple[str, tuple[int, ...]]]:
    """(RE2 pattern, possible lengths) of the JP general description, then of each type."""
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region("JP")
    descs = [metadata.general_desc] + [getattr(metadata, name) for name in _JP_TYPES]
    return [(d.national_number_pattern, tuple(d.possible_length or ()))
            for d in descs if d is not None and d.national_number_pattern]


def jp_plan_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) of `is_valid_phone` for JP numbers in their national layout (9-11 digits,
    `03-1234-5678`, `0120 123 456`, `050-1234-5678`): what libphonenumber's `parse(.., "JP")` and
    `is_valid_number` answer. The trunk 0 is stripped (such a number never matches JP's general
    pattern with it, so parse strips it), and the national number must match the general
    description and one type, each with its possible lengths (phonenumbers'
    `_is_number_matching_desc`). Printable ASCII only; anything else stays open."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    number = pc.utf8_trim(column, characters=" ")
    digits = pc.replace_substring_regex(number, pattern="[^0-9]", replacement="")
    count = pc.utf8_length(digits).to_numpy(zero_copy_only=False)
    decided = printable & fullmatch_many(number, _JP_NATIONAL_RE2) & (count >= 9) & (count <= 11)
    decided &= ~pc.fill_null(pc.starts_with(digits, "010"), False).to_numpy(zero_copy_only=False)
    if not decided.any():
        return decided, np.zeros(len(column), dtype=bool)
    national = pc.utf8_slice_codeunits(digits, 1)
    length = count - 1
    (general, general_lengths), *types = _jp_plan()
    valid = fullmatch_many(national, general) & np.isin(length, general_lengths)
    typed = np.zeros(len(column), dtype=bool)
    for pattern, lengths in types:
        typed |= (np.isin(length, lengths) if lengths else True) & fullmatch_many(national, pattern)
    return decided, decided & valid & typed


def _abroad_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) of `possible_or_valid_abroad`: False for a printable-ASCII cell with
    fewer than 8 or more than 15 digits once the extension is off (is_possible_abroad wants 9-15,
    is_valid_national_abroad 8-12, both counted as is_valid_phone counts); the rest needs
    libphonenumber."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    count, _in_range, _plan_start, _mobile = _phone_shape(column)
    decided = printable & ((count < 8) | (count > 15))
    return decided, np.zeros(len(column), dtype=bool)


def loose_dashed_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) of `loose_dashed`: every printable-ASCII cell, by its digit count."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    count = _digit_counts(column)
    return printable, printable & (count >= 10) & (count <= 11)


def lost_zero_verdicts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) of `lost_zero_valid` in Arrow: a printable-ASCII cell that is not 9-10
    digits is False, one whose "0" makes a JP mobile is True; the rest needs libphonenumber."""
    printable = fullmatch_many(column, _PRINTABLE_ASCII_RE2)
    cell = pc.utf8_trim(column, characters=" ")
    lost = fullmatch_many(cell, _LOST_ZERO_RE2)
    mobile = lost & fullmatch_many(cell, _LOST_ZERO_MOBILE_RE2)
    return printable & (mobile | ~lost), printable & mobile


def _distinct_answers(column: pa.Array, positions: np.ndarray, check: Callable[[str], bool]) -> np.ndarray:
    """`check` on the cells at `positions`, each distinct value once (a null: False)."""
    if not len(positions):
        return np.zeros(0, dtype=bool)
    encoded = pc.dictionary_encode(pc.take(column, pa.array(positions)))
    values = encoded.dictionary.to_pylist()
    answers = np.fromiter((check(v) for v in values), dtype=bool, count=len(values))
    indices = encoded.indices
    valid = np.zeros(len(positions), dtype=bool)
    present = pc.is_valid(indices).to_numpy(zero_copy_only=False)
    valid[present] = answers[pc.drop_null(indices).to_numpy(zero_copy_only=False)]
    return valid


def bulk(
    candidates: Sequence[str] | pa.Array | pa.ChunkedArray,
    deciders: tuple[Callable[[pa.Array], tuple[np.ndarray, np.ndarray]], ...],
    check: Callable[[str], bool],
) -> np.ndarray:
    """`check` over a column: each decider in turn answers what it can in Arrow for the cells
    still open; `check` runs on the distinct values none decided (on every distinct value of a
    short column)."""
    if isinstance(candidates, pa.ChunkedArray):
        candidates = candidates.combine_chunks()
    if len(candidates) < ARROW_MIN_CELLS:
        values = candidates.to_pylist() if isinstance(candidates, pa.Array) else candidates
        answers: dict[str, bool] = {}
        return np.fromiter(
            (v is not None and (answers[v] if v in answers else answers.setdefault(v, check(v))) for v in values),
            dtype=bool,
            count=len(values),
        )
    column = as_arrow(candidates)
    decided, valid = _arrow_verdicts(column, deciders)
    still_open = np.flatnonzero(~decided)
    valid[still_open] = _distinct_answers(column, still_open, check)
    return valid


def _arrow_verdicts(
    column: pa.Array, deciders: tuple[Callable[[pa.Array], tuple[np.ndarray, np.ndarray]], ...]
) -> tuple[np.ndarray, np.ndarray]:
    """(decided, valid) over a column: each decider in turn answers what it can for the cells
    still open."""
    decided = np.zeros(len(column), dtype=bool)
    valid = np.zeros(len(column), dtype=bool)
    still_open = np.arange(len(column))
    for decide in deciders:
        cells = column if len(still_open) == len(column) else pc.take(column, pa.array(still_open))
        now, answers = decide(cells)
        decided[still_open[now]] = True
        valid[still_open[now]] = answers[now]
        still_open = still_open[~now]
        if not len(still_open):
            break
    return decided, valid


# `is_valid_phone` in Arrow, in order: the common shapes, then the general rule, then the JP plan.
VALID_PHONE_DECIDERS = (fast_verdicts, valid_phone_verdicts, jp_plan_verdicts)


def national_abroad_many(column: pa.Array) -> np.ndarray:
    """`accepts_national_abroad` over a column: `is_valid_phone` in Arrow where it can be (True:
    accepted); the numbers it declines in Arrow go on to the checks abroad alone, the numbers it
    leaves open to the whole check, each distinct value once."""
    decided, valid = _arrow_verdicts(column, VALID_PHONE_DECIDERS)
    still_open = np.flatnonzero(~decided)
    valid[still_open] = _distinct_answers(column, still_open, accepts_national_abroad)
    declined = np.flatnonzero(decided & ~valid)
    if len(declined):
        valid[declined] = bulk(pc.take(column, pa.array(declined)), (_abroad_verdicts,), possible_or_valid_abroad)
    return valid
