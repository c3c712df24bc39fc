"""The recipes of ARCHITECTURE.md hold: a source kind and a report format are one new piece of
code plus one registration line, with no file of piiscan edited (the identifier recipe is
tests/recognizers/test_recipe_identifier.py).

Both are declared in this test module, registered with their one line, and must then work
end to end: the vCard reader through a real scan (findings, their place, a `sources`
entry), the plain-text format through `write_report` and `--report DIR`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from scanner import report, sources
from scanner.pipeline import ScanOptions, run_scan
from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, SourceOptions
from scanner.sources.files import FileDataset, FileRef, open_bytes


# --- recipe: a source kind (the one new module would hold this) ------------------------------
class VcardDataset(FileDataset):
    """A vCard address book as a table: one row per card, one column per property."""

    kind = "table"

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        with open_bytes(self.ref) as fh:
            text = fh.read().decode("utf-8")
        cards: list[dict[str, str]] = []
        for line in text.splitlines():
            if line == "BEGIN:VCARD":
                cards.append({})
            elif ":" in line and cards and not line.startswith("END:"):
                key, _, value = line.partition(":")
                cards[-1][key.split(";")[0]] = value
        names = sorted({k for card in cards for k in card})
        if cards:
            yield pa.record_batch({n: [card.get(n) for card in cards] for n in names})


def read_vcard(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    yield VcardDataset(ref)


# --- recipe: a report format (the one new module would hold this) ----------------------------
def write_txt(result: dict[str, Any], output: Path, lang: str) -> list[Path]:
    lines = [f"{v['severity']}\t{v['kind']}\t{v.get('datastore')}" for v in result.get("violations", [])]
    lines += [f"{f['entity_type']}\t{f['source']}\t{f.get('field')}" for f in result.get("findings", [])]
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [output]


@pytest.fixture
def registered(monkeypatch):
    """The registration lines, undone after the test (monkeypatch keeps the registries clean)."""
    monkeypatch.setattr(sources, "READERS", dict(sources.READERS))
    monkeypatch.setattr(report, "FORMATS", dict(report.FORMATS))
    monkeypatch.setattr(report, "REPORT_FILES", dict(report.REPORT_FILES))
    sources.register_reader([".vcf"], read_vcard)  # the source kind's one line
    report.register_format("txt", write_txt, "report.txt")  # the report format's one line


def test_a_new_source_kind_is_scanned_end_to_end(tmp_path, registered):
    (tmp_path / "contacts.vcf").write_text(
        "".join(f"BEGIN:VCARD\nFN:Guest {i}\nEMAIL;TYPE=home:guest{i}@example.jp\nEND:VCARD\n" for i in range(30)),
        encoding="utf-8")
    result = run_scan([str(tmp_path)], ScanOptions())
    found = {(f.location.source, f.location.field, f.entity_type) for f in result.findings}
    assert ("contacts.vcf", "EMAIL", "EMAIL_ADDRESS") in found
    assert [(s.source, s.status) for s in result.sources] == [("contacts.vcf", "scanned")]
    assert all("@example.jp" not in e or e.startswith("g*") for f in result.findings for e in f.examples)


def test_without_its_line_the_kind_is_named_as_skipped(tmp_path):
    (tmp_path / "contacts.vcf").write_bytes(b"\x00\x01BEGIN:VCARD\x00")
    result = run_scan([str(tmp_path)], ScanOptions())
    assert [(s.source, s.status, s.reason) for s in result.sources] == [("contacts.vcf", "skipped", "binary")]


def test_a_new_report_format_is_written_alone_and_with_every_other(tmp_path, registered):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "refunds.csv").write_text(
        "card_number\n" + "4111 1111 1111 1111\n" * 20, encoding="utf-8")
    result = run_scan([str(tmp_path / "data")], ScanOptions(), judge=True)
    doc = json.loads(json.dumps(result.to_dict()))
    [written] = report.write_report(doc, "txt", tmp_path / "one.txt", "en")
    assert "CREDIT_CARD\trefunds.csv\tcard_number" in written.read_text(encoding="utf-8")
    every = report.write_all_reports(doc, tmp_path / "out", "ja")
    assert (tmp_path / "out" / "report.txt") in every
    assert "clear_pan" in (tmp_path / "out" / "report.txt").read_text(encoding="utf-8")
