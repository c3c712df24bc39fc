"""The Spark engine finds what the local engine finds (Spark local mode, offline).

Compared on the evaluation corpus (read-only): the Parquet warehouse table,
the CSV exports, and the SQLite CRM through Spark's JDBC reader when the
sqlite-jdbc jar is installed (Debian: libxerial-sqlite-jdbc-java). One Spark
session serves the whole module to keep it well under a minute and a half.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Java is not installed", allow_module_level=True)

from scanner.engines.spark import (  # noqa: E402
    find_jdbc_jars,
    jdbc_connection,
    run_spark_scan,
    spark_session,
    sqlalchemy_url,
)
from scanner.pipeline import ScanOptions, run_scan  # noqa: E402

pytestmark = pytest.mark.spark

CORPUS = Path("/work/shared/eval/dev")
PARQUET = CORPUS / "warehouse" / "bookings.parquet"
EXPORTS = CORPUS / "exports"


def keys(result) -> set[tuple[str, str | None, str | None, str]]:
    return {(f.location.source, f.location.table, f.location.field, f.entity_type) for f in result.findings}


@pytest.fixture(scope="module")
def spark():
    session = spark_session()
    yield session
    session.stop()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="evaluation corpus not present")
@pytest.mark.parametrize(
    "targets",
    [
        pytest.param([str(PARQUET)], id="parquet-file"),
        pytest.param([str(EXPORTS)], id="csv-directory"),
        pytest.param([str(p) for p in sorted(EXPORTS.glob("*.csv"))], id="csv-files"),
    ],
)
def test_spark_findings_equal_local(spark, targets):
    options = ScanOptions(full=True)
    local = run_scan(targets, options)
    distributed = run_spark_scan(targets, options, spark=spark)
    assert not distributed.errors, [e.to_dict() for e in distributed.errors]
    assert keys(local), "the corpus holds PII: the local engine must find some"
    assert keys(distributed) == keys(local)
    assert distributed.stats.rows_scanned == local.stats.rows_scanned
    assert distributed.stats.cells_scanned == local.stats.cells_scanned
    assert distributed.stats.datasets == local.stats.datasets
    assert distributed.extra["engine_datasets"] == {"spark": local.stats.datasets, "driver": 0}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="evaluation corpus not present")
def test_spark_sampled_scan_of_small_table_equals_full(spark):
    """Below the sample size nothing is sampled away: a sampled scan equals a full one."""
    sampled = run_spark_scan([str(PARQUET)], ScanOptions(full=False), spark=spark)
    full = run_spark_scan([str(PARQUET)], ScanOptions(full=True), spark=spark)
    assert keys(sampled) == keys(full)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="evaluation corpus not present")
def test_spark_sample_reads_a_fraction(spark, tmp_path):
    """Above the sample size Spark samples (about sample_rows rows), and still finds the columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(PARQUET)
    big = pa.concat_tables([table] * 20)  # 8,000 rows
    path = tmp_path / "big.parquet"
    pq.write_table(big, path)
    result = run_spark_scan([str(path)], ScanOptions(full=False, sample_rows=1000), spark=spark)
    assert 500 < result.stats.rows_scanned < 1600
    local = run_scan([str(path)], ScanOptions(full=True))
    assert {(k[2], k[3]) for k in keys(result)} == {(k[2], k[3]) for k in keys(local)}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="evaluation corpus not present")
def test_spark_output_is_masked(spark):
    """The findings JSON of the Spark engine holds no full card or passport number of the corpus."""
    import pyarrow.parquet as pq

    result = run_spark_scan([str(PARQUET), str(EXPORTS)], ScanOptions(full=True), spark=spark)
    text = json.dumps(result.to_dict(), ensure_ascii=False)
    passports = [p for p in pq.read_table(PARQUET).column("passport").to_pylist() if p]
    assert passports and not any(p in text for p in passports)
    assert result.to_dict()["options"]["engine"] == "spark"


@pytest.mark.skipif(not (CORPUS / "crm.db").is_file() or "sqlite" not in find_jdbc_jars(),
                    reason="needs the corpus and the sqlite-jdbc jar (libxerial-sqlite-jdbc-java)")
def test_spark_jdbc_sqlite_equals_local(spark, tmp_path):
    """A SQLite database read through Spark's JDBC reader (read-only) gives the local engine's findings."""
    db = tmp_path / "crm.db"
    shutil.copyfile(CORPUS / "crm.db", db)
    before = db.read_bytes()
    target = f"sqlite:///{db}"
    local = run_scan([target], ScanOptions(full=True))
    distributed = run_spark_scan([target], ScanOptions(full=True), spark=spark)
    assert not distributed.errors, [e.to_dict() for e in distributed.errors]
    assert keys(local) and keys(distributed) == keys(local)
    assert distributed.extra["engine_datasets"] == {"spark": local.stats.datasets, "driver": 0}
    assert db.read_bytes() == before  # read-only


def test_broken_file_is_an_error_and_other_kinds_run_on_the_driver(spark, tmp_path):
    """A corrupt Parquet file becomes an error; a log (a kind Spark does not read) is scanned locally."""
    (tmp_path / "ok.csv").write_text("email\nhanako@example.com\ntaro@example.jp\n", encoding="utf-8")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not parquet PAR1")
    (tmp_path / "app.log").write_text("INFO start\nINFO receipt mailed to hanako@example.com\n", encoding="utf-8")
    result = run_spark_scan([str(tmp_path)], ScanOptions(full=True), spark=spark)
    assert [e.source for e in result.errors] == ["broken.parquet"]
    assert ("ok.csv", None, "email", "EMAIL_ADDRESS") in keys(result)
    assert ("app.log", None, None, "EMAIL_ADDRESS") in keys(result)
    assert result.extra["engine_datasets"] == {"spark": 1, "driver": 1}
    assert keys(result) == keys(run_scan([str(tmp_path)], ScanOptions(full=True)))


def test_a_cp932_csv_is_handed_to_the_driver_and_says_so(spark, tmp_path):
    """Spark 4 mis-decodes CP932; the engine scans such a CSV locally and records why."""
    rows = "".join(f"{i},山田 太郎,taro{i}@example.jp,090-1234-{i:04d}\n" for i in range(40))
    (tmp_path / "顧客.csv").write_bytes(("番号,氏名,メールアドレス,電話番号\n" + rows).encode("cp932"))
    result = run_spark_scan([str(tmp_path)], ScanOptions(full=True), spark=spark)
    assert result.extra["engine_datasets"] == {"spark": 0, "driver": 1}
    assert list(result.extra["engine_driver_reasons"]) == ["a cp932 CSV (Spark reads only UTF-8 CSV correctly)"]
    assert keys(result) == keys(run_scan([str(tmp_path)], ScanOptions(full=True)))
    assert ("顧客.csv", None, "メールアドレス", "EMAIL_ADDRESS") in keys(result)


def _load_customers(url: str, rows: int = 150) -> None:
    """Copy the first rows of the corpus's `customers` table into a server database."""
    import sqlalchemy as sa

    with sqlite3.connect(f"file:{CORPUS / 'crm.db'}?mode=ro", uri=True) as src:
        cursor = src.execute(f"SELECT * FROM customers LIMIT {rows}")
        columns = [d[0] for d in cursor.description]
        data = [dict(zip(columns, (None if v is None else str(v) for v in row), strict=True)) for row in cursor]
    engine = sa.create_engine(url)
    table = sa.Table("customers", sa.MetaData(), *(sa.Column(c, sa.Text) for c in columns))
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), data)
    engine.dispose()


@pytest.mark.db
@pytest.mark.skipif(not (CORPUS / "crm.db").is_file(), reason="evaluation corpus not present")
@pytest.mark.parametrize("server, backend", [("pg_url", "postgresql"), ("mysql_url", "mysql")])
def test_spark_jdbc_server_equals_local(spark, request, server, backend):
    """PostgreSQL / MariaDB tables through Spark's JDBC reader give the local engine's findings."""
    if backend not in find_jdbc_jars():
        pytest.skip(f"no JDBC driver jar for {backend} (Debian: libpostgresql-jdbc-java / libmariadb-java)")
    url = request.getfixturevalue(server)
    _load_customers(url)
    local = run_scan([url], ScanOptions(full=True))
    distributed = run_spark_scan([url], ScanOptions(full=True), spark=spark)
    assert not distributed.errors, [e.to_dict() for e in distributed.errors]
    assert keys(local) and keys(distributed) == keys(local)
    assert distributed.extra["engine_datasets"] == {"spark": 1, "driver": 0}


@pytest.mark.parametrize(
    "jdbc, expected",
    [
        ("jdbc:postgresql://127.0.0.1:5432/test?user=postgres", "postgresql://postgres@127.0.0.1:5432/test"),
        ("jdbc:postgresql://db.internal/crm", "postgresql://db.internal/crm"),
        ("jdbc:mariadb://127.0.0.1:3306/test?user=root", "mariadb://root@127.0.0.1:3306/test"),
        ("jdbc:sqlite:/data/crm.db", "sqlite:////data/crm.db"),
    ],
)
def test_sqlalchemy_url_of_jdbc(jdbc, expected):
    assert sqlalchemy_url(jdbc) == expected


def test_jdbc_connection_keeps_password_out_of_url(monkeypatch):
    monkeypatch.setenv("PIISCAN_DB_PASSWORD", "s3cret-pw")
    connection = jdbc_connection("postgresql://scanner:s3cret-pw@10.0.0.5:5432/crm")
    assert connection.url == "jdbc:postgresql://10.0.0.5:5432/crm"
    assert connection.properties["password"] == "s3cret-pw"
    assert "s3cret-pw" not in repr(connection)


def test_jdbc_connection_of_sqlite_file_is_read_only(tmp_path):
    db = tmp_path / "x.db"
    sqlite3.connect(db).close()
    connection = jdbc_connection(str(db))
    assert connection.url == f"jdbc:sqlite:{db.resolve()}"
    assert connection.properties == {"open_mode": "1"}
