"""Whole-process timing shared by the issue-16 benchmarks (start-up, databases, wide, many tables, logs).

Why whole processes and CPU time: what a user feels is `piiscan ...` from exec to
exit, imports included, so every figure is a subprocess timed by
`/usr/bin/time -f "%e %U %S"`. The machine is shared (2 cores, several
engineers), so wall time is noisy: each command runs `repeat` times (3 by
default) and the best run is kept, and the CPU time (user + sys) of that run is
reported beside its wall time. A floor (the cheapest program that does the
same reading) is measured in the same run, so the ratio is what counts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.md"
TIME = "/usr/bin/time"


@dataclass
class Timed:
    """Best of `runs` runs of one command: wall seconds and CPU seconds (user + sys) of that run."""

    name: str
    wall: float
    cpu: float
    runs: int
    ok: bool = True
    note: str = ""

    def row(self, floor: Timed | None = None, target: str = "") -> str:
        ratio = f"{self.wall / floor.wall:.2f}x / {self.cpu / floor.cpu:.2f}x" if floor and floor.wall and floor.cpu else ""
        status = "" if self.ok else " FAILED"
        return (f"| {self.name}{status} | {self.wall:.2f} | {self.cpu:.2f} | {ratio} | {target} | {self.note} |")


HEADER = ("| measurement | wall s (best of runs) | CPU s user+sys | x floor (wall / CPU) | target | notes |\n"
          "|---|---:|---:|---:|---|---|")


def timed(name: str, cmd: list[str], repeat: int = 3, env: dict[str, str] | None = None, note: str = "",
          cwd: Path = ROOT) -> Timed:
    """Run `cmd` `repeat` times under /usr/bin/time; keep the run of least wall time."""
    best: Timed | None = None
    for _ in range(repeat):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
            prefix = [TIME, "-f", "%e %U %S", "-o", out.name] if shutil.which(TIME) else []
            proc = subprocess.run(prefix + cmd, capture_output=True, text=True, cwd=cwd,
                                  env={**os.environ, **(env or {})})
            fields = out.read().split()
        if proc.returncode not in (0, 1) or len(fields) < 3:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1][:200]
            return Timed(name, 0.0, 0.0, 0, ok=False, note=f"exit {proc.returncode}: {tail}")
        wall, user, system = (float(f) for f in fields[-3:])
        run = Timed(name, wall, user + system, repeat, note=note)
        if best is None or run.wall < best.wall:
            best = run
    assert best is not None
    return best


def python(code: str) -> list[str]:
    """A floor program: this interpreter running `code` (with benchmarks/ and the repo on sys.path)."""
    return [sys.executable, "-c", f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(HERE)!r}]\n{code}"]


def piiscan(*args: str, out: Path | None = None) -> list[str]:
    """`piiscan scan ...` writing its JSON result to `out` (read back by `findings_of`)."""
    output = out or Path(tempfile.gettempdir()) / "piiscan-bench-result.json"
    exe = shutil.which("piiscan")
    head = [exe] if exe else [sys.executable, "-m", "scanner.cli"]
    return [*head, "scan", *args, "--format", "json", "-o", str(output)]


def findings_of(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")).get("findings", [])


def write_section(title: str, body: str, path: Path = RESULTS) -> None:
    """Replace (or append) the `## title` section of results.md with `body`."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# piiscan benchmarks\n"
    marker = f"## {title}\n"
    start = text.find(marker)
    if start >= 0:
        end = text.find("\n## ", start + len(marker))
        text = text[:start] + text[end + 1:] if end >= 0 else text[:start]
    path.write_text(text.rstrip("\n") + f"\n\n{marker}\n{body.strip()}\n", encoding="utf-8")


def scratch(name: str) -> Path:
    """A cached estate folder under $TMPDIR/piiscan-bench/."""
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / "piiscan-bench" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def dump(results: list[Timed]) -> str:
    return json.dumps([asdict(r) for r in results])
