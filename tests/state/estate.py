"""A small estate of text files and an injected scan function for nightly tests.

The scan function does what the pipeline does for the state store's sake: it
asks the tracker about every dataset with a real signature (size, mtime, hash),
carries over previous findings of unchanged ones, masks every value with the
real `mask`, and emits findings plus one violation per finding. Detection
itself is a regex on purpose: these tests are about history, not detection.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from scanner.detect.masking import mask
from scanner.model import Finding, Location, ScanError, ScanResult

PATTERNS = {
    "PASSPORT_NUMBER": re.compile(r"\b[A-Z]{2}\d{7}\b"),
    "CREDIT_CARD": re.compile(r"\b4\d{15}\b"),
    "EMAIL_ADDRESS": re.compile(r"\b[\w.]+@[\w.]+\.\w+\b"),
}
SEVERITY = {"PASSPORT_NUMBER": "high", "CREDIT_CARD": "critical", "EMAIL_ADDRESS": "low"}

# raw values used by the tests; none of them may ever appear in a store or report
PASSPORTS = ["TK1234567", "TR7654321", "MU1111111", "XA2222222"]
CARDS = ["4111111111111111", "4000056655665556"]
EMAILS = ["hanako.yamada@example.jp", "taro@example.co.jp"]
RAW_VALUES = PASSPORTS + CARDS + EMAILS


def signature(path: Path) -> dict:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


@dataclass
class EstateScanner:
    """Scans every *.txt under `root` as a text source named by its relative path."""

    root: Path
    down: set[str] = field(default_factory=set)  # sources that fail this run ("database down")
    scanned: list[str] = field(default_factory=list)  # datasets actually read, over all runs
    crash: bool = False

    def __call__(self, tracker, full: bool) -> dict:
        if self.crash:
            raise RuntimeError("pipeline crashed")
        result = ScanResult(targets=[str(self.root)], started_at="2026-01-01T00:00:00+00:00")
        carried: list[dict] = []
        for path in sorted(self.root.rglob("*.txt")):
            source = path.relative_to(self.root).as_posix()
            if source in self.down:
                result.errors.append(ScanError(source, "connection refused", None, "connection"))
                continue
            if tracker.unchanged(source, None, signature(path)):
                carried += tracker.previous_findings(source, None)
                continue
            self.scanned.append(source)
            result.findings += scan_text(source, path.read_text(encoding="utf-8"))
        doc = result.to_dict()
        doc["findings"] += carried
        doc["violations"] = [violation_of(f) for f in doc["findings"]]
        return doc


def scan_text(source: str, text: str) -> list[Finding]:
    findings = []
    for entity, pattern in PATTERNS.items():
        hits = [(n, m.group(0)) for n, line in enumerate(text.splitlines(), 1) for m in pattern.finditer(line)]
        if hits:
            findings.append(Finding(entity, Location(source), count=len(hits), sampled=len(text.splitlines()),
                                    confidence=0.9, examples=tuple(mask(entity, v) for _, v in hits[:3]),
                                    lines=tuple(n for n, _ in hits), method="text"))
    return findings


def violation_of(finding: dict) -> dict:
    """What the policy engine makes of a finding (one clause for every entity here)."""
    return {"kind": "unencrypted_store", "severity": SEVERITY[finding["entity_type"]], "clause": "4.2",
            "datastore": finding["source"], "table": finding["table"], "field": finding["field"],
            "entity_type": finding["entity_type"], "category": "identity", "count": finding["count"],
            "evidence": list(finding["examples"]), "remediation": "encrypt or delete", "fingerprint": None}


def make_estate(root: Path) -> Path:
    """Three files: two with PII, one clean."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "bookings.txt").write_text(f"booking 1 passport {PASSPORTS[0]}\nbooking 2 passport {PASSPORTS[1]}\n",
                                       encoding="utf-8")
    (root / "payments.txt").write_text(f"card {CARDS[0]}\n", encoding="utf-8")
    (root / "notes.txt").write_text("nothing personal here\n", encoding="utf-8")
    return root
