"""The console's HTML pages: runs and their diff, trend, violations, findings, one item, impact, datastores.

Every page needs a session (viewer or above); deciding needs a reviewer; the
audit log is for admins. Lists take `?run=N` (default: the newest complete
run) and the filters datastore, severity, kind, entity, status.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from scanner.console import decide, views
from scanner.console.auth import CSRF_FIELD, client_address, csrf_ok
from scanner.console.charts import SEVERITY_COLOURS, line_chart
from scanner.console.core import console_of, labels_of, page, render, session_of
from scanner.console.queries import Filters, reviewed_triage
from scanner.state.users import audit_entries


def home(request: Request) -> Response:
    return RedirectResponse("/runs", status_code=303)


@page()
def runs_page(request: Request) -> Response:
    return render(request, "runs.html", {"runs": views.runs(console_of(request))})


@page()
def run_page(request: Request) -> Response:
    console = console_of(request)
    run = console.store.run(request.path_params["run_id"])
    if run is None:
        return _not_found(request)
    return render(request, "run.html", views.diff(console, run))


@page()
def trend_page(request: Request) -> Response:
    L = labels_of(request)
    data = views.trend(console_of(request), request.query_params.get("inventory"))
    points = data["points"]
    charts = []
    if points:
        x = [f"#{p['run_id']} {p['started_at'][5:10]}" for p in points]
        for key, group, colours in (("by_severity", "severity", SEVERITY_COLOURS), ("by_category", "category", {})):
            codes = sorted({code for p in points for code in p[key]},
                           key=lambda c: (list(SEVERITY_COLOURS).index(c) if c in SEVERITY_COLOURS else 9, c))
            series = {code: [p[key].get(code, 0) for p in points] for code in codes}
            names = {code: L.code(group, code) for code in codes}
            charts.append((L(key), line_chart(x, series, names, colours, title=L(key))))
    return render(request, "trend.html", {**data, "charts": charts})


def _list_page(request: Request, template: str, build: Any) -> Response:
    console = console_of(request)
    run = views.pick_run(console, request.query_params.get("run"))
    if run is None:
        return render(request, "empty.html", {})
    offset, limit = views.page_bounds(request.query_params.get("offset"), request.query_params.get("limit"))
    return render(request, template, build(console, run, Filters.from_params(request.query_params), offset, limit))


@page()
def violations_page(request: Request) -> Response:
    return _list_page(request, "violations.html", views.violations)


@page()
def findings_page(request: Request) -> Response:
    return _list_page(request, "findings.html", views.findings)


@page()
def item_page(request: Request) -> Response:
    fingerprint = request.path_params["fingerprint"].lower()
    data = views.item(console_of(request), fingerprint) if decide.FINGERPRINT.match(fingerprint) else None
    if data is None:
        return _not_found(request)
    return render(request, "item.html", {"item": data, "done": request.query_params.get("done") == "1",
                                         "error": None, "form": {}, "today": _today()})


@page(role="reviewer")
async def triage_form(request: Request) -> Response:
    console = console_of(request)
    session = session_of(request)
    assert session is not None
    L = labels_of(request)
    fingerprint = request.path_params["fingerprint"].lower()
    form = await request.form()
    if not csrf_ok(session, form.get(CSRF_FIELD)):
        return render(request, "error.html", {"message": L("csrf")}, status=403)
    fields = {k: str(form.get(k) or "") for k in ("status", "reason", "until")}
    try:
        decision = decide.check(fields["status"], fields["reason"], fields["until"])
        data = await run_in_threadpool(views.item, console, fingerprint) if decide.FINGERPRINT.match(fingerprint) else None
        if data is None:
            raise decide.Refused(404, "not_found")
        reviewed = await run_in_threadpool(reviewed_triage, console.config.triage_file, data["inventory"])
        await run_in_threadpool(decide.record, console.store, session.user, fingerprint, decision, reviewed,
                                client_address(request))
    except decide.Refused as refused:
        if refused.status == 404:
            return _not_found(request)
        item = await run_in_threadpool(views.item, console, fingerprint)
        return render(request, "item.html", {"item": item, "done": False, "error": L(refused.key, **refused.values),
                                             "form": fields, "today": _today()}, status=refused.status)
    lang = request.query_params.get("lang")
    suffix = f"&lang={lang}" if lang in ("ja", "en") else ""
    return RedirectResponse(f"/violations/{fingerprint}?done=1{suffix}", status_code=303)


@page()
def impact_page(request: Request) -> Response:
    return _of_run(request, "impact.html", views.impact)


@page()
def datastores_page(request: Request) -> Response:
    return _of_run(request, "datastores.html", views.datastores)


def _of_run(request: Request, template: str, view) -> Response:
    """A page about one run (`?run=N`, else the newest), or the empty page when there is none."""
    console = console_of(request)
    run = views.pick_run(console, request.query_params.get("run"))
    if run is None:
        return render(request, "empty.html", {})
    return render(request, template, view(console, run))


@page(role="admin")
def audit_page(request: Request) -> Response:
    return render(request, "audit.html", {"entries": audit_entries(console_of(request).store)})


def _not_found(request: Request) -> Response:
    return render(request, "error.html", {"message": labels_of(request)("not_found")}, status=404)


def _today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


ROUTES = [
    Route("/", home),
    Route("/runs", runs_page),
    Route("/runs/{run_id:int}", run_page),
    Route("/trend", trend_page),
    Route("/violations", violations_page),
    Route("/violations/{fingerprint}", item_page),
    Route("/violations/{fingerprint}/triage", triage_form, methods=["POST"]),
    Route("/findings", findings_page),
    Route("/findings/{fingerprint}", item_page),
    Route("/impact", impact_page),
    Route("/datastores", datastores_page),
    Route("/audit", audit_page),
]
