"""Raw values of the evaluation corpus (shared/eval/dev) that no console page or API answer may hold.

Read straight from the corpus files, for the fields truth.json says hold an
identifier a person could be found by. Values shorter than 8 characters are
left out (they could appear by chance), and each is also kept without spaces
and hyphens, so a page that reformats a number still counts as a leak.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path

from tests.conftest import SHARED_EVAL

EVAL_DEV = SHARED_EVAL / "dev"
NEVER_SHOWN = {"CREDIT_CARD", "PASSPORT_NUMBER", "JP_MY_NUMBER", "EMAIL_ADDRESS", "PHONE_NUMBER", "JMB_NUMBER",
               "CARD_TRACK_DATA"}


def _dig(record: dict, dotted: str) -> object:
    for part in dotted.split("."):
        if not isinstance(record, dict):
            return None
        record = record.get(part)
    return record


def _values(root: Path, source: str, container: str, field: str) -> list[object]:
    path = root / source
    if path.suffix in (".db", ".sqlite"):
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [r[0] for r in con.execute(f'select "{field}" from "{container}"')]
        finally:
            con.close()
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [row.get(field) for row in csv.DictReader(handle)]
    if path.suffix == ".jsonl":
        return [_dig(json.loads(line), field) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path, columns=[field]).column(field).to_pylist()
    return []


def raw_values(root: Path = EVAL_DEV) -> set[str]:
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    found: set[str] = set()
    for spec in truth["fields"]:
        if not NEVER_SHOWN & set(spec["entities"]):
            continue
        for value in _values(root, spec["source"], spec.get("container") or "", spec["field"]):
            if isinstance(value, str) and len(value.strip()) >= 8 and "*" not in value:  # some are masked at source
                found.add(value.strip())
    return found | {re.sub(r"[\s-]", "", v) for v in found if len(re.sub(r"[\s-]", "", v)) >= 8}


def leaked(text: str, values: set[str]) -> list[str]:
    squeezed = re.sub(r"[\s-]", "", text)
    return sorted(v for v in values if v in text or v in squeezed)
