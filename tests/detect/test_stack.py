"""A wide batch matched stacked (scanner.detect.stack) gives the findings a column-by-column scan gives."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.detect.stack import StackedColumns, match
from scanner.detect.stats import ColumnStats
from scanner.model import Location
from scanner.scan.options import ScanOptions, build_detector

COLUMNS = {  # name -> one value per row (rows differ per copy)
    "traveler": lambda i: ["Taro Yamada", "Hanako Sato", "Ken Ito", "山田 太郎"][i % 4],
    "email": lambda i: f"user{i}@example.co.jp",
    "phone": lambda i: f"090-{1000 + i:04d}-{5678 + i % 7:04d}",
    "card_number": lambda i: ["4111111111111111", "5500005555555559", "3530111333300000"][i % 3],
    "notes": lambda i: ["window seat", f"call me on 090-1234-{5600 + i:04d}", f"mail a{i}@example.com", ""][i % 4],
    "booking_id": lambda i: f"BK{i:07d}",
    "amount": lambda i: str(i * 13 % 997),
}


@pytest.fixture(scope="module")
def detector():
    return build_detector(ScanOptions())[0]


def wide_batch(copies: int, rows: int) -> tuple[list[str], list[pa.Array]]:
    names, arrays = [], []
    for copy in range(copies):
        for name, make in COLUMNS.items():
            names.append(f"{name}_{copy}")
            arrays.append(pa.array([make(copy * rows + i) or None for i in range(rows)], type=pa.string()))
    return names, arrays


def findings(detector, names: list[str], stats: list[ColumnStats], rows: int) -> list[tuple]:
    out = []
    for name, column in zip(names, stats, strict=True):
        for f in detector.findings(column, Location("t.csv", None, name), rows):
            out.append((name, f.entity_type, f.count, f.confidence, tuple(f.examples), f.lines, f.count_estimated))
    return sorted(out)


@pytest.mark.parametrize(("copies", "rows"), [(1, 50), (6, 200), (30, 40), (4, 600)])  # 600: probed
def test_stacked_batch_equals_column_by_column(detector, copies, rows):
    names, arrays = wide_batch(copies, rows)
    assert StackedColumns.worth_it(arrays, rows, 4 * detector.config.columns.probe_size)
    expected, got = column_by_column_and_stacked(detector, names, arrays, rows)
    assert expected, "the batch holds PII: an empty comparison proves nothing"
    assert got == expected


def column_by_column_and_stacked(detector, names: list[str], arrays: list[pa.Array], rows: int):
    """The findings of the columns observed one by one, and observed as one stacked batch
    (their non-empty counts must agree too)."""
    one_by_one = [ColumnStats(name=n) for n in names]
    for column, array in zip(one_by_one, arrays, strict=True):
        detector.observe(column, array)
    stacked = [ColumnStats(name=n) for n in names]
    detector.observe_batch(stacked, arrays)
    assert [s.non_empty for s in stacked] == [s.non_empty for s in one_by_one]
    return findings(detector, names, one_by_one, rows), findings(detector, names, stacked, rows)


def test_long_batches_are_not_stacked(detector):
    arrays = [pa.array(["x"] * 5000), pa.array(["y"] * 5000)]
    assert not StackedColumns.worth_it(arrays, 5000, 4 * detector.config.columns.probe_size)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=8), min_size=1, max_size=6),
       st.sampled_from([r"\d{4}", r"^[A-Za-z0-9]+$", r"@", r"(?i)seat"]))
def test_a_columns_slice_of_the_stack_is_its_own_match(columns, pattern):
    arrays = [pa.array(c, type=pa.string()) for c in columns]
    stack = StackedColumns(arrays)
    for i, array in enumerate(arrays):
        assert np.array_equal(stack.matches(i)(pattern), match(array, pattern))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["090-1234-5678", "seat 12", "a@b.co", "", "x1"]), min_size=0, max_size=40),
                min_size=1, max_size=5),
       st.sampled_from([r"^\d{3}-\d{4}-\d{4}$", r"^[A-Za-z0-9]+$", r"@", r"(?i)seat"]))
def test_the_stacked_probe_only_skips_columns_none_of_whose_probed_cells_match(columns, pattern):
    arrays = [pa.array(c, type=pa.string()) for c in columns]
    stack = StackedColumns(arrays, probe_size=4)  # columns of more than 8 cells are probed
    for i, array in enumerate(arrays):
        own = match(array, pattern)
        view = stack.matches(i)
        if view.may_match(pattern):
            assert np.array_equal(view.cells(pattern), own)
        else:
            assert len(array) > 8
            probed = np.linspace(0, len(array) - 1, 4).astype(np.int64)
            assert not own[probed].any()
        assert np.array_equal(view(pattern), own)  # every-cell answers never depend on the probe


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["090-1234-5678", "seat 12", "a@b.co", "", "x1"]), min_size=0, max_size=40),
                min_size=1, max_size=5),
       st.sampled_from([r"^\d{3}-\d{4}-\d{4}$", r"@"]), st.data())
def test_a_column_that_wants_a_pattern_gets_every_cell_matched_whatever_its_probe(columns, pattern, data):
    arrays = [pa.array(c, type=pa.string()) for c in columns]
    stack = StackedColumns(arrays, probe_size=4)
    wanting = data.draw(st.sets(st.integers(0, len(arrays) - 1)))
    for i in wanting:
        stack.want(pattern, i)
    order = data.draw(st.permutations(range(len(arrays))))
    for i in order:  # any asking order: the first ask computes for every column that may need it
        view = stack.matches(i)
        if i in wanting or view.may_match(pattern):
            assert np.array_equal(view.cells(pattern), match(arrays[i], pattern))


def test_validation_of_a_stacked_pattern_runs_once_and_answers_per_column():
    from recognizers.credit_card import CreditCardRecognizer

    card = CreditCardRecognizer()
    columns = [pa.array(["4111111111111111", "4111111111111112", "x"] * 30), pa.array(["5500005555555559"] * 90),
               pa.array(["window seat"] * 90)]
    stack = StackedColumns(columns, probe_size=4)
    calls = []

    def validate_many(cells):
        calls.append(len(cells))
        return card.validate_many(cells)

    pattern = card.cell_pattern(None)
    for i, column in enumerate(columns):
        view = stack.matches(i)
        if not view.may_match(pattern):
            assert view.validated(pattern, "card", validate_many) is None or not view.validated(
                pattern, "card", validate_many).any()
            continue
        matched = view.cells(pattern)
        got = view.validated(pattern, "card", validate_many)
        expected = np.zeros(len(column), dtype=bool)
        expected[matched] = card.validate_many(column.filter(pa.array(matched)))
        assert np.array_equal(got, expected)
    assert len(calls) == 1  # one call for the matched cells of every column
    assert stack.matches(0).validated(pattern, "card", validate_many).sum() == 30


def test_the_probe_grows_when_a_low_share_can_classify_a_column():
    """A probe of n cells misses a pattern a column needs with odds under (1 - share)^n: with a
    share as low as 5% (an entity override) it must read hundreds of cells, not 64; a share of
    0 turns probing off."""
    from scanner.detect.config import DetectionConfig, EntityOverrides

    assert DetectionConfig().probe_cells(64) == 64
    low = DetectionConfig(entities={"CREDIT_CARD": EntityOverrides(unhinted_min_share=0.05)})
    assert low.probe_cells(64) >= 400 and 0.95 ** low.probe_cells(64) < 1e-9
    assert DetectionConfig(entities={"CREDIT_CARD": EntityOverrides(unhinted_min_share=0.0)}).probe_cells(64) == 0


def test_a_sparse_column_is_classified_alike_stacked_when_its_share_is_low():
    """Card numbers in 6% of a 300-row column, with CREDIT_CARD's unhinted share at 5%: the
    stacked batch (probing columns of 300 cells) finds what column-by-column finds."""
    from recognizers import default_recognizers
    from scanner.detect.config import DetectionConfig, EntityOverrides
    from scanner.detect.engine import Detector

    config = DetectionConfig(entities={"CREDIT_CARD": EntityOverrides(unhinted_min_share=0.05)})
    sparse = Detector(default_recognizers(ner=False), config)
    rows = 300
    names = [f"code_{k}" for k in range(6)]
    arrays = [pa.array(["4111111111111111" if (i * 7 + k) % 17 == 0 else f"X{i:05d}" for i in range(rows)])
              for k in range(6)]
    expected, got = column_by_column_and_stacked(sparse, names, arrays, rows)
    assert any(f[1] == "CREDIT_CARD" for f in expected)
    assert got == expected
