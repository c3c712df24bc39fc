"""The console's routes: login, pages, JSON API (one module each)."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    from scanner.console.routes import api, login, pages

    return [*login.ROUTES, *pages.ROUTES, *api.ROUTES]
