"""The audit trail of locate runs, and the salt identifiers are hashed with.

Looking a person up is itself processing of their data, so every run leaves a
record in the state store's `locate_audit` table: who (the OS user, or
`--actor`), when, which kinds of identifier, the salted hashes of the
identifiers (HMAC-SHA256, see matching.py), the salt's id, the targets and what
was found (counts per source and per strength). Never an identifier in clear:
a later request for the same person can be recognised by its hashes, nobody
can read the person back out of the log.

The salt is a per-installation secret: `PIISCAN_LOCATE_SALT`, else a file
`locate.salt` beside the SQLite state store (or in piiscan's state directory
for a server store), created owner-only (0600) on first use. The audit keeps
its id (a hash of it), so records made under another salt are told apart.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SALT_ENV = "PIISCAN_LOCATE_SALT"
SALT_FILE = "locate.salt"


@dataclass(frozen=True, repr=False)
class Salt:
    value: bytes
    salt_id: str

    def __repr__(self) -> str:
        return f"Salt(id={self.salt_id})"


def salt_path(state: str | None) -> Path:
    """Beside the SQLite state file; for a server store (or none), in piiscan's state directory."""
    from scanner.state.store import default_state_path, is_url

    if state and not is_url(state):
        return Path(state).expanduser().parent / SALT_FILE
    if state and state.startswith("sqlite:///") and len(state) > len("sqlite:///"):
        return Path(state[len("sqlite:///"):]).expanduser().parent / SALT_FILE
    return default_state_path().parent / SALT_FILE


def load_salt(state: str | None) -> Salt:
    """The installation's salt: from the environment, else the salt file (created 0600 on first use)."""
    env = os.environ.get(SALT_ENV)
    if env:
        value = env.encode()
    else:
        path = salt_path(state)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            value = path.read_bytes().strip()
        else:
            value = secrets.token_hex(32).encode()
            with os.fdopen(fd, "wb") as fh:
                fh.write(value + b"\n")
        if not value:
            raise OSError(f"the salt file {path} is empty; remove it to create a new one")
    return Salt(value, hashlib.sha256(b"piiscan-locate-salt\x00" + value).hexdigest()[:16])


def actor_name(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def audit_summary(doc: dict[str, Any]) -> dict[str, Any]:
    """What the audit keeps of a result: counts per source and strength, no value, no row key."""
    per_source: dict[str, int] = {}
    per_strength: dict[str, int] = {}
    for match in doc.get("matches", []):
        place = match["source"] + (f" [{match['table']}]" if match.get("table") else "")
        per_source[place] = per_source.get(place, 0) + 1
        per_strength[match["strength"]] = per_strength.get(match["strength"], 0) + 1
    return {"per_source": per_source, "per_strength": per_strength,
            "people": [{k: p[k] for k in ("person", "strength", "matches", "places", "lookalikes_excluded")}
                       for p in doc.get("people", [])],
            "sources": {s: sum(1 for x in doc.get("sources", []) if x.get("status") == s)
                        for s in ("searched", "partial", "skipped", "failed")}}


def write_audit(state: str | None, *, actor: str, kinds: list[str], hashes: list[str], salt: Salt,
                targets: list[str], doc: dict[str, Any], at: str | None = None) -> int:
    """Record one locate run in the state store (migrated to the newest schema first)."""
    from scanner.state import schema
    from scanner.state.store import StateStore, now_iso

    store = StateStore.open(state)
    try:
        with store.engine.begin() as connection:
            return connection.execute(schema.locate_audit.insert().values(
                at=at or now_iso(), actor=actor, identifier_kinds=sorted(set(kinds)), identifier_hashes=hashes,
                salt_id=salt.salt_id, targets=targets, match_count=len(doc.get("matches", [])),
                summary=audit_summary(doc),
            )).inserted_primary_key[0]
    finally:
        store.close()


def audit_records(state: str | None) -> list[dict[str, Any]]:
    from scanner.state import schema
    from scanner.state.store import StateStore

    store = StateStore.open(state)
    try:
        with store.engine.connect() as connection:
            table = schema.locate_audit
            return [dict(r) for r in connection.execute(table.select().order_by(table.c.id)).mappings()]
    finally:
        store.close()
