"""A triage decision made in the console: checked, recorded with who and when, audited.

The same rules for the form and the API: a known fingerprint; a status of
`scanner.state.triage.TRIAGE_STATUSES`; a reason (always); an expiry for an
acceptance (a risk is accepted for a time, never for ever), today or later.
Where the reviewed triage file holds a decision for the fingerprint, that file
wins in every run, so a decision here is refused (409) rather than recorded
to no effect. The decision row and its audit record are one transaction.
A reason is free text a person types: it passes the scrubber before it is
stored, so a number pasted into it is kept masked like every evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

import sqlalchemy as sa

from scanner.console.queries import Reviewed
from scanner.detect.masking import scrub
from scanner.state import schema
from scanner.state.diff import VIOLATION
from scanner.state.store import StateStore, now_iso
from scanner.state.triage import TRIAGE_STATUSES, TriageEntry
from scanner.state.users import User

FINGERPRINT = re.compile(r"^[0-9a-f]{6,64}$")
REASON_MAX = 2000


class Refused(Exception):
    """Why a decision was not recorded: an HTTP status, a console word key and its values."""

    def __init__(self, status: int, key: str, **values: str):
        super().__init__(key)
        self.status, self.key, self.values = status, key, values


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str
    until: date | None


def check(status: str | None, reason: str | None, until: str | None, today: date | None = None) -> Decision:
    today = today or datetime.now(timezone.utc).date()
    if status not in TRIAGE_STATUSES:
        raise Refused(400, "bad_request")
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise Refused(400, "reason_required")
    reason = scrub(reason)
    expiry = None
    if until:
        try:
            expiry = date.fromisoformat(str(until).strip())
        except ValueError:
            raise Refused(400, "until_required") from None
        if expiry < today:
            raise Refused(400, "until_required")
    if status == "accepted" and expiry is None:
        raise Refused(400, "until_required")
    return Decision(status, reason, expiry)


def record(store: StateStore, user: User, fingerprint: str, decision: Decision, reviewed: Reviewed,
           remote: str | None = None) -> TriageEntry:
    """Record a decision about a violation (findings are not triaged: the nightly diff applies decisions to violations)."""
    fingerprint = fingerprint.lower()
    if not FINGERPRINT.match(fingerprint):
        raise Refused(404, "not_found")
    if fingerprint in reviewed.entries:
        raise Refused(409, "yaml_holds", path=str(reviewed.path))
    i, t, log = schema.items, schema.triage, schema.audit_log
    entry = TriageEntry(fingerprint, decision.status, decision.reason, user.username, now_iso(), decision.until)
    until = decision.until.isoformat() if decision.until else None
    with store.engine.begin() as connection:
        known = connection.execute(sa.select(sa.func.count()).where(
            i.c.fingerprint == fingerprint, i.c.item_type == VIOLATION)).scalar()
        if not known:
            raise Refused(404, "not_found")
        connection.execute(t.insert().values(fingerprint=fingerprint, status=entry.status, reason=entry.reason,
                                             by=entry.by, created_at=entry.created_at, until=until,
                                             source="console"))
        connection.execute(log.insert().values(
            at=entry.created_at, actor=user.username, action="triage", target=fingerprint,
            detail={"status": entry.status, "reason": entry.reason, "until": until, "role": user.role,
                    "remote": (remote or "")[:64]}))
    return entry
