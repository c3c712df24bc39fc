"""Fixtures for state-store tests: a private estate and a nightly runner (`pg_url` comes from tests/conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from scanner.nightly import NightlyOptions, run_nightly
from tests.state.estate import EstateScanner, make_estate


@dataclass
class Nightly:
    """Runs `run_nightly` over the estate and reads back what the run published."""

    options: NightlyOptions
    scanner: EstateScanner

    def run(self, **overrides) -> int:
        options = NightlyOptions(**{**self.options.__dict__, **overrides})
        return run_nightly(options, scan=self.scanner)

    def folders(self) -> list[Path]:
        return sorted((p for p in self.options.reports.iterdir() if p.is_dir()),
                      key=lambda p: int(p.name.rsplit("run", 1)[1].split(".")[0]))

    def last(self) -> dict:
        return json.loads((self.folders()[-1] / "result.json").read_text(encoding="utf-8"))

    def statuses(self) -> dict[tuple[str, str], str]:
        return {(v["datastore"], v["entity_type"]): v["status"] for v in self.last()["violations"]}


@pytest.fixture
def nightly(tmp_path: Path) -> Nightly:
    root = make_estate(tmp_path / "estate")
    triage_file = tmp_path / "configs" / "triage.yaml"  # the reviewed file; empty until a test fills it
    triage_file.parent.mkdir()
    triage_file.write_text("[]\n", encoding="utf-8")
    options = NightlyOptions(state=tmp_path / "state" / "state.db", reports=tmp_path / "reports",
                             triage_file=triage_file)
    return Nightly(options, EstateScanner(root))
