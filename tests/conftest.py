"""Shared fixtures: real local database servers, each test in its own database.

`pg_url` and `mysql_url` create a uniquely named database on the local server
(PostgreSQL 127.0.0.1:5432, user postgres, trust auth; MariaDB 127.0.0.1:3306,
root, empty password), yield a SQLAlchemy URL to it and drop it afterwards.
A server that cannot be reached skips the test with the reason; any other
failure is an error. `sqlite_path` is a fresh file path for a SQLite database. `SHARED_EVAL` is the
shared evaluation folder (corpus and scorer), wherever this checkout lives.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool


def _shared_eval() -> Path:
    """`$PIISCAN_EVAL_DIR`'s parent, else `shared/eval` beside the checkout, else the workspace's."""
    if os.environ.get("PIISCAN_EVAL_DIR"):
        return Path(os.environ["PIISCAN_EVAL_DIR"]).parent
    beside = Path(__file__).resolve().parents[2] / "shared" / "eval"
    return beside if beside.is_dir() else Path("/work/shared/eval")


SHARED_EVAL = _shared_eval()
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
MYSQL_ADMIN_URL = "mysql+pymysql://root@127.0.0.1:3306/"


def _unique_name() -> str:
    return f"piiscan_test_{uuid.uuid4().hex[:12]}"


def _admin_engine(url: str, server: str, connect_args: dict) -> sa.Engine:
    engine = sa.create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT", connect_args=connect_args)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as exc:
        pytest.skip(f"{server} server not reachable: {str(exc.orig).splitlines()[0]}")
    return engine


def _temporary_database(admin_url: str, server: str, create: str, drop: str, url: str) -> Iterator[str]:
    """Create a uniquely named database with `create`, yield `url` for it, drop it after."""
    engine = _admin_engine(admin_url, server, {"connect_timeout": 3})
    name = _unique_name()
    with engine.connect() as conn:
        conn.execute(sa.text(create.format(name=name)))
    try:
        yield url.format(name=name)
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(drop.format(name=name)))
        engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a new, empty PostgreSQL database (dropped after the test)."""
    yield from _temporary_database(
        PG_ADMIN_URL, "PostgreSQL 127.0.0.1:5432",
        create="CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0",
        drop='DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        url="postgresql+psycopg://postgres@127.0.0.1:5432/{name}",
    )


@pytest.fixture
def mysql_url() -> Iterator[str]:
    """URL of a new, empty MariaDB/MySQL database, utf8mb4 (dropped after the test)."""
    yield from _temporary_database(
        MYSQL_ADMIN_URL, "MariaDB 127.0.0.1:3306",
        create="CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        drop="DROP DATABASE IF EXISTS `{name}`",
        url="mysql+pymysql://root@127.0.0.1:3306/{name}?charset=utf8mb4",
    )


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """Where a test may create a SQLite database file (nothing exists there yet)."""
    return tmp_path / "piiscan_test.sqlite3"
