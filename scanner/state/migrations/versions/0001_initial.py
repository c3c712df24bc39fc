"""Initial state store: runs, items, observations, triage, dataset signatures.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("inventory", sa.String(1024), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32)),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("full", sa.Boolean, nullable=False),
        sa.Column("host", sa.String(255)),
        sa.Column("pid", sa.Integer),
        sa.Column("targets", sa.JSON),
        sa.Column("errors", sa.JSON),
        sa.Column("diff", sa.JSON),
        sa.Column("incremental", sa.JSON),
        sa.Column("exit_code", sa.Integer),
        sa.Column("message", sa.Text),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("inventory", sa.String(1024), nullable=False),
        sa.Column("item_type", sa.String(16), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(64)),
        sa.Column("severity", sa.String(16)),
        sa.Column("datastore", sa.String(2048)),
        sa.Column("table_name", sa.String(512)),
        sa.Column("field", sa.String(1024)),
        sa.Column("entity_type", sa.String(64)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("first_seen_run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("first_seen_at", sa.String(32), nullable=False),
        sa.Column("last_seen_run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("last_seen_at", sa.String(32), nullable=False),
        sa.Column("data", sa.JSON),
        sa.UniqueConstraint("inventory", "item_type", "fingerprint", name="uq_items_identity"),
    )
    op.create_table(
        "observations",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id"), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("carried", sa.Boolean, nullable=False),
        sa.Column("data", sa.JSON),
    )
    op.create_table(
        "triage",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by", sa.String(255), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("until", sa.String(10)),
    )
    op.create_table(
        "signatures",
        sa.Column("inventory", sa.String(1024), primary_key=True),
        sa.Column("source", sa.String(2048), primary_key=True),
        sa.Column("table_name", sa.String(512), primary_key=True),
        sa.Column("signature", sa.JSON, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    )


def downgrade() -> None:
    for table in ("signatures", "triage", "observations", "items", "runs"):
        op.drop_table(table)
