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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from scanner.detect.engine import ColumnStats, Detector
from scanner.engines import Engine
from scanner.engines.local import LocalEngine
from scanner.engines.spark_jdbc import (  # noqa: F401 - the JDBC helpers are part of this engine's API
    JDBC_DRIVERS,
    find_jdbc_jars,
    jdbc_connection,
    jdbc_frame,
    sqlalchemy_url,
)
from scanner.extras import MissingExtra, require
from scanner.model import Finding, Location, ScanResult
from scanner.scan.dataset import DatasetScan, scan_safely
from scanner.scan.options import ScanOptions
from scanner.sources.base import Dataset, DirectRead

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
LOG_LEVEL_ENV = "PIISCAN_SPARK_LOG_LEVEL"  # e.g. WARN when debugging Spark itself; failures reach ScanResult.errors anyway
# Charsets whose CSVs Spark decodes as the local reader does; others are scanned on the driver.
SPARK_CSV_CHARSETS = {"UTF-8", "US-ASCII"}
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
    from scanner.pipeline import run_scan

    return run_scan([_listing_target(t) for t in targets], options, engine="spark", spark=spark, settings=settings)


def make_engine(options: ScanOptions, *, spark: SparkSession | None = None,
                settings: SparkScanSettings | None = None, **_: Any) -> SparkEngine:
    """The `spark` engine; MissingExtra (one line saying what to install) without pyspark or Java."""
    import shutil

    require("pyspark", "spark", "the spark engine")
    if spark is None and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise MissingExtra("the spark engine needs Java 17 (apt-get install openjdk-17-jre-headless)")
    return SparkEngine(options, spark, settings)


def _listing_target(target: str) -> str:
    """A jdbc: URL is listed through its SQLAlchemy form (the local source layer lists tables)."""
    return sqlalchemy_url(target) if target.startswith("jdbc:") else target


class SparkEngine(Engine):
    """Spark reads what it can read itself (`Dataset.direct_read`: Parquet, UTF-8 CSV, JDBC tables)
    and runs detection in `mapInArrow`; every other dataset is scanned by the local engine on the driver."""

    name = "spark"

    def __init__(self, options: ScanOptions, session: SparkSession | None, settings: SparkScanSettings | None):
        self.local = LocalEngine(options)
        self.options = options
        self._own_session = session is None
        self.session = session if session is not None else spark_session(settings)
        self.jars = find_jdbc_jars(settings.jar_dirs if settings else None)
        self.payload = pickle.dumps(self.local.detector)
        self.where = {"spark": 0, "driver": 0}
        self.handed_to_driver: dict[str, int] = {}  # why datasets ran on the driver, for the result

    def submit(self, dataset: Dataset) -> DatasetScan:
        return scan_safely(dataset, self._scan, self.describe_error)

    def _scan(self, dataset: Dataset) -> tuple[list[Finding], int, int]:
        frame, why = _frame(self.session, dataset.direct_read(), self.jars)
        if frame is None:  # a kind Spark does not read: the local engine scans it on the driver
            self.where["driver"] += 1
            self.handed_to_driver[why] = self.handed_to_driver.get(why, 0) + 1
            return self.local.scan(dataset)
        self.where["spark"] += 1
        with warnings.catch_warnings():
            # pyspark 4.x warns on every Arrow call that pandas 3 is untested; mapInArrow uses no pandas
            warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                                    category=FutureWarning)
            return _scan_frame(frame, dataset, self.local.detector, self.local.config, self.payload, self.options)

    @property
    def detector(self) -> Detector:
        return self.local.detector

    def describe_error(self, exc: BaseException) -> str:
        return describe_spark_error(exc)

    def public(self) -> dict[str, Any]:
        return {"engine": "spark"}

    def summary(self) -> dict[str, Any]:
        return {"engine_datasets": dict(self.where), "engine_driver_reasons": dict(self.handed_to_driver)}

    def close(self, wait: bool = True) -> None:
        self.local.close(wait)
        if self._own_session:
            self.session.stop()


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


def _frame(session: SparkSession, read: DirectRead | None, jars: dict[str, str]) -> tuple[DataFrame | None, str]:
    """The Spark DataFrame for a dataset (None, and why not, when Spark does not read it)."""
    if read is None:
        return None, "a kind Spark does not read (JSON, Excel, text, documents)"
    if read.format == "parquet":
        return session.read.parquet(read.path), ""
    if read.format == "csv":
        charset = JAVA_CHARSETS.get((read.encoding or "utf-8").lower())
        if charset not in SPARK_CSV_CHARSETS:
            # Spark 4's CSV reader mis-decodes multi-byte legacy encodings (CP932, EUC-JP...)
            return None, f"a {read.encoding} CSV (Spark reads only UTF-8 CSV correctly)"
        size = Path(read.path or "").stat().st_size
        frame = (
            session.read.option("header", "true")
            .option("inferSchema", "false")
            .option("sep", read.delimiter)
            .option("encoding", charset)
            .option("multiLine", "true" if size <= MULTILINE_MAX_BYTES else "false")
            .option("mode", "PERMISSIVE")
            .option("emptyValue", "")
            .csv(read.path)
        )
        if len(frame.columns) == len(read.columns):
            frame = frame.toDF(*read.columns)
        return frame, ""
    if read.format == "table":
        frame = jdbc_frame(session, read, jars)
        return frame, "" if frame is not None else "a table with no JDBC driver jar installed"
    return None, f"a {read.format} dataset"


