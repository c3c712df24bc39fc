"""The OpenAPI 3.1 description of the console's JSON API, served at /api/openapi.json.

Written by hand (the API is small) and checked by a test against the routes,
so every API route is documented and every documented path exists.
"""

from __future__ import annotations

from typing import Any

from scanner import __version__

_FILTERS = [
    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": text}
    for name, text in (("run", "Run id (default: the newest complete run)"),
                       ("datastore", "Datastore name"), ("severity", "critical | high | medium | low"),
                       ("kind", "Violation kind (e.g. purpose_not_permitted); 'finding' for findings"),
                       ("entity", "Entity type code"),
                       ("status", "new | open | fixed | accepted | false_positive | remediated"),
                       ("offset", "Items skipped (default 0)"), ("limit", "Items returned (1-1000, default 1000)"))
]
_AUTH_ERRORS = {"401": {"$ref": "#/components/responses/Unauthenticated"}}


def _get(summary: str, schema: str, parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": parameters or [],
                    "responses": {"200": {"description": "OK", "content": {"application/json": {
                        "schema": {"$ref": f"#/components/schemas/{schema}"}}}}, **_AUTH_ERRORS}}}


_FINGERPRINT = {"name": "fingerprint", "in": "path", "required": True,
                "schema": {"type": "string", "pattern": "^[0-9a-f]{6,64}$"}}


def openapi_document() -> dict[str, Any]:
    item = {"type": "object", "description": "A violation or finding as the run observed it (masked data only).",
            "properties": {"fingerprint": {"type": "string"}, "status": {"type": "string"},
                           "severity": {"type": ["string", "null"]}, "kind": {"type": ["string", "null"]},
                           "datastore": {"type": ["string", "null"]}, "table": {"type": ["string", "null"]},
                           "field": {"type": ["string", "null"]}, "entity_type": {"type": ["string", "null"]},
                           "category": {"type": ["string", "null"]}, "carried": {"type": "boolean"},
                           "first_seen_at": {"type": "string"}, "last_seen_at": {"type": "string"},
                           "data": {"type": "object", "description": "The masked violation or finding "
                                    "(evidence, why, remediation...)"},
                           "decision": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Decision"}]}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "piiscan review console API", "version": __version__,
                 "description": "Runs, violations, findings and triage over the nightly state store. "
                                "Authenticate with POST /login (form fields username, password); keep the "
                                "piiscan_session cookie; send the csrf_token of GET /api/session as the "
                                "X-CSRF-Token header with every POST. Evidence is always masked."},
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "piiscan_session"},
                                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"}},
            "responses": {"Unauthenticated": {"description": "No valid session", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "string"},
                                                           "detail": {"type": "string"}}},
                "Session": {"type": "object", "properties": {"username": {"type": "string"},
                                                             "role": {"enum": ["viewer", "reviewer", "admin"]},
                                                             "csrf_token": {"type": "string"}}},
                "Run": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "inventory": {"type": "string"}, "status": {"type": "string"},
                    "started_at": {"type": "string"}, "finished_at": {"type": ["string", "null"]},
                    "diff": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "errors": {"type": "integer"}, "exit_code": {"type": ["integer", "null"]}}},
                "Runs": {"type": "object", "properties": {"runs": {"type": "array",
                                                                   "items": {"$ref": "#/components/schemas/Run"}}}},
                "Item": item,
                "Items": {"type": "object", "properties": {
                    "run": {"$ref": "#/components/schemas/Run"}, "filters": {"type": "object"},
                    "total": {"type": "integer"}, "offset": {"type": "integer"}, "limit": {"type": "integer"},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}},
                "Diff": {"type": "object", "properties": {
                    "run": {"$ref": "#/components/schemas/Run"}, "previous_run_id": {"type": ["integer", "null"]},
                    "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "items": {"type": "object", "description": "status -> items",
                              "additionalProperties": {"type": "array",
                                                       "items": {"$ref": "#/components/schemas/Item"}}}}},
                "Decision": {"type": "object", "properties": {
                    "status": {"enum": ["accepted", "false_positive", "remediated"]}, "reason": {"type": "string"},
                    "by": {"type": "string"}, "at": {"type": ["string", "null"]},
                    "until": {"type": ["string", "null"], "format": "date"}, "origin": {"type": "string"},
                    "expired": {"type": "boolean"}, "pending": {"type": "boolean"},
                    "reviewed_file": {"type": "boolean", "description": "held by the reviewed triage.yaml, "
                                      "which overrides the console"}}},
                "ItemDetail": {"type": "object", "description": "One item with its decision, the history of "
                               "decisions and its status in each run"},
                "Trend": {"type": "object", "properties": {"inventory": {"type": ["string", "null"]}, "points": {
                    "type": "array", "items": {"type": "object", "properties": {
                        "run_id": {"type": "integer"}, "started_at": {"type": "string"},
                        "by_severity": {"type": "object"}, "by_category": {"type": "object"}}}}}},
                "TriageRequest": {"type": "object", "required": ["status", "reason"], "properties": {
                    "status": {"enum": ["accepted", "false_positive", "remediated"]},
                    "reason": {"type": "string", "minLength": 1, "maxLength": 2000},
                    "until": {"type": "string", "format": "date",
                              "description": "Inclusive expiry; required for accepted; today or later"},
                    "csrf_token": {"type": "string", "description": "if not sent as X-CSRF-Token"}}},
            },
        },
        "security": [{"session": []}],
        "paths": {
            "/api/session": _get("The logged-in user, role and CSRF token", "Session"),
            "/api/runs": _get("Every run, newest first", "Runs"),
            "/api/runs/{run_id}/diff": _get("What changed in a run: items by status (new, open, fixed, accepted...)",
                                            "Diff", [{"name": "run_id", "in": "path", "required": True,
                                                      "schema": {"type": "integer"}}]),
            "/api/violations": _get("Violations of a run, filtered", "Items", _FILTERS),
            "/api/violations/{fingerprint}": _get("One violation with its decisions and history", "ItemDetail",
                                                  [_FINGERPRINT]),
            "/api/violations/{fingerprint}/triage": {"post": {
                "summary": "Record a decision (reviewer or admin); applies from the next nightly run",
                "security": [{"session": [], "csrf": []}],
                "parameters": [_FINGERPRINT],
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/TriageRequest"}},
                    "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/TriageRequest"}}}},
                "responses": {
                    "201": {"description": "Recorded", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": {"description": "Bad status, no reason, or an acceptance without a valid expiry"},
                    **_AUTH_ERRORS,
                    "403": {"description": "Viewer role, or missing/wrong CSRF token"},
                    "404": {"description": "Unknown fingerprint"},
                    "409": {"description": "The reviewed triage.yaml holds a decision for this fingerprint"}}}},
            "/api/findings": _get("Findings of a run, filtered", "Items", _FILTERS),
            "/api/trend": _get("Open violations per run by severity and category", "Trend",
                               [{"name": "inventory", "in": "query", "required": False, "schema": {"type": "string"}}]),
            "/api/openapi.json": {"get": {"summary": "This document", "security": [],
                                          "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
    }
