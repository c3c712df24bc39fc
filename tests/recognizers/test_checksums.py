"""Bulk check digits (recognizers.checksums) equal python-stdnum, whatever the column's form."""

from __future__ import annotations

import random
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from stdnum import luhn
from stdnum.jp import in_

from recognizers.checksums import digit_matrix, luhn_many, my_number_many, prefix_ranges_matrix

# Real Luhn vectors: test PANs published by the schemes, and PANs of the dev corpus logs.
REAL_LUHN = [
    "4111111111111111",
    "5555555555554444",
    "378282246310005",
    "3530111333300000",
    "30569309025904",
    "6011111111111117",
    "6285253059892172",
    "4852994907589134",
    "36844778273655",
    "2878527467960767",  # a request id: not Luhn-valid
    "79927398713",  # the textbook example
    "79927398710",
]
REAL_MY_NUMBER = ["621498320257", "621498320258", "123456789018", "123456789012", "000000000000"]

_SEPARATORS = [" ", "-", "ー", "－", "　"]


def reference(values: list[object], check, max_digits: int) -> list[bool]:
    """stdnum on the value as the scalar path sees it: NFKC, separators removed, ASCII digits only."""
    out = []
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str) or "\n" in v:
            out.append(False)
            continue
        compact = unicodedata.normalize("NFKC", v)
        for sep in " -ー‐‑‒–—―−":
            compact = compact.replace(sep, "")
        ok = compact.isascii() and compact.isdigit() and 1 <= len(compact) <= max_digits
        out.append(bool(ok and check(compact)))
    return out


def random_values(rng: random.Random, n: int, min_len: int, max_len: int) -> list[object]:
    values: list[object] = []
    for _ in range(n):
        digits = "".join(rng.choices("0123456789", k=rng.randint(min_len, max_len)))
        roll = rng.random()
        if roll < 0.15:  # grouped
            sep = rng.choice(_SEPARATORS)
            digits = sep.join(digits[i : i + 4] for i in range(0, len(digits), 4))
        elif roll < 0.2:  # full width
            digits = digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        elif roll < 0.25:  # junk inside
            pos = rng.randrange(len(digits) + 1)
            digits = digits[:pos] + rng.choice("xA/.\n٣") + digits[pos:]
        elif roll < 0.27:
            values.append(rng.choice([None, "", int(digits), 3.5, True]))
            continue
        values.append(digits)
    return values


def test_luhn_many_equals_stdnum_on_real_vectors() -> None:
    assert luhn_many(REAL_LUHN).tolist() == [luhn.is_valid(v) for v in REAL_LUHN]


def test_luhn_many_equals_stdnum_on_random_values() -> None:
    rng = random.Random(1)
    values = random_values(rng, 40_000, 1, 22)
    expected = reference(values, luhn.is_valid, 19)
    assert luhn_many(values).tolist() == expected
    assert 2000 < sum(expected) < 10_000


def test_my_number_many_equals_stdnum() -> None:
    rng = random.Random(2)
    values = REAL_MY_NUMBER + random_values(rng, 40_000, 10, 14)
    expected = reference(values, in_.is_valid, 12)
    assert my_number_many(values).tolist() == expected
    assert 500 < sum(expected) < 5000


def test_random_twelve_digit_numbers_pass_the_check_one_time_in_ten() -> None:
    """What the column classifier relies on: tracking numbers pass at chance, about 10 %."""
    rng = np.random.default_rng(5)
    values = ["".join(map(str, row)) for row in rng.integers(0, 10, size=(50_000, 12))]
    assert 0.09 < my_number_many(values).mean() < 0.11


@pytest.mark.parametrize(
    "wrap",
    [
        list,
        np.array,
        lambda v: np.array(v, dtype=object),
        pd.Series,
        lambda v: pa.array(v, type=pa.string()),
        lambda v: pa.array(v, type=pa.large_string()),
        lambda v: pa.chunked_array([pa.array(v[:3]), pa.array(v[3:])]),
        lambda v: pa.array(["x"] + v).slice(1),
    ],
)
def test_every_column_form_gives_the_same_answer(wrap) -> None:
    values = [
        "4111 1111 1111 1111",
        "４１１１１１１１１１１１１１１１",
        "4111111111111112",
        "",
        "0",
        "79927398713",
        "12a",
    ]
    assert luhn_many(wrap(values)).tolist() == [True, True, False, False, True, True, False]


def test_nulls_and_integers() -> None:
    assert luhn_many(pa.array(["18", None, "0"])).tolist() == [True, False, True]
    assert luhn_many(pa.array([4111111111111111, 4111111111111112])).tolist() == [True, False]
    assert luhn_many([]).tolist() == []


def test_a_long_value_is_never_truncated_into_a_valid_one() -> None:
    long_value = "4111111111111111" + "0" * 40
    assert luhn.is_valid(long_value)  # Luhn alone would accept it
    assert luhn_many([long_value, "4111111111111111"]).tolist() == [False, True]


def test_digit_matrix_prefix_and_ranges() -> None:
    matrix = digit_matrix(["4111-1111-1111-1111", "378282246310005", "22", ""], 19)
    assert matrix.lengths.tolist() == [16, 15, 2, 0]
    assert matrix.prefix(6).tolist() == [411111, 378282, 220000, 0]
    ranges = [(4, 4, (16,)), (34, 34, (15,)), (37, 37, (15,))]
    assert prefix_ranges_matrix(matrix, ranges).tolist() == [True, True, False, False]
