"""Helpers for the source tests: open a target and read everything it yields."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from scanner.sources import SourceStats, open_target
from scanner.sources.base import Dataset, SourceError, SourceOptions


@dataclass
class Opened:
    datasets: list[Dataset] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    stats: SourceStats = field(default_factory=SourceStats)

    def one(self, source: str, table: str | None = None) -> Dataset:
        matches = [d for d in self.datasets if d.source == source and d.table == table]
        assert len(matches) == 1, f"{source}/{table} not among {[(d.source, d.table) for d in self.datasets]}"
        return matches[0]


def read_all(dataset: Dataset, batch_rows: int = 1000) -> pa.Table:
    """Every row of a dataset as one table (columns may grow across batches: promote)."""
    tables = [pa.Table.from_batches([b]) for b in dataset.iter_batches(batch_rows)]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables, promote_options="permissive")


def open_all(target, **options) -> Opened:
    opened = Opened()
    for item in open_target(str(target), SourceOptions(**options), stats=opened.stats):
        (opened.errors if isinstance(item, SourceError) else opened.datasets).append(item)
    return opened


@pytest.fixture
def scan():
    return open_all


def terminate_piiscan_sessions(url: str) -> list:
    """Kill the server sessions piiscan holds on `url`'s database (a dropped connection mid-read)."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        killed = conn.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'piiscan' AND datname = current_database()")).fetchall()
    admin.dispose()
    return killed
