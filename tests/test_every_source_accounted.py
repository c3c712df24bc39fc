"""Every file a scan meets ends with a status and a reason (issue: nothing silent).

A folder of supported, unsupported and broken files, scanned for real: each file
is named in `sources` (a workbook by its sheets, an archive by its members),
nothing is dropped, and a broken file never takes the others down.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scanner.pipeline import ScanOptions, run_scan


def _estate(root: Path) -> dict[str, str]:
    """Files by name -> the status each must end with."""
    cards = "".join(f"B{i:03d},4111 1111 1111 1111,guest{i}@example.jp\n" for i in range(20))
    (root / "refunds.csv").write_text("booking,card_number,email\n" + cards, encoding="utf-8")
    pq.write_table(pa.table({"email": [f"user{i}@example.com" for i in range(20)]}), root / "ok.parquet")
    (root / "app.log").write_text("INFO mail sent to taro@example.jp\n", encoding="utf-8")
    (root / "broken.parquet").write_bytes(b"PAR1 not parquet at all PAR1")
    (root / "blob.bin").write_bytes(bytes(range(256)) * 8)
    (root / "empty.csv").write_bytes(b"")
    (root / "gone.csv").symlink_to(root / "nowhere.csv")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner/customers.csv", "email\nhanako@example.jp\n")
        archive.writestr("inner/photo.bin", bytes(range(256)))
    (root / "exports.zip").write_bytes(buffer.getvalue())
    (root / "truncated.zip").write_bytes(buffer.getvalue()[:40])
    os.mkfifo(root / "pipe.log")
    return {"refunds.csv": "scanned", "ok.parquet": "scanned", "app.log": "scanned", "broken.parquet": "failed",
            "blob.bin": "skipped", "gone.csv": "failed", "pipe.log": "skipped", "truncated.zip": "failed"}


def test_a_folder_of_good_unsupported_and_broken_files_names_every_one(tmp_path):
    expected = _estate(tmp_path)
    result = run_scan([str(tmp_path)], ScanOptions(), judge=True)
    ended: dict[str, set[str]] = {}
    for entry in result.sources:
        ended.setdefault(entry.source.split("!", 1)[0], set()).add(entry.status)
        assert entry.status in ("scanned", "partial", "skipped", "failed")
        if entry.status != "scanned":
            assert entry.reason, entry
    on_disk = {p.name for p in tmp_path.iterdir()}
    assert set(ended) == on_disk, "every file on disk has an entry, and no entry names a file that is not there"
    for name, status in expected.items():
        assert ended[name] == {status}, (name, ended[name])
    members = {e.source: e.status for e in result.sources if e.source.startswith("exports.zip!")}
    assert members == {"exports.zip!inner/customers.csv": "scanned", "exports.zip!inner/photo.bin": "skipped"}
    assert {f.location.source for f in result.findings} >= {"refunds.csv", "ok.parquet", "app.log",
                                                            "exports.zip!inner/customers.csv"}
    assert sum(result.source_counts().values()) == len(result.sources)
    doc = json.loads(json.dumps(result.to_dict()))
    assert doc["stats"]["sources"] == result.source_counts()
    assert "4111111111111111" not in json.dumps(doc).replace(" ", "")


@pytest.mark.skipif(__import__("importlib").util.find_spec("ja_ginza") is not None, reason="GiNZA is installed here")
def test_the_ner_boost_forced_on_without_ginza_is_one_line_naming_the_install(tmp_path):
    import subprocess
    import sys

    import yaml

    root = Path(__file__).resolve().parents[1]
    config = yaml.safe_load((root / "configs" / "detection.yaml").read_text(encoding="utf-8"))
    config["ner"]["enabled"] = True
    (tmp_path / "detection.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (tmp_path / "a.csv").write_text("email\na@example.com\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "scanner.cli", "scan", str(tmp_path / "a.csv"), "--detection",
                           str(tmp_path / "detection.yaml")], cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'piiscan[ja]'" in lines[0]


def test_a_document_without_its_optional_parser_is_skipped_naming_the_install(tmp_path):
    """Without the `docs` extra a PDF or a Word file is a `skipped` entry saying what to install,
    not a parse error (the parsers are hidden from the scan's process here)."""
    import subprocess
    import sys

    from tests.sources.planted import write_docx, write_pdf

    estate = tmp_path / "estate"
    estate.mkdir()
    write_pdf(estate / "booking.pdf", [["card 4111 1111 1111 1111"]])
    write_docx(estate / "letter.docx")
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "import sys\nclass _Hide:\n    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('pypdf', 'docx'):\n            raise ImportError(name)\n"
        "sys.meta_path.insert(0, _Hide())\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "result.json"
    proc = subprocess.run([sys.executable, "-m", "scanner.cli", "scan", str(estate), "-o", str(out)], cwd=root,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(shim)}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    ended = {s["source"]: s for s in json.loads(out.read_text(encoding="utf-8"))["sources"]}
    for name in ("booking.pdf", "letter.docx"):
        assert (ended[name]["status"], ended[name]["reason"]) == ("skipped", "missing_extra")
        assert "pip install 'piiscan[docs]'" in ended[name]["detail"]
    assert "2 skipped" in proc.stderr
