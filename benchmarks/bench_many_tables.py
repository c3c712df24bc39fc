"""Many small tables: a sampled scan of 500 PostgreSQL tables of 1,000 rows.

    python benchmarks/bench_many_tables.py --tables 500 --rows 1000

Creates a database on 127.0.0.1 (user postgres) with `--tables` copies of the
bookings table's first `--rows` rows (each copy holds different rows), times
`piiscan scan <url>` (the default sampled scan, --jobs default) and drops the
database. The floor is one `psql` that reads every table whole
(`SELECT * FROM t_i` for each, to /dev/null). Best of 3, wall and CPU
(benchmarks/timing.py). Target: >= 50 tables/s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import generate  # noqa: E402
import timing  # noqa: E402

DB = "piiscan_bench_many"
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]


def create(tables: int, rows: int) -> str:
    folder = timing.scratch(f"many-{rows}")
    csv = folder / "bookings.csv"
    if not csv.exists():
        generate.generate(folder, rows * 4, 42, ("csv",))
    subprocess.run(PSQL + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", "-c", f"CREATE DATABASE {DB}"],
                   check=True, capture_output=True)
    columns = ", ".join(f"{c} text" for c in generate.COLUMNS)
    script = [f"CREATE TABLE staging ({columns});", f"\\copy staging FROM '{csv}' WITH (FORMAT csv, HEADER true)",
              "ALTER TABLE staging ADD COLUMN n serial;"]
    for i in range(tables):
        start = (i * rows) % (rows * 3)
        script.append(f"CREATE TABLE t_{i:04d} AS SELECT {', '.join(generate.COLUMNS)} FROM staging "
                      f"WHERE n > {start} AND n <= {start + rows};")
    script += ["DROP TABLE staging;", "ANALYZE;"]
    subprocess.run(PSQL + ["-d", DB], input="\n".join(script), text=True, check=True, capture_output=True)
    return f"postgresql://postgres@127.0.0.1:5432/{DB}"


def drop() -> None:
    subprocess.run(PSQL + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)"], check=True, capture_output=True)


def run(tables: int, rows: int, repeat: int = 3) -> str:
    url = create(tables, rows)
    try:
        selects = " ".join(f"SELECT * FROM t_{i:04d};" for i in range(tables))
        floor = timing.timed(f"floor: psql SELECT * of {tables} tables",
                             ["sh", "-c", f"psql -h 127.0.0.1 -U postgres -d {DB} -c '{selects}' > /dev/null"], repeat)
        scan = timing.timed(f"piiscan {tables} tables x {rows} rows, sampled", timing.piiscan(url), repeat)
    finally:
        drop()
    scan.note = f"{tables / scan.wall:.0f} tables/s wall" if scan.wall else scan.note
    for m in (floor, scan):
        print(m.row(), file=sys.stderr)
    return "\n".join([timing.HEADER, floor.row(), scan.row(floor, ">= 50 tables/s")]) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=500)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    body = run(args.tables, args.rows, args.repeat)
    print(body)
    timing.write_section("Many tables (bench_many_tables.py)", body)


if __name__ == "__main__":
    main()
