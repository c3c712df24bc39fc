"""Click commands `serve` and `users` (registered in scanner/cli.py): parse, call, print.

Starlette, uvicorn and argon2 are imported inside the commands, so `piiscan
--help` stays fast and works without the `console` extra.
"""

from __future__ import annotations

import getpass
import ipaddress
import sys
from pathlib import Path

import click

_STATE_HELP = "State store: a SQLite file path or a SQLAlchemy URL (default: the user state directory)."


class ConsoleProblem(click.ClickException):
    """Unusable store, bad account data, missing extra: one clear line, exit code 2."""

    exit_code = 2


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _secret(secret_file: Path | None) -> bytes | None:
    import os

    if secret_file is not None:
        value = secret_file.read_bytes().strip()
    else:
        value = os.environ.get("PIISCAN_CONSOLE_SECRET", "").encode().strip()
    if value and len(value) < 32:
        raise ConsoleProblem("the console secret must have at least 32 characters")
    return value or None


@click.command("serve")
@click.option("--state", envvar="PIISCAN_STATE", help=_STATE_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep 127.0.0.1 behind a reverse proxy that terminates TLS.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--triage-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Reviewed triage YAML that overrides the console (default: beside the inventory, "
                   "else ./configs/triage.yaml).")
@click.option("--secret-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="File holding the session-signing secret (or PIISCAN_CONSOLE_SECRET); without one, "
                   "sessions end when the console restarts.")
@click.option("--secure-cookie/--no-secure-cookie", default=None,
              help="Mark the session cookie Secure (HTTPS only). Default: on unless --host is a loopback address.")
@click.option("--session-hours", type=click.IntRange(1, 24 * 7), default=12, show_default=True)
@click.option("--proxy-headers/--no-proxy-headers", default=True, show_default=True,
              help="Trust X-Forwarded-For/Proto from --forwarded-allow-ips (the reverse proxy).")
@click.option("--forwarded-allow-ips", default="127.0.0.1", show_default=True)
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info",
              show_default=True)
def serve(state, host, port, triage_file, secret_file, secure_cookie, session_hours, proxy_headers,
          forwarded_allow_ips, log_level) -> None:
    """Serve the review console over the state store (pages and the JSON API at /api)."""
    try:
        import uvicorn

        from scanner.console.app import create_app
        from scanner.console.core import ConsoleConfig
    except ImportError as exc:
        raise ConsoleProblem(f"the console needs its extra: pip install 'piiscan[console]' ({exc.name} missing)") from None
    from scanner.state.store import StateError

    config = ConsoleConfig(state=state, secret=_secret(secret_file), triage_file=triage_file,
                           secure_cookie=(not _loopback(host)) if secure_cookie is None else secure_cookie,
                           session_hours=session_hours)
    try:
        app = create_app(config)
    except StateError as exc:
        raise ConsoleProblem(str(exc)) from None
    click.echo(f"piiscan console on http://{host}:{port}/ over {app.state.console.store.display}", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=proxy_headers,
                forwarded_allow_ips=forwarded_allow_ips, server_header=False)


@click.group("users")
def users() -> None:
    """Accounts of the review console (kept in the state store)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "reviewer", "admin"]), required=True,
              help="viewer reads; reviewer also decides (triage); admin also reads the audit log.")
@click.option("--state", envvar="PIISCAN_STATE", help=_STATE_HELP)
def users_add(name, role, state) -> None:
    """Create the account NAME, or set its role and password; the password is read from stdin."""
    from scanner.state.store import StateError, StateStore
    from scanner.state.users import add_user

    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {name}: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        store = StateStore.open(state)
        try:
            user = add_user(store, name, password, role, actor=f"cli:{getpass.getuser()}")
        finally:
            store.close()
    except StateError as exc:
        raise ConsoleProblem(str(exc)) from None
    click.echo(f"{user.username}: {user.role} ({store.display})")


@users.command("list")
@click.option("--state", envvar="PIISCAN_STATE", help=_STATE_HELP)
def users_list(state) -> None:
    """Every account with its role."""
    from scanner.state.store import StateError, StateStore
    from scanner.state.users import list_users

    try:
        store = StateStore.open(state)
        try:
            for user in list_users(store):
                click.echo(f"{user.username}\t{user.role}\t{'disabled' if user.disabled else 'active'}\t{user.created_at}")
        finally:
            store.close()
    except StateError as exc:
        raise ConsoleProblem(str(exc)) from None


@users.command("disable")
@click.argument("name")
@click.option("--state", envvar="PIISCAN_STATE", help=_STATE_HELP)
def users_disable(name, state) -> None:
    """Disable the account NAME (its sessions end at once); `users add` enables it again."""
    from scanner.state.store import StateError, StateStore
    from scanner.state.users import set_disabled

    try:
        store = StateStore.open(state)
        try:
            set_disabled(store, name, True, actor=f"cli:{getpass.getuser()}")
        finally:
            store.close()
    except StateError as exc:
        raise ConsoleProblem(str(exc)) from None
    click.echo(f"{name}: disabled")
