"""Wide tables: the cost of a scan is per cell, not per column squared.

    python benchmarks/bench_wide.py            # 8 x 250k vs 2,000 x 1k vs 20,000 x 200 (CSV, sampled default scan)

The same 2M cells laid out as 8 columns x 250,000 rows and as 2,000 columns x
1,000 rows (the bookings estate's 8 columns tiled 250 times, each copy renamed),
and 4M cells as 20,000 columns x 200 rows. Each is a whole `piiscan scan` of the
CSV (default sampled scan, and `--full`), best of 3, wall and CPU
(benchmarks/timing.py). Target: 2,000 x 1k within 1.5x of 8 x 250k; 20,000
columns linear in cells (its CPU per cell close to the 2,000-column file's).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import generate  # noqa: E402
import timing  # noqa: E402


def wide_csv(folder: Path, base: Path, columns: int, rows: int) -> Path:
    """The base table's columns tiled until there are `columns`, copy k holding rows
    k*rows .. k*rows+rows-1 (wrapping): the wide file holds the narrow file's cells, not
    one block of values repeated (which a cache across columns would make look cheap)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    target = folder / f"wide-{columns}x{rows}-distinct.csv"
    if target.exists():
        return target
    full = pq.read_table(base)
    arrays, names = [], []
    for i in range(columns):
        copy = i // full.num_columns
        table = full.slice((copy * rows) % (full.num_rows - rows + 1), rows)
        column = table.column(i % table.num_columns)
        arrays.append(column)
        names.append(f"{table.column_names[i % table.num_columns]}_{copy}")
    import pyarrow as pa

    pacsv.write_csv(pa.table(arrays, names=names), target)
    return target


def estate(rows: int = 250_000) -> dict[str, Path]:
    folder = timing.scratch("wide")
    base = folder / "bookings.parquet"
    if not base.exists():
        generate.generate(folder, rows, 42, ("parquet", "csv"))
    narrow = folder / "bookings.csv"
    return {"8x250k": narrow, "2000x1k": wide_csv(folder, base, 2000, 1000),
            "20000x200": wide_csv(folder, base, 20_000, 200)}


def wide_config() -> Path:
    """configs/detection.yaml with `budgets.max_columns` raised to 20,000: the default (4,096)
    reads a wider table in part (partial, too_large), and this measures all its columns."""
    import yaml

    config = yaml.safe_load((HERE.parent / "configs" / "detection.yaml").read_text(encoding="utf-8"))
    config.setdefault("budgets", {})["max_columns"] = 20_000
    path = timing.scratch("wide") / "detection-20000-columns.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def run(repeat: int = 3, full: bool = True) -> str:
    files = estate()
    config = wide_config()
    results = []
    for label, path in files.items():
        for mode in (("--full",) if full else ()) + ("",):
            args = [str(path), "--detection", str(config)] + ([mode] if mode else [])
            name = f"{label} CSV{' --full' if mode else ' sampled'}"
            results.append(timing.timed(name, timing.piiscan(*args), repeat))
            print(results[-1].row(), file=sys.stderr)
    by = {r.name: r for r in results}
    lines = [timing.HEADER]
    targets = {"2000x1k CSV --full": "<= 1.5x 8x250k --full", "20000x200 CSV --full": "linear (CPU/cell ~ 2000x1k)"}
    for r in results:
        ref = by.get("8x250k CSV --full") if r.name == "2000x1k CSV --full" else None
        ref = by.get("2000x1k CSV --full") if r.name == "20000x200 CSV --full" else ref
        cells = {"8x250k": 2_000_000, "2000x1k": 2_000_000, "20000x200": 4_000_000}[r.name.split()[0]]
        r.note = f"{cells / 1e6:.0f}M cells, {r.cpu / cells * 1e6:.2f} CPU us/cell"
        lines.append(r.row(ref, targets.get(r.name, "")))
    return "\n".join(lines) + "\n\nx floor here is against the reference named in target (same cells, narrow layout).\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    body = run(args.repeat)
    print(body)
    timing.write_section("Wide tables (bench_wide.py)", body)


if __name__ == "__main__":
    main()
