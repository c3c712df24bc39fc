"""The IIN table is data (recognizers/data/iin_ranges.tsv) with sources and a review date,
and the scalar and bulk PAN checks read the same table."""

from __future__ import annotations

import random
import re
from importlib.resources import files

import pytest
from stdnum import luhn

from recognizers.card_iin import IIN_DATA, IIN_RANGES, card_brand, load_iin_ranges
from recognizers.credit_card import is_valid, is_valid_many


def _pan(prefix: str, length: int, rng: random.Random | None = None) -> str:
    rng = rng or random.Random(prefix)
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


# (prefix, length, brand or None) — ranges from the table's sources (issue #15)
VECTORS = [
    ("3528", 16, "jcb"), ("3589", 19, "jcb"),
    ("3088", 16, "jcb"), ("3094", 16, "jcb"), ("3096", 16, "jcb"), ("3102", 17, "jcb"),
    ("3112", 16, "jcb"), ("3120", 16, "jcb"), ("3158", 16, "jcb"), ("3159", 18, "jcb"),
    ("3337", 16, "jcb"), ("3349", 16, "jcb"),
    ("3095", 14, "diners"),
    ("3087", 16, None), ("3103", 16, None), ("3111", 16, None), ("3121", 16, None), ("3160", 16, None),
    ("3336", 16, None), ("3350", 16, None),
    ("62", 16, "unionpay"), ("8100", 16, "unionpay"), ("8171", 19, "unionpay"), ("8172", 16, None),
    ("5018", 13, "maestro"), ("6759", 19, "maestro"), ("6763", 16, "maestro"), ("6764", 16, None),
    ("4", 16, "visa"), ("2221", 16, "mastercard"), ("34", 15, "amex"), ("34", 16, None),
]


@pytest.mark.parametrize(("prefix", "length", "brand"), VECTORS, ids=[f"{p}/{n}" for p, n, _ in VECTORS])
def test_brand_and_validity(prefix, length, brand):
    pan = _pan(prefix, length)
    assert card_brand(pan) == brand
    assert is_valid(pan) is (brand is not None)
    assert bool(is_valid_many([pan])[0]) is (brand is not None)


def test_bulk_equals_scalar_over_every_range():
    rng = random.Random(15)
    pans = [_pan(str(r.low + rng.randrange(r.high - r.low + 1)), rng.choice(r.lengths), rng)
            for r in IIN_RANGES for _ in range(5) if max(r.lengths) >= 13]
    pans += [p[:-1] + str((int(p[-1]) + 1) % 10) for p in pans[:50]]  # check digit off
    assert list(is_valid_many(pans)) == [is_valid(p) for p in pans]


def test_the_data_file_names_its_sources_and_review_date():
    text = files("recognizers").joinpath("data", IIN_DATA).read_text(encoding="utf-8")
    assert re.search(r"^# Reviewed: \d{4}-\d{2}-\d{2}", text, re.M)
    declared = set(re.findall(r"^#\s+\[(\w+)\]", text, re.M))
    used = {line.split("\t")[4] for line in text.splitlines() if line and not line.startswith("#")}
    assert used and used <= declared


@pytest.mark.parametrize("line", ["x\t35\t358\t16\twiki", "x\t3589\t3528\t16\twiki", "x\t35281\t35289\t16\twiki"])
def test_a_malformed_range_is_refused(line):
    with pytest.raises(ValueError, match=IIN_DATA):
        load_iin_ranges(line + "\n")
