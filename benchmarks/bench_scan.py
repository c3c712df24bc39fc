"""Scan-speed benchmark: piiscan against the read+RE2 floor and Presidio's per-cell analyze().

    python benchmarks/bench_scan.py --rows 1000000
    python benchmarks/bench_scan.py --rows 100000 --big-csv-rows 20000000   # multi-GB CSV memory check
    python benchmarks/bench_scan.py --rows 1000000 --profile full            # where the time goes

Why one script and one run: throughput figures depend on the machine, its
disk cache and its load, so the floor, piiscan and Presidio are measured side
by side in the same run and the ratios are what count. Each measurement runs
in its own subprocess, so its peak RSS (VmHWM, which sees Arrow's native
memory, unlike tracemalloc) belongs to it alone and no cache or
compiled pattern carries over from one to the next. The estate is generated
once per size (benchmarks/generate.py) and reused.

Measurements (rows of the printed table):
- floor: pyarrow reads the Parquet table and runs one RE2 pass
  (`pc.match_substring_regex`) over every string cell;
- full / full jobs=1: `run_scan(ScanOptions(full=True))` over the same table (one thread per core, as
  `piiscan scan --full` does), and on one thread;
- sampled: the default sampled scan (configs/detection.yaml sampling.rows);
- presidio per-cell: `AnalyzerEngine.analyze()` (recognizers.engine.build_analyzer)
  on the first `--presidio-cells` cells, extrapolated to cells/s;
- log: a full scan of the app log (MB/s), where 13% of lines hold PII; log exact:
  the same with every count exact (`free_text.confirm_hits: 0`); log 1%: a copy
  where 1% of lines hold PII;
- csv full (memory): a full scan of a CSV of `--big-csv-rows` rows, for peak RSS;
- sqlite full: a full scan of the SQLite copy;
- files / files --processes: the default scan of a folder of 600 small CSV and text
  files (2,000 rows each), in one process and in one worker process per core.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import generate  # noqa: E402  (benchmarks/ is a folder of scripts, not a package)

FLOOR_PATTERN = r"\d{4}"
DEFAULT_MEASUREMENTS = ("floor", "full", "full_jobs1", "sampled", "presidio", "log", "log_exact", "log_sparse", "sqlite",
                        "csv_big", "files", "files_processes")
TARGETS = {"full_cells_per_s": 2_000_000, "floor_ratio": 6.0, "log_mb_per_s": 50.0, "sampled_seconds": 2.0,
           "peak_rss_mb": 1024.0}


@dataclass
class Measurement:
    name: str
    seconds: float
    cells: int = 0
    bytes: int = 0
    peak_rss_mb: float = 0.0
    found_all: bool | None = None  # None: not a detection measurement
    missed: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def cells_per_s(self) -> float:
        return self.cells / self.seconds if self.seconds and self.cells else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds and self.bytes else 0.0


# --- measurements (each runs inside its own subprocess) ---------------------------------------
def _peak_rss_mb() -> float:
    """Peak RSS of this process since it was exec'd.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent
    across exec, so a child of a big parent would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _check_table(findings: list, manifest: dict) -> tuple[bool, list[str], list[str]]:
    """Every planted column found with its entity; which other (field, entity) pairs were reported."""
    found = {(f.location.field, f.entity_type) for f in findings}
    expected = {(c, e) for c, e in manifest["planted_columns"].items()}
    missed = sorted(f"{c}:{e}" for c, e in expected - found)
    allowed = expected | {("notes", e) for e in manifest["notes_entities"]}
    unexpected = sorted(f"{c}:{e}" for c, e in found - allowed)
    return not missed, missed, unexpected


def _check_entities(findings: list, expected: set[str], unexpected: bool = True) -> tuple[bool, list[str], list[str]]:
    found = {f.entity_type for f in findings}
    return expected <= found, sorted(expected - found), sorted(found - expected) if unexpected else []


def _check_log(findings: list, manifest: dict) -> tuple[bool, list[str], list[str]]:
    return _check_entities(findings, set(manifest["log_entities"]))


def _check_files(findings: list, manifest: dict) -> tuple[bool, list[str], list[str]]:
    return _check_entities(findings, set(FILES_ENTITIES), unexpected=False)


FILES = 600  # files of the many-files estate (CSV and text, ROWS_PER_FILE rows each)
ROWS_PER_FILE = 2000
FILES_ENTITIES = ("PERSON", "EMAIL_ADDRESS", "PASSPORT_NUMBER", "CREDIT_CARD")


def many_files(estate: Path) -> Path:
    """A folder of small files (bench_incremental's estate): per-file work, not one big read."""
    import bench_incremental

    folder = estate / f"files-{FILES}"
    if not folder.is_dir():
        folder.mkdir()
        bench_incremental.make_estate(folder, FILES, ROWS_PER_FILE, seed=7)
    return folder


def measure_files(estate: Path, manifest: dict) -> Measurement:
    return _scan(f"piiscan {FILES} files, one process", many_files(estate), manifest, full=False)


def measure_files_processes(estate: Path, manifest: dict) -> Measurement:
    processes = os.cpu_count() or 1
    return _scan(f"piiscan {FILES} files, --processes {processes}", many_files(estate), manifest, full=False,
                 processes=processes)


def measure_floor(estate: Path, manifest: dict) -> Measurement:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    started = time.perf_counter()
    table = pq.read_table(estate / "bookings.parquet")
    hits = 0
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            hits += pc.sum(pc.match_substring_regex(column, FLOOR_PATTERN)).as_py() or 0
    seconds = time.perf_counter() - started
    return Measurement("floor: pyarrow read + 1 RE2 pass", seconds, table.num_rows * table.num_columns,
                       (estate / "bookings.parquet").stat().st_size, note=f"{hits} cells matched {FLOOR_PATTERN}")


def _scan(name: str, target: Path, manifest: dict, *, full: bool, jobs: int | None = None,
          text: bool = False, detection_config: Path | None = None, processes: int = 1) -> Measurement:
    """One piiscan run; jobs=None is what `piiscan scan` does by default (one thread per core)."""
    from scanner.pipeline import ScanOptions, default_jobs, run_scan

    options = ScanOptions(full=full, jobs=jobs or default_jobs(), processes=processes,
                          detection_config=str(detection_config) if detection_config else None)
    started = time.perf_counter()
    result = run_scan([str(target)], options)
    seconds = time.perf_counter() - started
    check = _check_log if text else (_check_files if target.is_dir() else _check_table)
    ok, missed, unexpected = check(result.findings, manifest)
    errors = "; ".join(e.message for e in result.errors)
    return Measurement(name, seconds, result.stats.cells_scanned, target.stat().st_size if full or text else 0,
                       found_all=ok, missed=missed, unexpected=unexpected,
                       note=f"{result.stats.rows_scanned} rows" + (f"; errors: {errors}" if errors else ""))


def measure_full(estate: Path, manifest: dict) -> Measurement:
    return _scan("piiscan full (--full)", estate / "bookings.parquet", manifest, full=True)


def measure_full_one_thread(estate: Path, manifest: dict) -> Measurement:
    return _scan("piiscan full, jobs=1", estate / "bookings.parquet", manifest, full=True, jobs=1)


def measure_sampled(estate: Path, manifest: dict) -> Measurement:
    return _scan("piiscan sampled", estate / "bookings.parquet", manifest, full=False)


def measure_log(estate: Path, manifest: dict) -> Measurement:
    return _scan("piiscan log (plain text)", estate / "app.log", manifest, full=True, text=True)


def measure_log_exact(estate: Path, manifest: dict) -> Measurement:
    """The same log with every count exact (`free_text.confirm_hits: 0`): each of its
    130k PII lines goes through find(), none is counted on a share."""
    import yaml

    config = yaml.safe_load((ROOT / "configs" / "detection.yaml").read_text(encoding="utf-8"))
    config["free_text"]["confirm_hits"] = 0
    path = estate / "detection-exact.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return _scan("piiscan log, exact counts", estate / "app.log", manifest, full=True, text=True,
                 detection_config=path)


def sparse_log(estate: Path, keep_one_in: int = 12) -> Path:
    """The app log with one PII line in `keep_one_in` kept: about 1% of lines carry PII,
    closer to a production log than the 13% of app.log."""
    target = estate / "app_sparse.log"
    if not target.exists():
        plain = (" INFO booking ", " DEBUG cache hit ")
        seen = 0
        with open(estate / "app.log", encoding="utf-8") as src, open(target, "w", encoding="utf-8") as out:
            for line in src:
                if any(marker in line for marker in plain):
                    out.write(line)
                    continue
                seen += 1
                if seen % keep_one_in == 0:
                    out.write(line)
    return target


def measure_log_sparse(estate: Path, manifest: dict) -> Measurement:
    return _scan("piiscan log, 1% PII lines", sparse_log(estate), manifest, full=True, text=True)


def measure_sqlite(estate: Path, manifest: dict) -> Measurement:
    return _scan("piiscan full, SQLite", estate / "crm.db", manifest, full=True)


def measure_csv_big(estate: Path, manifest: dict) -> Measurement:
    return _scan("piiscan full, CSV", estate / "bookings.csv", manifest, full=True)


def measure_presidio(estate: Path, manifest: dict, cells: int = 2000) -> Measurement:
    """Presidio's analyze() per cell, the way a naive scanner would call it, on the first cells."""
    import pyarrow.parquet as pq

    from recognizers.engine import build_analyzer

    analyzer = build_analyzer()
    rows = max(1, cells // len(manifest["columns"]))
    table = pq.read_table(estate / "bookings.parquet").slice(0, rows)
    values = [str(v) for column in table.columns for v in column.to_pylist() if v is not None]
    analyzer.analyze(values[0], language="en")  # warm-up: spaCy's first call loads lazily
    started = time.perf_counter()
    found = set()
    for value in values:
        for r in analyzer.analyze(value, language="en"):
            found.add(r.entity_type)
    seconds = time.perf_counter() - started
    return Measurement("Presidio analyze() per cell", seconds, len(values),
                       note=f"{len(values)} cells measured, extrapolated; entities: {', '.join(sorted(found))}")


MEASURES = {
    "floor": measure_floor,
    "full": measure_full,
    "full_jobs1": measure_full_one_thread,
    "sampled": measure_sampled,
    "presidio": measure_presidio,
    "log": measure_log,
    "log_exact": measure_log_exact,
    "files": measure_files,
    "files_processes": measure_files_processes,
    "log_sparse": measure_log_sparse,
    "sqlite": measure_sqlite,
    "csv_big": measure_csv_big,
}


def run_child(name: str, estate: Path, presidio_cells: int) -> None:
    """Entry point of a measurement subprocess: print one JSON line."""
    manifest = json.loads((estate / "estate.json").read_text(encoding="utf-8"))
    if name == "presidio":
        result = measure_presidio(estate, manifest, presidio_cells)
    else:
        result = MEASURES[name](estate, manifest)
    result.peak_rss_mb = round(_peak_rss_mb(), 1)
    print("RESULT " + json.dumps(asdict(result)))


def profile_child(name: str, estate: Path, top: int = 30) -> None:
    import cProfile
    import pstats

    manifest = json.loads((estate / "estate.json").read_text(encoding="utf-8"))
    profiler = cProfile.Profile()
    profiler.enable()
    result = MEASURES[name](estate, manifest)
    profiler.disable()
    print(f"{result.name}: {result.seconds:.2f} s, {result.cells_per_s:,.0f} cells/s")
    stats = pstats.Stats(profiler).sort_stats("tottime")
    stats.print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


# --- driver -------------------------------------------------------------------------------------
def ensure_estate(path: Path, rows: int, seed: int, formats: tuple[str, ...]) -> dict:
    manifest_path = path / "estate.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest["rows"] == rows and manifest["seed"] == seed and set(formats) <= set(manifest["formats"]):
            return manifest
    print(f"generating {rows:,} rows ({', '.join(formats)}) in {path} ...", file=sys.stderr)
    return generate.generate(path, rows, seed, formats)


def spawn(name: str, estate: Path, presidio_cells: int) -> Measurement:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--estate", str(estate),
           "--presidio-cells", str(presidio_cells)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return Measurement(**json.loads(line[len("RESULT "):]))
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return Measurement(name, 0.0, note=f"FAILED (exit {proc.returncode}): {tail[:200]}")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")).split()[1])
        mem = f"{mem_kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration, ValueError):
        mem = "RAM unknown"
    import pyarrow

    return (f"{os.cpu_count()} CPU ({cpu}), {mem}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, pyarrow {pyarrow.__version__}")


def render(results: list[Measurement], rows: int, big_csv_rows: int, big_csv_bytes: int) -> str:
    floor = next((m for m in results if m.name.startswith("floor")), None)
    lines = [
        f"Estate: {rows:,} rows x 8 columns (benchmarks/generate.py); big CSV: {big_csv_rows:,} rows "
        f"({big_csv_bytes / 1e9:.2f} GB).",
        f"Machine: {machine()}.",
        "",
        "| measurement | seconds | cells/s | MB/s | x floor | peak RSS (MB) | planted found | notes |",
        "|---|---:|---:|---:|---:|---:|:---:|---|",
    ]
    for m in results:
        ratio = floor.cells_per_s / m.cells_per_s if floor and m.cells_per_s and "full" in m.name else None
        found = "" if m.found_all is None else ("yes" if m.found_all else "NO: " + ", ".join(m.missed))
        note = m.note + (f"; also reported: {', '.join(m.unexpected)}" if m.unexpected else "")
        lines.append(
            f"| {m.name} | {m.seconds:.2f} | {m.cells_per_s:,.0f} | {m.mb_per_s:,.1f} | "
            f"{'' if ratio is None else f'{ratio:.1f}'} | {m.peak_rss_mb:,.0f} | {found} | {note} |"
        )
    return "\n".join(lines) + "\n"


def verdict(results: list[Measurement]) -> list[str]:
    """The issue's targets, checked against this run."""
    by_key = {m.name: m for m in results}
    floor = next((m for m in results if m.name.startswith("floor")), None)
    full = by_key.get("piiscan full (--full)")
    out = []
    if full and full.cells_per_s:
        out.append(f"full scan >= {TARGETS['full_cells_per_s']:,} cells/s: "
                   f"{'PASS' if full.cells_per_s >= TARGETS['full_cells_per_s'] else 'FAIL'} ({full.cells_per_s:,.0f})")
        if floor and floor.cells_per_s:
            ratio = floor.cells_per_s / full.cells_per_s
            out.append(f"full scan within {TARGETS['floor_ratio']}x of floor: "
                       f"{'PASS' if ratio <= TARGETS['floor_ratio'] else 'FAIL'} ({ratio:.1f}x)")
        out.append(f"full scan finds every planted column: {'PASS' if full.found_all else 'FAIL'}")
    sparse = by_key.get("piiscan log, 1% PII lines")
    if sparse and sparse.mb_per_s:
        out.append(f"log scan (1% PII lines) >= {TARGETS['log_mb_per_s']:.0f} MB/s: "
                   f"{'PASS' if sparse.mb_per_s >= TARGETS['log_mb_per_s'] else 'FAIL'} ({sparse.mb_per_s:.1f})")
    log = by_key.get("piiscan log (plain text)")
    if log and log.mb_per_s:
        out.append(f"log scan >= {TARGETS['log_mb_per_s']:.0f} MB/s: "
                   f"{'PASS' if log.mb_per_s >= TARGETS['log_mb_per_s'] else 'FAIL'} ({log.mb_per_s:.1f})")
    sampled = by_key.get("piiscan sampled")
    if sampled and sampled.seconds:
        out.append(f"sampled scan < {TARGETS['sampled_seconds']:.0f} s and every column classified: "
                   f"{'PASS' if sampled.seconds < TARGETS['sampled_seconds'] and sampled.found_all else 'FAIL'} "
                   f"({sampled.seconds:.2f} s)")
    big = by_key.get("piiscan full, CSV")
    if big and big.peak_rss_mb:
        out.append(f"peak RSS of the CSV full scan < {TARGETS['peak_rss_mb']:.0f} MB: "
                   f"{'PASS' if big.peak_rss_mb < TARGETS['peak_rss_mb'] else 'FAIL'} ({big.peak_rss_mb:.0f} MB)")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="piiscan scan-speed benchmark")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the Parquet/SQLite/log estate")
    parser.add_argument("--big-csv-rows", type=int, default=None,
                        help="rows of the CSV for the memory check (default: --rows; 20,000,000 is about 2.8 GB)")
    parser.add_argument("--estate-root", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "piiscan-bench")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--presidio-cells", type=int, default=2000)
    parser.add_argument("--only", default=",".join(DEFAULT_MEASUREMENTS),
                        help=f"comma-separated subset of {', '.join(DEFAULT_MEASUREMENTS)}")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--profile", choices=sorted(MEASURES), help="run one measurement under cProfile instead")
    parser.add_argument("--child", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--estate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        run_child(args.child, args.estate, args.presidio_cells)
        return
    chosen = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = set(chosen) - set(MEASURES)
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")
    estate = args.estate_root / f"rows-{args.rows}"
    ensure_estate(estate, args.rows, args.seed, ("parquet", "log", "sqlite") if "sqlite" in chosen else ("parquet", "log"))
    if args.profile:
        profile_child(args.profile, estate)
        return
    big_rows = args.big_csv_rows or args.rows
    big_estate = args.estate_root / f"csv-{big_rows}"
    if "csv_big" in chosen:
        ensure_estate(big_estate, big_rows, args.seed, ("csv",))
    results = []
    for name in chosen:
        where = big_estate if name == "csv_big" else estate
        m = spawn(name, where, args.presidio_cells)
        print(f"{m.name}: {m.seconds:.2f} s, {m.cells_per_s:,.0f} cells/s, {m.mb_per_s:.1f} MB/s, "
              f"peak {m.peak_rss_mb:.0f} MB {m.note}", file=sys.stderr)
        results.append(m)
    big_bytes = (big_estate / "bookings.csv").stat().st_size if (big_estate / "bookings.csv").exists() else 0
    table = render(results, args.rows, big_rows, big_bytes)
    checks = verdict(results)
    report = (f"# piiscan scan benchmark\n\n`python benchmarks/bench_scan.py --rows {args.rows}"
              f"{f' --big-csv-rows {big_rows}' if args.big_csv_rows else ''}`, {time.strftime('%Y-%m-%d')}\n\n"
              + table + "\n" + "\n".join(f"- {c}" for c in checks) + "\n")
    print(report)
    args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
