"""The state store: run history, items with first/last seen, triage, dataset signatures.

SQLite in the user's state directory by default (one file, created owner-only);
any SQLAlchemy URL instead (PostgreSQL for a team). The schema is versioned
with Alembic and migrated every time the store is opened, so an upgraded
piiscan simply carries on with an old store. Everything a run produces is
written in one transaction by `complete_run`: a run killed before that leaves
only its 'running' row, which the next run marks 'aborted'.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import platformdirs
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from scanner import __version__
from scanner.detect.masking import scrub
from scanner.state import schema
from scanner.state.context import run_context
from scanner.state.diff import FINDING, PRESENT, DiffOutcome, failed_in
from scanner.state.triage import TriageEntry
from scanner.targets import is_url as _is_url_text

MIGRATIONS = Path(__file__).parent / "migrations"
SignatureKey = tuple[str, str | None]


class StateError(Exception):
    """The store cannot be opened or used; the message never holds a password or a scanned value."""


@dataclass(frozen=True)
class RunInfo:
    id: int
    inventory: str
    status: str
    started_at: str
    finished_at: str | None
    diff: dict[str, int] | None
    errors: list[dict[str, Any]] | None
    incremental: dict[str, int] | None
    exit_code: int | None
    message: str | None


def default_state_path() -> Path:
    """`$XDG_STATE_HOME/piiscan/state.db` (platformdirs picks the right place on each OS)."""
    return platformdirs.user_state_path("piiscan") / "state.db"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def is_url(state: str | Path | None) -> bool:
    return _is_url_text(state)


def _create_private_file(path: Path) -> None:
    """Create the SQLite file (and its folder) readable by the owner only, before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # also tightens a file someone created with a looser umask


def canonical_signature(value: Any) -> Any:
    """JSON round trip: signatures compare equal whether fresh (tuples, datetimes) or loaded."""
    return json.loads(json.dumps(value, sort_keys=True, default=str))


class StateStore:
    """One state store; open it with `StateStore.open(path_or_url)`."""

    def __init__(self, engine: sa.Engine, path: Path | None):
        self.engine = engine
        self.path = path  # the SQLite file, None for a server database
        self.display = str(path) if path else engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, state: str | Path | None = None) -> StateStore:
        path: Path | None = None
        try:
            if is_url(state):
                engine = sa.create_engine(str(state), pool_pre_ping=True)
                if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
                    path = Path(engine.url.database).expanduser()
                    _create_private_file(path)
            else:
                path = Path(state).expanduser() if state else default_state_path()
                _create_private_file(path)
                engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})
            store = cls(engine, path)
            store.migrate()
        except (sa.exc.SQLAlchemyError, OSError, ImportError) as exc:
            where = str(path) if path else (sa.engine.make_url(str(state)).render_as_string(hide_password=True)
                                             if is_url(state) else str(state))
            raise StateError(f"cannot open state store {where}: {scrub(type(exc).__name__ + ': ' + str(exc))}") from None
        return store

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (idempotent)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    def close(self) -> None:
        self.engine.dispose()

    # runs ----------------------------------------------------------------

    def begin_run(self, inventory: str, targets: list[str], *, full: bool) -> int:
        """Mark runs left 'running' (killed; the caller holds the lock) as aborted, then record a new one."""
        now = now_iso()
        with self.engine.begin() as connection:
            connection.execute(
                schema.runs.update()
                .where(schema.runs.c.inventory == inventory, schema.runs.c.status == "running")
                .values(status="aborted", finished_at=now, message="the run stopped before it finished")
            )
            return connection.execute(
                schema.runs.insert().values(
                    inventory=inventory, status="running", started_at=now, tool_version=__version__, full=full,
                    host=socket.gethostname(), pid=os.getpid(), targets=targets,
                )
            ).inserted_primary_key[0]

    def fail_run(self, run_id: int, message: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(schema.runs.update().where(schema.runs.c.id == run_id)
                               .values(status="failed", finished_at=now_iso(), message=scrub(message), exit_code=2))

    def run(self, run_id: int) -> RunInfo | None:
        with self.engine.connect() as connection:
            row = connection.execute(schema.runs.select().where(schema.runs.c.id == run_id)).mappings().first()
        return _run_info(row) if row else None

    def runs(self, inventory: str | None = None) -> list[RunInfo]:
        query = schema.runs.select().order_by(schema.runs.c.id)
        if inventory is not None:
            query = query.where(schema.runs.c.inventory == inventory)
        with self.engine.connect() as connection:
            return [_run_info(row) for row in connection.execute(query).mappings()]

    def previous_run(self, inventory: str, before: int | None = None) -> RunInfo | None:
        """The last complete run of this inventory (before run `before`)."""
        query = (schema.runs.select()
                 .where(schema.runs.c.inventory == inventory, schema.runs.c.status == "complete")
                 .order_by(schema.runs.c.id.desc()).limit(1))
        if before is not None:
            query = query.where(schema.runs.c.id < before)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return _run_info(row) if row else None

    # items ---------------------------------------------------------------

    def observations(self, run_id: int) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
        """{(item_type, fingerprint): (status, masked data)} as recorded for one run."""
        o, i = schema.observations, schema.items
        query = (sa.select(i.c.item_type, i.c.fingerprint, o.c.status, o.c.data)
                 .select_from(o.join(i, o.c.item_id == i.c.id)).where(o.c.run_id == run_id))
        with self.engine.connect() as connection:
            return {(r.item_type, r.fingerprint): (r.status, r.data or {}) for r in connection.execute(query)}

    def findings_of(self, run_id: int) -> dict[SignatureKey, list[dict[str, Any]]]:
        """The findings still present in a run, by (source, table): what an unchanged dataset carries over."""
        result: dict[SignatureKey, list[dict[str, Any]]] = {}
        for (item_type, _fp), (status, data) in sorted(self.observations(run_id).items()):
            if item_type == FINDING and status in PRESENT:
                result.setdefault((data.get("source"), data.get("table")), []).append(data)
        return result

    def items(self, inventory: str | None = None) -> list[dict[str, Any]]:
        query = schema.items.select().order_by(schema.items.c.id)
        if inventory is not None:
            query = query.where(schema.items.c.inventory == inventory)
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(query).mappings()]

    def signatures(self, inventory: str) -> dict[SignatureKey, tuple[Any, int]]:
        """{(source, table): (signature, run_id that recorded it)}."""
        s = schema.signatures
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(s.c.source, s.c.table_name, s.c.signature, s.c.run_id)
                                      .where(s.c.inventory == inventory))
            return {(r.source, r.table_name or None): (r.signature, r.run_id) for r in rows}

    def complete_run(self, run_id: int, inventory: str, doc: Mapping[str, Any], outcome: DiffOutcome,
                     signatures: Mapping[SignatureKey, Any], exit_code: int) -> None:
        """Record everything the run produced, in one transaction."""
        now = now_iso()
        errors = list(doc.get("errors") or [])
        context = run_context(doc)  # reads the inventory: before the transaction, not while holding it
        with self.engine.begin() as connection:
            self._store_items(connection, run_id, inventory, outcome, now)
            self._store_signatures(connection, run_id, inventory, signatures, errors)
            connection.execute(schema.runs.update().where(schema.runs.c.id == run_id).values(
                status="complete", finished_at=now, errors=errors, diff=outcome.counts,
                incremental=(doc.get("run") or {}).get("incremental"), exit_code=exit_code,
                targets=doc.get("targets"), context=context,
            ))

    def _store_items(self, connection: sa.Connection, run_id: int, inventory: str, outcome: DiffOutcome,
                     now: str) -> None:
        i = schema.items
        existing = {(r.item_type, r.fingerprint): r.id for r in connection.execute(
            sa.select(i.c.id, i.c.item_type, i.c.fingerprint).where(i.c.inventory == inventory))}
        observations = []
        for item in outcome.items:
            data = item.data
            seen = item.status != "fixed" and not item.carried
            values: dict[str, Any] = {"status": "fixed" if item.status == "fixed" else "open"}
            if seen:
                values.update(last_seen_run=run_id, last_seen_at=now, data=data, severity=data.get("severity"))
            item_id = existing.get((item.item_type, item.fingerprint))
            if item_id is None:
                item_id = connection.execute(i.insert().values(
                    inventory=inventory, item_type=item.item_type, fingerprint=item.fingerprint,
                    kind=data.get("kind") if item.item_type != FINDING else "finding",
                    datastore=data.get("datastore") or data.get("source"), table_name=data.get("table"),
                    field=data.get("field"), entity_type=data.get("entity_type"), first_seen_run=run_id,
                    first_seen_at=now, last_seen_run=run_id, last_seen_at=now, data=data,
                    severity=data.get("severity"), status=values["status"],
                )).inserted_primary_key[0]
            else:
                connection.execute(i.update().where(i.c.id == item_id).values(**values))
            observations.append({"run_id": run_id, "item_id": item_id, "status": item.status,
                                 "carried": item.carried, "data": data})
        if observations:
            connection.execute(schema.observations.insert(), observations)

    def _store_signatures(self, connection: sa.Connection, run_id: int, inventory: str,
                          signatures: Mapping[SignatureKey, Any], errors: list[dict[str, Any]]) -> None:
        """Keep the signatures of datasets read cleanly; forget those of datasets that failed this run."""
        s = schema.signatures
        failed = failed_in(errors)
        for (source, table), signature in signatures.items():
            key = (s.c.inventory == inventory, s.c.source == source, s.c.table_name == (table or ""))
            connection.execute(s.delete().where(*key))
            if not failed(FINDING, {"source": source, "table": table}):
                connection.execute(s.insert().values(inventory=inventory, source=source, table_name=table or "",
                                                     signature=canonical_signature(signature), run_id=run_id))

    # triage --------------------------------------------------------------

    def resolve_fingerprint(self, prefix: str) -> str:
        """The one fingerprint starting with `prefix` (as git resolves short hashes)."""
        prefix = prefix.strip().lower()
        if len(prefix) < 6:
            raise StateError("give at least 6 characters of the fingerprint")
        i = schema.items
        with self.engine.connect() as connection:
            matches = sorted(set(connection.execute(
                sa.select(i.c.fingerprint).where(i.c.fingerprint.startswith(prefix, autoescape=True))).scalars()))
        if not matches:
            raise StateError(f"no finding or violation with fingerprint {prefix} in {self.display}")
        if len(matches) > 1:
            raise StateError(f"fingerprint {prefix} is ambiguous ({len(matches)} matches); give more characters")
        return matches[0]

    def add_triage(self, fingerprint: str, status: str, reason: str, by: str, until: date | None = None,
                   source: str = "cli") -> TriageEntry:
        reason = scrub(reason)  # typed by a person: a number pasted into it stays masked, like all evidence
        entry = TriageEntry(self.resolve_fingerprint(fingerprint), status, reason, by, now_iso(), until)
        with self.engine.begin() as connection:
            connection.execute(schema.triage.insert().values(
                fingerprint=entry.fingerprint, status=entry.status, reason=entry.reason, by=entry.by,
                created_at=entry.created_at, until=until.isoformat() if until else None, source=source))
            connection.execute(schema.audit_log.insert().values(  # every decision, wherever made, is audited
                at=entry.created_at, actor=by, action="triage", target=entry.fingerprint,
                detail={"status": status, "reason": reason, "until": until.isoformat() if until else None,
                        "source": source}))
        return entry

    def triage_entries(self) -> list[TriageEntry]:
        t = schema.triage
        with self.engine.connect() as connection:
            rows = connection.execute(t.select().order_by(t.c.id)).mappings().all()
        return [TriageEntry(r["fingerprint"], r["status"], r["reason"], r["by"], r["created_at"],
                            date.fromisoformat(r["until"]) if r["until"] else None) for r in rows]


def _run_info(row: Mapping[str, Any]) -> RunInfo:
    return RunInfo(row["id"], row["inventory"], row["status"], row["started_at"], row["finished_at"], row["diff"],
                   row["errors"], row["incremental"], row["exit_code"], row["message"])

