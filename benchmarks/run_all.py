"""Every issue-16 benchmark in one go, each writing its section of benchmarks/results.md.

    python benchmarks/run_all.py                 # full sizes (about 15-25 min on 2 cores)
    python benchmarks/run_all.py --quick         # small sizes, to check the scripts run

Whole processes, best of 3, wall and CPU (user+sys) side by side: see benchmarks/timing.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import bench_databases  # noqa: E402
import bench_logs  # noqa: E402
import bench_many_tables  # noqa: E402
import bench_startup  # noqa: E402
import bench_wide  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows = 20_000 if args.quick else 1_000_000
    repeat = 1 if args.quick else args.repeat
    bench_startup.main(["--rows", str(rows), "--repeat", str(repeat)])
    bench_databases.main(["--rows", str(rows), "--repeat", str(repeat)])
    bench_wide.main(["--repeat", str(repeat)])
    bench_many_tables.main(["--tables", "20" if args.quick else "500", "--repeat", str(repeat)])
    bench_logs.main(["--mb", "20" if args.quick else "500", "--repeat", str(repeat)])


if __name__ == "__main__":
    main()
