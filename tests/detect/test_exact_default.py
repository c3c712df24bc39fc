"""Text files are exact by default (issue 16): every line that holds PII is found and counted,
well past the 2,000 hits after which a share used to be extrapolated."""

from __future__ import annotations

from pathlib import Path

from scanner.detect.config import load_detection_config
from scanner.pipeline import ScanOptions, run_scan


def test_default_config_is_exact():
    assert load_detection_config(None).free_text.confirm_hits == 0


def test_every_pii_line_of_a_log_is_counted(tmp_path: Path):
    lines, expected = [], []
    for i in range(1, 9001):
        if i % 3 == 0:
            lines.append(f"2026-12-01 10:00:{i % 60:02d} INFO mail sent to user{i}@example.co.jp")
            expected.append(i)
        else:
            lines.append(f"2026-12-01 10:00:{i % 60:02d} DEBUG cache hit key={i}")
    log = tmp_path / "app.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_scan([str(log)], ScanOptions(full=True))
    [email] = [f for f in result.findings if f.entity_type == "EMAIL_ADDRESS"]
    assert email.count == len(expected) == 3000
    assert not email.count_estimated
    assert list(email.lines) == expected  # every line, each a reviewer can go to
