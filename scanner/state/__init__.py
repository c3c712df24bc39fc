"""Run history for nightly scans: fingerprints, the state store, diff, triage, incremental runs.

The flow of one nightly run (see scanner/nightly.py): open the store (migrating
it), take the run lock, record a 'running' run, scan with a `ChangeTracker`
that skips unchanged datasets, diff the result against the previous complete
run of the same inventory (respecting triage), then commit everything of the
run in one transaction. A run killed midway therefore leaves only a 'running'
row, which the next run marks 'aborted'.
"""

from scanner.state.fingerprint import finding_fingerprint, violation_fingerprint
from scanner.state.store import StateStore, default_state_path

__all__ = ["StateStore", "default_state_path", "finding_fingerprint", "violation_fingerprint"]
