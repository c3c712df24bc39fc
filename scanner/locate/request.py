"""One locate request end to end: people in, the published document out, the audit written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.locate.audit import actor_name, load_salt, write_audit
from scanner.locate.identifiers import Person
from scanner.locate.matching import Matcher
from scanner.locate.report import build_document
from scanner.locate.search import LocateOptions, run_locate


@dataclass
class Outcome:
    doc: dict[str, Any]
    audit_id: int | None


def locate_request(people: list[Person], options: LocateOptions, *, actor: str | None = None,
                   audit: bool = True) -> Outcome:
    """Search, build the document, and record the run in the audit table of the state store."""
    from scanner.state.store import now_iso

    started = now_iso()
    salt = load_salt(options.state)
    matcher = Matcher(people, salt.value)
    result = run_locate(people, matcher, options)
    hashes = {p.label: matcher.hashes(p) for p in people}
    doc = build_document(people, result, hashes=hashes, salt_id=salt.salt_id, started_at=started,
                         finished_at=now_iso())
    audit_id = None
    if audit:
        kinds = sorted({k for p in people for k in p.given})
        audit_id = write_audit(options.state, actor=actor_name(actor), kinds=kinds,
                               hashes=sorted({h for hs in hashes.values() for h in hs}), salt=salt,
                               targets=result.targets, doc=doc)
    return Outcome(doc, audit_id)
