"""Stacked matching takes a batch whose columns mix string and large_string (a Parquet file
written by pandas holds both): the same answers as column by column."""

from __future__ import annotations

import pyarrow as pa

from scanner.detect.stack import StackedColumns, match


def test_mixed_string_types_stack():
    columns = [pa.array(["TK1234567", "x"], pa.string()), pa.array(["y", "TR7654321"], pa.large_string())]
    stacked = StackedColumns(columns)
    for i, column in enumerate(columns):
        assert list(stacked.matches(i)("^[A-Z]{2}[0-9]{7}$")) == list(match(column, "^[A-Z]{2}[0-9]{7}$"))
