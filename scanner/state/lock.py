"""One nightly run at a time per inventory and store.

SQLite stores: an fcntl lock on `<state>.lock` beside the database file (the
kernel drops it when the process dies, so a killed run never leaves a stale
lock). PostgreSQL stores: a session advisory lock, released the same way
when the connection goes. Other servers: a lock file in the user state dir.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from scanner.state.store import StateStore, default_state_path


class LockHeld(Exception):
    """Another run of the same inventory is still going."""


def _key(store: StateStore, inventory: str) -> str:
    return f"{store.display}\n{inventory}"


def lock_file_for(store: StateStore, inventory: str) -> Path:
    if store.path is not None:
        return store.path.with_name(store.path.name + ".lock")
    digest = hashlib.sha256(_key(store, inventory).encode()).hexdigest()[:16]
    return default_state_path().with_name(f"run-{digest}.lock")


@contextmanager
def run_lock(store: StateStore, inventory: str) -> Iterator[None]:
    """Hold the run lock for the block; raise LockHeld at once if another run has it."""
    if store.path is None and store.engine.dialect.name == "postgresql":
        with _advisory_lock(store, inventory):
            yield
        return
    path = lock_file_for(store, inventory)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeld(f"another piiscan nightly run holds {path}") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def _advisory_lock(store: StateStore, inventory: str) -> Iterator[None]:
    key = int(hashlib.sha256(_key(store, inventory).encode()).hexdigest()[:15], 16)  # fits a signed bigint
    with store.engine.connect() as connection:
        if not connection.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
            raise LockHeld(f"another piiscan nightly run holds the advisory lock in {store.display}")
        connection.commit()
        try:
            yield
        finally:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            connection.commit()
