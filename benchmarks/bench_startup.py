"""Start-up and the Parquet rows of issue 16, whole processes next to their floors.

    python benchmarks/bench_startup.py --rows 1000000

- `piiscan --help` vs `python -c "import pyarrow"`;
- `piiscan scan` of a 3-line CSV (target <= 1 s);
- sampled and `--full` scans of the 1M x 8 bookings Parquet (benchmarks/generate.py)
  vs one process that reads it with pyarrow and runs one RE2 pass
  (`match_substring_regex`, \\d{4}) over every string column (target <= 2x).
Best of 3, wall and CPU (benchmarks/timing.py).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import generate  # noqa: E402
import timing  # noqa: E402

FLOOR = """
import pyarrow as pa, pyarrow.compute as pc, pyarrow.parquet as pq
t = pq.read_table({path!r})
print(sum(pc.sum(pc.match_substring_regex(c, r"\\d{{4}}")).as_py() or 0 for c in t.columns if pa.types.is_string(c.type)))
"""


def run(rows: int, repeat: int = 3) -> str:
    folder = timing.scratch(f"parquet-{rows}")
    parquet = folder / "bookings.parquet"
    if not parquet.exists():
        generate.generate(folder, rows, 42, ("parquet",))
    tiny = folder / "three.csv"
    tiny.write_text("name,email,note\nTaro Yamada,taro@example.jp,hello\nHanako Sato,hanako@example.jp,hi\n"
                    "Ken Ito,ken@example.jp,ok\n", encoding="utf-8")
    exe = shutil.which("piiscan") or "piiscan"
    pyarrow_floor = timing.timed("floor: python -c 'import pyarrow'", [sys.executable, "-c", "import pyarrow"], repeat)
    read_floor = timing.timed(f"floor: read {rows:,} x 8 Parquet + one RE2 pass",
                              timing.python(FLOOR.format(path=str(parquet))), repeat)
    rows_out = [
        pyarrow_floor.row(),
        timing.timed("piiscan --help", [exe, "--help"], repeat).row(pyarrow_floor, "<= 0.5 s"),
        timing.timed("piiscan scan, 3-line CSV", timing.piiscan(str(tiny)), repeat).row(pyarrow_floor, "<= 1.0 s"),
        read_floor.row(),
        timing.timed(f"piiscan sampled, {rows:,} x 8 Parquet", timing.piiscan(str(parquet)), repeat)
        .row(read_floor, "<= 2x floor"),
        timing.timed(f"piiscan --full, {rows:,} x 8 Parquet", timing.piiscan(str(parquet), "--full"), repeat)
        .row(read_floor, "<= 2x floor"),
    ]
    return "\n".join([timing.HEADER, *rows_out]) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    body = run(args.rows, args.repeat)
    print(body)
    timing.write_section("Start-up and Parquet (bench_startup.py)", body)


if __name__ == "__main__":
    main()
