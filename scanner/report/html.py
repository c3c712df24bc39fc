"""The HTML report: one self-contained file a reviewer opens by double-click.

Rendered by Jinja2 with autoescape from templates/report.html; the CSS and JS
are included inline and the charts are inline SVG, and a Content-Security-Policy
forbids every fetch, so the file works offline, from a mail attachment or a
file share, and cannot leak anything by loading a URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scanner.report.labels import STATUS_ORDER
from scanner.report.output import write_text
from scanner.report.templating import environment
from scanner.report.view import (
    CLOSED_STATUSES,
    ERROR_COLUMNS,
    IMPACT_COLUMNS,
    VIOLATION_COLUMNS,
    Column,
    ReportView,
    build_view,
)
from scanner.severity import SEVERITIES, severity_rank

# The HTML table folds datastore/table/field into one location cell and the
# category under the data type, so a reviewer sees a violation on one screen;
# CSV and xlsx keep every column apart for filtering in Excel.
HTML_VIOLATION_COLUMNS = (
    Column("severity"),
    Column("status"),
    Column("kind"),
    Column("location"),
    Column("data"),
    Column("count", numeric=True),
    Column("evidence"),
    Column("clause"),
    Column("remediation"),
    Column("fingerprint"),
)

HTML_FINDING_COLUMNS = (
    Column("entity_type"),
    Column("location"),
    Column("position", numeric=True),
    Column("count", numeric=True),
    Column("sampled", numeric=True),
    Column("confidence", numeric=True),
    Column("method"),
    Column("examples"),
    Column("why"),
)



def _status_rank(code: str | None) -> int:
    return STATUS_ORDER.index(code) if code in STATUS_ORDER else len(STATUS_ORDER)


def _facet(view: ReportView, rows: list[Any], key: str, group: str, order: tuple[str, ...] = ()) -> tuple:
    present = {getattr(row, key) for row in rows if getattr(row, key)}
    codes = [c for c in order if c in present] + sorted(present.difference(order))
    return key, [(code, view.labels.code(group, code)) for code in codes]


def render_html(view: ReportView) -> str:
    """The report as one HTML document."""
    facets = {
        "violations": [
            _facet(view, view.violations, "severity", "severity", SEVERITIES),
            _facet(view, view.violations, "status", "status", STATUS_ORDER),
            _facet(view, view.violations, "kind", "kind"),
        ],
        "findings": [_facet(view, view.findings, "entity_type", "entity")],
    }
    facets["violations"] = [f for f in facets["violations"] if f[1]]
    return environment().get_template("report.html").render(
        view=view,
        columns={
            "violations": VIOLATION_COLUMNS,
            "impact": IMPACT_COLUMNS,
            "errors": ERROR_COLUMNS,
        },
        facets=facets,
        html_violation_columns=HTML_VIOLATION_COLUMNS,
        html_finding_columns=HTML_FINDING_COLUMNS,
        closed=CLOSED_STATUSES,
        severity_rank=severity_rank,
        status_rank=_status_rank,
    )


def write_html(result: dict[str, Any], output: Path, lang: str) -> list[Path]:
    """Write the HTML report of `result` to `output`."""
    return [write_text(output, render_html(build_view(result, lang)))]
