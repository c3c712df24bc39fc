"""Tell someone when a nightly run finds new violations: run a command, or POST to a webhook.

The payload is a summary (counts, the report folder, and per new violation its
fingerprint, severity, kind and location); it holds no evidence at all, masked
or not, because chat channels and ticket systems are wider audiences than the
report. A failing hook is logged and returned, never fails the run.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import subprocess
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scanner.detect.masking import scrub

log = logging.getLogger(__name__)

SUMMARY_KEYS = ("fingerprint", "severity", "kind", "clause", "datastore", "table", "field", "entity_type", "category")


def summary(doc: Mapping[str, Any], report_dir: Path | None) -> dict[str, Any]:
    new = [v for v in doc.get("violations", []) if v.get("status") == "new"]
    return {
        "tool": "piiscan",
        "run": (doc.get("run") or {}).get("id"),
        "diff": doc.get("diff"),
        "errors": len(doc.get("errors") or []),
        # how many sources were read in full, in part, skipped or failed, and which were not read
        "sources": (doc.get("stats") or {}).get("sources"),
        "not_scanned": [{k: s.get(k) for k in ("source", "table", "status", "reason")}
                        for s in doc.get("sources") or [] if s.get("status") != "scanned"][:50],
        "report_dir": str(report_dir) if report_dir else None,
        "new_violations": [{k: v.get(k) for k in SUMMARY_KEYS} for v in new],
    }


def notify(payload: Mapping[str, Any], *, command: str | None = None, url: str | None = None,
           timeout: float = 15.0) -> list[str]:
    """Send `payload`; returns the problems (empty when every configured hook worked)."""
    problems: list[str] = []
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    if command:
        env = dict(os.environ, PIISCAN_RUN_ID=str(payload.get("run")),
                   PIISCAN_NEW=str(len(payload.get("new_violations", []))),
                   PIISCAN_REPORT_DIR=str(payload.get("report_dir") or ""))
        try:
            done = subprocess.run(shlex.split(command), input=body, env=env, timeout=timeout,
                                  capture_output=True, check=False)
            if done.returncode != 0:
                problems.append(f"notify command exited with {done.returncode}")
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.append(f"notify command failed: {scrub(str(exc))}")
    if url:
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8",
                                                  "User-Agent": "piiscan-nightly"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - operator's URL
                if response.status >= 300:
                    problems.append(f"webhook answered HTTP {response.status}")
        except OSError as exc:  # URLError and HTTPError are OSErrors
            problems.append(f"webhook failed: {scrub(str(exc))}")
    for problem in problems:
        log.warning("%s", problem)
    return problems
