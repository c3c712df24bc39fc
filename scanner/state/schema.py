"""The state store's tables (SQLAlchemy Core), as the code reads and writes them.

The migrations in `migrations/versions/` create exactly these tables; each
migration is a frozen snapshot, so this module describes the newest schema.
Times are ISO-8601 UTC strings, the same in SQLite and PostgreSQL, and sort
correctly as text. `data` columns hold masked dicts only (findings and
violations as published in result.json).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("inventory", sa.String(1024), nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),  # running | complete | failed | aborted
    sa.Column("started_at", sa.String(32), nullable=False),
    sa.Column("finished_at", sa.String(32)),
    sa.Column("tool_version", sa.String(32), nullable=False),
    sa.Column("full", sa.Boolean, nullable=False, default=False),
    sa.Column("host", sa.String(255)),
    sa.Column("pid", sa.Integer),
    sa.Column("targets", sa.JSON),
    sa.Column("errors", sa.JSON),
    sa.Column("diff", sa.JSON),
    sa.Column("incremental", sa.JSON),
    sa.Column("exit_code", sa.Integer),
    sa.Column("message", sa.Text),  # why a run failed or was aborted (scrubbed)
    sa.Column("context", sa.JSON),  # impact, stats, inventory snapshot (revision 0002; NULL before)
)

items = sa.Table(
    "items", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("inventory", sa.String(1024), nullable=False),
    sa.Column("item_type", sa.String(16), nullable=False),  # violation | finding
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(64)),
    sa.Column("severity", sa.String(16)),
    sa.Column("datastore", sa.String(2048)),
    sa.Column("table_name", sa.String(512)),
    sa.Column("field", sa.String(1024)),
    sa.Column("entity_type", sa.String(64)),
    sa.Column("status", sa.String(16), nullable=False),  # open | fixed (triage lives in `triage`)
    sa.Column("first_seen_run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("first_seen_at", sa.String(32), nullable=False),
    sa.Column("last_seen_run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("last_seen_at", sa.String(32), nullable=False),
    sa.Column("data", sa.JSON),
    sa.UniqueConstraint("inventory", "item_type", "fingerprint", name="uq_items_identity"),
)

observations = sa.Table(
    "observations", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id"), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),  # new | open | fixed | accepted | false_positive | remediated
    sa.Column("carried", sa.Boolean, nullable=False, default=False),  # kept from an earlier run (source failed)
    sa.Column("data", sa.JSON),
)

triage = sa.Table(
    "triage", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),  # accepted | false_positive | remediated
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("by", sa.String(255), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("until", sa.String(10)),  # YYYY-MM-DD, inclusive; NULL = no expiry
    sa.Column("source", sa.String(16)),  # console | cli; NULL (rows before revision 0002) = cli
)

signatures = sa.Table(
    "signatures", metadata,
    sa.Column("inventory", sa.String(1024), primary_key=True),
    sa.Column("source", sa.String(2048), primary_key=True),
    sa.Column("table_name", sa.String(512), primary_key=True),  # '' for a plain file
    sa.Column("signature", sa.JSON, nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
)

# review console (revision 0002) -------------------------------------------

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(255), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(512), nullable=False),  # Argon2id (PHC string), never the password
    sa.Column("role", sa.String(16), nullable=False),  # viewer | reviewer | admin
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
)

login_attempts = sa.Table(
    "login_attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(255), nullable=False, index=True),  # as typed (bounded), may not exist
    sa.Column("remote", sa.String(64)),
    sa.Column("at", sa.String(32), nullable=False, index=True),
    sa.Column("success", sa.Boolean, nullable=False),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(255), nullable=False),
    sa.Column("action", sa.String(64), nullable=False, index=True),  # triage | login | login_failed | user_add ...
    sa.Column("target", sa.String(255)),  # a fingerprint, a username
    sa.Column("detail", sa.JSON),
)

# data-subject requests (`piiscan locate`): what was looked for is kept only as salted hashes
locate_audit = sa.Table(
    "locate_audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(255), nullable=False),
    sa.Column("identifier_kinds", sa.JSON, nullable=False),  # list of kinds
    sa.Column("identifier_hashes", sa.JSON, nullable=False),  # list of salted hashes, never the identifier
    sa.Column("salt_id", sa.String(64), nullable=False),
    sa.Column("targets", sa.JSON),
    sa.Column("match_count", sa.Integer, nullable=False),
    sa.Column("summary", sa.JSON),
)
