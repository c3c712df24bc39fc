"""`piiscan eval CORPUS_DIR`: score piiscan on a labelled sample of your own data.

Why: the thresholds and word lists are tuned on synthetic data; before trusting
a scan of a real estate, a team labels a small sample of it and measures
precision, recall and F1 per entity type, for fields and for lines of text files.

The corpus (the format ../shared/eval uses)
    ``CORPUS_DIR/`` holds the datastores (files, SQLite databases) and
    ``CORPUS_DIR/truth.json``::

        {
          "meta":   {"sources": ["exports/metrics.csv"]},        # optional: sources holding none
          "fields": [{"source": "crm.db", "container": "bookings", "field": "passport_no",
                      "entities": [<entity type>, ...]},
                     {"source": "exports/guests.csv", "container": null, "field": "氏名",
                      "entities": [<entity type>]}],
          "lines":  [{"source": "logs/app.log", "line": 12, "entities": [<entity type>]}]
        }

    ``fields`` lists every field holding personal data: ``source`` is the path
    relative to CORPUS_DIR (for a table, the database file), ``container`` the table
    or sheet (null for a file), ``field`` the column or dotted JSON path. ``lines``
    lists every line of a text file holding personal data (1-based). A field or line
    not listed holds none: a finding there is a false positive. Sources written
    ``file#table`` in ``lines`` (text columns of a table) are not scored by line.

What is printed
    Per entity type, true/false positives, misses, precision, recall and F1 for
    fields and for lines; the false positives and misses; and a last line
    ``field_f1=… line_f1=… leaked_values=… findings=…``, the figures
    ../shared/eval/score.py prints. ``leaked_values`` counts identifiers that stand
    unmasked in the findings (whatever the report-side guard `scanner.report.redact`
    would still mask): it must be 0. Exit 1 under ``--min-f1`` / ``--min-line-f1`` or
    on a leak.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

FieldKey = tuple[str, str, str, str]  # source, container, field, entity
LineKey = tuple[str, int, str]  # source, line, entity


@dataclass(frozen=True)
class Counts:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Level:
    """The scores of one level (fields, or lines of text files)."""

    truth: set = field(default_factory=set)
    predicted: set = field(default_factory=set)

    def per_entity(self) -> dict[str, Counts]:
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for key in self.predicted & self.truth:
            per[key[-1]][0] += 1
        for key in self.predicted - self.truth:
            per[key[-1]][1] += 1
        for key in self.truth - self.predicted:
            per[key[-1]][2] += 1
        return {entity: Counts(*per[entity]) for entity in sorted(per)}

    @property
    def total(self) -> Counts:
        return Counts(len(self.predicted & self.truth), len(self.predicted - self.truth),
                      len(self.truth - self.predicted))


@dataclass
class Evaluation:
    fields: Level
    lines: Level
    leaked_values: int
    findings: int
    unmatched: int

    def passed(self, min_f1: float, min_line_f1: float) -> bool:
        return self.fields.total.f1 >= min_f1 and self.lines.total.f1 >= min_line_f1 and self.leaked_values == 0


def _norm_source(source: str) -> str:
    return re.sub(r"^sqlite:/*", "/", (source or "").replace("\\", "/"))


def _match_source(sources: Iterable[str], found: str) -> str | None:
    """The corpus source a finding's source names (the longest that it is or ends with)."""
    f = _norm_source(found)
    best = None
    for s in sources:
        if (f == s or f.endswith("/" + s)) and (best is None or len(s) > len(best)):
            best = s
    return best


def _get(finding: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if finding.get(name) not in (None, ""):
            return finding[name]
    return None


def corpus_sources(corpus: Path) -> set[str]:
    """Every file under the corpus, as a path relative to it (truth.json aside)."""
    out = set()
    for root, _, files in os.walk(corpus):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), corpus).replace(os.sep, "/")
            if rel != "truth.json":
                out.add(rel)
    return out


def evaluate(truth: Mapping[str, Any], findings: list[Mapping[str, Any]], sources: set[str],
             evaluated: set[str] | None = None, raw: str = "") -> Evaluation:
    """Score `findings` (result dicts) against `truth` (truth.json). `evaluated`: entity types
    scored (None: those piiscan's recognizers emit, and those the truth names)."""
    if evaluated is None:
        evaluated = detected_entity_types() | {e for x in truth.get("fields", []) + truth.get("lines", [])
                                               for e in x.get("entities", [])}
    fields, lines = Level(), Level()
    for x in truth.get("fields", []):
        fields.truth |= {(x["source"], x.get("container") or "", x["field"], e) for e in x["entities"] if e in evaluated}
    text_sources = set()
    for x in truth.get("lines", []):
        if "#" in x["source"]:
            continue
        text_sources.add(x["source"])
        lines.truth |= {(x["source"], int(x["line"]), e) for e in x["entities"] if e in evaluated}
    known = sources | {x["source"] for x in truth.get("fields", [])} | text_sources
    known |= set((truth.get("meta") or {}).get("sources", []))
    unmatched = 0
    for f in findings:
        entity = _get(f, "entity_type")
        if entity not in evaluated:
            continue
        source = _match_source(known, _get(f, "source") or "")
        if source is None:
            unmatched += 1
            continue
        numbers = list(f.get("lines") or []) + ([f["line"]] if f.get("line") else [])
        if source in text_sources or (numbers and not f.get("field")):
            lines.predicted |= {(source, int(n), entity) for n in numbers}
            continue
        fields.predicted.add((source, str(_get(f, "table") or ""), str(_get(f, "field") or ""), entity))
    return Evaluation(fields, lines, count_leaks(raw), len(findings), unmatched)


def detected_entity_types() -> set[str]:
    """The entity types the registered recognizers emit."""
    from recognizers import registry

    return {e for cls in registry.RECOGNIZERS for e in (cls.ENTITY, *cls.EXTRA_ENTITIES)}


def count_leaks(raw: str) -> int:
    """Distinct identifiers standing unmasked in `raw` (what the report-side guard would mask)."""
    if not raw:
        return 0
    from recognizers.registry import redactions

    leaked: set[str] = set()

    def take(match: re.Match[str]) -> str:
        value = match.group(0)
        if check is not None and not check(value):
            return value
        leaked.add(value)
        return "*" * len(value)  # as the guard does, one pass after the other (a PAN holds 12 digits)

    for spec in redactions():
        check = spec.redaction.check
        raw = spec.redaction.regex.sub(take, raw)
    return len(leaked)


def render(evaluation: Evaluation) -> str:
    """The report score.py prints: per-entity tables, mistakes, the summary line."""
    out: list[str] = []

    def table(name: str, level: Level) -> None:
        out.append(f"== {name}")
        out.append(f"{'entity':22} {'tp':>5} {'fp':>5} {'fn':>5} {'prec':>6} {'rec':>6} {'f1':>6}")
        for entity, c in [*level.per_entity().items(), ("ALL", level.total)]:
            out.append(f"{entity:22} {c.tp:5} {c.fp:5} {c.fn:5} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}")

    table("fields", evaluation.fields)
    fps = sorted(evaluation.fields.predicted - evaluation.fields.truth)
    fns = sorted(evaluation.fields.truth - evaluation.fields.predicted)
    if fps:
        out.append("false positives:\n  " + "\n  ".join(" ".join(map(str, x)) for x in fps[:25]))
    if fns:
        out.append("missed:\n  " + "\n  ".join(" ".join(map(str, x)) for x in fns[:25]))
    table("lines of text files", evaluation.lines)
    out.append(f"unmatched findings (source not in corpus): {evaluation.unmatched}")
    out.append(f"field_f1={evaluation.fields.total.f1:.3f} line_f1={evaluation.lines.total.f1:.3f} "
               f"leaked_values={evaluation.leaked_values} findings={evaluation.findings}")
    return "\n".join(out)


def load_truth(corpus: Path) -> dict[str, Any]:
    path = corpus / "truth.json"
    try:
        truth = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise click.UsageError(f"{path}: not found (see `piiscan eval --help` for its format)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.UsageError(f"{path}: cannot read: {exc}") from None
    if not isinstance(truth, dict) or not isinstance(truth.get("fields", []), list) \
            or not isinstance(truth.get("lines", []), list):
        raise click.UsageError(f"{path}: expected an object with `fields` and `lines` lists")
    return truth


def scan_corpus(corpus: Path, detection: Path | None, full: bool) -> str:
    """piiscan's JSON result for the corpus (no policy: only the findings are scored)."""
    from scanner.configfiles import ConfigError
    from scanner.pipeline import ScanOptions, default_jobs, run_scan

    options = ScanOptions(full=full, jobs=default_jobs(), detection_config=str(detection) if detection else None)
    try:
        result = run_scan([str(corpus)], options)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    return json.dumps(result.to_dict(), ensure_ascii=False)


@click.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--findings", "findings_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score this result JSON instead of scanning CORPUS.")
@click.option("--detection", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Detection config for the scan (default: configs/detection.yaml).")
@click.option("--full", is_flag=True, help="Scan every row instead of a sample.")
@click.option("--min-f1", type=click.FloatRange(0, 1), default=0.0, help="Exit 1 when field F1 is below this.")
@click.option("--min-line-f1", type=click.FloatRange(0, 1), default=0.0, help="Exit 1 when line F1 is below this.")
def eval_command(corpus: Path, findings_path: Path | None, detection: Path | None, full: bool, min_f1: float,
                 min_line_f1: float) -> None:
    """Score piiscan on CORPUS (a folder with truth.json): precision, recall and F1 per entity.

    \b
    truth.json: {"fields": [{"source", "container", "field", "entities"}...],
                 "lines": [{"source", "line", "entities"}...]}
    (see scanner/evaluation.py). Exit 1 under --min-f1 / --min-line-f1 or when a
    value stands unmasked in the findings.
    """
    truth = load_truth(corpus)
    raw = findings_path.read_text(encoding="utf-8") if findings_path else scan_corpus(corpus, detection, full)
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise click.UsageError(f"{findings_path}: not JSON: {exc}") from None
    findings = doc.get("findings") if isinstance(doc, dict) else doc
    if not isinstance(findings, list):
        raise click.UsageError("no findings list in the result")
    evaluation = evaluate(truth, findings, corpus_sources(corpus), raw=raw)
    click.echo(render(evaluation))
    if not evaluation.passed(min_f1, min_line_f1):
        raise SystemExit(1)
