"""The box-table renderer: fits its width, loses no character, keeps no-wrap columns whole."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from scanner.report.text_table import Column, paragraph, render

CELL = st.text(alphabet=st.sampled_from(list("abcXYZ019 .-/›") + ["予", "約", "番", "号"]), max_size=60)


def _letters(text: str) -> str:
    """The characters of `text` that are not layout (borders, spaces, line breaks)."""
    return "".join(ch for ch in text if ch not in " \n│┃━─┏┳┓┡╇┩├┼┤└┴┘")


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=6), width=st.integers(40, 160))
def test_fits_the_width_and_keeps_every_character(rows, width):
    columns = [Column("source"), Column("where", ratio=2), Column("count", justify="right")]
    lines = render("Title", columns, rows, width, show_lines=True).splitlines()
    assert max(cell_len(line) for line in lines) <= width
    body, shown = lines[4:-1], [["", "", ""]]
    for line in body:  # each row's lines, column by column, up to the next separator
        if line.startswith("├"):
            shown.append(["", "", ""])
            continue
        for k, part in enumerate(line.split("│")[1:-1]):
            shown[-1][k] += _letters(part)
    assert shown == [[_letters(cell) for cell in row] for row in rows]


def test_a_no_wrap_column_stays_whole_and_long_cells_fold():
    rows = [("hello world this is long text abcdefghijklmnopqrstuvwxyz", "12", "abcdefabcdef")]
    columns = [Column("a"), Column("count", justify="right"), Column("fingerprint", no_wrap=True, min_width=12)]
    lines = render("Findings (1)", columns, rows, 40).splitlines()
    assert lines[0].strip() == "Findings (1)"
    assert lines[1].startswith("┏") and lines[3].startswith("┡") and lines[-1].startswith("└")
    assert all(cell_len(line) <= 40 for line in lines)
    assert "abcdefabcdef" in lines[4] and "12 │" in lines[4]  # right-justified count, whole fingerprint
    assert "".join(line.split("│")[1].strip() for line in lines[4:-1]) == "hello worldthis is longtextabcdefghijklmnopqrstuvwxyz"


def test_rows_separated_when_asked():
    text = render("", [Column("x")], [("a",), ("b",)], 20, show_lines=True)
    assert text.splitlines() == ["┏━━━┓", "┃ x ┃", "┡━━━┩", "│ a │", "├───┤", "│ b │", "└───┘"]


def test_paragraph_wraps_at_spaces():
    assert paragraph("Sources: 2 scanned, 1 partial", 12) == "Sources: 2\nscanned, 1\npartial"
