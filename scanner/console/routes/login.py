"""`/login` (a form with `username` and `password`) and `/logout`.

Failed logins are counted in the store and refused for a while once there are
too many (429), before the password is even checked, so guessing costs time
whichever console process answers. A login posted from another site (foreign
Origin or Referer) is refused. Logging out needs the CSRF token.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from scanner.console.auth import (
    CSRF_FIELD,
    SESSION_COOKIE,
    client_address,
    csrf_ok,
    safe_next,
    same_origin,
    session_tag,
    user_row,
)
from scanner.console.core import console_of, labels_of, render, session_of
from scanner.state.users import USERNAME_MAX, audit, authenticate, record_login, too_many_failures


def login_form(request: Request) -> Response:
    if session_of(request) is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return render(request, "login.html", {"next": safe_next(request.query_params.get("next")), "error": None})


async def login(request: Request) -> Response:
    console = console_of(request)
    L = labels_of(request)
    form = await request.form()
    username = str(form.get("username") or "").strip()[: USERNAME_MAX * 2]
    password = str(form.get("password") or "")[:1024]
    target = safe_next(str(form.get("next") or ""))
    context = {"next": target, "username": username}
    if not same_origin(request):
        return render(request, "login.html", {**context, "error": L("csrf")}, status=403)
    remote = client_address(request)
    window = timedelta(minutes=console.config.login_window_minutes)
    limited = await run_in_threadpool(too_many_failures, console.store, username, remote,
                                      limit=console.config.login_limit, window=window)
    if limited:
        await run_in_threadpool(record_login, console.store, username, remote, False)
        return render(request, "login.html", {**context, "error": L("login_limited")}, status=429)
    user = await run_in_threadpool(authenticate, console.store, username, password) if username else None
    await run_in_threadpool(record_login, console.store, username, remote, user is not None)
    if user is None:
        return render(request, "login.html", {**context, "error": L("login_failed")}, status=401)
    row = await run_in_threadpool(user_row, console.store, user.username)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, console.codec.issue(user.username, row.password_hash),
                        max_age=console.config.session_hours * 3600, httponly=True, samesite="strict",
                        secure=console.config.secure_cookie, path="/")
    return response


async def logout(request: Request) -> Response:
    session = session_of(request)
    if session is not None:
        form = await request.form()
        if not csrf_ok(session, form.get(CSRF_FIELD) or request.headers.get("x-csrf-token")):
            return render(request, "error.html", {"message": labels_of(request)("csrf")}, status=403)
        await run_in_threadpool(audit, console_of(request).store, session.user.username, "logout",
                                session_tag(session.sid), None)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=console_of(request).config.secure_cookie)
    return response


ROUTES = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
