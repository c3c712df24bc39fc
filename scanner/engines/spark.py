"""The Spark engine: the same detection, run inside Spark for stores that outgrow one machine.

    piiscan scan --engine spark TARGET          (pip install piiscan[spark]; Java 17)

Why it is shaped like this: the local engine already reduces a column to
small, mergeable counts (`ColumnStats`) and decides only at the end
(`Detector.findings`). Spark therefore only has to run `Detector.observe` on
each partition's Arrow batches (`DataFrame.mapInArrow`, no pandas round trip)
and ship one pickled `ColumnStats` per column back; the driver folds them with
`ColumnStats.merge` and decides exactly as the local engine does. Raw values
never leave an executor: `ColumnStats` holds counts and masked examples only.

What runs where:
- the datasets of a target are listed by the local source layer
  (`scanner.sources.open_target`), so `Location`s (source relative path,
  table, field) are the local engine's, and results compare equal;
- Parquet files and CSV/TSV files (header row, every column a string, the
  encoding and delimiter the local reader sniffed) are read by Spark;
- database tables are read by Spark's JDBC reader when a JDBC driver jar is
  available (PostgreSQL, MariaDB/MySQL, SQLite; see `JDBC_DRIVERS`), every
  column as a string;
- everything else (JSON, Excel, plain text and logs, a database with no JDBC
  jar) is scanned by the local engine on the driver, so one command still
  covers the whole estate.

Sampling: unless `--full`, Spark samples `DataFrame.sample(fraction)` with
fraction = sample rows / row count (and the detection config's seed).

Spark runs in local mode (`local[2]`) unless a master is given, with the UI
off, quiet logging and the driver bound to 127.0.0.1: nothing listens on or
reaches the network beyond the loopback interface.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from scanner.detect.engine import ColumnStats, Detector
from scanner.model import Finding, Location, ScanResult
from scanner.pipeline import Scanner, ScanOptions
from scanner.sources import SourceStats
from scanner.sources.base import Dataset, SourceError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)

DEFAULT_MASTER = "local[2]"
# Files at most this big are read with multiLine CSV parsing (quoted newlines are
# kept in their cell, as the local reader does); bigger ones are split across tasks
# instead, and a quoted newline would end a row early there.
MULTILINE_MAX_BYTES = 128 * 1024 * 1024
# Python codec names (what the local reader sniffs) -> Java charset names.
JAVA_CHARSETS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp932": "windows-31j",
                 "shift_jis": "Shift_JIS", "euc_jp": "EUC-JP", "iso2022_jp": "ISO-2022-JP", "latin-1": "ISO-8859-1",
                 "ascii": "US-ASCII"}
# backend -> (JDBC URL scheme, Java driver class, jar file names searched for). MariaDB gets a
# jdbc:mysql: URL on purpose: Spark picks its SQL dialect from the URL, and only the MySQL
# dialect quotes names with backticks (with "name", MariaDB returns the column name as text).
JDBC_DRIVERS = {
    "postgresql": ("postgresql", "org.postgresql.Driver", ("postgresql.jar",)),
    "mysql": ("mysql", "org.mariadb.jdbc.Driver", ("mariadb-java-client.jar",)),
    "mariadb": ("mysql", "org.mariadb.jdbc.Driver", ("mariadb-java-client.jar",)),
    "sqlite": ("sqlite", "org.sqlite.JDBC", ("sqlite-jdbc.jar",)),
}
LOG_LEVEL_ENV = "PIISCAN_SPARK_LOG_LEVEL"  # e.g. WARN when debugging Spark itself; failures reach ScanResult.errors anyway
JAR_DIRS_ENV = "PIISCAN_JDBC_JARS"  # extra directories (os.pathsep-separated) holding driver jars
DEFAULT_JAR_DIRS = ("/usr/share/java",)
STATS_SCHEMA = pa.schema([("column", pa.string()), ("rows", pa.int64()), ("stats", pa.binary())])
STATS_DDL = "column string, rows long, stats binary"  # the same schema, as Spark wants it
LOG4J2 = """status = error
rootLogger.level = fatal
rootLogger.appenderRef.stderr.ref = console
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = fatal
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


# --- executor side ------------------------------------------------------------------------------
_WORKER_DETECTORS: dict[bytes, Detector] = {}


def _worker_detector(payload: bytes) -> Detector:
    """The detector of this scan, unpickled once per Python worker (keyed by its bytes)."""
    detector = _WORKER_DETECTORS.get(payload)
    if detector is None:
        _WORKER_DETECTORS.clear()
        detector = _WORKER_DETECTORS[payload] = pickle.loads(payload)
    return detector


def observe_partition(batches: Iterator[pa.RecordBatch], payload: bytes) -> Iterator[pa.RecordBatch]:
    """mapInArrow body: `Detector.observe` on every column of every batch of one partition.

    Yields one row per column: its name, the partition's row count and the
    pickled `ColumnStats` (counts and masked examples, never raw values).
    """
    from scanner.sources.columns import flatten_arrow

    detector = _worker_detector(payload)
    columns: dict[str, ColumnStats] = {}
    rows = 0
    for batch in batches:
        batch = flatten_arrow(batch)
        rows += batch.num_rows
        for name, values in zip(batch.schema.names, batch.columns, strict=True):
            stats = columns.get(name)
            if stats is None:
                stats = columns[name] = ColumnStats(name=name)
            detector.observe(stats, values)
    names = list(columns)
    yield pa.RecordBatch.from_arrays(
        [pa.array(names, pa.string()), pa.array([rows] * len(names), pa.int64()),
         pa.array([pickle.dumps(columns[n]) for n in names], pa.binary())],
        schema=STATS_SCHEMA,
    )


def _partition_function(payload: bytes):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return observe_partition(batches, payload)

    return run


# --- driver side ----------------------------------------------------------------------------
@dataclass
class SparkScanSettings:
    """How to run Spark; the defaults are the tested local mode."""

    master: str = DEFAULT_MASTER
    conf: dict[str, str] = field(default_factory=dict)
    jar_dirs: list[str] = field(default_factory=list)


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


def spark_session(settings: SparkScanSettings | None = None) -> SparkSession:
    """A quiet, offline Spark session whose Python workers can import piiscan."""
    from pyspark.sql import SparkSession

    settings = settings or SparkScanSettings()
    project_root = str(Path(__file__).resolve().parents[2])
    python_path = os.pathsep.join(p for p in (project_root, os.environ.get("PYTHONPATH", "")) if p)
    log4j = Path(tempfile.gettempdir()) / "piiscan-spark-log4j2.properties"
    if not log4j.exists() or log4j.read_text() != LOG4J2:
        log4j.write_text(LOG4J2)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    java_opts = f"-Dlog4j.configurationFile=file:{log4j} -Dlog4j2.configurationFile=file:{log4j}"
    jars = sorted(set(find_jdbc_jars(settings.jar_dirs).values()))
    builder = (
        SparkSession.builder.master(settings.master)
        .appName("piiscan")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.extraJavaOptions", java_opts)
        .config("spark.executor.extraJavaOptions", java_opts)
        .config("spark.executorEnv.PYTHONPATH", python_path)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
    )
    if jars:
        builder = builder.config("spark.jars", ",".join(jars))
    for key, value in settings.conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel(os.environ.get(LOG_LEVEL_ENV, "FATAL"))
    return session


def run_spark_scan(targets: list[str], options: ScanOptions, *, spark: SparkSession | None = None,
                   settings: SparkScanSettings | None = None) -> ScanResult:
    """Scan every target with Spark; the result has the same shape and findings as `run_scan`.

    `spark`: an existing session (tests share one); otherwise one is started
    from `settings` and stopped at the end.
    """
    own_session = spark is None
    session = spark if spark is not None else spark_session(settings)
    scanner = SparkScanner(options, targets, session, find_jdbc_jars(settings.jar_dirs if settings else None))
    try:
        with warnings.catch_warnings():
            # pyspark 4.x warns on every Arrow call that pandas 3 is untested; mapInArrow uses no pandas
            warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                                    category=FutureWarning)
            for target in targets:
                scanner.scan_target(target)
    finally:
        result = scanner.finish()
        if own_session:
            session.stop()
    return result


class SparkScanner(Scanner):
    """The local Scanner's bookkeeping (errors, stats, ordering), with Spark reading the data:
    Parquet, CSV and JDBC tables run in `mapInArrow`; other kinds are scanned on the driver."""

    def __init__(self, options: ScanOptions, targets: list[str], session: SparkSession, jars: dict[str, str]):
        super().__init__(options, targets)
        self.session = session
        self.jars = jars
        self.payload = pickle.dumps(self.detector)
        self.result.options["engine"] = "spark"
        self.result.extra["engine_datasets"] = {"spark": 0, "driver": 0}

    def _datasets(self, target: str, walk: SourceStats) -> Iterable[Dataset | SourceError]:
        """The local source layer's datasets; a jdbc: target is listed through its SQLAlchemy URL."""
        return super()._datasets(sqlalchemy_url(target) if target.startswith("jdbc:") else target, walk)

    def _scan(self, dataset: Dataset, target: str) -> tuple[list[Finding], int, int]:
        frame = _frame(self.session, dataset, target, self.jars)
        if frame is None:  # a kind Spark does not read: the local engine scans it on the driver
            scanned, where = super()._scan(dataset, target), "driver"
        else:
            scanned, where = _scan_frame(frame, dataset, self.detector, self.config, self.payload, self.options), "spark"
        self.result.extra["engine_datasets"][where] += 1
        return scanned

    def _error_text(self, exc: Exception) -> str:
        return describe_spark_error(exc)


def describe_spark_error(exc: BaseException) -> str:
    """One short line for a failure: the Python error a worker raised, or the first line of Spark's.

    Spark wraps worker failures in a long report whose first line says only
    that a worker failed; the line that names the error (`ValueError: ...`) is
    the useful one. Capped, and scrubbed by the caller, so no value is echoed.
    """
    text = str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    named = [line for line in lines if re.match(r"^[A-Za-z_.]*(Error|Exception): ", line)
             and not line.startswith(("org.apache", "java.", "py4j"))]
    line = named[-1] if named else (lines[0] if lines else "")
    return f"{type(exc).__name__}: {line[:200]}"


def _scan_frame(frame: DataFrame, dataset: Dataset, detector: Detector, config: Any, payload: bytes,
                options: ScanOptions) -> tuple[list[Finding], int, int]:
    if not options.full:
        wanted = options.sample_rows or config.sampling.rows
        total = frame.count()
        if total > wanted:
            frame = frame.sample(withReplacement=False, fraction=wanted / total, seed=config.sampling.seed)
    collected = frame.mapInArrow(_partition_function(payload), STATS_DDL).collect()
    columns: dict[str, ColumnStats] = {}
    rows_by_partition: list[int] = []
    first: str | None = None
    for row in collected:
        stats: ColumnStats = pickle.loads(row["stats"])
        if first is None:
            first = row["column"]
        if row["column"] == first:
            rows_by_partition.append(row["rows"])
        mine = columns.get(row["column"])
        if mine is None:
            columns[row["column"]] = stats
        else:
            mine.merge(stats, max_examples=config.free_text.max_examples)
    rows = sum(rows_by_partition)
    findings: list[Finding] = []
    for name, stats in columns.items():
        findings += detector.findings(stats, Location(dataset.source, dataset.table, name), rows)
    return findings, rows, rows * len(columns)


def _frame(session: SparkSession, dataset: Dataset, target: str, jars: dict[str, str]) -> DataFrame | None:
    """The Spark DataFrame for a dataset, or None when Spark does not read this kind."""
    from scanner.sources.database import TableDataset
    from scanner.sources.delimited import DelimitedDataset
    from scanner.sources.parquet import ParquetDataset

    if isinstance(dataset, ParquetDataset):
        return session.read.parquet(str(dataset.ref.path))
    if isinstance(dataset, DelimitedDataset):
        if not dataset.columns:
            return None
        size = dataset.ref.path.stat().st_size
        frame = (
            session.read.option("header", "true")
            .option("inferSchema", "false")
            .option("sep", dataset.delimiter)
            .option("encoding", JAVA_CHARSETS.get(dataset.encoding.lower(), dataset.encoding))
            .option("multiLine", "true" if size <= MULTILINE_MAX_BYTES else "false")
            .option("mode", "PERMISSIVE")
            .option("emptyValue", "")
            .csv(str(dataset.ref.path))
        )
        if len(frame.columns) == len(dataset.columns):
            frame = frame.toDF(*dataset.columns)
        return frame
    if isinstance(dataset, TableDataset):
        return _jdbc_frame(session, dataset, target, jars)
    return None


def _jdbc_frame(session: SparkSession, dataset: Any, target: str, jars: dict[str, str]) -> DataFrame | None:
    """A database table through Spark's JDBC reader, every column read as a string."""
    connection = jdbc_connection(target, dataset)
    if connection is None or connection.backend not in jars:
        return None
    table = dataset.selectable
    qualified = f"{_quote(connection.backend, table.schema)}." if table.schema else ""
    reader = (
        session.read.format("jdbc")
        .option("url", connection.url)
        .option("driver", JDBC_DRIVERS[connection.backend][1])
        .option("dbtable", qualified + _quote(connection.backend, table.name))
        .option("customSchema", ", ".join(f"`{c.replace('`', '``')}` STRING" for c in dataset.columns))
        .option("fetchsize", "10000")
    )
    for key, value in connection.properties.items():
        reader = reader.option(key, value)
    return reader.load()


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


def jdbc_connection(target: str, dataset: Any | None = None) -> JdbcConnection | None:
    """The JDBC URL and properties for a database target (SQLAlchemy or jdbc: URL, or a SQLite file).

    The password comes from the URL, the environment or the secrets file
    (`scanner.sources.database.with_password`), never from a config.
    """
    from scanner.sources.database import is_database_url, parse_url, with_password

    if target.startswith("jdbc:"):
        target = sqlalchemy_url(target)
    if not is_database_url(target):
        # a SQLite file given directly, or met in a directory walk
        path = Path(target)
        if path.is_dir() and dataset is not None:
            path = path / dataset.source
        return _sqlite_connection(path) if path.is_file() else None
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
