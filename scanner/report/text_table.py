"""Box-drawn text tables, fast enough for a scan of thousands of tables.

Why not rich's `Table`: it measures and lays out every cell through its
renderable protocol, about 0.6 ms a row; a scan of 500 database tables
reports ~10,000 rows, and printing them took 6 s, longer than the scan. This
draws the same picture (rich's heavy-head box, the title centred above, long
cells wrapped at spaces and folded inside words, a column that must not wrap
kept whole) with plain string work, ~20 µs a row. Widths are terminal cells
(`rich.cells.cell_len`: a kanji is two).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

# rich's box.HEAVY_HEAD: a heavy frame round the header, light lines below it
_TOP = ("┏", "━", "┳", "┓")
_HEAD = ("┃", "┃", "┃")
_UNDER_HEAD = ("┡", "━", "╇", "┩")
_ROW = ("│", "│", "│")
_BETWEEN_ROWS = ("├", "─", "┼", "┤")
_BOTTOM = ("└", "─", "┴", "┘")


@dataclass(frozen=True)
class Column:
    """One column: its header, how its cells line up, and how it gives way when space is short."""

    header: str
    justify: str = "left"  # or "right"
    ratio: int = 1  # a share of the width left once the narrow columns have theirs
    no_wrap: bool = False  # kept whole (fingerprints must stay copyable)
    min_width: int = 0


def render(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int,
           show_lines: bool = False) -> str:
    """The table as text no wider than `width` (a column that must not wrap may still force it wider)."""
    cells = [[str(cell).split("\n") for cell in row] for row in rows]
    widths = _widths(columns, cells, width)
    total = sum(widths) + 3 * len(widths) + 1
    out = [_centred(title, total)] if title else []
    out.append(_rule(_TOP, widths))
    out.extend(_lines(_HEAD, [[c.header] for c in columns], columns, widths))
    out.append(_rule(_UNDER_HEAD, widths))
    for i, row in enumerate(cells):
        if show_lines and i:
            out.append(_rule(_BETWEEN_ROWS, widths))
        out.extend(_lines(_ROW, row, columns, widths))
    out.append(_rule(_BOTTOM, widths))
    return "\n".join(out)


def _widths(columns: Sequence[Column], cells: list[list[list[str]]], width: int) -> list[int]:
    """Each column's natural width (its longest line), then, when the table is too wide, the
    wrapping columns shrink: those narrower than a fair share keep theirs, the rest split
    what is left by ratio."""
    natural = [max(_cells(c.header), c.min_width, 1) for c in columns]
    for row in cells:
        for k, lines in enumerate(row):
            for line in lines:
                n = _cells(line)
                if n > natural[k]:
                    natural[k] = n
    available = width - (3 * len(columns) + 1) - sum(w for w, c in zip(natural, columns, strict=True) if c.no_wrap)
    flexible = [k for k, c in enumerate(columns) if not c.no_wrap]
    if sum(natural[k] for k in flexible) <= available:
        return natural
    widths = list(natural)
    pending = sorted(flexible, key=lambda k: natural[k] / columns[k].ratio)
    while pending:
        share = available / sum(columns[k].ratio for k in pending)
        k = pending[0]
        if natural[k] <= share * columns[k].ratio:  # narrow enough: keeps its natural width
            available -= natural[k]
            pending.pop(0)
            continue
        for k in pending:  # the rest split what is left by ratio (at least their minimum, 1)
            widths[k] = max(int(share * columns[k].ratio), columns[k].min_width, 1)
        break
    return widths


def paragraph(text: str, width: int) -> str:
    """Plain text broken into lines no wider than `width` (at spaces; long words folded)."""
    return "\n".join(_wrap(text.split("\n"), max(width, 1), False))


def _rule(box: tuple[str, str, str, str], widths: list[int]) -> str:
    left, line, cross, right = box
    return left + cross.join(line * (w + 2) for w in widths) + right


def _lines(box: tuple[str, str, str], row: list[list[str]], columns: Sequence[Column],
           widths: list[int]) -> list[str]:
    left, middle, right = box
    wrapped = [_wrap(lines, w, c.no_wrap) for lines, w, c in zip(row, widths, columns, strict=True)]
    height = max((len(w) for w in wrapped), default=1)
    out = []
    for i in range(height):
        parts = []
        for lines, w, c in zip(wrapped, widths, columns, strict=True):
            text = lines[i] if i < len(lines) else ""
            pad = " " * max(w - _cells(text), 0)
            parts.append(f" {pad}{text} " if c.justify == "right" else f" {text}{pad} ")
        out.append(left + middle.join(parts) + right)
    return out


def _wrap(lines: list[str], width: int, no_wrap: bool) -> list[str]:
    """Lines no wider than `width`: broken at spaces, a word longer than the line folded."""
    if no_wrap:
        return lines
    out: list[str] = []
    for line in lines:
        if _cells(line) <= width:
            out.append(line)
            continue
        current = ""
        for word in line.split(" "):
            candidate = f"{current} {word}" if current else word
            if _cells(candidate) <= width:
                current = candidate
                continue
            if current:
                out.append(current)
            current = ""
            while _cells(word) > width:
                head, word = _fold(word, width)
                out.append(head)
            current = word
        out.append(current)
    return out or [""]


def _fold(word: str, width: int) -> tuple[str, str]:
    """The longest head of `word` that fits `width` cells (at least one character), and the rest."""
    if word.isascii():
        cut = max(width, 1)
        return word[:cut], word[cut:]
    used = 0
    for i, ch in enumerate(word):
        used += _cells(ch)
        if used > width:
            return word[: max(i, 1)], word[max(i, 1):]
    return word, ""


def _cells(text: str) -> int:
    """Terminal cells of `text`: its length when ASCII (most of a report), else rich's count."""
    return len(text) if text.isascii() else cell_len(text)


def _centred(text: str, width: int) -> str:
    pad = max(width - _cells(text), 0)
    return " " * (pad // 2) + text + " " * (pad - pad // 2)
