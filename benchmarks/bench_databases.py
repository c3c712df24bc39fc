"""Full scans of the same table in PostgreSQL, MariaDB and SQLite, next to each one's fastest plain read.

    python benchmarks/bench_databases.py --rows 1000000

The bookings table (benchmarks/generate.py, 8 text columns) is loaded into a
database this script creates on 127.0.0.1 (PostgreSQL as user postgres,
MariaDB as root) and drops afterwards; SQLite reads generate.py's crm.db.
Floors, whole processes: PostgreSQL `psql -c "COPY bookings TO STDOUT"`,
MariaDB `mariadb -e "SELECT * FROM bookings"` (client streaming, --quick),
SQLite `sqlite3 crm.db "SELECT * FROM bookings"`, each to /dev/null. piiscan:
`piiscan scan <url> --full`. Best of 3, wall and CPU (benchmarks/timing.py).
Target: each backend within 2x of its floor.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import generate  # noqa: E402
import timing  # noqa: E402

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
MY = {"host": "127.0.0.1", "port": 3306, "user": "root"}
DB = "piiscan_bench"


def estate(rows: int) -> Path:
    folder = timing.scratch(f"db-{rows}")
    if not (folder / "crm.db").exists() or not (folder / "bookings.csv").exists():
        generate.generate(folder, rows, 42, ("csv", "sqlite"))
    return folder


def sh(cmd: list[str], stdin: str | None = None) -> None:
    subprocess.run(cmd, input=stdin, text=True, check=True, capture_output=True)


@contextmanager
def postgres(csv: Path, name: str = DB) -> Iterator[str]:
    base = ["psql", "-h", PG["host"], "-U", PG["user"], "-v", "ON_ERROR_STOP=1", "-q"]
    sh(base + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", "-c", f"CREATE DATABASE {name}"])
    try:
        columns = ", ".join(f"{c} text" for c in generate.COLUMNS)
        sh(base + ["-d", name, "-c", f"CREATE TABLE bookings ({columns})",
                   "-c", f"\\copy bookings FROM '{csv}' WITH (FORMAT csv, HEADER true)", "-c", "ANALYZE bookings"])
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        sh(base + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])


@contextmanager
def mariadb(csv: Path, name: str = DB) -> Iterator[str]:
    base = ["mariadb", "-h", MY["host"], "-u", MY["user"], "--local-infile=1"]
    sh(base + ["-e", f"DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name} CHARACTER SET utf8mb4"])
    try:
        columns = ", ".join(f"{c} TEXT" for c in generate.COLUMNS)
        sh(base + [name, "-e", f"CREATE TABLE bookings ({columns}); LOAD DATA LOCAL INFILE '{csv}' INTO TABLE "
                               "bookings FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' IGNORE 1 LINES"])
        yield f"mysql://root@127.0.0.1:3306/{name}"
    finally:
        sh(base + ["-e", f"DROP DATABASE IF EXISTS {name}"])


def to_null(cmd: list[str]) -> list[str]:
    return ["sh", "-c", " ".join(f"'{c}'" for c in cmd) + " > /dev/null"]


def run(rows: int, repeat: int = 3, backends: tuple[str, ...] = ("postgresql", "mariadb", "sqlite")) -> str:
    folder = estate(rows)
    csv, db = folder / "bookings.csv", folder / "crm.db"
    cells = rows * len(generate.COLUMNS)
    lines = [timing.HEADER]

    def pair(label: str, floor_cmd: list[str], url: str) -> None:
        floor = timing.timed(f"floor: {label} plain read", to_null(floor_cmd), repeat)
        scan = timing.timed(f"piiscan {label} --full", timing.piiscan(url, "--full"), repeat)
        scan.note = f"{cells / scan.wall / 1e6:.2f}M cells/s wall" if scan.wall else scan.note
        sampled = timing.timed(f"piiscan {label} sampled", timing.piiscan(url), repeat)
        for m in (floor, scan, sampled):
            print(m.row(floor if m is not floor else None), file=sys.stderr)
        lines.extend([floor.row(), scan.row(floor, "<= 2x floor"), sampled.row(floor)])

    if "postgresql" in backends:
        with postgres(csv) as url:
            pair("PostgreSQL", ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-c",
                                "COPY bookings TO STDOUT"], url)
    if "mariadb" in backends:
        with mariadb(csv) as url:
            pair("MariaDB", ["mariadb", "-h", "127.0.0.1", "-u", "root", "--quick", DB, "-e",
                             "SELECT * FROM bookings"], url)
    if "sqlite" in backends:
        pair("SQLite", ["sqlite3", "-readonly", str(db), "SELECT * FROM bookings"], f"sqlite:///{db}")
    return (f"{rows:,} rows x 8 text columns ({cells / 1e6:.0f}M cells). Floors: psql COPY TO STDOUT, "
            "mariadb --quick SELECT *, sqlite3 SELECT *, each to /dev/null.\n\n" + "\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="postgresql,mariadb,sqlite")
    args = parser.parse_args(argv)
    body = run(args.rows, args.repeat, tuple(args.only.split(",")))
    print(body)
    timing.write_section("Databases (bench_databases.py)", body)


if __name__ == "__main__":
    main()
