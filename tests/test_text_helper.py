"""A big text file's find() calls in a helper process (scanner.scan.text_lines) give the finding
a single-process scan gives: counts, every line, examples, why."""

from __future__ import annotations

from pathlib import Path

import pytest

import scanner.scan.text_lines as text_lines
from scanner.pipeline import ScanOptions, run_scan


def log_file(folder: Path) -> Path:
    lines = []
    for i in range(1, 30001):
        kind = i % 7
        if kind == 0:
            lines.append(f"2026-12-01 INFO mail to user{i}@example.co.jp sent")
        elif kind == 3:
            lines.append(f"2026-12-01 WARN passport TK{i % 10_000_000:07d} checked for traveler {i}")
        elif kind == 5:
            lines.append(f"2026-12-01 INFO callback 090-{1000 + i % 9000:04d}-{i % 10000:04d}")
        else:
            lines.append(f"2026-12-01 DEBUG cache hit key={i}")
    path = folder / "app.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def outcome(result) -> list[tuple]:
    return [(f.entity_type, f.count, f.count_estimated, f.lines, f.examples, f.confidence, f.why)
            for f in result.findings]


def test_helper_process_gives_the_same_findings(tmp_path, monkeypatch):
    log = log_file(tmp_path)
    alone = run_scan([str(log)], ScanOptions(full=True))
    used = []
    real = text_lines.observe_text

    def spy(*args, **kwargs):
        used.append(args[-1])
        return real(*args, **kwargs)

    monkeypatch.setattr(text_lines, "HELPER_FROM_BYTES", 0)
    monkeypatch.setattr(text_lines.os, "cpu_count", lambda: 2)
    monkeypatch.setattr("scanner.scan.dataset.observe_text", spy)
    helped = run_scan([str(log)], ScanOptions(full=True))
    assert used == [True], "the helper was not used: the comparison would prove nothing"
    assert len(alone.findings) >= 2 and all(f.count > 1000 for f in alone.findings)
    assert outcome(helped) == outcome(alone)


def test_batches_shared_between_helper_and_here_give_the_same_findings(tmp_path, monkeypatch):
    """Small batches and a backlog of one: some batches are read (readers, find()) in the helper, others here
    while it is busy; they are recorded in order, so the finding is the single-process one."""
    log = log_file(tmp_path)
    alone = run_scan([str(log)], ScanOptions(full=True))
    sides = {"helper": 0, "here": 0}
    real_submit, real_here = text_lines._submit, text_lines.read_candidates

    def submit(*args):
        sides["helper"] += 1
        return real_submit(*args)

    def here(*args):
        sides["here"] += 1
        return real_here(*args)

    def small_batches(batches):
        for batch in batches:
            for start in range(0, batch.num_rows, 1500):
                yield batch.slice(start, 1500)

    monkeypatch.setattr(text_lines, "HELPER_FROM_BYTES", 0)
    monkeypatch.setattr(text_lines, "HELPER_BACKLOG", 1)
    monkeypatch.setattr(text_lines.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(text_lines, "_submit", submit)
    monkeypatch.setattr(text_lines, "read_candidates", here)
    monkeypatch.setattr("scanner.scan.dataset.coalesce", small_batches)
    shared = run_scan([str(log)], ScanOptions(full=True))
    assert sides["helper"] >= 1 and sides["here"] >= 1, sides
    assert sum(sides.values()) == 20  # every batch of 1,500 lines has candidates
    assert outcome(shared) == outcome(alone)


@pytest.mark.parametrize("confirm_hits", [2000])
def test_no_helper_when_counts_are_shared(tmp_path, confirm_hits):
    from scanner.scan.options import build_detector

    detector, config = build_detector(ScanOptions())
    detector.config = config.model_copy(
        update={"free_text": config.free_text.model_copy(update={"confirm_hits": confirm_hits})})
    assert not text_lines.worth_a_helper(1 << 40, detector, ScanOptions(full=True))
    assert not text_lines.worth_a_helper(1 << 40, build_detector(ScanOptions())[0], ScanOptions(processes=2))


def test_a_text_files_batches_keep_their_boundaries(tmp_path):
    """Which lines give a finding's examples depends on where batches start: a line repeated
    at line 66,000 of a 70,000-line log is in the first batch (262,144 lines), so it is the
    second example, before the other numbers (a smaller first batch would move it out)."""
    lines = ["2026-12-01 INFO tel 090-1234-5678 callback"]
    lines += [f"2026-12-01 INFO seq 0{i:09d}x" for i in range(2, 2101)]
    lines += [f"2026-12-01 INFO tel 090-2{i % 1000:03d}-{5000 + i % 1000:04d} callback" for i in range(2101, 2201)]
    lines += [f"2026-12-01 DEBUG cache hit key={i}" for i in range(2201, 66000)]
    lines += ["2026-12-01 INFO tel 090-1234-5678 callback"]
    lines += [f"2026-12-01 DEBUG cache hit key={i}" for i in range(66001, 70001)]
    log = tmp_path / "app.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (finding,) = run_scan([str(log)], ScanOptions(full=True)).findings
    assert finding.count == 102
    assert tuple(finding.examples[:3]) == ("090-****-**78", "090-****-**78", "090-****-**01")
