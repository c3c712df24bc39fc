"""The detection config's `budgets:` and `limits:` reach the sources of a scan (`--detection`)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml

from scanner.configfiles import ConfigError
from scanner.pipeline import ScanOptions, run_scan

ROOT = Path(__file__).resolve().parents[1]


def _config(tmp_path: Path, **changes) -> Path:
    config = yaml.safe_load((ROOT / "configs" / "detection.yaml").read_text(encoding="utf-8"))
    for section, values in changes.items():
        config.setdefault(section, {}).update(values)
    path = tmp_path / "detection.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _archive(path: Path, members: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(members):
            archive.writestr(f"part{i}.csv", f"email\nguest{i}@example.jp\n")
    path.write_bytes(buffer.getvalue())


def test_a_limit_given_by_detection_config_cuts_an_archive_short(tmp_path):
    _archive(tmp_path / "exports.zip", 3)
    config = _config(tmp_path, limits={"archives": {"max_members": 2}})
    limited = run_scan([str(tmp_path / "exports.zip")], ScanOptions(detection_config=str(config)))
    unlimited = run_scan([str(tmp_path / "exports.zip")], ScanOptions())
    assert [s.status for s in unlimited.sources] == ["scanned"] * 3
    ended = [(s.source.rsplit("/", 1)[-1], s.status, s.reason) for s in limited.sources]
    assert ended == [("exports.zip!part0.csv", "scanned", None), ("exports.zip!part1.csv", "scanned", None),
                     ("exports.zip", "partial", "budget")]


@pytest.mark.parametrize(
    ("changes", "key"),
    [({"limits": {"archives": {"max_dept": 3}}}, "limits.archives.max_dept"),
     ({"limits": {"tapes": {"max_reels": 3}}}, "limits.tapes"),
     ({"budgets": {"seconds_per_sauce": 3}}, "budgets")],
)
def test_a_bad_key_is_a_config_error_naming_it(tmp_path, changes, key):
    config = _config(tmp_path, **changes)
    (tmp_path / "a.csv").write_text("email\na@example.com\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        run_scan([str(tmp_path / "a.csv")], ScanOptions(detection_config=str(config)))
    assert key in str(caught.value) and str(config) in str(caught.value)
