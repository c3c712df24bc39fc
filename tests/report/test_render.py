"""The terminal table: fits the width it is given, wraps instead of cutting, shows fingerprints and sources."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from scanner.render import FINGERPRINT_SHOWN, render_table
from tests.report.conftest import RAW_PAN, SOURCE_TABLE, VIOLATION_TABLE


@pytest.mark.parametrize("width", [60, 80, 100, 160, 240])
def test_every_line_fits_the_width(result, width):
    text = render_table(result, width)
    lines = text.splitlines()
    assert len(lines) > len(VIOLATION_TABLE)
    assert max(cell_len(line) for line in lines) <= width


@pytest.mark.parametrize("width", [60, 80, 160])
def test_fingerprints_are_shown_whole(result, width):
    text = render_table(result, width)
    for violation in result["violations"]:
        assert violation["fingerprint"][:FINGERPRINT_SHOWN] in text


def test_long_text_wraps_instead_of_being_cut(result):
    result["violations"][0]["clause"] = "PCI DSS v4.0.1 Req. 3.5.1 (PAN unreadable wherever stored) ENDOFCLAUSE"
    text = render_table(result, 80)
    assert "ENDOFCLA" in "".join(line.strip("│ ") for line in text.splitlines()).replace("│", "").replace(" ", "")


def test_sources_counts_and_the_ones_not_fully_scanned(result):
    text = render_table(result, 200)
    assert "Sources: 2 scanned, 1 partial, 2 skipped, 2 failed" in text
    listed = [row for row in SOURCE_TABLE if row[2] != "scanned"]
    assert f"Sources not fully scanned ({len(listed)})" in text
    section = text.split("Sources not fully scanned")[1].splitlines()
    for source, _table, status, reason, *_ in listed:
        line = next(line for line in section if source in line)
        assert status in line and reason in line
    assert "sample_data/crm.sqlite" not in text  # scanned in full: counted, not listed
    assert RAW_PAN not in text  # a detail holding a raw value is masked


def test_no_sources_key_no_sources_lines(result):
    result.pop("sources")
    assert "Sources" not in render_table(result, 120)


def test_default_width_is_the_consoles(result, monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    assert max(cell_len(line) for line in render_table(result).splitlines()) <= 70
