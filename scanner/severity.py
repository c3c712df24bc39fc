"""Violation severities: one order for the policy, the CLI, nightly runs and the reports."""

from __future__ import annotations

SEVERITIES = ("critical", "high", "medium", "low")  # most severe first


def severity_rank(code: str | None) -> int:
    """0 for critical … 3 for low; an unknown code sorts after low."""
    return SEVERITIES.index(code) if code in SEVERITIES else len(SEVERITIES)


def at_or_above(severity: str | None, threshold: str) -> bool:
    """Whether `severity` reaches `threshold`; an unknown severity counts as the highest,
    so a violation is never silently below the bar."""
    rank = SEVERITIES.index(severity) if severity in SEVERITIES else -1
    return rank <= SEVERITIES.index(threshold)
