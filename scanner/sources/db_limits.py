"""Limits every database session gets, and how a driver says one was hit.

PostgreSQL takes `lock_timeout` and `statement_timeout` as connection options
(see `database.server_engine`); MariaDB's `max_statement_time` (seconds) and
MySQL's `max_execution_time` (milliseconds) are set when a connection opens, by
the hook here, whichever the server knows. A statement stopped by one of them
is reported with kind `timeout`, so the run records why and goes on.
"""

from __future__ import annotations

from typing import Any

from scanner.sources.budgets import Budgets


def statement_timeout_hook(budgets: Budgets) -> Any:
    """A connect hook: MariaDB's `max_statement_time` (seconds), else MySQL's `max_execution_time` (ms)."""
    statements = (f"SET SESSION max_statement_time = {budgets.statement_timeout_ms / 1000:g}",
                  f"SET SESSION max_execution_time = {int(budgets.statement_timeout_ms)}")

    def on_connect(connection: Any, _record: Any) -> None:
        for statement in statements:
            cursor = connection.cursor()
            try:
                cursor.execute(statement)
                return
            except Exception:  # noqa: BLE001 - the other server's variable: try the next one
                continue
            finally:
                cursor.close()

    return on_connect


# PostgreSQL lock_timeout / statement_timeout; MariaDB max_statement_time, MySQL max_execution_time
TIMEOUT_SQLSTATES = {"55P03", "57014"}
TIMEOUT_MYSQL_CODES = {1969, 3024}


def is_timeout(original: BaseException) -> bool:
    if getattr(original, "sqlstate", None) in TIMEOUT_SQLSTATES or getattr(original, "pgcode", None) in TIMEOUT_SQLSTATES:
        return True
    args = getattr(original, "args", ())
    return bool(args) and args[0] in TIMEOUT_MYSQL_CODES
