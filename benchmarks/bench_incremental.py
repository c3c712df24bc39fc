"""How much an incremental nightly run saves: full scan vs. nothing changed vs. a few files changed.

Generates an estate of CSV and text files with synthetic customer data, then
runs `run_nightly` four times against a fresh state store, with the real
pipeline (`scanner.pipeline.run_scan`) as the scan:

  1. first run (everything scanned)
  2. nothing changed (everything skipped, findings carried over)
  3. CHANGED files edited (only those scanned)
  4. --full (everything scanned again)

and prints seconds plus skipped/scanned per run. Figures, not a test:

    python benchmarks/bench_incremental.py --files 200 --rows 2000 --changed 10
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村"]
GIVEN = ["花子", "太郎", "陽菜", "蓮", "結衣", "大翔"]


def luhn_card(rng: random.Random) -> str:
    digits = [4] + [rng.randrange(10) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def write_file(path: Path, rows: int, rng: random.Random) -> None:
    if path.suffix == ".csv":
        lines = ["customer_id,name,email,passport_no,card_number"]
        for i in range(rows):
            lines.append(f"{i},{rng.choice(FAMILY)} {rng.choice(GIVEN)},user{rng.randrange(10**6)}@example.jp,"
                         f"T{rng.choice('KRZ')}{rng.randrange(10**6, 10**7)},{luhn_card(rng)}")
    else:
        lines = [f"{i}: 予約確認 {rng.choice(FAMILY)}様 連絡先 user{rng.randrange(10**6)}@example.jp" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_estate(root: Path, files: int, rows: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    paths = [root / (f"bookings_{i:04d}.csv" if i % 2 == 0 else f"call_log_{i:04d}.txt") for i in range(files)]
    for path in paths:
        write_file(path, rows, rng)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--changed", type=int, default=5, help="files edited before the third run")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from scanner.nightly import NightlyOptions, run_nightly
    from scanner.pipeline import ScanOptions, run_scan

    with tempfile.TemporaryDirectory(prefix="piiscan-bench-") as tmp:
        root = Path(tmp) / "estate"
        root.mkdir()
        paths = make_estate(root, args.files, args.rows, args.seed)
        empty_triage = Path(tmp) / "triage.yaml"
        empty_triage.write_text("[]\n", encoding="utf-8")
        options = NightlyOptions(state=Path(tmp) / "state.db", reports=Path(tmp) / "reports", keep=10,
                                 triage_file=empty_triage)

        def scan(tracker, full):
            return run_scan([str(root)], ScanOptions(full=full), change_tracker=tracker)

        def timed(label: str, **overrides) -> None:
            started = time.perf_counter()
            code = run_nightly(NightlyOptions(**{**options.__dict__, **overrides}), scan=scan)
            seconds = time.perf_counter() - started
            newest = max(options.reports.iterdir(), key=lambda p: int(p.name.rsplit("run", 1)[1]))
            doc = json.loads((newest / "result.json").read_text(encoding="utf-8"))
            inc = doc["run"]["incremental"]
            print(f"{label:<28} {seconds:8.2f} s   skipped {inc['skipped']:5d}   scanned {inc['scanned']:5d}   "
                  f"findings {len(doc['findings']):5d}   exit {code}")

        print(f"estate: {args.files} files x {args.rows} rows in {root}")
        timed("1. first run")
        timed("2. nothing changed")
        rng = random.Random(args.seed + 1)
        for path in rng.sample(paths, min(args.changed, len(paths))):
            write_file(path, args.rows, rng)
        timed(f"3. {args.changed} files changed")
        timed("4. --full", full=True)


if __name__ == "__main__":
    main()
