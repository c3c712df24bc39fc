"""The vectorised engine on free text: the two-stage text path and counting on a share
once an entity is confirmed.

Why: a scan screens one batch of lines in Arrow while it confirms the batch before
with find() (`screen_lines` / `observe_lines`), and past `free_text.confirm_hits`
confirmed hits it checks a share and extrapolates. Both must keep the finding what
an exact pass gives; only the count may become an estimate, and it says so.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from recognizers import default_recognizers
from scanner.detect.config import DetectionConfig
from scanner.detect.engine import ColumnStats, Detector
from scanner.model import Location

LOG = Location("app.log", None, None)


def _log_lines(n: int) -> list[str]:
    """A log where one line in four holds an e-mail address and one in eight a passport number."""
    lines = []
    for i in range(n):
        if i % 4 == 0:
            lines.append(f"2026-11-25T10:{i % 60:02d}:00Z INFO receipt mailed to guest{i}@example.com")
        elif i % 8 == 1:
            lines.append(f"2026-11-25T10:{i % 60:02d}:00Z WARN passport check failed number=TK{i % 10_000_000:07d}")
        else:
            lines.append(f"2026-11-25T10:{i % 60:02d}:00Z DEBUG cache hit key=fare:{i % 977} latency_ms={i % 900}")
    return lines


def _detector(confirm_hits: int) -> Detector:
    config = DetectionConfig()
    config = config.model_copy(update={"free_text": config.free_text.model_copy(update={"confirm_hits": confirm_hits})})
    return Detector(default_recognizers(ner=False), config)


def _scan_lines(detector: Detector, lines: list[str], batch: int = 5_000):
    stats = ColumnStats(name=None)
    for start in range(0, len(lines), batch):
        part = lines[start : start + batch]
        numbers = pa.array(np.arange(start + 1, start + 1 + len(part), dtype=np.int64))
        detector.observe_lines(stats, detector.screen_lines(pa.array(part, pa.string()), numbers))
    return {f.entity_type: f for f in detector.findings(stats, LOG, len(lines), text_file=True)}


def test_screened_lines_give_what_observe_gives():
    lines = _log_lines(4_000)
    detector = _detector(confirm_hits=0)
    stats = ColumnStats(name=None)
    detector.observe(stats, pa.array(lines, pa.string()), pa.array(np.arange(1, len(lines) + 1)), structured=False)
    observed = {f.entity_type: f for f in detector.findings(stats, LOG, len(lines), text_file=True)}
    assert _scan_lines(detector, lines, batch=700) == observed
    assert set(observed) == {"EMAIL_ADDRESS", "PASSPORT_NUMBER"}


def test_exact_when_confirmation_is_off():
    findings = _scan_lines(_detector(confirm_hits=0), _log_lines(40_000))
    assert findings["EMAIL_ADDRESS"].count == 10_000
    assert findings["PASSPORT_NUMBER"].count == 5_000
    assert not any(f.count_estimated for f in findings.values())
    assert findings["EMAIL_ADDRESS"].lines == tuple(range(1, 40_001, 4))


def test_a_confirmed_entity_is_counted_on_a_share_and_says_so():
    exact = _scan_lines(_detector(confirm_hits=0), _log_lines(40_000))
    shared = _scan_lines(_detector(confirm_hits=1_000), _log_lines(40_000))
    assert set(shared) == set(exact)
    for entity, finding in shared.items():
        assert finding.count_estimated
        assert finding.count == pytest.approx(exact[entity].count, rel=0.05)
        assert finding.confidence == exact[entity].confidence
        assert finding.examples == exact[entity].examples
        # the lines found before confirmation are all there, and every line kept is a real one
        assert finding.lines[:1_000] == exact[entity].lines[:1_000]
        assert set(finding.lines) <= set(exact[entity].lines)


def test_below_the_confirmation_threshold_counts_stay_exact():
    findings = _scan_lines(_detector(confirm_hits=20_000), _log_lines(40_000))
    assert findings["EMAIL_ADDRESS"].count == 10_000
    assert not findings["EMAIL_ADDRESS"].count_estimated
