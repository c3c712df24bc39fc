"""The JSON API: the same data as the pages, the same session and roles, triage with a CSRF token.

A client logs in with the form (`POST /login`, fields username and password),
keeps the `piiscan_session` cookie, reads its CSRF token from `GET
/api/session`, and sends it as `X-CSRF-Token` (or `csrf_token` in the body)
with every POST. Without a session every endpoint answers 401; a viewer's
triage answers 403. Described by `GET /api/openapi.json`.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from scanner.console import decide, views
from scanner.console.auth import CSRF_FIELD, CSRF_HEADER, client_address, csrf_ok
from scanner.console.core import api, console_of, labels_of, session_of
from scanner.console.openapi import openapi_document
from scanner.console.queries import Filters, reviewed_triage

BODY_MAX = 64 * 1024


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def _error(status: int, error: str, detail: str = "") -> JSONResponse:
    return _json({"error": error, "detail": detail}, status)


@api()
def session_info(request: Request) -> Response:
    session = session_of(request)
    assert session is not None
    return _json({"username": session.user.username, "role": session.user.role, "csrf_token": session.csrf})


@api()
def runs(request: Request) -> Response:
    return _json({"runs": views.runs(console_of(request))})


@api()
def run_diff(request: Request) -> Response:
    console = console_of(request)
    run = console.store.run(request.path_params["run_id"])
    if run is None:
        return _error(404, "not_found", "no such run")
    return _json(views.diff(console, run))


def _list(request: Request, build: Any) -> Response:
    console = console_of(request)
    run = views.pick_run(console, request.query_params.get("run"))
    if run is None:
        return _json({"run": None, "items": [], "total": 0})
    offset, limit = views.page_bounds(request.query_params.get("offset"), request.query_params.get("limit"))
    data = build(console, run, Filters.from_params(request.query_params), offset, limit)
    data.pop("choices", None)
    return _json(data)


@api()
def violations(request: Request) -> Response:
    return _list(request, views.violations)


@api()
def findings(request: Request) -> Response:
    return _list(request, views.findings)


@api()
def violation(request: Request) -> Response:
    fingerprint = request.path_params["fingerprint"].lower()
    data = views.item(console_of(request), fingerprint) if decide.FINGERPRINT.match(fingerprint) else None
    return _json(data) if data is not None else _error(404, "not_found", "no such fingerprint")


@api()
def trend(request: Request) -> Response:
    return _json(views.trend(console_of(request), request.query_params.get("inventory")))


@api(role="reviewer")
async def triage(request: Request) -> Response:
    console = console_of(request)
    session = session_of(request)
    assert session is not None
    body = await _body(request)
    if body is None:
        return _error(400, "bad_request", "send JSON or a form body")
    if not csrf_ok(session, request.headers.get(CSRF_HEADER) or body.get(CSRF_FIELD)):
        return _error(403, "csrf", "missing or wrong CSRF token (X-CSRF-Token from GET /api/session)")
    fingerprint = request.path_params["fingerprint"].lower()
    L = labels_of(request)
    try:
        decision = decide.check(body.get("status"), body.get("reason"), body.get("until"))
        data = await run_in_threadpool(views.item, console, fingerprint) if decide.FINGERPRINT.match(fingerprint) else None
        if data is None:
            raise decide.Refused(404, "not_found")
        reviewed = await run_in_threadpool(reviewed_triage, console.config.triage_file, data["inventory"])
        entry = await run_in_threadpool(decide.record, console.store, session.user, fingerprint, decision, reviewed,
                                        client_address(request))
    except decide.Refused as refused:
        return _error(refused.status, refused.key, L(refused.key, **refused.values))
    return _json({"fingerprint": entry.fingerprint, "decision": entry.to_dict(), "source": "console",
                  "applies": "from the next nightly run"}, 201)


async def _body(request: Request) -> dict[str, Any] | None:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        raw = await request.body()
        if len(raw) > BODY_MAX:
            return None
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return None
        return body if isinstance(body, dict) else None
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form(max_files=0, max_fields=20)
        return {k: str(v) for k, v in form.items()}
    return None


def openapi(request: Request) -> Response:
    """Public (it describes the API, it holds no data)."""
    return _json(openapi_document())


ROUTES = [
    Route("/api/openapi.json", openapi),
    Route("/api/session", session_info),
    Route("/api/runs", runs),
    Route("/api/runs/{run_id:int}/diff", run_diff),
    Route("/api/violations", violations),
    Route("/api/violations/{fingerprint}", violation),
    Route("/api/violations/{fingerprint}/triage", triage, methods=["POST"]),
    Route("/api/findings", findings),
    Route("/api/trend", trend),
]
