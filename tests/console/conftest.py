"""Fixtures for the review console: a state store with nightly runs, accounts, a client, a live server.

`estate_console` uses the small regex estate of tests/state (fast, exact
counts); `eval_console` runs the real pipeline over the evaluation corpus
(shared/eval/dev) through an inventory that only discovers it, so every
finding there is real and every raw value of the corpus is something no page
may show. The live server listens on 127.0.0.1 on a free port and is stopped
after the test.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the console extra (pip install -e '.[console]') is not installed")
pytest.importorskip("argon2", reason="the console extra (pip install -e '.[console]') is not installed")

with warnings.catch_warnings():  # starlette's TestClient warns that it prefers httpx2 (not packaged here)
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from scanner.console.app import create_app  # noqa: E402
from scanner.console.core import ConsoleConfig  # noqa: E402
from scanner.nightly import NightlyOptions, run_nightly  # noqa: E402
from scanner.state.store import StateStore  # noqa: E402
from scanner.state.users import add_user  # noqa: E402
from tests.console.corpus import EVAL_DEV  # noqa: E402
from tests.state.estate import EstateScanner, make_estate  # noqa: E402

PASSWORDS = {"rita": "reviewer-secret-1", "vic": "viewer-secret-1", "ada": "admin-secret-1"}
ROLES = {"rita": "reviewer", "vic": "viewer", "ada": "admin"}
SECRET = b"k" * 40


@dataclass
class ConsoleSetup:
    state: Path
    triage_file: Path
    options: NightlyOptions
    scanner: EstateScanner | None = None

    def nightly(self) -> int:
        return run_nightly(self.options, scan=self.scanner) if self.scanner else run_nightly(self.options)

    def app(self, **overrides):
        settings = {"secure_cookie": False, **overrides}
        config = ConsoleConfig(state=str(self.state), secret=SECRET, triage_file=self.triage_file, **settings)
        return create_app(config)

    def client(self, user: str | None = None, **overrides) -> TestClient:
        client = TestClient(self.app(**overrides), base_url="http://127.0.0.1")
        if user:
            login(client, user)
        return client


def login(client: TestClient, user: str, password: str | None = None):
    return client.post("/login", data={"username": user, "password": password or PASSWORDS[user]},
                       follow_redirects=False)


def csrf_of(client: TestClient) -> str:
    return client.get("/api/session").json()["csrf_token"]


def add_accounts(state: Path) -> None:
    store = StateStore.open(state)
    try:
        for name, role in ROLES.items():
            add_user(store, name, PASSWORDS[name], role, actor="test")
    finally:
        store.close()


@pytest.fixture(scope="session")
def _estate_template(tmp_path_factory) -> Path:
    """One estate with one nightly run and the accounts (Argon2 is slow on purpose): copied for each test."""
    tmp = tmp_path_factory.mktemp("estate-template")
    setup = _estate_setup(tmp)
    assert setup.nightly() == 1  # the first run finds new violations
    add_accounts(setup.state)
    return tmp


def _estate_setup(tmp: Path) -> ConsoleSetup:
    triage_file = tmp / "configs" / "triage.yaml"
    if not triage_file.exists():
        make_estate(tmp / "estate")
        triage_file.parent.mkdir()
        triage_file.write_text("[]\n", encoding="utf-8")
    state = tmp / "state" / "state.db"
    return ConsoleSetup(state, triage_file, NightlyOptions(state=state, reports=tmp / "reports",
                                                           triage_file=triage_file), EstateScanner(tmp / "estate"))


@pytest.fixture
def estate_console(tmp_path: Path, _estate_template: Path) -> ConsoleSetup:
    shutil.copytree(_estate_template, tmp_path, dirs_exist_ok=True)
    return _estate_setup(tmp_path)


@pytest.fixture(scope="module")
def eval_console(tmp_path_factory) -> ConsoleSetup:
    if not (EVAL_DEV / "truth.json").is_file():
        pytest.fail(f"the evaluation corpus is missing at {EVAL_DEV}")
    tmp = tmp_path_factory.mktemp("eval-console")
    inventory = tmp / "configs" / "inventory.yaml"
    inventory.parent.mkdir()
    inventory.write_text(f"version: 1\ndiscover: [{EVAL_DEV}]\ndatastores: []\n", encoding="utf-8")
    triage_file = tmp / "configs" / "triage.yaml"
    triage_file.write_text("[]\n", encoding="utf-8")
    state = tmp / "state.db"
    setup = ConsoleSetup(state, triage_file, NightlyOptions(inventory=inventory, state=state, reports=tmp / "reports",
                                                            triage_file=triage_file))
    assert setup.nightly() in (0, 1)
    add_accounts(state)
    return setup


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_server(request) -> Iterator[callable]:
    """Start a console (uvicorn, 127.0.0.1, free port) for a ConsoleSetup; stopped after the test."""
    import uvicorn

    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(setup: ConsoleSetup) -> str:
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(setup.app(), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the console did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=15)
