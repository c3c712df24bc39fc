"""Fixtures for the policy tests: the shipped configs, and throw-away databases on the local servers."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from scanner.policy.config import load_inventory, load_policy

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MYSQL_ADMIN = "mysql+pymysql://root@127.0.0.1:3306/test"


@pytest.fixture(scope="session")
def policy():
    return load_policy(ROOT / "configs" / "policy.yaml")


@pytest.fixture(scope="session")
def inventory(policy):
    return load_inventory(ROOT / "configs" / "inventory.yaml", policy)


def _throwaway(admin_url: str, quote: str):
    name = f"piiscan_policy_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {quote}{name}{quote}"))
    except sa.exc.OperationalError as exc:  # pragma: no cover - server missing
        pytest.skip(f"database server not reachable: {type(exc.orig).__name__}")
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quote}{name}{quote}"))
    admin.dispose()


@pytest.fixture
def pg_url():
    yield from _throwaway(PG_ADMIN, '"')


@pytest.fixture
def mysql_url():
    yield from _throwaway(MYSQL_ADMIN, "`")
