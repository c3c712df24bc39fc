"""Review console and audit: users, login attempts, an audit log, locate audit; triage gains `source`.

Runs gain `context` (JSON): what the console shows beside the items and that
the items do not hold: breach impact per datastore, scan statistics, and a
snapshot of the inventory's datastores (purposes, retention) as of the run.

The `triage` table already keeps every decision (append-only, newest wins), so
it is the history of decisions; it only gains where a decision was made
(`source`: console | cli; NULL for rows written before this revision = cli).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("triage") as batch:
        batch.add_column(sa.Column("source", sa.String(16)))
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("context", sa.JSON))
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(255), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(512), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(255), nullable=False, index=True),
        sa.Column("remote", sa.String(64)),
        sa.Column("at", sa.String(32), nullable=False, index=True),
        sa.Column("success", sa.Boolean, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(64), nullable=False, index=True),
        sa.Column("target", sa.String(255)),
        sa.Column("detail", sa.JSON),
    )
    op.create_table(
        "locate_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("identifier_kinds", sa.JSON, nullable=False),
        sa.Column("identifier_hashes", sa.JSON, nullable=False),
        sa.Column("salt_id", sa.String(64), nullable=False),
        sa.Column("targets", sa.JSON),
        sa.Column("match_count", sa.Integer, nullable=False),
        sa.Column("summary", sa.JSON),
    )


def downgrade() -> None:
    for table in ("locate_audit", "audit_log", "login_attempts", "users"):
        op.drop_table(table)
    with op.batch_alter_table("triage") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("context")
