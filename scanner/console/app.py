"""The review console's Starlette application: one store, one secret, pages and a JSON API.

`create_app(ConsoleConfig(...))` opens the state store (migrating it like every
piiscan command) and wires the routes of `scanner.console.routes`. Every
response carries a strict Content-Security-Policy (only this server's own
scripts, styles and images; every asset is package data, no CDN), is never
cached (static assets for an hour), and may not be framed.
"""

from __future__ import annotations

import logging
import secrets

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scanner.console.auth import SessionCodec
from scanner.console.core import HERE, Console, ConsoleConfig, templates_env
from scanner.console.routes import routes
from scanner.state.store import StateStore

log = logging.getLogger(__name__)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    """Pure ASGI middleware: CSP, no sniffing, no framing, no caching, no referrer to other sites."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope.get("path", "").startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin"),
                            (b"cache-control", b"public, max-age=3600" if is_static else b"no-store")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(config: ConsoleConfig, store: StateStore | None = None) -> Starlette:
    if config.secret is None:
        log.warning("no console secret given: sessions end when the console restarts")
        config.secret = secrets.token_bytes(32)
    store = store or StateStore.open(config.state)
    app = Starlette(routes=[*routes(), Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")],
                    middleware=[Middleware(SecurityHeaders)])
    app.state.console = Console(store, config, SessionCodec(config.secret, config.session_hours * 3600),
                                templates_env())
    return app
