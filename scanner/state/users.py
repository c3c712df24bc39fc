"""Console accounts, login attempts and the audit log, kept in the state store.

Passwords are stored as Argon2id hashes (argon2-cffi, the `console` extra), or
as scrypt hashes from the standard library where argon2-cffi is missing; both
verify, so a store moves between machines. A failed login is recorded so that
the next ones can be refused for a while (`too_many_failures`), whichever
process of the console serves them. Every decision and account change goes to
`audit_log`, which is append-only from here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from scanner.detect.masking import scrub
from scanner.state import schema
from scanner.state.store import StateError, StateStore, now_iso

ROLES = ("viewer", "reviewer", "admin")
USERNAME_MAX = 64
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    created_at: str
    disabled: bool

    def can(self, role: str) -> bool:
        """True when this user's role is `role` or above (viewer < reviewer < admin)."""
        return not self.disabled and ROLES.index(self.role) >= ROLES.index(role)


def hash_password(password: str) -> str:
    try:
        from argon2 import PasswordHasher
    except ImportError:
        salt = os.urandom(16)
        digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
        b64 = base64.b64encode
        return f"$scrypt$n={_SCRYPT['n']},r={_SCRYPT['r']},p={_SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"
    return PasswordHasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    if stored.startswith("$scrypt$"):
        try:
            _, _, params, salt, digest = stored.split("$")
            cost = {k: int(v) for k, v in (pair.split("=") for pair in params.split(","))}
            fresh = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), dklen=32,
                                   n=cost["n"], r=cost["r"], p=cost["p"])
        except (ValueError, KeyError):
            return False
        return hmac.compare_digest(fresh, base64.b64decode(digest))
    try:
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError
    except ImportError:
        return False
    try:
        return PasswordHasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _user(row: Any) -> User:
    return User(row.id, row.username, row.role, row.created_at, bool(row.disabled))


def valid_username(name: str) -> bool:
    return 0 < len(name) <= USERNAME_MAX and all(c.isalnum() or c in "._-@" for c in name)


def add_user(store: StateStore, username: str, password: str, role: str, *, actor: str) -> User:
    """Create an account, or replace the password and role of an existing one (re-enabling it)."""
    if role not in ROLES:
        raise StateError(f"role must be one of {', '.join(ROLES)}")
    if not valid_username(username):
        raise StateError(f"user names are 1-{USERNAME_MAX} letters, digits, '.', '_', '-' or '@'")
    if len(password) < 8:
        raise StateError("the password must have at least 8 characters")
    u = schema.users
    digest = hash_password(password)
    with store.engine.begin() as connection:
        existing = connection.execute(sa.select(u.c.id).where(u.c.username == username)).scalar()
        if existing is None:
            connection.execute(u.insert().values(username=username, password_hash=digest, role=role,
                                                 created_at=now_iso(), disabled=False))
            action = "user_add"
        else:
            connection.execute(u.update().where(u.c.id == existing).values(password_hash=digest, role=role,
                                                                            disabled=False))
            action = "user_update"
        _audit(connection, actor, action, username, {"role": role})
    found = get_user(store, username)
    assert found is not None
    return found


def set_disabled(store: StateStore, username: str, disabled: bool, *, actor: str) -> None:
    u = schema.users
    with store.engine.begin() as connection:
        done = connection.execute(u.update().where(u.c.username == username).values(disabled=disabled)).rowcount
        if not done:
            raise StateError(f"no user {username}")
        _audit(connection, actor, "user_disable" if disabled else "user_enable", username, None)


def get_user(store: StateStore, username: str) -> User | None:
    u = schema.users
    with store.engine.connect() as connection:
        row = connection.execute(u.select().where(u.c.username == username)).first()
    return _user(row) if row else None


def list_users(store: StateStore) -> list[User]:
    u = schema.users
    with store.engine.connect() as connection:
        return [_user(r) for r in connection.execute(u.select().order_by(u.c.username))]


def authenticate(store: StateStore, username: str, password: str) -> User | None:
    """The user when the password matches an enabled account; a dummy hash is checked otherwise (same cost)."""
    u = schema.users
    with store.engine.connect() as connection:
        row = connection.execute(u.select().where(u.c.username == username)).first()
    if row is None:
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(row.password_hash, password) or row.disabled:
        return None
    return _user(row)


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(hash_password(base64.b64encode(os.urandom(12)).decode()))
    return _DUMMY[0]


# login attempts --------------------------------------------------------------


def _attempted(username: str) -> str:
    """A user name as typed, scrubbed: someone may paste anything into the login form."""
    return scrub(username[: USERNAME_MAX * 2])


def record_login(store: StateStore, username: str, remote: str | None, success: bool) -> None:
    name = _attempted(username)
    with store.engine.begin() as connection:
        connection.execute(schema.login_attempts.insert().values(
            username=name, remote=(remote or "")[:64], at=now_iso(), success=success))
        _audit(connection, name or "-", "login" if success else "login_failed", None, {"remote": (remote or "")[:64]})


def too_many_failures(store: StateStore, username: str, remote: str | None, *, limit: int = 5,
                      window: timedelta = timedelta(minutes=15)) -> bool:
    """True when `limit` logins failed for this user name, or from this address, within `window`
    since the last successful login of that user."""
    a = schema.login_attempts
    username = _attempted(username)
    since = (datetime.now(timezone.utc) - window).isoformat(timespec="seconds")
    with store.engine.connect() as connection:
        last_ok = connection.execute(sa.select(sa.func.max(a.c.at)).where(
            a.c.username == username, a.c.success.is_(True))).scalar()
        floor = max(since, last_ok or "")
        by_name = connection.execute(sa.select(sa.func.count()).where(
            a.c.username == username, a.c.success.is_(False), a.c.at >= floor)).scalar()
        by_remote = connection.execute(sa.select(sa.func.count()).where(
            a.c.remote == (remote or "")[:64], a.c.success.is_(False), a.c.at >= since)).scalar() if remote else 0
    return by_name >= limit or by_remote >= limit * 4


# audit log -------------------------------------------------------------------


def _audit(connection: sa.Connection, actor: str, action: str, target: str | None, detail: Any) -> None:
    connection.execute(schema.audit_log.insert().values(at=now_iso(), actor=actor, action=action, target=target,
                                                        detail=detail))


def audit(store: StateStore, actor: str, action: str, target: str | None = None, detail: Any = None) -> None:
    with store.engine.begin() as connection:
        _audit(connection, actor, action, target, detail)


def audit_entries(store: StateStore, limit: int = 500) -> list[dict[str, Any]]:
    log = schema.audit_log
    with store.engine.connect() as connection:
        rows = connection.execute(log.select().order_by(log.c.id.desc()).limit(limit)).mappings().all()
    return [dict(r) for r in rows]
