"""Results made by the real pipeline stages validate against the schema and render in every format.

`policy_result` runs the real policy engine (configs/policy.yaml and
configs/inventory.yaml) over the fixture's real `Finding`s; `estate_result`
scans the sample estate end to end when the pipeline can be imported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.report import write_all_reports
from scanner.schema import load_schema, validate_result
from tests.report.conftest import RAW_VALUES, build_result
from tests.report.readers import parse_html, read_csv

REPO = Path(__file__).resolve().parents[2]
POLICY = REPO / "configs" / "policy.yaml"
INVENTORY = REPO / "configs" / "inventory.yaml"


@pytest.fixture(scope="module")
def policy_result() -> dict:
    from scanner.policy import config
    from scanner.policy.evaluate import evaluate_full

    policy = config.load_policy(POLICY)
    inventory = config.load_inventory(INVENTORY, policy=policy)
    doc = build_result()
    for key in ("diff", "run"):
        doc.pop(key)
    evaluation = evaluate_full(doc["findings"], policy, inventory, check_retention=False)
    doc["violations"] = [v.to_dict() for v in evaluation.violations]
    doc["impact"] = [i.to_dict() for i in evaluation.impact]
    return json.loads(json.dumps(doc))


def _assert_documented(doc: dict) -> None:
    schema = load_schema()
    for key, definition in (("findings", "finding"), ("violations", "violation"), ("impact", "impact"),
                            ("errors", "error")):
        for item in doc[key]:
            undocumented = set(item) - set(schema["$defs"][definition]["properties"])
            assert not undocumented, f"{key} carry keys the schema does not document: {undocumented}"


def _assert_reports(doc: dict, directory: Path, lang: str) -> None:
    paths = write_all_reports(doc, directory, lang)
    assert len(paths) == (7 if "sources" in doc else 6)
    violations = read_csv(directory / "violations.csv")
    assert len(violations) == len(doc["violations"])
    page = parse_html(directory / "report.html")
    if doc["violations"]:
        assert len(page.tables["violations-table"]) == len(doc["violations"]) + 1
    validate_result(json.loads((directory / "result.json").read_text(encoding="utf-8")))
    text = "\n".join(p.read_bytes().decode("utf-8-sig", "replace") for p in paths if p.suffix != ".xlsx")
    assert not [raw for raw in RAW_VALUES if raw in text]


def test_policy_engine_output_is_valid_and_documented(policy_result):
    assert policy_result["violations"] and policy_result["impact"]
    validate_result(policy_result)
    _assert_documented(policy_result)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_policy_engine_output_renders_in_every_format(tmp_path, policy_result, lang):
    _assert_reports(policy_result, tmp_path, lang)


def test_sample_estate_scan_writes_every_format(tmp_path):
    from scanner.pipeline import ScanOptions, scan_inventory

    doc = json.loads(json.dumps(scan_inventory(INVENTORY, POLICY, ScanOptions()).to_dict()))
    validate_result(doc)
    _assert_documented(doc)
    assert doc["findings"] and doc["violations"]
    _assert_reports(doc, tmp_path / "out", "ja")
