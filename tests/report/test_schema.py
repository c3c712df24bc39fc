"""The published result schema accepts real results and names what is wrong with bad ones."""

from __future__ import annotations

import copy
import json

import pytest

from scanner.model import ScanResult
from scanner.schema import ResultSchemaError, load_schema, result_problems, validate_result
from tests.report.conftest import RAW_PAN, build_result


def test_fixture_result_is_valid(result):
    validate_result(result)


def test_first_run_result_without_history_is_valid(first_run_result):
    validate_result(first_run_result)


def test_empty_scan_result_from_the_model_is_valid():
    validate_result(ScanResult(targets=["sample_data"]).to_dict())


def test_result_survives_a_json_round_trip():
    validate_result(json.loads(json.dumps(build_result(), ensure_ascii=False)))


def test_later_top_level_fields_are_allowed(result):
    result["history"] = {"runs": 12}
    validate_result(result)


def test_schema_documents_every_key_the_model_writes(result):
    schema = load_schema()
    assert set(result) <= set(schema["properties"])
    for key, definition in (("findings", "finding"), ("errors", "error"), ("violations", "violation"),
                            ("impact", "impact")):
        for item in result[key]:
            assert set(item) <= set(schema["$defs"][definition]["properties"]), key
    assert set(result["stats"]) == set(schema["properties"]["stats"]["properties"])


def _set(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value


_DELETE = object()

BAD_DOCUMENTS = [
    # (path to change, new value, expected path in the message)
    (("schema_version",), "2.0", "$.schema_version"),
    (("schema_version",), _DELETE, "'schema_version' is a required property"),
    (("violations", 0, "severity"), "urgent", "$.violations[0].severity"),
    (("violations", 0, "kind"), "leak", "$.violations[0].kind"),
    (("violations", 1, "status"), "closed", "$.violations[1].status"),
    (("violations", 0, "count"), -1, "$.violations[0].count"),
    (("violations", 0, "fingerprint"), _DELETE, "$.violations[0]"),
    (("findings", 0, "confidence"), 1.5, "$.findings[0].confidence"),
    (("findings", 0, "examples"), "411111******1111", "$.findings[0].examples"),
    (("impact", 0, "reportable"), "yes", "$.impact[0].reportable"),
    (("stats", "rows_scanned"), "many", "$.stats.rows_scanned"),
    (("diff", "new"), -3, "$.diff.new"),
    (("run",), {"previous_run_id": "run-1"}, "$.run"),
    (("errors", 0, "message"), None, "$.errors[0].message"),
    (("findings", 0, "datastore"), 7, "$.findings[0].datastore"),
]


@pytest.mark.parametrize(("path", "value", "expected"), BAD_DOCUMENTS, ids=[str(p) for p, _, _ in BAD_DOCUMENTS])
def test_invalid_documents_are_rejected_with_the_bad_path(result, path, value, expected):
    doc = copy.deepcopy(result)
    _set(doc, path, value)
    with pytest.raises(ResultSchemaError) as info:
        validate_result(doc)
    assert expected in str(info.value)


@pytest.mark.parametrize("where", [("findings", 0, "examples"), ("violations", 0, "evidence")])
def test_unmasked_evidence_is_rejected_without_echoing_it(result, where):
    doc = copy.deepcopy(result)
    _set(doc, (*where, 0), RAW_PAN)
    problems = result_problems(doc)
    assert problems and "unmasked" in problems[0]
    assert all(RAW_PAN not in p for p in problems)


def test_wrong_type_messages_do_not_echo_values(result):
    result["findings"][0]["count"] = RAW_PAN
    problems = result_problems(result)
    assert problems == ["$.findings[0].count: fails 'type' (expected 'integer')"]


def test_not_an_object_is_rejected():
    with pytest.raises(ResultSchemaError, match="type"):
        validate_result([1, 2])
