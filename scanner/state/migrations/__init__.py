"""Alembic migrations of the state store, run programmatically by StateStore.open."""
