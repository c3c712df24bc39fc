"""The published JSON Schema of a scan result, and a validator for it.

Other tools (ticketing, dashboards, the lead's CI) read `result.json`; the
schema in `result.schema.json` is the contract they read it by, so tests hold
real results against it and `piiscan report` refuses a document that breaks it
with a message naming the bad path rather than rendering half a report.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_FILE = "result.schema.json"


class ResultSchemaError(ValueError):
    """A result document does not match the schema; `problems` lists each as 'path: message'."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        super().__init__(f"result does not match {SCHEMA_FILE}: {shown}")


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The schema as a dict (packaged with `scanner`, so it works from a plain `pip install`)."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _path(error: Any) -> str:
    parts = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return "$" + parts


def _describe(error: Any) -> str:
    # jsonschema's own message for `not` quotes the offending instance: for
    # maskedText that is the unmasked value itself, so never echo instances.
    if error.validator == "not":
        return "holds an unmasked value (12 or more consecutive digits)"
    if error.validator in ("type", "enum", "const", "pattern", "minimum", "maximum", "minLength", "format"):
        return f"fails '{error.validator}' (expected {error.validator_value!r})"
    return error.message


def result_problems(doc: Any) -> list[str]:
    """Every mismatch between `doc` and the schema as 'path: message', sorted by path; empty when valid."""
    errors = sorted(_validator().iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{_path(e)}: {_describe(e)}" for e in errors]


def validate_result(doc: Any) -> None:
    """Raise `ResultSchemaError` (a ValueError) listing every problem when `doc` is not a valid result."""
    problems = result_problems(doc)
    if problems:
        raise ResultSchemaError(problems)
