"""A 500 MB application log with 5% of its lines holding PII, `--full`, next to its floor.

    python benchmarks/bench_logs.py --mb 500

The log is generate.py's app.log (about 13% PII lines) thinned to about 5% PII
lines (plain lines kept, one PII line in `keep` kept) until it reaches `--mb`.
Floor, one process: read the file with pyarrow, split it into lines in Arrow
(`split_pattern` on newlines) and run one RE2 pass (\\d{4}) over the lines.
piiscan: `piiscan scan app.log --full` with the default configuration (every
PII line found and counted). Best of 3, wall and CPU (benchmarks/timing.py).
Target: within 2x of the floor.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import generate  # noqa: E402
import timing  # noqa: E402

FLOOR = """
import pyarrow as pa, pyarrow.compute as pc
hits = 0
with pa.memory_map({path!r}) as source:
    size = source.size()
    carry = b""
    while True:
        block = source.read(64 << 20)
        if not block:
            break
        block = carry + block
        cut = block.rfind(b"\\n") + 1
        carry, block = block[cut:], block[:cut]
        lines = pc.split_pattern(pa.array([block.decode("utf-8")]), "\\n").flatten()
        hits += pc.sum(pc.match_substring_regex(lines, r"\\d{{4}}")).as_py() or 0
print(hits)
"""
PLAIN = (" INFO booking ", " DEBUG cache hit ")


def make_log(mb: int, share: float = 0.05) -> Path:
    folder = timing.scratch(f"log-{mb}")
    target = folder / "app.log"
    if target.exists():
        return target
    rows = int(mb * 1e6 / 70)  # about 70 bytes a line
    generate.generate(folder, rows, 42, ("log",))
    raw = folder / "app.log"
    thin = folder / "app-thin.log"
    plain = pii = 0
    with open(raw, encoding="utf-8") as src, open(thin, "w", encoding="utf-8") as out:
        for line in src:
            if any(marker in line for marker in PLAIN):
                plain += 1
                out.write(line)
            elif pii < share / (1 - share) * plain:
                pii += 1
                out.write(line)
    thin.replace(target)
    return target


def run(mb: int, repeat: int = 3) -> str:
    log = make_log(mb)
    size = log.stat().st_size
    floor = timing.timed("floor: read + split in Arrow + one RE2 pass", timing.python(FLOOR.format(path=str(log))),
                         repeat)
    scan = timing.timed(f"piiscan --full, {size / 1e6:.0f} MB log, 5% PII lines",
                        timing.piiscan(str(log), "--full"), repeat)
    for m in (floor, scan):
        m.note = f"{size / 1e6 / m.wall:.0f} MB/s wall" if m.wall else m.note
    return "\n".join([timing.HEADER, floor.row(), scan.row(floor, "<= 2x floor, every line found")]) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    body = run(args.mb, args.repeat)
    print(body)
    timing.write_section("Logs (bench_logs.py)", body)


if __name__ == "__main__":
    main()
