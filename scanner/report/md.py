"""The Markdown summary: short enough to paste into a ticket or a chat message.

Counts, the changes since the last run, the most severe open violations (with
masked evidence and the clause they break), the reportable datastores and any
sources that could not be read; the full tables are in the HTML/xlsx reports.
Rendered from templates/summary.md, with every value from the result escaped
by the `md` filter so a field name cannot break the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scanner.report.output import write_text
from scanner.report.templating import environment
from scanner.report.view import ReportView, build_view

TOP_VIOLATIONS = 10


def render_markdown(view: ReportView, top: int = TOP_VIOLATIONS) -> str:
    """The summary as Markdown (GitHub-flavoured tables)."""
    active = view.active_violations  # already sorted most severe first
    return environment().get_template("summary.md").render(
        view=view, top=active[:top], more=max(len(active) - top, 0)
    )


def write_md(result: dict[str, Any], output: Path, lang: str) -> list[Path]:
    """Write the Markdown summary of `result` to `output`."""
    return [write_text(output, render_markdown(build_view(result, lang)))]
