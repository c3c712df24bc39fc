"""What every console route shares: the config, the store, the session of a request, rendering, role checks.

Templates autoescape everything: the store holds masked evidence only, and
names and reasons typed by people are shown as text, never as markup. A page
sends a visitor without a session to /login; an API endpoint answers 401.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from scanner.console.auth import SESSION_COOKIE, Session, SessionCodec
from scanner.console.i18n import LANG_COOKIE, ConsoleLabels, pick_language
from scanner.state.store import StateStore

HERE = Path(__file__).parent


@dataclass
class ConsoleConfig:
    state: str | Path | None
    secret: bytes | None = None  # None: a random one per process (sessions end when it restarts)
    triage_file: Path | None = None  # the reviewed file; default: beside the inventory, else ./configs/triage.yaml
    secure_cookie: bool = True  # Secure flag: the console is served over TLS (behind a reverse proxy)
    session_hours: int = 12
    login_limit: int = 5  # failed logins per user name within login_window_minutes
    login_window_minutes: int = 15


@dataclass
class Console:
    """What every route needs: the store, the session codec, the templates, the config."""

    store: StateStore
    config: ConsoleConfig
    codec: SessionCodec
    templates: Environment


def console_of(request: Request) -> Console:
    return request.app.state.console


def session_of(request: Request) -> Session | None:
    if not hasattr(request.state, "session"):
        console = console_of(request)
        request.state.session = console.codec.read(console.store, request.cookies.get(SESSION_COOKIE))
    return request.state.session


def labels_of(request: Request) -> ConsoleLabels:
    return ConsoleLabels(pick_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                                       request.headers.get("accept-language")))


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    console = console_of(request)
    labels = labels_of(request)
    session = session_of(request)
    page = console.templates.get_template(template).render(
        L=labels, lang=labels.lang, session=session, user=session.user if session else None,
        csrf=session.csrf if session else "", path=request.url.path, query=dict(request.query_params),
        **context)
    response = HTMLResponse(page, status_code=status)
    if request.query_params.get("lang") == labels.lang:
        response.set_cookie(LANG_COOKIE, labels.lang, max_age=365 * 86400, httponly=True, samesite="strict",
                            secure=console.config.secure_cookie)
    return response


def _wrap(fn: Callable[..., Any], check: Callable[[Request], Response | None]) -> Callable[..., Any]:
    """Run `check` before the endpoint, keeping a sync endpoint sync (Starlette runs it in a thread)."""
    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def async_endpoint(request: Request) -> Response:
            refused = check(request)
            return refused if refused is not None else await fn(request)
        return async_endpoint

    @functools.wraps(fn)
    def endpoint(request: Request) -> Response:
        refused = check(request)
        return refused if refused is not None else fn(request)
    return endpoint


def page(role: str = "viewer") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A page for logged-in users of `role` or above: others are sent to /login, or get 403."""
    def check(request: Request) -> Response | None:
        session = session_of(request)
        if session is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={_quote(target)}", status_code=303)
        if not session.user.can(role):
            return render(request, "error.html", {"message": labels_of(request)("forbidden")}, status=403)
        return None
    return lambda fn: _wrap(fn, check)


def api(role: str = "viewer") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A JSON endpoint: 401 without a session, 403 below `role`."""
    def check(request: Request) -> Response | None:
        session = session_of(request)
        if session is None:
            return JSONResponse({"error": "unauthenticated"}, status_code=401,
                                headers={"WWW-Authenticate": 'Cookie realm="piiscan", cookie="piiscan_session"'})
        if not session.user.can(role):
            return JSONResponse({"error": "forbidden", "detail": f"needs role {role}"}, status_code=403)
        return None
    return lambda fn: _wrap(fn, check)


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def templates_env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html", "svg", "xml"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    return env


