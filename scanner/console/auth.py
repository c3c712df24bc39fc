"""Sessions, CSRF tokens and roles for the console.

A session is a cookie signed with itsdangerous (HttpOnly, SameSite=Strict,
Secure behind TLS) naming the user, a random session id and a tag of the
password hash, so changing a password or disabling an account ends its
sessions. The user is read from the store on every request. The CSRF token is
an HMAC of the session id: forms carry it as `csrf_token`, API clients send it
as `X-CSRF-Token` (they get it from `GET /api/session`). Login itself has no
session yet: it is protected by SameSite cookies and by refusing a foreign
Origin, and failed logins are rate-limited in the store. Logging out records
the session in the audit log, which ends it even where the cookie was copied.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request

from scanner.state import schema
from scanner.state.store import StateStore
from scanner.state.users import User

SESSION_COOKIE = "piiscan_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass
class Session:
    user: User
    sid: str
    csrf: str


class SessionCodec:
    """Signs and reads session cookies; one per app (the secret)."""

    def __init__(self, secret: bytes, max_age_seconds: int):
        self.secret = secret
        self.max_age = max_age_seconds
        self.serializer = URLSafeTimedSerializer(secret, salt="piiscan-console-session")

    def password_tag(self, password_hash: str) -> str:
        return hmac.new(self.secret, b"pw:" + password_hash.encode(), hashlib.sha256).hexdigest()[:16]

    def csrf_token(self, sid: str) -> str:
        return hmac.new(self.secret, b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()

    def issue(self, username: str, password_hash: str) -> str:
        return self.serializer.dumps({"u": username, "sid": secrets.token_urlsafe(18),
                                      "pw": self.password_tag(password_hash)})

    def read(self, store: StateStore, cookie: str | None) -> Session | None:
        if not cookie or len(cookie) > 4096:
            return None
        try:
            payload: Any = self.serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:
            return None
        if not isinstance(payload, dict) or not all(isinstance(payload.get(k), str) for k in ("u", "sid", "pw")):
            return None
        row = user_row(store, payload["u"])
        if row is None or row.disabled or not hmac.compare_digest(payload["pw"], self.password_tag(row.password_hash)):
            return None
        if logged_out(store, payload["sid"]):
            return None
        user = User(row.id, row.username, row.role, row.created_at, bool(row.disabled))
        return Session(user, payload["sid"], self.csrf_token(payload["sid"]))


def session_tag(sid: str) -> str:
    """What the audit log keeps of a session id: enough to recognise it, useless to forge one."""
    return hashlib.sha256(sid.encode()).hexdigest()[:32]


def logged_out(store: StateStore, sid: str) -> bool:
    """A logout is an audit record naming the session (a copied cookie dies with it)."""
    log = schema.audit_log
    with store.engine.connect() as connection:
        return connection.execute(sa.select(log.c.id).where(log.c.action == "logout",
                                                            log.c.target == session_tag(sid)).limit(1)).first() is not None


def user_row(store: StateStore, username: str) -> Any:
    u = schema.users
    with store.engine.connect() as connection:
        return connection.execute(u.select().where(u.c.username == username)).first()


def csrf_ok(session: Session, supplied: str | None) -> bool:
    return bool(supplied) and hmac.compare_digest(str(supplied), session.csrf)


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site (Origin or Referer header)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin != "null"
    host = request.headers.get("x-forwarded-host") or request.headers.get("host") or ""
    rest = origin.split("://", 1)[-1]
    return rest.split("/", 1)[0].lower() == host.lower()


def safe_next(target: str | None) -> str:
    """Only a local path may follow a login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""
