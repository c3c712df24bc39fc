"""Accounts, sessions, roles, CSRF and login rate limiting of the review console."""

from __future__ import annotations

import pytest

from scanner.console.auth import SESSION_COOKIE, safe_next
from scanner.state import schema
from scanner.state.store import StateStore
from scanner.state.users import hash_password, set_disabled, verify_password
from tests.console.conftest import PASSWORDS, csrf_of, login

API_GETS = ["/api/session", "/api/runs", "/api/violations", "/api/findings", "/api/runs/1/diff", "/api/trend",
            "/api/violations/0123456789abcdef0123"]
PAGES = ["/runs", "/runs/1", "/trend", "/violations", "/findings", "/impact", "/datastores", "/audit"]


def _fingerprint(client) -> str:
    return client.get("/api/violations").json()["items"][0]["fingerprint"]


def test_password_hashes_are_argon2_and_verify(estate_console):
    store = StateStore.open(estate_console.state)
    try:
        with store.engine.connect() as connection:
            hashes = dict(connection.execute(schema.users.select().with_only_columns(
                schema.users.c.username, schema.users.c.password_hash)).all())
    finally:
        store.close()
    assert set(hashes) == set(PASSWORDS)
    for name, digest in hashes.items():
        assert digest.startswith("$argon2id$") and PASSWORDS[name] not in digest
        assert verify_password(digest, PASSWORDS[name]) and not verify_password(digest, PASSWORDS[name] + "x")


@pytest.mark.parametrize("password", ["correct horse", "パスワード12345"])
def test_scrypt_fallback_hashes_verify(monkeypatch, password):
    import builtins

    real_import = builtins.__import__

    def no_argon2(name, *args, **kwargs):
        if name.startswith("argon2"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_argon2)
    digest = hash_password(password)
    assert digest.startswith("$scrypt$") and verify_password(digest, password)
    assert not verify_password(digest, password + "!")


@pytest.mark.parametrize("path", API_GETS)
def test_api_without_session_is_401(estate_console, path):
    response = estate_console.client().get(path)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_api_triage_without_session_is_401(estate_console):
    response = estate_console.client().post("/api/violations/0123456789abcdef0123/triage",
                                            json={"status": "accepted", "reason": "x", "until": "2999-01-01"})
    assert response.status_code == 401


@pytest.mark.parametrize("path", PAGES)
def test_pages_without_session_go_to_login(estate_console, path):
    response = estate_console.client().get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_login_sets_a_strict_httponly_session_cookie(estate_console):
    client = estate_console.client()
    form = client.get("/login")
    assert form.status_code == 200 and 'name="username"' in form.text and 'name="password"' in form.text
    response = login(client, "rita")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert client.get("/api/session").json()["username"] == "rita"


def test_secure_cookie_when_configured(estate_console):
    client = estate_console.client(secure_cookie=True)
    assert "Secure" in login(client, "rita").headers["set-cookie"]


def test_wrong_password_and_unknown_user_are_refused_alike(estate_console):
    client = estate_console.client()
    wrong = login(client, "rita", "not-the-password")
    unknown = login(client, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert SESSION_COOKIE not in wrong.headers.get("set-cookie", "")
    assert client.get("/api/runs").status_code == 401


def test_failed_logins_are_rate_limited(estate_console):
    client = estate_console.client()
    for _ in range(5):
        assert login(client, "rita", "guess").status_code == 401
    limited = login(client, "rita")  # even the right password, while limited
    assert limited.status_code == 429
    assert client.get("/api/runs").status_code == 401
    other = estate_console.client()
    assert login(other, "vic").status_code == 303  # another user name is not locked out


def test_login_from_another_site_is_refused(estate_console):
    client = estate_console.client()
    response = client.post("/login", data={"username": "rita", "password": PASSWORDS["rita"]},
                           headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert response.status_code == 403


def test_tampered_cookie_is_no_session(estate_console):
    client = estate_console.client("rita")
    value = client.cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/api/runs").status_code == 401


def test_disabling_a_user_ends_their_session(estate_console):
    client = estate_console.client("rita")
    assert client.get("/api/runs").status_code == 200
    store = StateStore.open(estate_console.state)
    try:
        set_disabled(store, "rita", True, actor="test")
    finally:
        store.close()
    assert client.get("/api/runs").status_code == 401


def test_viewer_cannot_triage(estate_console):
    client = estate_console.client("vic")
    fingerprint = _fingerprint(client)
    token = csrf_of(client)
    api = client.post(f"/api/violations/{fingerprint}/triage", headers={"X-CSRF-Token": token},
                      json={"status": "accepted", "reason": "fine", "until": "2999-12-31"})
    assert api.status_code == 403
    form = client.post(f"/violations/{fingerprint}/triage",
                       data={"csrf_token": token, "status": "remediated", "reason": "done"}, follow_redirects=False)
    assert form.status_code == 403
    page = client.get(f"/violations/{fingerprint}")
    assert page.status_code == 200 and 'id="triage-form"' not in page.text
    assert client.get(f"/api/violations/{fingerprint}").json()["decisions"] == []


def test_admin_only_audit_log(estate_console):
    assert estate_console.client("rita").get("/audit").status_code == 403
    assert estate_console.client("ada").get("/audit").status_code == 200


@pytest.mark.parametrize("headers,body", [
    ({}, {}),
    ({"X-CSRF-Token": "0" * 64}, {}),
    ({}, {"csrf_token": "forged"}),
])
def test_triage_without_a_valid_csrf_token_is_refused(estate_console, headers, body):
    client = estate_console.client("rita")
    fingerprint = _fingerprint(client)
    response = client.post(f"/api/violations/{fingerprint}/triage", headers=headers,
                           json={"status": "accepted", "reason": "ok", "until": "2999-12-31", **body})
    assert response.status_code == 403 and response.json()["error"] == "csrf"
    form = client.post(f"/violations/{fingerprint}/triage", data={"status": "remediated", "reason": "x", **body},
                       follow_redirects=False)
    assert form.status_code == 403
    assert client.get(f"/api/violations/{fingerprint}").json()["decisions"] == []


def test_csrf_token_of_another_session_is_refused(estate_console):
    first, second = estate_console.client("rita"), estate_console.client("rita")
    fingerprint = _fingerprint(first)
    response = second.post(f"/api/violations/{fingerprint}/triage", headers={"X-CSRF-Token": csrf_of(first)},
                           json={"status": "remediated", "reason": "x"})
    assert response.status_code == 403


def test_logout_needs_the_token_and_ends_the_session(estate_console):
    client = estate_console.client("rita")
    copied = client.cookies[SESSION_COOKIE]
    other = estate_console.client("rita")  # another login of the same user lives on
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.post("/logout", data={"csrf_token": csrf_of(client)}, follow_redirects=False).status_code == 303
    assert client.get("/api/runs").status_code == 401
    thief = estate_console.client()
    thief.cookies.set(SESSION_COOKIE, copied)
    assert thief.get("/api/runs").status_code == 401  # a copy of the cookie died with the logout
    assert other.get("/api/runs").status_code == 200


@pytest.mark.parametrize("target,expected", [
    ("/violations?severity=high", "/violations?severity=high"), ("//evil.example/", "/"),
    ("https://evil.example/", "/"), ("/\\evil.example", "/"), (None, "/"), ("", "/"),
])
def test_login_redirects_only_to_local_paths(target, expected):
    assert safe_next(target) == expected


def test_security_headers_on_every_page(estate_console):
    client = estate_console.client("rita")
    for path in ["/login", "/runs", "/api/runs", "/static/console.css"]:
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
