"""Retention: the cutoff a rule gives, and the counts of records kept past it.

The counting itself reads data, so it lives in the source layer
(`scanner.sources.counting`, read-only, streaming); this module turns a rule
into a cutoff and a source's failure into a `RetentionError` the policy
reports against the datastore, never a value.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

from scanner.sources.base import SourceError


class RetentionError(Exception):
    """A retention count could not be made; the message names the store and column, never a value."""


def cutoff_for(days: int, today: dt.date | None = None) -> dt.date:
    """The first date that is still inside the retention period."""
    return (today or dt.date.today()) - dt.timedelta(days=days)


def count_expired_rows(url: str, table: str, date_column: str, cutoff: dt.date,
                       fields: Iterable[str | None] = (None,)) -> dict[str | None, int]:
    """Per field, the rows of a database table whose `date_column` is before `cutoff` (see counting)."""
    from scanner.sources import counting  # SQLAlchemy loads only when a count is made

    try:
        return counting.count_rows_before(url, table, date_column, cutoff, fields)
    except SourceError as exc:
        raise RetentionError(exc.message) from None


def count_expired_files(paths: Iterable[str | os.PathLike[str]], cutoff: dt.date) -> int:
    """Files whose modification time is before `cutoff` (local time)."""
    from scanner.sources import counting  # SQLAlchemy loads only when a count is made

    try:
        return counting.count_files_before(paths, cutoff)
    except SourceError as exc:
        raise RetentionError(exc.message) from None


def count_expired_in_file(path: str | os.PathLike[str], date_field: str, cutoff: dt.date,
                          fields: Iterable[str | None] = (None,)) -> dict[str | None, int]:
    """Per field, the records of one tabular file whose `date_field` is before `cutoff`."""
    from scanner.sources import counting  # SQLAlchemy loads only when a count is made

    try:
        return counting.count_records_before(path, date_field, cutoff, fields)
    except SourceError as exc:
        raise RetentionError(exc.message) from None
