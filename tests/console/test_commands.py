"""`piiscan users` and `piiscan serve`: accounts from the command line, a light `piiscan --help`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from scanner.console.commands import serve, users
from scanner.state.store import StateStore
from scanner.state.users import authenticate, list_users


def test_users_add_reads_the_password_from_stdin(tmp_path):
    state = str(tmp_path / "s.db")
    runner = CliRunner()
    done = runner.invoke(users, ["add", "sato.hanako", "--role", "reviewer", "--state", state],
                         input="long-enough-pw\n")
    assert done.exit_code == 0, done.output
    assert "sato.hanako: reviewer" in done.output and "long-enough-pw" not in done.output
    again = runner.invoke(users, ["add", "sato.hanako", "--role", "admin", "--state", state], input="another-pw-22\n")
    assert again.exit_code == 0
    store = StateStore.open(state)
    try:
        assert [(u.username, u.role) for u in list_users(store)] == [("sato.hanako", "admin")]
        assert authenticate(store, "sato.hanako", "another-pw-22") is not None
        assert authenticate(store, "sato.hanako", "long-enough-pw") is None
    finally:
        store.close()
    listed = runner.invoke(users, ["list", "--state", state])
    assert "sato.hanako\tadmin\tactive" in listed.output
    assert runner.invoke(users, ["disable", "sato.hanako", "--state", state]).exit_code == 0
    assert "disabled" in runner.invoke(users, ["list", "--state", state]).output


@pytest.mark.parametrize("args,password,message", [
    (["add", "x", "--role", "reviewer"], "short\n", "at least 8"),
    (["add", "bad name!", "--role", "viewer"], "long-enough-pw\n", "user names are"),
    (["add", "x", "--role", "root"], "long-enough-pw\n", "root"),
])
def test_users_add_refuses_bad_input(tmp_path, args, password, message):
    result = CliRunner().invoke(users, [*args, "--state", str(tmp_path / "s.db")], input=password)
    assert result.exit_code == 2 and message in result.output


def test_serve_help_names_its_options():
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    assert all(option in result.output for option in ("--state", "--host", "--port", "--secret-file"))


def test_cli_start_up_does_not_import_the_web_stack():
    code = ("import sys, scanner.cli; heavy = {'starlette', 'uvicorn', 'argon2', 'multipart'} & "
            "{m.split('.')[0] for m in sys.modules}; print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip() == "[]"
