"""Spark's JDBC side: which driver jar reads which backend, and the JDBC URL of a database.

The password comes from the URL, the environment or the secrets file
(`scanner.sources.database.with_password`) and travels in the connection
properties, never in the JDBC URL that Spark logs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.sources.base import DirectRead

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# backend -> (JDBC URL scheme, Java driver class, jar file names searched for). MariaDB gets a
# jdbc:mysql: URL on purpose: Spark picks its SQL dialect from the URL, and only the MySQL
# dialect quotes names with backticks (with "name", MariaDB returns the column name as text).
JDBC_DRIVERS = {
    "postgresql": ("postgresql", "org.postgresql.Driver", ("postgresql.jar",)),
    "mysql": ("mysql", "org.mariadb.jdbc.Driver", ("mariadb-java-client.jar",)),
    "mariadb": ("mysql", "org.mariadb.jdbc.Driver", ("mariadb-java-client.jar",)),
    "sqlite": ("sqlite", "org.sqlite.JDBC", ("sqlite-jdbc.jar",)),
}
JAR_DIRS_ENV = "PIISCAN_JDBC_JARS"  # extra directories (os.pathsep-separated) holding driver jars
DEFAULT_JAR_DIRS = ("/usr/share/java",)


def find_jdbc_jars(dirs: list[str] | None = None) -> dict[str, str]:
    """backend -> path of a JDBC driver jar found on this machine (Debian: /usr/share/java)."""
    search = list(dirs or []) + [d for d in os.environ.get(JAR_DIRS_ENV, "").split(os.pathsep) if d]
    search += list(DEFAULT_JAR_DIRS)
    found: dict[str, str] = {}
    for backend, (_, _, names) in JDBC_DRIVERS.items():
        for directory in search:
            hit = next((Path(directory) / n for n in names if (Path(directory) / n).is_file()), None)
            if hit is not None:
                found[backend] = str(hit)
                break
    return found


def jdbc_frame(session: SparkSession, read: DirectRead, jars: dict[str, str]) -> DataFrame | None:
    """A database table through Spark's JDBC reader, every column read as a string."""
    connection = _jdbc_of(read)
    if connection is None or connection.backend not in jars:
        return None
    qualified = f"{_quote(connection.backend, read.schema)}." if read.schema else ""
    reader = (
        session.read.format("jdbc")
        .option("url", connection.url)
        .option("driver", JDBC_DRIVERS[connection.backend][1])
        .option("dbtable", qualified + _quote(connection.backend, read.name or ""))
        .option("customSchema", ", ".join(f"`{c.replace('`', '``')}` STRING" for c in read.columns))
        .option("fetchsize", "10000")
    )
    for key, value in connection.properties.items():
        reader = reader.option(key, value)
    return reader.load()


def _jdbc_of(read: DirectRead) -> JdbcConnection | None:
    """The JDBC connection for a table, from how its database was opened."""
    if read.opened_as is None:
        return None
    kind, where = read.opened_as
    return _sqlite_connection(Path(where)) if kind == "sqlite" else jdbc_connection(where)


def _quote(backend: str, name: str) -> str:
    quote = "`" if backend in ("mysql", "mariadb") else '"'
    return quote + name.replace(quote, quote * 2) + quote


@dataclass(frozen=True)
class JdbcConnection:
    backend: str
    url: str  # never holds the password: that goes in `properties`
    properties: dict[str, str]

    def __repr__(self) -> str:  # keep the password out of logs and tracebacks
        return f"JdbcConnection({self.backend!r}, {self.url!r})"


def sqlalchemy_url(jdbc_url: str) -> str:
    """`jdbc:postgresql://h:5432/db?user=u` -> `postgresql://u@h:5432/db` (for listing tables locally)."""
    from urllib.parse import parse_qs, urlsplit

    rest = jdbc_url[len("jdbc:"):]
    if rest.startswith("sqlite:"):
        return "sqlite:///" + rest[len("sqlite:"):].split("?", 1)[0]
    parts = urlsplit(rest)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    user = query.get("user") or parts.username or ""
    password = query.get("password") or parts.password
    auth = user + (f":{password}" if password else "") + ("@" if user else "")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{auth}{parts.hostname}{port}{parts.path}"


def jdbc_connection(target: str) -> JdbcConnection | None:
    """The JDBC URL and properties for a database target (SQLAlchemy or jdbc: URL, or a SQLite file).

    The password comes from the URL, the environment or the secrets file
    (`scanner.sources.database.with_password`), never from a config.
    """
    from scanner.sources.database import parse_url, with_password
    from scanner.targets import parse_target

    if target.startswith("jdbc:"):
        target = sqlalchemy_url(target)
    parsed = parse_target(target)
    if parsed.is_path:
        return _sqlite_connection(parsed.path) if parsed.path.is_file() else None
    url = with_password(parse_url(target))
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database:
            return None
        return _sqlite_connection(Path(url.database))
    if backend not in JDBC_DRIVERS:
        return None
    scheme = JDBC_DRIVERS[backend][0]
    host = url.host or "127.0.0.1"
    port = f":{url.port}" if url.port else ""
    properties = {"user": url.username or ""}
    if url.password:
        properties["password"] = str(url.password)
    if backend == "postgresql":
        properties["readOnly"] = "true"
    return JdbcConnection(backend, f"jdbc:{scheme}://{host}{port}/{url.database or ''}", properties)


def _sqlite_connection(path: Path) -> JdbcConnection:
    # open_mode=1 is SQLITE_OPEN_READONLY: the driver cannot write to the file
    return JdbcConnection("sqlite", f"jdbc:sqlite:{path.resolve()}", {"open_mode": "1"})
