"""Making cell values safe for spreadsheets.

A text cell that starts with =, +, -, @ (or a tab / carriage return) is run as a
formula by Excel and LibreOffice when a CSV is opened ("CSV injection"); a
datastore or field name in a scanned estate can be anything, so such cells get
a leading apostrophe, which spreadsheets hide and never evaluate.
"""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """`value` with a leading apostrophe when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
