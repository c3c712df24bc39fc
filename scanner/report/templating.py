"""The Jinja2 environment the HTML and Markdown reports render with.

Autoescaping is on for `.html` templates, so every value from a result is
escaped where it is printed and a field name such as `<script>` shows as text.
Markdown templates get an `md` filter instead (Markdown has no escaping of its
own that Jinja2 knows). Undefined names raise, so a typo in a template fails
the tests rather than printing an empty cell.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def md_escape(value: object) -> str:
    """One Markdown table cell: special characters escaped, line breaks folded to spaces."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", text)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("scanner.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env
