"""No report, in any format or language, ever holds an unmasked value.

Two proofs: raw values planted where the result schema has no key (and in
free-text fields such as an error message) never come out, while the masked
evidence does; and the writers read only the keys the schema documents, so a
raw value added under a new key later cannot reach a report either.
"""

from __future__ import annotations

import pytest

from scanner.report import FORMATS, write_all_reports, write_report
from scanner.schema import load_schema
from tests.report.conftest import RAW_MY_NUMBER, RAW_PAN, RAW_PASSPORT, RAW_TRACK, RAW_VALUES
from tests.report.readers import all_text

MASKED = ("411111******1111", "TK*****67", "********9018", "%B411111******1111…")
OUTPUT_NAME = {"html": "r.html", "xlsx": "r.xlsx", "md": "r.md", "csv": "csv"}


def plant_raw_values(result: dict) -> dict:
    """Raw identifiers under undocumented keys at every level, and inside printed free text."""
    result["debug_sample"] = [RAW_PAN, RAW_PASSPORT]
    result["run"]["token"] = RAW_MY_NUMBER
    result["stats"]["first_value"] = RAW_PAN
    for violation in result["violations"]:
        violation["raw_value"] = RAW_PAN
        violation["values"] = [RAW_PASSPORT, RAW_TRACK]
    for finding in result["findings"]:
        finding["values"] = [RAW_PAN, RAW_PASSPORT, RAW_MY_NUMBER]
    result["impact"][0]["people"] = [{"name": "山田太郎", "passport": RAW_PASSPORT}]
    result["errors"].append({"source": "exports/bad.csv", "table": None, "kind": "encoding",
                             "message": f"cannot decode row 7: '{RAW_PAN},{RAW_PASSPORT},{RAW_MY_NUMBER}'",
                             "line": RAW_TRACK})
    result["violations"][0]["remediation"] = f"delete {RAW_PAN} and {RAW_PASSPORT}"
    result["violations"][1]["field"] = f"note_{RAW_PASSPORT}"
    return result


def written_text(paths) -> str:
    return "\n".join(all_text(p) for p in paths)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_raw_value_in_any_format(tmp_path, result, fmt, lang):
    paths = write_report(plant_raw_values(result), fmt, tmp_path / OUTPUT_NAME[fmt], lang)
    text = written_text(paths)
    for raw in RAW_VALUES:
        assert raw not in text, f"{raw} leaked into {fmt}"
    present = [m for m in MASKED if m in text]
    if fmt == "md":  # the summary lists the top violations only
        assert "411111******1111" in text and "TK*****67" in text
    else:
        assert present == list(MASKED)


def test_no_raw_value_in_the_report_directory(tmp_path, result):
    paths = write_all_reports(plant_raw_values(result), tmp_path / "out", "ja")
    assert len(paths) == 7
    text = written_text(paths)
    for raw in RAW_VALUES:
        assert raw not in text
    assert all(m in text for m in MASKED)


class RecordingDict(dict):
    """A dict that logs every key read and every iteration, under the name of the object it stands for."""

    def __init__(self, name: str, data: dict, log: set[tuple[str, str]]) -> None:
        super().__init__(data)
        self.name, self.log = name, log

    def __getitem__(self, key):
        self.log.add((self.name, key))
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.log.add((self.name, key))
        return super().get(key, default)

    def __contains__(self, key):
        self.log.add((self.name, key))
        return super().__contains__(key)

    def __iter__(self):
        self.log.add((self.name, "*iterated*"))
        return super().__iter__()

    def keys(self):
        self.log.add((self.name, "*iterated*"))
        return super().keys()

    def items(self):
        self.log.add((self.name, "*iterated*"))
        return super().items()

    def values(self):
        self.log.add((self.name, "*iterated*"))
        return super().values()


LIST_ITEMS = {"violations": "violation", "findings": "finding", "impact": "impact", "errors": "error"}


def recording(result: dict, log: set) -> RecordingDict:
    top = {}
    for key, value in result.items():
        if key in LIST_ITEMS:
            top[key] = [RecordingDict(LIST_ITEMS[key], item, log) for item in value]
        elif isinstance(value, dict):
            top[key] = RecordingDict(key, value, log)
        else:
            top[key] = value
    return RecordingDict("result", top, log)


def documented_keys() -> dict[str, set[str]]:
    schema = load_schema()
    props = schema["properties"]
    keys = {"result": set(props)}
    for name in ("stats", "tool", "run", "diff", "options"):
        keys[name] = set(props[name].get("properties", {}))
    for name in LIST_ITEMS.values():
        keys[name] = set(schema["$defs"][name]["properties"])
    keys["diff"] |= {"false_positive", "remediated"}  # diff allows further status counts
    return keys


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_writers_read_only_documented_keys(tmp_path, result, fmt):
    log: set[tuple[str, str]] = set()
    write_report(recording(plant_raw_values(result), log), fmt, tmp_path / OUTPUT_NAME[fmt], "ja")
    allowed = documented_keys()
    undocumented = sorted((name, key) for name, key in log if key not in allowed[name])
    assert undocumented == []
    # and it did read the evidence: the log is not empty by accident
    assert ("violation", "evidence") in log and ("finding", "examples") in log
