"""Files built to hurt the scanner (issue 13): each ends as a recorded failed/partial source, peak memory
stays under 1 GB, and the good files beside them are scanned.

The scan runs as a child process (the `piiscan` CLI), so its peak RSS is measured by
`resource.getrusage(RUSAGE_CHILDREN)` here; parsers it isolates run under their own
1 GiB address-space limit (`isolation.run_isolated`).
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scanner.sources.base import SourceError
from scanner.sources.isolation import run_isolated

GIB = 1 << 30
EMAIL = "kmyers@example.org"


def _xlsx_bomb(path: Path, *, keep_dimension: bool) -> None:
    """Cells only at A1 and XFD1048576: calamine would allocate 2^34 cells."""
    openpyxl = pytest.importorskip("openpyxl")  # a dev dependency: writes the test workbook
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "bomb"
    sheet["A1"], sheet["XFD1048576"] = "x", "y"
    plain = path.with_suffix(".tmp")
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if not keep_dimension and item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)  # nothing declared: only the limit stops it
            target.writestr(item, data)
    plain.unlink()


def _gzip_of_zeros(path: Path, gib: int) -> None:
    """`gib` GiB of zeros as concatenated gzip members (a few MB on disk)."""
    member = gzip.compress(b"\0" * (64 << 20), compresslevel=9)
    with open(path, "wb") as fh:
        for _ in range(gib * 16):
            fh.write(member)


def _wide_strings_parquet(path: Path) -> None:
    """50 values of 10 MB each in one column (row groups of 5 values: 50 MB decoded each)."""
    schema = pa.schema([("blob", pa.large_string())])
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for group in range(10):
            values = pa.array([f"{group * 5 + i:02d}" * (5 << 20) for i in range(5)], pa.large_string())
            writer.write_table(pa.table({"blob": values}, schema=schema))


def _one_line_jsonl(path: Path, size: int) -> None:
    half = "x" * (size // 2)
    path.write_text(json.dumps({"log": f"{half} contact {EMAIL} {half}"}) + "\n" + json.dumps({"ok": 1}) + "\n")


@pytest.fixture(scope="module")
def estate(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bombs")
    _xlsx_bomb(root / "sheet_bomb.xlsx", keep_dimension=True)
    _xlsx_bomb(root / "sheet_bomb_undeclared.xlsx", keep_dimension=False)
    _gzip_of_zeros(root / "zeros.parquet.gz", 1)
    _gzip_of_zeros(root / "zeros.xlsx.gz", 1)
    _wide_strings_parquet(root / "wide_strings.parquet")
    _one_line_jsonl(root / "one_line.jsonl", 80 << 20)  # longer than max_json_line_bytes (64 MiB)
    (root / "one_line.json").write_text(json.dumps({"log": "y" * (70 << 20) + f" {EMAIL}"}))
    line = "z" * (15 << 20)
    (root / "one_line.log").write_text(f"start\n{line} mail {EMAIL} {line}\nend\n")
    header = ",".join(f"c{i}" for i in range(20_000))
    (root / "wide.csv").write_text(header + "\n" + ",".join("v" for _ in range(20_000)) + "\n")
    (root / "good.csv").write_text(f"name,email\nKen,{EMAIL}\nAmi,ami.tanaka@example.co.jp\n")
    return root


# Runs the scan as its child and prints the largest peak RSS of the scan and everything it
# started (isolated parsers, helpers): measured in a fresh process, so no earlier test's child
# (a Spark JVM) counts.
_MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=900)
sys.stderr.write(done.stderr[-3000:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""


@pytest.fixture(scope="module")
def scanned(estate: Path) -> tuple[dict, int]:
    out = estate.parent / "bombs-result.json"
    done = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "scanner.cli", "scan", str(estate),
                           "--format", "json", "-o", str(out), "--no-progress"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    peak = int(done.stdout.strip().splitlines()[-1])
    assert peak > 50_000, "the measurement saw the scan (at least 50 MB)"
    return json.loads(out.read_text()), peak * 1024  # ru_maxrss is in KiB on Linux


def _entries(result: dict, source: str) -> list[dict]:
    return [e for e in result.get("errors", []) if e["source"] == source]


def test_peak_memory_stays_under_one_gigabyte(scanned):
    _, peak = scanned
    assert peak < GIB, f"peak RSS {peak / GIB:.2f} GiB"


@pytest.mark.parametrize(("source", "kind"), [
    ("sheet_bomb.xlsx", "too_large"),
    ("sheet_bomb_undeclared.xlsx", "too_large"),
    ("zeros.parquet.gz", "too_large"),
    ("zeros.xlsx.gz", "too_large"),
    ("wide_strings.parquet", "truncated"),
    ("one_line.jsonl", "too_large"),
    ("one_line.json", "too_large"),
    ("wide.csv", "too_large"),
])
def test_each_bomb_is_a_recorded_entry(scanned, source, kind):
    result, _ = scanned
    kinds = [e["kind"] for e in _entries(result, source)]
    assert kind in kinds, (source, _entries(result, source))


@pytest.mark.parametrize("source", ["good.csv", "one_line.log", "one_line.jsonl", "one_line.json"])
def test_the_email_is_found_in_good_files_and_inside_huge_lines(scanned, source):
    result, _ = scanned
    found = {f["source"] for f in result["findings"] if f["entity_type"] == "EMAIL_ADDRESS"}
    assert source in found


def _allocate(size: int) -> int:
    return len(bytearray(size))


def _sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)


def _crash() -> None:
    import os
    import signal

    os.kill(os.getpid(), signal.SIGSEGV)


def _raise() -> None:
    raise ValueError("bad cell 4532011475538514")


def test_isolation_turns_limits_crashes_and_timeouts_into_source_errors():
    assert run_isolated(_allocate, 1 << 20, memory_bytes=GIB, seconds=60) == 1 << 20
    cases = [((_allocate, 4 * GIB), "too_large"), ((_sleep, 30), "timeout"), ((_crash,), "parse_error"),
             ((_raise,), "parse_error")]
    for (func, *args), kind in cases:
        with pytest.raises(SourceError) as caught:
            run_isolated(func, *args, memory_bytes=GIB, seconds=5)
        assert caught.value.kind == kind and caught.value.status == "failed"
        assert "4532011475538514" not in caught.value.message


def test_a_source_past_its_byte_budget_is_partial_with_the_reason(tmp_path, monkeypatch):
    from scanner.sources import text
    from scanner.sources.budgets import Budgets
    from tests.sources.conftest import open_all

    monkeypatch.setattr(text, "default_budgets", lambda: Budgets(bytes_per_source=1000))
    (tmp_path / "big.log").write_text("".join(f"line {i} of a long log\n" for i in range(50_000)))
    [dataset] = open_all(tmp_path, batch_rows=100).datasets
    rows = sum(batch.num_rows for batch in dataset.iter_batches(batch_rows=100))
    assert 0 < rows < 50_000
    assert [issue.kind for issue in dataset.issues] == ["budget"]
    assert "bytes_per_source" in dataset.issues[0].message


def test_a_bad_or_too_deep_jsonl_line_is_a_counted_error_and_the_rest_is_read(tmp_path):
    from tests.sources.conftest import open_all, read_all

    deep = "[" * 100_000 + "]" * 100_000  # deeper than Python's recursion limit
    nested = json.dumps({"a": {"b": {"c": {"d": 1}}}})
    lines = [json.dumps({"email": EMAIL}), '{"not json', "{\"x\": " + deep + "}", nested, json.dumps({"email": "b@x.jp"})]
    (tmp_path / "events.jsonl").write_text("\n".join(lines) + "\n")
    [dataset] = open_all(tmp_path).datasets
    table = read_all(dataset)
    assert table.column("email").to_pylist() == [EMAIL, None, "b@x.jp"]
    assert dataset.bad_records == 2
    assert sorted(issue.kind for issue in dataset.issues) == ["bad_record", "too_large"]


def test_parquet_is_parsed_in_a_child_whose_memory_limit_ends_the_file_not_the_scan(tmp_path):
    """Arrow's Parquet reader runs isolated: past its address-space limit the file is a failed
    `too_large` entry, the scanning process lives on and the file beside it is scanned."""
    import yaml

    root = Path(__file__).resolve().parents[2]
    config = yaml.safe_load((root / "configs" / "detection.yaml").read_text(encoding="utf-8"))
    config["budgets"]["reader_memory_bytes"] = 512 << 20  # the smallest limit allowed
    detection = tmp_path / "detection.yaml"
    detection.write_text(yaml.safe_dump(config), encoding="utf-8")
    estate = tmp_path / "estate"
    estate.mkdir()
    _wide_strings_parquet(estate / "wide_strings.parquet")
    (estate / "good.csv").write_text(f"name,email\nKen,{EMAIL}\n", encoding="utf-8")
    from scanner.pipeline import ScanOptions, run_scan

    result = run_scan([str(estate)], ScanOptions(detection_config=str(detection)))
    ended = {s.source: (s.status, s.reason) for s in result.sources}
    assert ended["wide_strings.parquet"] == ("failed", "too_large")
    assert ended["good.csv"] == ("scanned", None)
    assert {f.location.source for f in result.findings} == {"good.csv"}
